import { type Sequencer } from "./sequencer.js";

/**
 * When a batch is closed.
 *
 * @example
 * const limits: BatchLimits = { maxBatchOps: 512, maxBatchDelayMs: 1000 }
 */
export interface BatchLimits {
  /** Close a batch at this many queue entries + L2 ops. */
  readonly maxBatchOps: number;
  /** Close a non-empty batch this long after it opened. */
  readonly maxBatchDelayMs: number;
}

/**
 * Opens a batch if queue entries wait for one, and seals the open batch once it is full or
 * old enough.
 *
 * @example
 * await sealDueBatch(sequencer, { maxBatchOps: 512, maxBatchDelayMs: 1000 }) // each poll
 */
export async function sealDueBatch(sequencer: Pick<Sequencer, "openIfWork" | "openBatch" | "seal">, limits: BatchLimits): Promise<void> {
  sequencer.openIfWork();
  const open = sequencer.openBatch;
  if (open && (open.size >= limits.maxBatchOps || Date.now() - open.openedAt >= limits.maxBatchDelayMs)) {
    await sequencer.seal();
  }
}
