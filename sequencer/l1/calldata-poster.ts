import { type Account, type Chain, type PublicClient, type Transport, type WalletClient, bytesToHex } from "viem";
import { type Address, type ResolvedParams, rollupAbi } from "../../core/index.js";
import { type SealedBatch } from "../sequencer.js";
import { type BatchPoster, type PostedBatch, type PostedCommitment, batchSubmission, honestCommitment } from "./batch-poster.js";
import { BatchSubmissionRevertedError } from "./errors.js";

/**
 * Posts closed batches to the rollup contract as calldata (the batcher and proposer in one
 * L1 transaction: data and state commitment together) and reports their inclusion.
 *
 * @example
 * const poster = new CalldataPoster(publicClient, walletClient, rollup, params)
 * const { hash, blockNumber } = await poster.post(batch)
 */
export class CalldataPoster implements BatchPoster {
  constructor(
    private readonly publicClient: PublicClient,
    private readonly walletClient: WalletClient<Transport, Chain, Account>,
    private readonly rollup: Address,
    private readonly params: ResolvedParams,
  ) {}

  /** Submits one batch with `Rollup.submitBatch` and waits for its receipt (see `BatchPoster.post`). */
  async post(batch: SealedBatch, commitment?: PostedCommitment): Promise<PostedBatch> {
    const hash = await this.walletClient.writeContract({
      address: this.rollup,
      abi: rollupAbi,
      functionName: "submitBatch",
      args: this.args(batch, commitment),
    });
    const receipt = await this.publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new BatchSubmissionRevertedError({ batch: batch.index, hash, method: "submitBatch" });
    return { hash, blockNumber: Number(receipt.blockNumber), gasUsed: receipt.gasUsed, da: "calldata" };
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
    return [batchSubmission(batch, commitment), bytesToHex(commitment.payload)] as const;
  }
}
