/**
 * The ZK batch prover: a queue of proving jobs run by child processes (prover/prove-process.ts),
 * each on snarkjs' multi-threaded curve, so that one proof uses every core and never blocks the
 * caller's event loop. A process that dies mid-proof (killed, out of memory) is replaced and its
 * job retried.
 */
import { type ChildProcess, fork } from "node:child_process";
import { availableParallelism } from "node:os";
import { ProverError, ProverJobError } from "./errors.js";
import { type ProveRequest, type ProveResponse } from "./prove-process.js";
import { type CircuitInput } from "../core/index.js";
import { entryPoint } from "../core/entry-point.js";

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
  /**
   * Jobs proved at once, one process each (default 1: a process already uses every core, so
   * more only helps when proofs wait on something else).
   */
  readonly processes?: number;
  /** Times a job is run again on a fresh process when its process died under it (default 2). */
  readonly retries?: number;
}

/** What a proving job returns. */
export interface ProveResult {
  readonly proof: Groth16Proof;
  /** The circuit's public signals: `[publicInput]`. */
  readonly publicSignals: readonly string[];
  /** Wall time of witness generation and proving, in the proving process. */
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
  /** Runs that ended with the process dying. */
  crashes: number;
}

interface Slot {
  child: ChildProcess;
  ready: Promise<void>;
  /** The job this process runs. */
  job: Pending | undefined;
}

/**
 * A FIFO queue of proving jobs over child processes.
 *
 * @example
 * const queue = new ProverQueue({ wasm: build.wasm, zkey: (await setup(build)).zkey })
 * const job = queue.submit(buildCircuitInput({ state, batch, domain, queueHashStart, nOps }).input)
 * queue.status(job.id) // "proving"
 * const { proof, publicSignals, seconds } = await job
 * await queue.close()
 */
export class ProverQueue {
  private readonly slots: Slot[] = [];
  private readonly waiting: Pending[] = [];
  private readonly statuses = new Map<string, ProverJobStatus>();
  private readonly retries: number;
  private nextId = 0;
  private closed = false;

  constructor(private readonly parameters: ProverQueueParameters) {
    this.retries = parameters.retries ?? 2;
    const count = Math.max(1, Math.min(parameters.processes ?? 1, availableParallelism()));
    for (let i = 0; i < count; i++) {
      const slot = { job: undefined } as Slot;
      this.start(slot);
      this.slots.push(slot);
    }
  }

  /** Queues a job for a circuit input (from `buildCircuitInput`); `id` defaults to a counter. */
  submit(input: CircuitInput, id = `job-${this.nextId++}`): ProverJob {
    if (this.closed) throw new ProverError("the prover queue is closed", { details: "submit jobs before close(), or to a new ProverQueue" });
    if (this.statuses.has(id)) throw new ProverError(`a job with id ${id} was already submitted`, { details: "give each job its own id" });
    this.statuses.set(id, "queued");
    const request: ProveRequest = { id, wasm: this.parameters.wasm, zkey: this.parameters.zkey, input };
    const promise = new Promise<ProveResult>((resolve, reject) => {
      this.waiting.push({ request, resolve, reject, crashes: 0 });
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
    return this.waiting.length + this.slots.filter((s) => s.job).length;
  }

  /** The proving processes' ids (to watch them, or for tests to kill one). */
  get processIds(): number[] {
    return this.slots.map((s) => s.child.pid!).filter((pid) => pid !== undefined);
  }

  /** Stops the proving processes; jobs not finished fail. */
  async close(): Promise<void> {
    this.closed = true;
    const unfinished = [...this.waiting.splice(0), ...this.slots.flatMap((s) => (s.job ? [s.job] : []))];
    for (const job of unfinished) {
      this.statuses.set(job.request.id, "failed");
      job.reject(new ProverJobError(job.request.id, "the prover queue was closed", { details: "close() was called before the job finished" }));
    }
    await Promise.all(
      this.slots.map(
        (slot) =>
          new Promise<void>((done) => {
            slot.job = undefined;
            const { child } = slot;
            if (child.exitCode !== null || child.signalCode !== null) return done();
            child.once("exit", () => done());
            child.kill("SIGKILL");
          }),
      ),
    );
  }

  /** Starts a proving process in `slot`. */
  private start(slot: Slot): void {
    const { url, execArgv } = entryPoint(import.meta.url, "./prove-process");
    const child = fork(url, [], {
      execArgv,
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    slot.child = child;
    slot.ready = new Promise<void>((resolve) => {
      child.on("message", (message: ProveResponse | { ready: number }) => ("ready" in message ? resolve() : this.finished(slot, message)));
    });
    child.once("exit", (code, signal) => this.died(slot, code, signal));
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (slot.job || this.waiting.length === 0 || this.closed) continue;
      const job = this.waiting.shift()!;
      slot.job = job;
      this.statuses.set(job.request.id, "proving");
      void slot.ready.then(() => slot.job === job && slot.child.connected && slot.child.send(job.request));
    }
  }

  private finished(slot: Slot, response: ProveResponse): void {
    const job = slot.job;
    if (!job || job.request.id !== response.id) return;
    slot.job = undefined;
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
    this.dispatch();
  }

  private died(slot: Slot, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.closed) return;
    const job = slot.job;
    slot.job = undefined;
    const how = signal ? `was killed (${signal})` : `exited with code ${code}`;
    this.start(slot);
    if (job) {
      job.crashes++;
      if (job.crashes <= this.retries) {
        // Retried first, before jobs that came after it, so batches are still proved in order.
        this.statuses.set(job.request.id, "queued");
        this.waiting.unshift(job);
      } else {
        this.statuses.set(job.request.id, "failed");
        job.reject(
          new ProverJobError(job.request.id, `its proving process ${how} ${job.crashes} times`, {
            details: "each run lost its process (out of memory? killed?); the queue goes on with a fresh process: submit the job again",
          }),
        );
      }
    }
    this.dispatch();
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
