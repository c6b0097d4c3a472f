import { Worker } from "node:worker_threads";
import { type BaseError, type BatchHeader, type BatchResult, type CircuitInput, type QueueEntry, type ResolvedParams } from "../core/index.js";
import { entryPoint } from "../core/entry-point.js";
import { CommitmentBuilderError } from "./errors.js";

/** What the builder worker starts from (its `workerData`). */
export interface BuilderInit {
  readonly levels: number;
  readonly domain: bigint;
  /** ZK settlement: the circuit's step slots; the builder then also builds each batch's circuit input. */
  readonly zkSlots?: number;
}

/** What a ZK batch needs besides its `BatchResult`: the circuit input and what goes on L1. */
export interface ZkBatchData {
  /** The circuit input (private inputs included: signatures); the prover's job. */
  readonly input: CircuitInput;
  readonly publicInput: bigint;
  /** The ZK payload posted on L1 (no signatures). */
  readonly payload: Uint8Array;
  /** The circuit's commitment to the payload, `c`, that `submitZkBatch` takes (docs/protocol.md §8). */
  readonly c: bigint;
  readonly queueHashStart: bigint;
  readonly queueHashEnd: bigint;
}

/** One instruction to the builder worker, executed in order. */
export type BuilderRequest =
  /** Start batch `batch`: apply its queue entries. */
  | { readonly t: "open"; readonly batch: number; readonly header: BatchHeader; readonly entries: readonly QueueEntry[] }
  /** Apply accepted L2 ops: their optimistic encodings, concatenated (a batch payload). */
  | { readonly t: "ops"; readonly payload: Uint8Array }
  /** Finish the open batch and reply with its `BatchResult`. */
  | { readonly t: "seal"; readonly batch: number }
  /** Reply with the state root after everything so far. */
  | { readonly t: "root" };

/** The builder worker's answer to a `seal` or `root` request, in request order. */
export type BuilderReply =
  | { readonly t: "sealed"; readonly batch: number; readonly result: BatchResult; readonly zk?: ZkBatchData }
  | { readonly t: "root"; readonly stateRoot: bigint };

interface Waiter {
  readonly t: BuilderReply["t"];
  readonly resolve: (reply: BuilderReply) => void;
  readonly reject: (e: CommitmentBuilderError) => void;
}

/**
 * Builds the commitments of the sequencer's batches (account tree, per-step state roots,
 * step hashes, withdrawal tree) on a worker thread, so that the thread that accepts ops
 * never hashes the tree. It receives, in acceptance order, the batches opened, the ops
 * accepted and the seal requests, and replays them through the real STF
 * (sequencer/builder-worker.ts); the worker asserts that every op it is given is `Applied`
 * and dies loudly otherwise (acceptance and the STF would disagree: an STF bug), after
 * which every request fails with that error (`failure`).
 *
 * Requests are buffered and posted together once per event-loop turn, so an op costs no
 * message of its own.
 *
 * @example
 * const builder = new CommitmentBuilder(params, domain)
 * builder.open(0, header, entries)
 * builder.apply(encodeL2Op(op, params, "optimistic"))
 * const { result } = await builder.seal(0)
 * await builder.close()
 */
export class CommitmentBuilder {
  private readonly worker: Worker;
  private buffered: BuilderRequest[] = [];
  // Encodings of ops accepted since the last buffered request, joined into one "ops" request at flush.
  private opBytes: Uint8Array[] = [];
  private flushScheduled = false;
  private readonly waiters: Waiter[] = [];
  private failed: CommitmentBuilderError | undefined;

  constructor(params: ResolvedParams, domain: bigint, options: { readonly zkSlots?: number } = {}) {
    const init: BuilderInit = { levels: params.levels, domain, zkSlots: options.zkSlots };
    const { url, execArgv } = entryPoint(import.meta.url, "./builder-worker");
    this.worker = new Worker(url, { workerData: init, execArgv });
    this.worker.on("message", (reply: BuilderReply) => this.settle(reply));
    this.worker.on("error", (e) => {
      // An error thrown on the worker arrives as a plain Error carrying the original's own fields.
      const { shortMessage, details } = e as Partial<BaseError>;
      this.fail(new CommitmentBuilderError(shortMessage ?? e.message, { details, cause: e }));
    });
    this.worker.on("exit", (code) =>
      this.fail(new CommitmentBuilderError(`the commitment builder exited (code ${code})`, { details: "restart the sequencer: it replays its write-ahead log" })),
    );
    // An idle builder must not keep the process alive; one that owes answers must.
    this.worker.unref();
  }

