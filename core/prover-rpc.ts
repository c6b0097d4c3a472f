/**
 * The prover service's JSON-RPC (docs/zk.md "The prover service") as types: what the
 * sequencer sends a prover and what it gets back. The prover (prover/server.ts) serves it, the
 * sequencer (sequencer/remote-prover.ts) calls it; they share nothing else. Pure: types and
 * constants, no I/O.
 *
 * On the wire: JSON-RPC 2.0 over HTTP POST, circuit inputs as core's `CircuitInput` (decimal
 * strings), proofs as the 8 decimal `uint256` of `submitZkBatch`.
 */
import { type CircuitInput } from "./zk-witness.js";

/**
 * Where a proving job stands on the prover: `queued`, `proving`, `done` (proof ready) or
 * `failed` (the input does not satisfy the circuit, or its process died more often than the
 * prover retries).
 *
 * @example
 * const status: ProverJobState = "proving"
 */
export type ProverJobState = "queued" | "proving" | "done" | "failed";

/**
 * A proving job as the prover reports it (`prover_submitJob`, `prover_getJob`).
 *
 * @example
 * const job: ProverJobInfo = { id: "batch-3", status: "done", attempts: 1, seconds: 41.2, proof: ["1", "2", "3", "4", "5", "6", "7", "8"], publicSignals: ["9"], error: null }
 */
export interface ProverJobInfo {
  readonly id: string;
  readonly status: ProverJobState;
  /** Times the job was started on the prover (a job is run again after a `failed` resubmission). */
  readonly attempts: number;
  /** Witness and proving time once `done`; null before. */
  readonly seconds: number | null;
  /** Once `done`: `[A.x, A.y, B.x.c1, B.x.c0, B.y.c1, B.y.c0, C.x, C.y]`, as `submitZkBatch` takes it. */
  readonly proof: readonly string[] | null;
  /** Once `done`: the circuit's public signals, `[publicInput]`. */
  readonly publicSignals: readonly string[] | null;
  /** Once `failed`: why. */
  readonly error: string | null;
}

/**
 * The prover as a whole (`prover_getStatus`).
 *
 * @example
 * const { queued, proving, processes } = status
 */
export interface ProverStatus {
  /** Jobs waiting for a proving process. */
  readonly queued: number;
  /** Ids of the jobs being proved. */
  readonly proving: readonly string[];
  /** Process ids of the proving processes (each proves one job at a time on every core). */
  readonly processes: readonly number[];
  /** The circuit this prover proves: its build folder and constraint count. */
  readonly circuit: { readonly dir: string; readonly constraints: number; readonly slots: number; readonly levels: number };
}

/**
 * The prover service's methods: name, `Parameters`, `ReturnType`.
 *
 * - `prover_submitJob(id, input)`: queues the circuit input under `id` and returns the job. A
 *   known id is not queued twice: its job is returned as it stands, except a `failed` one,
 *   which is queued again (a retry).
 * - `prover_getJob(id)`: the job, or null for an id the prover does not know (never
 *   submitted, or submitted to a prover that has restarted since: submit it again).
 * - `prover_getStatus()`: the queue and the proving processes.
 *
 * @example
 * type Submit = ProverRpcSchema["prover_submitJob"] // { Parameters: [string, CircuitInput]; ReturnType: ProverJobInfo }
 */
export interface ProverRpcSchema {
  prover_submitJob: { Parameters: [id: string, input: CircuitInput]; ReturnType: ProverJobInfo };
  prover_getJob: { Parameters: [id: string]; ReturnType: ProverJobInfo | null };
  prover_getStatus: { Parameters: []; ReturnType: ProverStatus };
}

/**
 * The largest request body the prover reads (64 MiB: a circuit input of 32 slots at levels 8
 * is about 1 MB; 2^15 slots would not fit in a proving key anyway).
 *
 * @example
 * if (Buffer.byteLength(body) > PROVER_MAX_BODY_BYTES) throw new Error("too large")
 */
export const PROVER_MAX_BODY_BYTES = 64 * 1024 * 1024;
