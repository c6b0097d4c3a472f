/**
 * The prover service: a `ProverQueue` behind the JSON-RPC of core/prover-rpc.ts, so that a
 * sequencer hands it circuit inputs over HTTP and polls for proofs, from this machine or
 * another one (docs/zk.md "The prover service").
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { type AddressInfo } from "node:net";
import { type CircuitInput, PROVER_MAX_BODY_BYTES, type ProverJobInfo, type ProverRpcSchema, type ProverStatus } from "../core/index.js";
import { ProverJobError } from "./errors.js";
import { ProverQueue, proofCalldata } from "./prover.js";

/**
 * Parameters of `startProverServer`.
 *
 * @example
 * const parameters: ProverServerParameters = { wasm, zkey, circuit: { dir, constraints, slots: 32, levels: 8 }, host: "127.0.0.1", port: 0 }
 */
export interface ProverServerParameters {
  /** The circuit's witness wasm. */
  readonly wasm: string;
  /** Its proving key. */
  readonly zkey: string;
  /** What `prover_getStatus` says about the circuit. */
  readonly circuit: ProverStatus["circuit"];
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** Proving processes (default 1; each uses every core). */
  readonly processes?: number;
  /** One line per job started, done or failed. */
  readonly log?: (line: string) => void;
}

/**
 * The prover service's config file (prover/main.ts): `startProverServer`'s parameters as JSON.
 *
 * @example
 * const config: ProverServiceConfig = { wasm, zkey, circuit: { dir, constraints: 643_000, slots: 32, levels: 8 }, host: "127.0.0.1", port: 8547 }
 */
export type ProverServiceConfig = Omit<ProverServerParameters, "log">;

/**
 * A running prover service.
 *
 * @example
 * const { url, close }: ProverServer = await startProverServer(parameters)
 */
export interface ProverServer {
  readonly url: string;
  /** The queue behind it (tests kill its processes). */
  readonly queue: ProverQueue;
  close(): Promise<void>;
}

interface JobRecord {
  info: ProverJobInfo;
  /** The queue's id of the job's latest run, whose state is read from the queue while it runs. */
  run?: string;
}

type Methods = { [name in keyof ProverRpcSchema]: (params: unknown[]) => ProverRpcSchema[name]["ReturnType"] };

/** A request the service refuses: JSON-RPC `code`, and a message that says what to send instead. */
class RequestError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Starts the prover service: proves every submitted job on a `ProverQueue` in submission
 * order and keeps each job's result until the process ends.
 *
 * @example
 * const prover = await startProverServer({ wasm: build.wasm, zkey: keys.zkey, circuit, host: "127.0.0.1", port: 8547 })
 * // POST {"jsonrpc":"2.0","id":1,"method":"prover_submitJob","params":["batch-0",input]} to prover.url
 * await prover.close()
 */
export async function startProverServer(parameters: ProverServerParameters): Promise<ProverServer> {
  const log = parameters.log ?? (() => {});
  const queue = new ProverQueue({ wasm: parameters.wasm, zkey: parameters.zkey, processes: parameters.processes });
  const jobs = new Map<string, JobRecord>();

  const run = (id: string, input: CircuitInput, record: JobRecord): void => {
    const attempt = `${id}#${record.info.attempts + 1}`;
    record.info = { ...record.info, status: "queued", attempts: record.info.attempts + 1, error: null };
    record.run = attempt;
    const job = queue.submit(input, attempt);
    job.then(
      (result) => {
        record.info = { ...record.info, status: "done", seconds: result.seconds, proof: proofCalldata(result.proof).map(String), publicSignals: [...result.publicSignals] };
        log(`${id}: proved in ${result.seconds.toFixed(1)} s`);
      },
      (e: unknown) => {
        record.info = { ...record.info, status: "failed", error: e instanceof ProverJobError ? e.shortMessage : String(e) };
        log(`${id}: failed: ${record.info.error}`);
      },
    );
  };
  const current = (record: JobRecord): ProverJobInfo => {
    const state = record.run === undefined ? undefined : queue.status(record.run);
    return state === "queued" || state === "proving" ? { ...record.info, status: state } : record.info;
  };

  const methods: Methods = {
    prover_submitJob: (params) => {
      const [id, input] = params;
      if (typeof id !== "string" || id.length === 0 || id.length > 200) throw new RequestError(-32602, "params[0] must be a job id: a non-empty string of at most 200 characters");
      if (typeof input !== "object" || input === null || Array.isArray(input)) throw new RequestError(-32602, "params[1] must be a circuit input: an object of signal name to decimal strings");
      let record = jobs.get(id);
      if (record && current(record).status !== "failed") return current(record);
      record ??= { info: { id, status: "queued", attempts: 0, seconds: null, proof: null, publicSignals: null, error: null } };
      jobs.set(id, record);
      run(id, input as CircuitInput, record);
      return current(record);
    },
    prover_getJob: (params) => {
      const [id] = params;
      if (typeof id !== "string") throw new RequestError(-32602, "params[0] must be a job id (a string)");
      const record = jobs.get(id);
      return record ? current(record) : null;
    },
    prover_getStatus: () => {
      const states = [...jobs.values()].map(current);
      return {
        queued: states.filter((j) => j.status === "queued").length,
        proving: states.filter((j) => j.status === "proving").map((j) => j.id),
        processes: queue.processIds,
        circuit: parameters.circuit,
      };
    },
  };

  const server = createServer((request, response) => void handle(methods, request, response));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(parameters.port, parameters.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${parameters.host}:${port}`,
    queue,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await queue.close();
    },
  };
}

async function handle(methods: Methods, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const reply = (status: number, body: object): void => {
    response.writeHead(status, { "content-type": "application/json" });
    response.end(JSON.stringify(body));
  };
  if (request.method !== "POST") return reply(405, { jsonrpc: "2.0", id: null, error: { code: -32600, message: "POST a JSON-RPC request" } });
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > PROVER_MAX_BODY_BYTES) {
      response.setHeader("connection", "close");
      return reply(413, { jsonrpc: "2.0", id: null, error: { code: -32005, message: `request body too large: the limit is ${PROVER_MAX_BODY_BYTES} bytes` } });
    }
    chunks.push(chunk);
  }
  let body: { id?: unknown; method?: unknown; params?: unknown };
  try {
    body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as typeof body;
  } catch {
    return reply(200, { jsonrpc: "2.0", id: null, error: { code: -32700, message: "parse error: the body is not JSON" } });
  }
  const id = body.id ?? null;
  const method = typeof body.method === "string" && Object.hasOwn(methods, body.method) ? methods[body.method as keyof Methods] : undefined;
  if (!method) return reply(200, { jsonrpc: "2.0", id, error: { code: -32601, message: `method not found: ${String(body.method)}; the prover serves ${Object.keys(methods).join(", ")}` } });
  try {
    reply(200, { jsonrpc: "2.0", id, result: method(Array.isArray(body.params) ? body.params : []) });
  } catch (e) {
    const error = e instanceof RequestError ? { code: e.code, message: e.message } : { code: -32603, message: `internal error: ${(e as Error).message}` };
    reply(200, { jsonrpc: "2.0", id, error });
  }
}