  /** The error that stopped the builder, if it stopped. */
  get failure(): CommitmentBuilderError | undefined {
    return this.failed;
  }

  /** Starts batch `batch` and applies its queue entries. */
  open(batch: number, header: BatchHeader, entries: readonly QueueEntry[]): void {
    this.request({ t: "open", batch, header: { feeRecipient: header.feeRecipient, feeTokens: header.feeTokens }, entries });
  }

  /** Applies the next accepted op, given as its optimistic encoding. */
  apply(encodedOp: Uint8Array): void {
    this.opBytes.push(encodedOp);
    this.scheduleFlush();
  }

  /** Finishes the open batch, which must be `batch`, and resolves with its result (and, in ZK mode, its circuit input). */
  async seal(batch: number): Promise<{ result: BatchResult; zk?: ZkBatchData }> {
    const reply = await this.ask({ t: "seal", batch }, "sealed");
    if (reply.batch !== batch) {
      throw new CommitmentBuilderError(`the commitment builder sealed batch ${reply.batch}, not ${batch}`, {
        details: "the sequencer and its builder are out of step (a bug); restart the sequencer",
      });
    }
    return { result: reply.result, zk: reply.zk };
  }

  /** The state root after every request so far (once the builder has caught up). */
  async stateRoot(): Promise<bigint> {
    return (await this.ask({ t: "root" }, "root")).stateRoot;
  }

  /** Stops the worker; requests still owed an answer fail. */
  async close(): Promise<void> {
    this.fail(new CommitmentBuilderError("the commitment builder is closed", { details: "the sequencer is shutting down" }));
    await this.worker.terminate();
  }

  private ask<K extends BuilderReply["t"]>(request: BuilderRequest, answer: K): Promise<Extract<BuilderReply, { t: K }>> {
    if (this.failed) return Promise.reject(this.failed);
    return new Promise((resolve, reject) => {
      // `settle` resolves a waiter only with a reply of its kind.
      this.waiters.push({ t: answer, resolve: resolve as (reply: BuilderReply) => void, reject });
      this.worker.ref();
      this.request(request);
    });
  }

  private request(request: BuilderRequest): void {
    this.takeOps();
    this.buffered.push(request);
    this.scheduleFlush();
  }

  private takeOps(): void {
    if (this.opBytes.length === 0) return;
    const payload = new Uint8Array(this.opBytes.reduce((n, b) => n + b.length, 0));
    let at = 0;
    for (const bytes of this.opBytes) {
      payload.set(bytes, at);
      at += bytes.length;
    }
    this.opBytes = [];
    this.buffered.push({ t: "ops", payload });
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    // setImmediate runs after the event loop's I/O phase: every request that arrived in
    // this turn goes out in one message.
    setImmediate(() => {
      this.flushScheduled = false;
      this.takeOps();
      const requests = this.buffered;
      this.buffered = [];
      if (this.failed || requests.length === 0) return;
      const transfer = requests.flatMap((r) => (r.t === "ops" ? [r.payload.buffer as ArrayBuffer] : []));
      this.worker.postMessage(requests, transfer);
    });
  }

  private settle(reply: BuilderReply): void {
    const waiter = this.waiters[0];
    if (waiter?.t !== reply.t) {
      // Replies come in request order; anything else means the two sides are out of step.
      return this.fail(
        new CommitmentBuilderError(`the commitment builder sent a ${reply.t} reply ${waiter ? `to a ${waiter.t} request` : "unasked"}`, {
          details: "the sequencer and its builder are out of step (a bug); restart the sequencer",
        }),
      );
    }
    this.waiters.shift();
    if (this.waiters.length === 0) this.worker.unref();
    waiter.resolve(reply);
  }

  private fail(e: CommitmentBuilderError): void {
    this.failed ??= e;
    for (const waiter of this.waiters.splice(0)) waiter.reject(this.failed);
    this.worker.unref();
  }
}
