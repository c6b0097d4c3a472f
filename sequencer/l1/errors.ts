import { BaseError } from "../../core/index.js";

/**
 * A transaction that posts a batch to the rollup contract reverted. The node's posting loop
 * tries the batch again at its next round.
 *
 * @example
 * if (receipt.status !== "success") throw new BatchSubmissionRevertedError({ batch: 3, hash, method: "submitBatch" })
 */
export class BatchSubmissionRevertedError extends BaseError {
  override name = "BatchSubmissionRevertedError";
  readonly batch: number;
  readonly hash: `0x${string}`;

  constructor(parameters: { batch: number; hash: `0x${string}`; method: "submitBatch" | "submitBlobBatch" | "submitZkBatch" }) {
    super(`batch ${parameters.batch}: ${parameters.method} reverted in ${parameters.hash}`, {
      details: `the rollup contract refused the batch: look up the revert reason of ${parameters.hash} on L1 (debug_traceTransaction); the sequencer posts the batch again at its next round`,
    });
    this.batch = parameters.batch;
    this.hash = parameters.hash;
  }
}

/**
 * A batch too large for what one L1 transaction may carry (blobs), or without the data its
 * posting needs (a ZK batch without its circuit data).
 *
 * @example
 * throw new BatchNotPostableError("batch 3 takes 7 blobs; one transaction carries at most 6", { details: "lower the batch size or post it as calldata" })
 */
export class BatchNotPostableError extends BaseError {
  override name = "BatchNotPostableError";
}

/**
 * The L1 queue as read from the bridge's events is not what the follower expects: an entry
 * asked for before it was read, or entries that arrive out of order.
 *
 * @example
 * throw new QueueFollowerError("queue entry 5 is not known yet (3 known)", { details: "poll() the follower first" })
 */
export class QueueFollowerError extends BaseError {
  override name = "QueueFollowerError";
}

/**
 * The blob sidecar store was given a key that is not a versioned hash, or could not read a
 * sidecar file.
 *
 * @example
 * throw new BlobStoreError("not a versioned hash: 0x12", { details: "a versioned hash is 0x01 followed by 31 bytes" })
 */
export class BlobStoreError extends BaseError {
  override name = "BlobStoreError";
}
