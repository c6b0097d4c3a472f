import { type L1Rollup } from "./l1/rollup.js";
import { type Sequencer } from "./sequencer.js";

/**
 * Marks final the posted batches L1 says are final, in order from the first one not yet
 * final, stopping at the first that is not (or is not on L1).
 *
 * @example
 * await markFinalBatches(sequencer, rollup) // each poll
 */
export async function markFinalBatches(sequencer: Pick<Sequencer, "sealed" | "markFinal">, rollup: Pick<L1Rollup, "isFinal">): Promise<void> {
  const firstOpen = sequencer.sealed.findIndex((b) => !b.final);
  if (firstOpen < 0) return;
  let last = -1;
  for (let i = firstOpen; i < sequencer.sealed.length && sequencer.sealed[i]!.l1Tx; i++) {
    if (!(await rollup.isFinal(i))) break;
    last = i;
  }
  if (last >= 0) sequencer.markFinal(last);
}
