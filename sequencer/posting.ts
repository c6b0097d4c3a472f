/**
 * Optimistic posting: sealed batches go to L1 in index order, one round at a time. A round
 * re-proposes the batches a lost dispute removed from L1, skips those found on L1 after a
 * crash, and posts the rest at the rollup's next index, with the faulty commitment where fault
 * injection wants one.
 */
import { type BatchPoster } from "./l1/batch-poster.js";
import { type L1Rollup } from "./l1/rollup.js";
import { type FaultInjection } from "./fault-injection.js";
import { type Sequencer } from "./sequencer.js";

/**
 * What `OptimisticPosting` needs.
 *
 * @example
 * const parameters: OptimisticPostingParameters = { sequencer, rollup, poster, faults, batchesOnL1: 0, log: console.log }
 */
export interface OptimisticPostingParameters {
  readonly sequencer: Pick<Sequencer, "sealed" | "markPosted" | "markInvalidated">;
  readonly rollup: Pick<L1Rollup, "batchCount" | "topUpBond">;
  /** Posts each batch where the DA mode says (l1/da.ts). */
  readonly poster: BatchPoster;
  readonly faults?: Pick<FaultInjection, "commitmentFor" | "posted">;
  /** Batches on L1 when the node started: those the write-ahead log missed were posted before a crash. */
  readonly batchesOnL1: number;
  readonly log: (line: string) => void;
}

/**
 * Posts sealed batches with `submitBatch` (or `submitBlobBatch`); final after the challenge
 * window.
 *
 * @example
 * const posting = new OptimisticPosting({ sequencer, rollup, poster, batchesOnL1, log: console.log })
 * await posting.post() // after each seal
 * await posting.stop()
 */
export class OptimisticPosting {
  private readonly parameters: OptimisticPostingParameters;
  private posting: Promise<void> = Promise.resolve();
  // Batches below this were on L1 at start: posted before a crash even if the log missed it.
  private recovered: number;
  private stopped = false;

  constructor(parameters: OptimisticPostingParameters) {
    this.parameters = parameters;
    this.recovered = parameters.batchesOnL1;
  }

  /** Runs a posting round after the ones already queued; resolves when it is done. */
  post(): Promise<void> {
    // A failed round (say, a nonce clash) must not stop every later one.
    return (this.posting = this.posting.catch(() => undefined).then(() => this.round()));
  }

  /** Posts nothing more and waits for the round in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.posting.catch(() => undefined);
  }

  private async round(): Promise<void> {
    const { sequencer, rollup, poster, faults, log } = this.parameters;
    let onChain = await rollup.batchCount();
    const firstGone = sequencer.sealed.findIndex((b) => b.l1Tx && b.index >= onChain);
    if (firstGone >= 0) {
      // A dispute removed batches: the sequencer re-proposes its (honest) sealed batches.
      sequencer.markInvalidated(firstGone);
      const added = await rollup.topUpBond();
      log(`batches from ${firstGone} were invalidated on L1; re-proposing them${added > 0n ? ` after topping the bond up by ${added} wei` : ""}`);
    }
    for (const batch of sequencer.sealed) {
      // The faulty proposer sees every batch, posted or not, to keep its state.
      const faulty = faults?.commitmentFor(batch);
      if (batch.l1Tx || this.stopped) continue;
      if (batch.index < this.recovered) {
        // Posted before a crash, recorded on L1 but not in the log: nothing to resend.
        await sequencer.markPosted(batch.index, "0x", 0);
        continue;
      }
      // Post only at the rollup's next index, so a batch never lands in another's place.
      if (batch.index !== onChain) break;
      const { hash, blockNumber, da } = await poster.post(batch, faulty);
      onChain++;
      await sequencer.markPosted(batch.index, hash, blockNumber, da);
      if (faulty && faults) await faults.posted(batch, hash, faulty);
    }
    this.recovered = 0;
  }
}
