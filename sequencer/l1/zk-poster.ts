import { type Account, type Chain, type PublicClient, type Transport, type WalletClient, bytesToHex as viemHex } from "viem";
import { type Address, rollupAbi } from "../../core/index.js";
import { type SealedBatch } from "../sequencer.js";
import { BatchNotPostableError, BatchSubmissionRevertedError } from "./errors.js";

/**
 * Posts proven ZK batches with `Rollup.submitZkBatch` (docs/zk.md): the ZK payload (no
 * signatures), the claimed roots, the data evaluation point `z` and the Groth16 proof. The
 * rollup verifies the proof and records the batch as final in the same transaction.
 *
 * @example
 * const poster = new ZkPoster(publicClient, walletClient, rollup)
 * const { hash } = await poster.post(batch, proofCalldata(proof))
 */
export class ZkPoster {
  constructor(
    private readonly publicClient: PublicClient,
    private readonly walletClient: WalletClient<Transport, Chain, Account>,
    private readonly rollup: Address,
  ) {}

  /** Submits one proven batch and waits for its receipt; throws `BatchSubmissionRevertedError` if it reverted. */
  async post(batch: SealedBatch, proof: readonly bigint[]): Promise<{ hash: `0x${string}`; blockNumber: number; gasUsed: bigint }> {
    const zk = batch.zk;
    if (!zk) {
      throw new BatchNotPostableError(`batch ${batch.index} has no ZK data`, {
        details: "only a sequencer with settlement \"zk\" (and zk: { wasm, zkey, slots }) builds the circuit data a ZK batch is posted with",
      });
    }
    const hash = await this.walletClient.writeContract({
      address: this.rollup,
      abi: rollupAbi,
      functionName: "submitZkBatch",
      args: [
        {
          queueEnd: BigInt(batch.queueEnd),
          postStateRoot: batch.result.postStateRoot,
          withdrawalsRoot: batch.result.withdrawalsRoot,
          feeRecipient: batch.feeRecipient,
          feeTokens: batch.feeTokens.map(Number) as [number, number, number, number],
        },
        viemHex(zk.payload),
        zk.c,
        proof as unknown as readonly [bigint, bigint, bigint, bigint, bigint, bigint, bigint, bigint],
      ],
    });
    const receipt = await this.publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new BatchSubmissionRevertedError({ batch: batch.index, hash, method: "submitZkBatch" });
    return { hash, blockNumber: Number(receipt.blockNumber), gasUsed: receipt.gasUsed };
  }
}
