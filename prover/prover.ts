/**
 * The ZK batch prover: a queue of proving jobs run by worker threads (prover/prove-worker.ts),
 * so that witness generation and Groth16 proving never block the caller's event loop.
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { ProverError, ProverJobError } from "./errors.js";
import { type ProveRequest, type ProveResponse } from "./prove-worker.js";
import { type CircuitInput } from "../core/index.js";
import { entryPoint } from "../core/entry-point.js";
import { FFJAVASCRIPT_WORKER_DATA } from "./worker-data.js";

/** A Groth16 proof as snarkjs returns it. */
export interface Groth16Proof {
  readonly pi_a: readonly string[];
  readonly pi_b: readonly (readonly string[])[];
  readonly pi_c: readonly string[];
  readonly protocol?: string;
  readonly curve?: string;
}

/** Parameters of `ProverQueue`. */
export interface ProverQueueParameters {
  /** The circuit's witness wasm (`CircuitBuild.wasm`). */
  readonly wasm: string;
  /** The proving key (`SetupResult.zkey`). */
  readonly zkey: string;
  /** Jobs proved at once, one worker each (default 1; each worker is single-threaded). */
  readonly workers?: number;
}

/** What a proving job returns. */
export interface ProveResult {
  readonly proof: Groth16Proof;
  /** The circuit's public signals: `[publicInput]`. */
  readonly publicSignals: readonly string[];
  /** Wall time of witness generation and proving, in the worker. */
  readonly seconds: number;
}

/** Where a job stands. */
export type ProverJobStatus = "queued" | "proving" | "done" | "failed";

/** A submitted job: its result, with the id to ask `status` about. */
export type ProverJob = Promise<ProveResult> & { readonly id: string };

interface Pending {
  readonly request: ProveRequest;
  readonly resolve: (result: ProveResult) => void;
  readonly reject: (error: ProverJobError) => void;
}

/**
 * A FIFO queue of proving jobs over worker threads.
 *
 * @example
 * const queue = new ProverQueue({ wasm: build.wasm, zkey: (await setup(build)).zkey })
 * const job = queue.submit(buildCircuitInput({ state, batch, domain, queueHashStart, nOps }).input)
 * queue.status(job.id) // "proving"
 * const { proof, publicSignals, seconds } = await job
 * await queue.close()
 */
export class ProverQueue {
  private readonly idle: Worker[] = [];
  private readonly workers: Worker[] = [];
  private readonly waiting: Pending[] = [];
  private readonly running = new Map<string, Pending>();
  private readonly statuses = new Map<string, ProverJobStatus>();
  /** The job each busy worker runs. */
  private readonly assigned = new Map<Worker, string>();
  private nextId = 0;
  private closed = false;

  constructor(private readonly parameters: ProverQueueParameters) {
    const count = Math.max(1, Math.min(parameters.workers ?? 1, availableParallelism()));
    for (let i = 0; i < count; i++) {
      const { url, execArgv } = entryPoint(import.meta.url, "./prove-worker");
      const worker = new Worker(url, {
        execArgv,
        workerData: FFJAVASCRIPT_WORKER_DATA,
      });
      worker.on("message", (response: ProveResponse) => this.finished(worker, response));
      worker.on("error", (error) => this.crashed(worker, error));
      this.workers.push(worker);
      this.idle.push(worker);
    }
  }

  /** Queues a job for a circuit input (from `buildCircuitInput`); `id` defaults to a counter. */
  submit(input: CircuitInput, id = `job-${this.nextId++}`): ProverJob {
    if (this.closed) throw new ProverError("the prover queue is closed", { details: "submit jobs before close(), or to a new ProverQueue" });
    if (this.statuses.has(id)) throw new ProverError(`a job with id ${id} was already submitted`, { details: "give each job its own id" });
    this.statuses.set(id, "queued");
    const request: ProveRequest = { id, wasm: this.parameters.wasm, zkey: this.parameters.zkey, input };
    const promise = new Promise<ProveResult>((resolve, reject) => {
      this.waiting.push({ request, resolve, reject });
    });
    this.dispatch();
    return Object.assign(promise, { id });
  }

  /** The status of a submitted job, `undefined` for an unknown id. */
  status(id: string): ProverJobStatus | undefined {
    return this.statuses.get(id);
  }

  /** Jobs not yet finished (queued or proving). */
  get pending(): number {
    return this.waiting.length + this.running.size;
  }

  /** Stops the workers; jobs not finished fail. */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of [...this.waiting.splice(0), ...this.running.values()]) {
      this.statuses.set(job.request.id, "failed");
      job.reject(new ProverJobError(job.request.id, "the prover queue was closed", { details: "close() was called before the job finished" }));
    }
    this.running.clear();
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private dispatch(): void {
    while (this.idle.length > 0 && this.waiting.length > 0) {
      const worker = this.idle.shift()!;
      const job = this.waiting.shift()!;
      this.running.set(job.request.id, job);
      this.statuses.set(job.request.id, "proving");
      this.assigned.set(worker, job.request.id);
      worker.postMessage(job.request);
    }
  }

  private finished(worker: Worker, response: ProveResponse): void {
    const job = this.running.get(response.id);
    this.running.delete(response.id);
    this.assigned.delete(worker);
    this.idle.push(worker);
    if (job) {
      if (response.ok) {
        this.statuses.set(response.id, "done");
        job.resolve({ proof: response.proof as Groth16Proof, publicSignals: response.publicSignals, seconds: response.seconds });
      } else {
        this.statuses.set(response.id, "failed");
        job.reject(
          new ProverJobError(response.id, response.error, {
            details: "the input does not satisfy the circuit (not built by buildCircuitInput for this circuit, or a bug), or snarkjs failed",
          }),
        );
      }
    }
    this.dispatch();
  }

  private crashed(worker: Worker, error: Error): void {
    const id = this.assigned.get(worker);
    const job = id === undefined ? undefined : this.running.get(id);
    if (id !== undefined && job) {
      this.running.delete(id);
      this.statuses.set(id, "failed");
      job.reject(new ProverJobError(id, `the prover worker crashed: ${error.message}`, { details: "the queue goes on with its other workers; submit the job again", cause: error }));
    }
    this.assigned.delete(worker);
    this.workers.splice(this.workers.indexOf(worker), 1);
    const idleAt = this.idle.indexOf(worker);
    if (idleAt >= 0) this.idle.splice(idleAt, 1);
    if (this.workers.length > 0) return;
    this.waiting.splice(0).forEach((job) => {
      this.statuses.set(job.request.id, "failed");
      job.reject(new ProverJobError(job.request.id, "no prover worker left", { details: "every worker crashed: create a new ProverQueue" }));
    });
  }
}

/**
 * The proof as the `uint256[8]` that `Rollup.submitZkBatch` takes:
 * `[A.x, A.y, B.x.c1, B.x.c0, B.y.c1, B.y.c0, C.x, C.y]` (G2 coordinates high part first, the
 * order of the EIP-197 pairing precompile and of the generated verifier's `_pB`).
 *
 * @example
 * await rollup.submitZkBatch(submission, payload, z, proofCalldata(proof))
 */
export function proofCalldata(proof: Groth16Proof): bigint[] {
  const b = proof.pi_b;
  return [
    proof.pi_a[0]!,
    proof.pi_a[1]!,
    b[0]![1]!,
    b[0]![0]!,
    b[1]![1]!,
    b[1]![0]!,
    proof.pi_c[0]!,
    proof.pi_c[1]!,
  ].map((v) => BigInt(v));
}
