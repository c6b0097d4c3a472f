import { type Account, type Chain, type PublicClient, type Transport, type WalletClient, bytesToHex as viemHex } from "viem";
import { type Address, encodeBatchPayload, rollupAbi, bytesToHex } from "../../core/index.js";
import { type SealedBatch } from "../sequencer.js";
import { type ResolvedParams } from "../../core/index.js";

/** What a batch commits to on L1; fault injection posts a different one (sequencer/faults/). */
export interface PostedCommitment {
  readonly payload: Uint8Array;
  readonly postStateRoot: bigint;
  readonly withdrawalsRoot: bigint;
  readonly stepsRoot: `0x${string}`;
}

/** The honest commitment of a sealed batch: its optimistic payload and the roots it reached. */
export function honestCommitment(batch: SealedBatch, params: ResolvedParams): PostedCommitment {
  return {
    payload: encodeBatchPayload(batch.ops.map((o) => o.op), params, "optimistic"),
    postStateRoot: batch.result.postStateRoot,
    withdrawalsRoot: batch.result.withdrawalsRoot,
    stepsRoot: bytesToHex(batch.result.stepsRoot),
  };
}

/** The `BatchSubmission` struct Rollup.submitBatch and submitBlobBatch take. */
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
 * Posts closed batches to the rollup contract as calldata (the batcher and proposer in one
 * L1 transaction: data and state commitment together) and reports their inclusion.
 *
 * @example
 * const poster = new CalldataPoster(publicClient, walletClient, rollup, params)
 * const { hash, blockNumber } = await poster.post(batch)
 */
export class CalldataPoster {
  constructor(
    private readonly publicClient: PublicClient,
    private readonly walletClient: WalletClient<Transport, Chain, Account>,
    private readonly rollup: Address,
    private readonly params: ResolvedParams,
  ) {}

  /**
   * Submits one batch and waits for its receipt; throws if the transaction reverted.
   * `commitment` replaces the batch's payload and roots (fault injection only).
   */
  async post(batch: SealedBatch, commitment?: PostedCommitment): Promise<{ hash: `0x${string}`; blockNumber: number; gasUsed: bigint }> {
    const hash = await this.walletClient.writeContract({
      address: this.rollup,
      abi: rollupAbi,
      functionName: "submitBatch",
      args: this.args(batch, commitment),
    });
    const receipt = await this.publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new Error(`batch ${batch.index} submission reverted in ${hash}`);
    return { hash, blockNumber: Number(receipt.blockNumber), gasUsed: receipt.gasUsed };
  }

  /** The gas `post` would use for this batch: what `--da auto` weighs against blobs. */
  async estimateGas(batch: SealedBatch, commitment?: PostedCommitment): Promise<bigint> {
    return this.publicClient.estimateContractGas({
      account: this.walletClient.account,
      address: this.rollup,
      abi: rollupAbi,
      functionName: "submitBatch",
      args: this.args(batch, commitment),
    });
  }

  private args(batch: SealedBatch, commitment = honestCommitment(batch, this.params)) {
    return [batchSubmission(batch, commitment), viemHex(commitment.payload)] as const;
  }

  /** Number of batches the rollup contract holds. */
  async batchCountOnL1(): Promise<number> {
    return Number(await this.publicClient.readContract({ address: this.rollup, abi: rollupAbi, functionName: "batchCount" }));
  }

  /**
   * Brings the proposer's bond back up to the rollup's minimum (after a lost dispute slashed
   * it); returns what was added.
   */
  async topUpBond(): Promise<bigint> {
    const read = { address: this.rollup, abi: rollupAbi } as const;
    const [bond, minBond] = await Promise.all([
      this.publicClient.readContract({ ...read, functionName: "bonds", args: [this.walletClient.account.address] }),
      this.publicClient.readContract({ ...read, functionName: "minBond" }),
    ]);
    if (bond >= minBond) return 0n;
    const hash = await this.walletClient.writeContract({ ...read, functionName: "depositBond", value: minBond - bond });
    await this.publicClient.waitForTransactionReceipt({ hash });
    return minBond - bond;
  }

  /** Whether batch `index` is final on L1 (its challenge window has passed). */
  async isFinal(index: number): Promise<boolean> {
    return this.publicClient.readContract({ address: this.rollup, abi: rollupAbi, functionName: "isFinal", args: [BigInt(index)] });
  }
}
