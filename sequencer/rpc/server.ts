import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { type AddressInfo } from "node:net";
import {
  type RpcErrorObject,
  type RpcRequestErrors,
  type RpcMethodName,
  type RpcReturnType,
  type RpcSchema,
  RPC_MAX_BATCH_REQUESTS,
  RPC_MAX_BODY_BYTES,
  RpcErrorCode,
} from "../../core/index.js";
import { RpcError } from "./errors.js";

/**
 * A JSON-RPC method: takes the `params` array as the client sent it (each method validates
 * its parameters, see params.ts), returns a JSON-serialisable result.
 *
 * @example
 * const getBlockNumber: RpcMethod = () => "0x1"
 */
export type RpcMethod = (params: unknown[]) => unknown;

/**
 * The implementation of a schema: exactly one method per schema method, each returning that
 * method's `ReturnType` (or a promise of it). A missing, extra or mistyped method fails `tsc`.
 *
 * @example
 * const methods: RpcMethods<L2RpcSchema> = createRpcMethods(sequencer, info)
 */
export type RpcMethods<schema extends RpcSchema> = {
  readonly [method in RpcMethodName<schema>]: (params: unknown[]) => RpcReturnType<schema, method> | Promise<RpcReturnType<schema, method>>;
};

interface RpcRequest {
  jsonrpc?: unknown;
  id?: unknown;
  method?: unknown;
  params?: unknown;
}

// A reply to a request the server refuses before any method runs.
const refusal = (id: unknown, error: RpcRequestErrors): object => ({ jsonrpc: "2.0", id, error });

const batchTooLarge = (size: number): RpcErrorObject<typeof RpcErrorCode.LimitExceeded> => ({
  code: RpcErrorCode.LimitExceeded,
  message: `batch too large: ${size} requests, the limit is ${RPC_MAX_BATCH_REQUESTS}`,
  data: { limit: RPC_MAX_BATCH_REQUESTS },
});

const BODY_TOO_LARGE: RpcErrorObject<typeof RpcErrorCode.LimitExceeded> = {
  code: RpcErrorCode.LimitExceeded,
  message: `request body too large: the limit is ${RPC_MAX_BODY_BYTES} bytes (${RPC_MAX_BODY_BYTES / 2 ** 20} MiB)`,
  data: { limit: RPC_MAX_BODY_BYTES },
};

function errorObject(e: unknown): { code: number; message: string; data?: unknown } {
  if (e instanceof RpcError) return { code: e.code, message: e.shortMessage, ...(e.data === undefined ? {} : { data: e.data }) };
  const message = e instanceof Error ? e.message : String(e);
  return { code: RpcErrorCode.Internal, message: `internal error: ${message}` };
}

async function handleOne(methods: Readonly<Record<string, RpcMethod>>, request: unknown): Promise<object | undefined> {
  const req = (typeof request === "object" && request !== null ? request : {}) as RpcRequest;
  const id = req.id === undefined ? null : req.id;
  if (req.jsonrpc !== "2.0" || typeof req.method !== "string") {
    return refusal(id, { code: RpcErrorCode.InvalidRequest, message: "invalid request: expected {jsonrpc: \"2.0\", method, params, id}" });
  }
  const method = Object.hasOwn(methods, req.method) ? methods[req.method] : undefined;
  if (!method) return refusal(id, { code: RpcErrorCode.MethodNotFound, message: `method not found: ${req.method}` });
  const params = req.params === undefined ? [] : req.params;
  if (!Array.isArray(params)) {
    return refusal(id, { code: RpcErrorCode.InvalidParams, message: "invalid params: params must be an array" });
  }
  try {
    const result = await method(params);
    return req.id === undefined ? undefined : { jsonrpc: "2.0", id, result: result === undefined ? null : result };
  } catch (e) {
    return { jsonrpc: "2.0", id, error: errorObject(e) };
  }
}

