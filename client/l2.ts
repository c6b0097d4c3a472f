import { type L2RpcSchema, type RpcRequestFn, type RpcSchema } from "../core/index.js";
import { L2RpcError, L2TransportError } from "./errors.js";

/**
 * A minimal JSON-RPC client for the L2 sequencer, typed by a schema (the L2 RPC's,
 * core/rpc-schema.ts, unless told otherwise).
 *
 * @example
 * const l2: L2Client = createL2Client("http://127.0.0.1:8546")
 * const { stateRoot } = await l2.request({ method: "rollup_getStatus" })
 */
export interface L2Client<schema extends RpcSchema = L2RpcSchema> {
  /** The RPC endpoint. */
  readonly url: string;
  /**
   * Calls one JSON-RPC method; the method name types `params` and the result. Resolves to the
   * `result`; rejects with `L2RpcError` for a JSON-RPC error and `L2TransportError` when the
   * server cannot be reached or does not answer JSON-RPC.
   */
  readonly request: RpcRequestFn<schema>;
}

/**
 * Options of {@link createL2Client}.
 *
 * @example
 * const l2 = createL2Client(url, { timeout: 5_000 } satisfies CreateL2ClientOptions)
 */
export interface CreateL2ClientOptions {
  /** Milliseconds before a request is abandoned (default 30 000). */
  readonly timeout?: number;
}

interface JsonRpcReply {
  readonly result?: unknown;
  readonly error?: { readonly code?: unknown; readonly message?: unknown; readonly data?: unknown };
}

function detailsOf(data: unknown): string | undefined {
  if (typeof data !== "object" || data === null) return undefined;
  const details = (data as { details?: unknown }).details;
  return typeof details === "string" ? details : undefined;
}

/**
 * Creates a client for the L2 JSON-RPC over fetch (HTTP POST, JSON-RPC 2.0). `request`
 * infers each method's parameters and result from the schema: the L2 RPC's by default, or
 * `RpcSchema` for any method (e.g. a test server's).
 *
 * @example
 * const l2 = createL2Client("http://127.0.0.1:8546")
 * const info = await l2.request({ method: "rollup_getInfo" }) // a RollupInfo
 * const batch = await l2.request({ method: "rollup_getBatch", params: [0] }) // a BatchInfo
 */
export function createL2Client<schema extends RpcSchema = L2RpcSchema>(url: string, options: CreateL2ClientOptions = {}): L2Client<schema> {
  const timeout = options.timeout ?? 30_000;
  let nextId = 1;
  // The server's reply is trusted to match the schema, as viem trusts an EIP-1193 provider's.
  const request = async ({ method, params }: { readonly method: string; readonly params?: readonly unknown[] }): Promise<unknown> => {
    const id = nextId++;
    let response: Response;
    try {
      response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id, method, params: params ?? [] }),
        signal: AbortSignal.timeout(timeout),
      });
    } catch (e) {
      throw new L2TransportError(url, `cannot reach the L2 RPC at ${url} (${method})`, {
        details: "is the sequencer running? Start the devnet or pass the right L2 RPC URL.",
        cause: e,
      });
    }
    const text = await response.text();
    let reply: JsonRpcReply;
    try {
      reply = JSON.parse(text) as JsonRpcReply;
    } catch (e) {
      throw new L2TransportError(url, `the L2 RPC at ${url} answered HTTP ${response.status} with a body that is not JSON`, {
        details: text.slice(0, 200),
        cause: e,
      });
    }
    if (reply.error) {
      const { code, message, data } = reply.error;
      throw new L2RpcError(typeof code === "number" ? code : -32603, typeof message === "string" ? message : "unknown L2 RPC error", {
        data,
        details: detailsOf(data),
      });
    }
    if (!response.ok || !("result" in reply)) {
      throw new L2TransportError(url, `the L2 RPC at ${url} answered HTTP ${response.status} without a JSON-RPC result`);
    }
    return reply.result;
  };
  return { url, request: request as RpcRequestFn<schema> };
}
