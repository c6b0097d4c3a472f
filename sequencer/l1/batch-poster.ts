/**
 * What posting a batch to L1 means, whichever way its data goes: the commitment a batch
 * makes, the `BatchSubmission` struct the rollup takes, and the `BatchPoster` interface the
 * calldata poster and the blob poster implement (l1/da.ts picks between them).
 */
import { type Hex } from "viem";
import { type ResolvedParams, bytesToHex, encodeBatchPayload } from "../../core/index.js";
import { type SealedBatch } from "../sequencer.js";
import { type DataAvailability } from "../store.js";

/**
 * What a batch commits to on L1; fault injection posts a different one (sequencer/faults/).
 *
 * @example
 * const commitment: PostedCommitment = honestCommitment(batch, params)
 */
export interface PostedCommitment {
  readonly payload: Uint8Array;
  readonly postStateRoot: bigint;
  readonly withdrawalsRoot: bigint;
  readonly stepsRoot: `0x${string}`;
}

/**
 * The honest commitment of a sealed batch: its optimistic payload and the roots it reached.
 *
 * @example
 * const { payload, postStateRoot } = honestCommitment(batch, params)
 */
export function honestCommitment(batch: SealedBatch, params: ResolvedParams): PostedCommitment {
  return {
    payload: encodeBatchPayload(batch.ops.map((o) => o.op), params, "optimistic"),
    postStateRoot: batch.result.postStateRoot,
    withdrawalsRoot: batch.result.withdrawalsRoot,
    stepsRoot: bytesToHex(batch.result.stepsRoot),
  };
}

/**
 * The `BatchSubmission` struct Rollup.submitBatch and submitBlobBatch take.
 *
 * @example
 * const args = [batchSubmission(batch, honestCommitment(batch, params)), payloadHex] as const
 */
export function batchSubmission(batch: SealedBatch, commitment: PostedCommitment) {
  return {
    queueEnd: BigInt(batch.queueEnd),
    postStateRoot: commitment.postStateRoot,
    withdrawalsRoot: commitment.withdrawalsRoot,
    stepsRoot: commitment.stepsRoot,
    feeRecipient: batch.feeRecipient,
    feeTokens: batch.feeTokens.map(Number) as [number, number, number, number],
  };
}

/**
 * A batch on L1: the transaction that posted it and where its data went.
 *
 * @example
 * const { hash, blockNumber, da }: PostedBatch = await poster.post(batch)
 */
export interface PostedBatch {
  readonly hash: Hex;
  readonly blockNumber: number;
  readonly gasUsed: bigint;
  readonly da: DataAvailability;
}

/**
 * Posts sealed batches to the rollup contract, one L1 transaction each (data and state
 * commitment together), and waits for their receipts.
 *
 * @example
 * const poster: BatchPoster = new CalldataPoster(publicClient, walletClient, rollup, params)
 * const { hash, da } = await poster.post(batch)
 */
export interface BatchPoster {
  /**
   * Submits one batch and waits for its receipt; throws `BatchSubmissionRevertedError` if it
   * reverted. `commitment` replaces the batch's payload and roots (fault injection only).
   */
  post(batch: SealedBatch, commitment?: PostedCommitment): Promise<PostedBatch>;
}