/**
 * Reads the request body, keeping at most `RPC_MAX_BODY_BYTES`: resolves to undefined for a
 * larger body, declared (content-length) or found while reading. Its bytes are not kept: the
 * stream flows on without a listener until the connection closes.
 */
function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  if (Number(req.headers["content-length"]) > RPC_MAX_BODY_BYTES) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size <= RPC_MAX_BODY_BYTES) return void chunks.push(chunk);
      req.off("data", onData);
      chunks.length = 0;
      resolve(undefined);
    };
    req.on("data", onData);
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

/** How long the server goes on reading (and dropping) a refused body after answering it. */
const LINGER_MS = 2_000;

/**
 * Answers a body over the limit with HTTP 413 and closes the connection in stages (RFC 9112
 * §9.6): the server half-closes after the answer and drops what still arrives until the
 * client closes, or `LINGER_MS` passes. Closing at once would reset a connection the client
 * is still writing to, and the client would see the reset instead of the answer. (A
 * `Connection: close` header would make Node close at once, so the answer carries none.)
 */
function refuseBody(req: IncomingMessage, res: ServerResponse): void {
  const socket = req.socket;
  res.once("finish", () => {
    socket.end();
    setTimeout(() => socket.destroy(), LINGER_MS).unref();
  });
  send(res, 413, refusal(null, BODY_TOO_LARGE));
}

/**
 * An extra GET route served beside JSON-RPC (e.g. a health check): its JSON answer.
 *
 * @example
 * const health: GetRoute = () => ({ ok: true })
 */
export type GetRoute = (url: URL) => unknown;

/**
 * A JSON-RPC 2.0 server over HTTP POST (single and batch requests), as Ethereum nodes
 * serve it, so viem's `http()` transport and curl both work against it. A batch holds at most
 * `RPC_MAX_BATCH_REQUESTS` requests and a body at most `RPC_MAX_BODY_BYTES` bytes (HTTP 413
 * and the connection closed beyond); both answer a `LimitExceeded` error (docs/rpc.md).
 *
 * @example
 * const server = await startRpcServer({ eth_chainId: () => "0x1" }, { port: 8546 })
 * await server.close()
 */
export async function startRpcServer(
  methods: Readonly<Record<string, RpcMethod>>,
  options: { host?: string; port?: number; routes?: Record<string, GetRoute> } = {},
): Promise<{ url: string; server: Server; close: () => Promise<void> }> {
  const server = createServer((req, res) => {
    void (async () => {
      if (req.method === "GET") {
        const url = new URL(req.url ?? "/", "http://localhost");
        const route = options.routes?.[url.pathname];
        if (!route) return send(res, 404, { error: `no route ${url.pathname}` });
        try {
          return send(res, 200, await route(url));
        } catch (e) {
          return send(res, 500, { error: e instanceof Error ? e.message : String(e) });
        }
      }
      if (req.method !== "POST") return send(res, 405, { error: "use POST for JSON-RPC" });
      let body: unknown;
      try {
        const raw = await readBody(req);
        if (raw === undefined) return refuseBody(req, res);
        body = JSON.parse(raw.toString("utf8"));
      } catch {
        return send(res, 200, refusal(null, { code: RpcErrorCode.ParseError, message: "parse error: the body is not JSON" }));
      }
      if (Array.isArray(body)) {
        if (body.length === 0) return send(res, 200, refusal(null, { code: RpcErrorCode.InvalidRequest, message: "invalid request: empty batch" }));
        if (body.length > RPC_MAX_BATCH_REQUESTS) return send(res, 200, refusal(null, batchTooLarge(body.length)));
        const replies = (await Promise.all(body.map((r) => handleOne(methods, r)))).filter((r) => r !== undefined);
        return send(res, 200, replies);
      }
      const reply = await handleOne(methods, body);
      if (reply === undefined) {
        res.writeHead(204);
        return res.end();
      }
      return send(res, 200, reply);
    })();
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  return {
    url: `http://${address}:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
