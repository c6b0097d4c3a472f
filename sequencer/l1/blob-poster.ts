import {
  type Hex,
  type LocalAccount,
  type PublicClient,
  bytesToHex,
  encodeFunctionData,
} from "viem";
import {
  type Address,
  type ResolvedParams,
  GAS_PER_BLOB,
  blobCountFor,
  encodeBlobPayload,
  kzgToVersionedHash,
  loadKzg,
  rollupAbi,
} from "../../core/index.js";
import { type SealedBatch } from "../sequencer.js";
import { type BlobSidecarStore } from "./blob-store.js";
import { batchSubmission, honestCommitment } from "./poster.js";

/** Where a batch's data goes: calldata, blobs, or whichever is cheaper per batch. */
export type DaMode = "calldata" | "blobs" | "auto";

/** Blobs one transaction may carry (EIP-7594's per-transaction cap since Osaka). */
export const MAX_BLOBS_PER_TX = 6;

/**
 * Gas limit of a `submitBlobBatch` transaction. Its execution does not depend on the payload
 * (the blobs are not read on L1): 184,935 gas measured for a first batch
 * (test/contracts/rollup-blobs.test.ts with REPORT_GAS=1); the limit leaves headroom for
 * colder storage. Blob transactions are sent raw with their gas given: Hardhat does not
 * estimate them.
 */
export const BLOB_BATCH_GAS_LIMIT = 400_000n;

/** What `auto` expects a blob batch's execution to cost (`npm run bench:da` measures ~159k), for the comparison with calldata. */
export const BLOB_BATCH_GAS_ESTIMATE = 160_000n;

/** L1 prices a DA choice is made at. */
export interface L1Prices {
  readonly baseFeePerGas: bigint;
  readonly blobBaseFee: bigint;
}

/**
 * Picks calldata or blobs for one batch by the fee each would pay at the current prices, as
 * production batchers do: calldata pays `calldataGas · baseFee`; blobs pay
 * `BLOB_BATCH_GAS_ESTIMATE · baseFee + blobs · 131072 · blobBaseFee`. Blobs are never picked
 * past `MAX_BLOBS_PER_TX`.
 *
 * @example
 * chooseDa({ calldataGas: 3_000_000n, payloadLength: 39_000 }, { baseFeePerGas: 10n ** 9n, blobBaseFee: 1n }) // "blobs"
 */
export function chooseDa(batch: { readonly calldataGas: bigint; readonly payloadLength: number }, prices: L1Prices): "calldata" | "blobs" {
  const blobs = blobCountFor(batch.payloadLength);
  if (blobs > MAX_BLOBS_PER_TX) return "calldata";
  const calldataFee = batch.calldataGas * prices.baseFeePerGas;
  const blobFee = BLOB_BATCH_GAS_ESTIMATE * prices.baseFeePerGas + BigInt(blobs) * GAS_PER_BLOB * prices.blobBaseFee;
  return blobFee < calldataFee ? "blobs" : "calldata";
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
export class BlobPoster {
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

  /** Submits one batch in blobs and waits for its receipt; throws if it reverted. */
  async post(batch: SealedBatch, commitment = honestCommitment(batch, this.params)): Promise<{ hash: Hex; blockNumber: number; gasUsed: bigint; blobCount: number }> {
    const payload = commitment.payload;
    const blobs = encodeBlobPayload(payload);
    if (blobs.length > MAX_BLOBS_PER_TX) {
      throw new Error(`batch ${batch.index} takes ${blobs.length} blobs; one transaction carries at most ${MAX_BLOBS_PER_TX}: lower the batch size or post it as calldata`);
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
    if (receipt.status !== "success") throw new Error(`batch ${batch.index} blob submission reverted in ${hash}`);
    return { hash, blockNumber: Number(receipt.blockNumber), gasUsed: receipt.gasUsed, blobCount: blobs.length };
  }
}
