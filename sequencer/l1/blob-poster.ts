import { type LocalAccount, type PublicClient, bytesToHex, encodeFunctionData } from "viem";
import {
  type Address,
  type ResolvedParams,
  encodeBlobPayload,
  kzgToVersionedHash,
  loadKzg,
  rollupAbi,
} from "../../core/index.js";
import { type SealedBatch } from "../sequencer.js";
import { type BlobSidecarStore } from "./blob-store.js";
import { type BatchPoster, type PostedBatch, type PostedCommitment, batchSubmission, honestCommitment } from "./batch-poster.js";
import { BatchNotPostableError, BatchSubmissionRevertedError } from "./errors.js";

/**
 * Blobs one transaction may carry (EIP-7594's per-transaction cap since Osaka).
 *
 * @example
 * blobCountFor(payload.length) <= MAX_BLOBS_PER_TX // the batch fits one blob transaction
 */
export const MAX_BLOBS_PER_TX = 6;

/**
 * Gas limit of a `submitBlobBatch` transaction. Its execution does not depend on the payload
 * (the blobs are not read on L1): 184,935 gas measured for a first batch
 * (test/contracts/rollup-blobs.test.ts with REPORT_GAS=1); the limit leaves headroom for
 * colder storage. Blob transactions are sent raw with their gas given: Hardhat does not
 * estimate them.
 *
 * @example
 * BLOB_BATCH_GAS_LIMIT // 400_000n, the `gas` of every blob batch transaction
 */
export const BLOB_BATCH_GAS_LIMIT = 400_000n;

/**
 * L1 prices a DA choice is made at.
 *
 * @example
 * const { baseFeePerGas, blobBaseFee }: L1Prices = await blobPoster.prices()
 */
export interface L1Prices {
  readonly baseFeePerGas: bigint;
  readonly blobBaseFee: bigint;
}

/**
 * Posts batches to the rollup as EIP-4844 blob transactions: encodes the payload into blobs
 * (docs/protocol.md §9), makes their KZG commitments and proofs with c-kzg, publishes the
 * sidecars to the devnet's blob store (what the Beacon API serves), then signs the type-3
 * transaction locally and sends it raw with explicit gas and fees, `maxFeePerBlobGas` at
 * twice the current blob base fee.
 *
 * @example
 * const poster = new BlobPoster(publicClient, account, rollup, params, store)
 * const { hash, blobCount } = await poster.post(batch)
 */
export class BlobPoster implements BatchPoster {
  constructor(
    private readonly publicClient: PublicClient,
    private readonly account: LocalAccount,
    private readonly rollup: Address,
    private readonly params: ResolvedParams,
    private readonly store: BlobSidecarStore,
  ) {}

  /** The current base fee and blob base fee. */
  async prices(): Promise<L1Prices> {
    const [block, blobBaseFee] = await Promise.all([this.publicClient.getBlock(), this.publicClient.getBlobBaseFee()]);
    return { baseFeePerGas: block.baseFeePerGas ?? 0n, blobBaseFee };
  }

  /**
   * Submits one batch in blobs with `Rollup.submitBlobBatch` and waits for its receipt (see
   * `BatchPoster.post`); throws `BatchNotPostableError` if it takes more than `MAX_BLOBS_PER_TX` blobs.
   */
  async post(batch: SealedBatch, commitment: PostedCommitment = honestCommitment(batch, this.params)): Promise<PostedBatch & { blobCount: number }> {
    const payload = commitment.payload;
    const blobs = encodeBlobPayload(payload);
    if (blobs.length > MAX_BLOBS_PER_TX) {
      throw new BatchNotPostableError(`batch ${batch.index} takes ${blobs.length} blobs; one transaction carries at most ${MAX_BLOBS_PER_TX}`, {
        details: "lower the batch size or post it as calldata (da \"calldata\" or \"auto\")",
      });
    }
    const kzg = loadKzg();
    const sidecars = blobs.map((blob) => {
      const commitmentBytes = kzg.blobToKzgCommitment(blob);
      return { blob, commitment: commitmentBytes, proof: kzg.computeBlobKzgProof(blob, commitmentBytes) };
    });
    const versionedHashes = sidecars.map((s) => bytesToHex(kzgToVersionedHash(s.commitment)));
    // Published before the transaction, as a consensus client receives blobs before the block.
    sidecars.forEach((s, i) =>
      this.store.put({ versionedHash: versionedHashes[i]!, blob: bytesToHex(s.blob), kzgCommitment: bytesToHex(s.commitment), kzgProof: bytesToHex(s.proof) }),
    );

    const data = encodeFunctionData({
      abi: rollupAbi,
      functionName: "submitBlobBatch",
      args: [
        batchSubmission(batch, commitment),
        BigInt(payload.length),
        BigInt(blobs.length),
      ],
    });
    const [prices, nonce, chainId, priority] = await Promise.all([
      this.prices(),
      this.publicClient.getTransactionCount({ address: this.account.address, blockTag: "pending" }),
      this.publicClient.getChainId(),
      this.publicClient.estimateMaxPriorityFeePerGas().catch(() => 1_000_000_000n),
    ]);
    const serialized = await this.account.signTransaction({
      type: "eip4844",
      chainId,
      nonce,
      to: this.rollup,
      data,
      gas: BLOB_BATCH_GAS_LIMIT,
      maxPriorityFeePerGas: priority,
      maxFeePerGas: prices.baseFeePerGas * 2n + priority,
      maxFeePerBlobGas: prices.blobBaseFee * 2n + 1n,
      blobVersionedHashes: versionedHashes,
      sidecars: sidecars.map((s) => ({ blob: bytesToHex(s.blob), commitment: bytesToHex(s.commitment), proof: bytesToHex(s.proof) })),
    });
    const hash = await this.publicClient.sendRawTransaction({ serializedTransaction: serialized });
    const receipt = await this.publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new BatchSubmissionRevertedError({ batch: batch.index, hash, method: "submitBlobBatch" });
    return { hash, blockNumber: Number(receipt.blockNumber), gasUsed: receipt.gasUsed, da: "blobs", blobCount: blobs.length };
  }
}
