/**
 * ZK settlement: every sealed batch not on L1 is proved (in order, off the main thread, by a
 * `BatchProver` the process entry point supplies) and posted with `submitZkBatch` once its
 * proof is ready and the batch before it is on L1; it is final at once. A proof that fails is
 * asked for again after a pause that doubles with each failure (up to a minute).
 */
import { type CircuitInput } from "../core/index.js";
import { type L1Rollup } from "./l1/rollup.js";
import { type ZkPoster } from "./l1/zk-poster.js";
import { type ProofInfo } from "./rpc/methods.js";
import { type Sequencer } from "./sequencer.js";

/**
 * Where a proving job stands.
 *
 * @example
 * const status: BatchProofStatus | undefined = prover.status("batch-3")
 */
export type BatchProofStatus = "queued" | "proving" | "done" | "failed";

/**
 * A batch's proof, ready for L1.
 *
 * @example
 * const { calldata, seconds }: BatchProof = await prover.submit(batch.zk.input, "batch-3")
 */
export interface BatchProof {
  /** The proof as the `uint256[8]` that `Rollup.submitZkBatch` takes. */
  readonly calldata: readonly bigint[];
  /** Wall time of witness generation and proving. */
  readonly seconds: number;
}

/**
 * Proves ZK batches. sequencer/main.ts supplies one backed by prover/'s Groth16 worker queue;
 * the sequencer itself never imports the prover.
 *
 * @example
 * const proof = await prover.submit(batch.zk.input, `batch-${batch.index}`)
 * prover.status(`batch-${batch.index}`) // "done"
 * await prover.close()
 */
export interface BatchProver {
  /** Queues the circuit input of a batch under `id`; resolves to its proof, rejects if proving failed. */
  submit(input: CircuitInput, id: string): Promise<BatchProof>;
  /** Where job `id` stands; `undefined` for an unknown id. */
  status(id: string): BatchProofStatus | undefined;
  /** Jobs queued or proving. */
  readonly pending: number;
  /** Stops proving; jobs not finished fail. */
  close(): Promise<void>;
}

interface ProofRecord {
  readonly id: string;
  readonly submittedAt: number;
  /** Failed attempts before this one. */
  readonly failures: number;
  /** When a failed job may be submitted again. */
  retryAt?: number;
  status: "queued" | "proving" | "proven" | "failed";
  seconds?: number;
  /** The proof as `submitZkBatch` takes it, or undefined when proving failed. */
  readonly done: Promise<readonly bigint[] | undefined>;
}

/**
 * What `ZkSettlement` needs.
 *
 * @example
 * const parameters: ZkSettlementParameters = { sequencer, rollup, poster, prover, batchesOnL1: 0, log: console.log, logError: console.error }
 */
export interface ZkSettlementParameters {
  readonly sequencer: Pick<Sequencer, "sealed" | "markPosted" | "markFinal">;
  readonly rollup: Pick<L1Rollup, "batchCount">;
  readonly poster: Pick<ZkPoster, "post">;
  /** Owned from now on: `stop` closes it. */
  readonly prover: BatchProver;
  /** Batches on L1 when the node started. */
  readonly batchesOnL1: number;
  readonly log: (line: string) => void;
  readonly logError: (line: string) => void;
}

/**
 * Proves sealed batches and posts them with `submitZkBatch`, in order.
 *
 * @example
 * const zk = new ZkSettlement({ sequencer, rollup, poster, prover, batchesOnL1, log: console.log, logError: console.error })
 * zk.startProofs() // each poll
 * await zk.post()
 * zk.proofInfo(0) // { status: "proven", seconds: 14.2 }
 * await zk.stop()
 */
export class ZkSettlement {
  private readonly parameters: ZkSettlementParameters;
  private readonly proofs = new Map<number, ProofRecord>();
  private onChain: number;
  private round: Promise<void> | undefined;
  private again = false;
  private stopped = false;

  constructor(parameters: ZkSettlementParameters) {
    this.parameters = parameters;
    this.onChain = parameters.batchesOnL1;
  }

  /** Jobs the prover has queued or proving. */
  get pending(): number {
    return this.parameters.prover.pending;
  }

  /**
   * Submits a proving job for every sealed batch not on L1 that has none yet, or whose job
   * failed and has waited out its pause.
   */
  startProofs(): void {
    const { sequencer, prover, log, logError } = this.parameters;
    for (const batch of sequencer.sealed) {
      if (batch.l1Tx || !batch.zk || batch.index < this.onChain || this.stopped) continue;
      const previous = this.proofs.get(batch.index);
      if (previous && (previous.status !== "failed" || Date.now() < previous.retryAt!)) continue;
      const failures = previous ? previous.failures + 1 : 0;
      // Each attempt is a job of its own: a prover keeps a failed job's id as failed.
      const id = failures === 0 ? `batch-${batch.index}` : `batch-${batch.index}-retry-${failures}`;
      const job = prover.submit(batch.zk.input, id);
      const record: ProofRecord = {
        id,
        submittedAt: Date.now(),
        failures,
        status: "queued",
        done: job.then(
          (proof) => {
            record.status = "proven";
            record.seconds = proof.seconds;
            log(`batch ${batch.index}: proved in ${proof.seconds.toFixed(1)} s`);
            return proof.calldata;
          },
          (e: unknown) => {
            record.status = "failed";
            record.seconds = (Date.now() - record.submittedAt) / 1000;
            const pauseMs = Math.min(60_000, 1000 * 2 ** failures);
            record.retryAt = Date.now() + pauseMs;
            if (!this.stopped) logError(`batch ${batch.index}: proving failed (${(e as Error).message}); asking again in ${pauseMs / 1000} s`);
            return undefined;
          },
        ),
      };
      this.proofs.set(batch.index, record);
    }
  }

  /**
   * Posts every proved batch at the rollup's next index, waiting for proofs in order; a call
   * during a round makes the round go once more.
   */
  post(): Promise<void> {
    if (this.round) {
      this.again = true;
      return this.round;
    }
    this.round = (async () => {
      do {
        this.again = false;
        await this.postReady();
      } while (this.again && !this.stopped);
    })().finally(() => (this.round = undefined));
    return this.round;
  }

  /** Where the proof of batch `index` stands, for the RPC. */
  proofInfo(index: number): ProofInfo | undefined {
    const record = this.proofs.get(index);
    if (!record) return this.parameters.sequencer.sealed[index]?.l1Tx ? { status: "proven", seconds: null } : undefined;
    if (record.status === "queued" || record.status === "proving") {
      record.status = this.parameters.prover.status(record.id) === "proving" ? "proving" : "queued";
    }
    const seconds = record.seconds ?? (Date.now() - record.submittedAt) / 1000;
    return { status: record.status, seconds: Math.round(seconds * 100) / 100 };
  }

  /** Starts no more proofs or posts, closes the prover and waits for the round in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.parameters.prover.close();
    await this.round?.catch(() => undefined);
  }

  private async postReady(): Promise<void> {
    const { sequencer, rollup, poster, log } = this.parameters;
    this.onChain = await rollup.batchCount();
    for (const batch of sequencer.sealed) {
      if (batch.l1Tx || this.stopped) continue;
      if (batch.index < this.onChain) {
        // Proved and posted before a crash, recorded on L1 but not in the log.
        await sequencer.markPosted(batch.index, "0x", 0);
        continue;
      }
      if (batch.index !== this.onChain) break;
      this.startProofs();
      const proof = await this.proofs.get(batch.index)?.done;
      if (!proof || this.stopped) break;
      const { hash, blockNumber, gasUsed } = await poster.post(batch, proof);
      this.onChain++;
      await sequencer.markPosted(batch.index, hash, blockNumber, "calldata");
      // A ZK batch is final once submitZkBatch succeeded.
      sequencer.markFinal(batch.index);
      log(`batch ${batch.index}: ${batch.ops.length} ops, ${batch.zk!.payload.length} bytes, proven on L1 (${gasUsed} gas)`);
    }
  }
}
