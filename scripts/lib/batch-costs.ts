/**
 * L1 cost of batches of exactly the sizes asked, posted with the sequencer's own posters by
 * the stand-in proposer of bench-batches.ts: calldata (Rollup.submitBatch) and, when asked,
 * the same size again as an EIP-4844 blob transaction (Rollup.submitBlobBatch). Shared by
 * bench:batch, bench:da and the tour.
 */
import { join } from "node:path";
import { createWalletClient, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { GAS_PER_BLOB, InvariantViolationError, L1TransactionError, blobCountFor } from "../../core/index.js";
import type { Devnet } from "../../devnet/start.js";
import { BlobPoster } from "../../sequencer/l1/blob-poster.js";
import { BlobSidecarStore } from "../../sequencer/l1/blob-store.js";
import { CalldataPoster } from "../../sequencer/l1/calldata-poster.js";
import { type BenchProposer } from "./bench-batches.js";

/**
 * One batch size, measured.
 *
 * @example
 * const perTransfer = row.calldataGas / row.batchSize
 */
export interface BatchCostRow {
  readonly batchSize: number;
  readonly payloadBytes: number;
  /** Input bytes of the submitBatch transaction. */
  readonly calldataBytes: number;
  readonly calldataGas: number;
  /** The blob posting of the same size (absent when blobs were not asked). */
  readonly blobs?: number;
  readonly blobTxGas?: number;
  readonly blobGas?: number;
}

/**
 * Posts one calldata batch (and, with `blobDir`, one blob batch) of each size and returns
 * their bytes and gas.
 *
 * @example
 * const rows = await measureBatchCosts(devnet, proposer, [16, 256], { blobDir: join(dataDir, "blobs") })
 */
export async function measureBatchCosts(devnet: Devnet, proposer: BenchProposer, sizes: readonly number[], options: { blobDir?: string } = {}): Promise<BatchCostRow[]> {
  const { info, l1Client } = devnet;
  const params = proposer.params;
  const operator = privateKeyToAccount(info.operator.privateKey!);
  const calldataPoster = new CalldataPoster(l1Client, createWalletClient({ chain: l1Client.chain!, transport: http(info.l1.rpcUrl), account: operator }), info.contracts.rollup, params);
  const blobPoster = options.blobDir ? new BlobPoster(l1Client, operator, info.contracts.rollup, params, new BlobSidecarStore(options.blobDir)) : undefined;
  const rows: BatchCostRow[] = [];
  for (const size of sizes) {
    const viaCalldata = await calldataPoster.post(proposer.nextBatch(size));
    const calldataTx = await l1Client.getTransaction({ hash: viaCalldata.hash });
    const payloadBytes = size * params.optimisticOpBytes;
    const row = { batchSize: size, payloadBytes, calldataBytes: (calldataTx.input.length - 2) / 2, calldataGas: Number(viaCalldata.gasUsed) };
    if (!blobPoster) {
      rows.push(row);
      continue;
    }
    const viaBlobs = await blobPoster.post(proposer.nextBatch(size));
    const blobTx = await l1Client.getTransaction({ hash: viaBlobs.hash });
    if (blobTx.type !== "eip4844" || blobTx.blobVersionedHashes?.length !== viaBlobs.blobCount) {
      throw new L1TransactionError(`the blob batch did not go as a type-3 transaction with ${viaBlobs.blobCount} blob(s)`, {
        txHash: viaBlobs.hash,
        details: "BlobPoster must send EIP-4844 transactions (sequencer/l1/blob-poster.ts)",
      });
    }
    if (blobCountFor(payloadBytes) !== viaBlobs.blobCount) {
      throw new InvariantViolationError(`the poster used ${viaBlobs.blobCount} blob(s) for ${payloadBytes} bytes, core/blob.ts says ${blobCountFor(payloadBytes)}`);
    }
    rows.push({ ...row, blobs: viaBlobs.blobCount, blobTxGas: Number(viaBlobs.gasUsed), blobGas: viaBlobs.blobCount * Number(GAS_PER_BLOB) });
  }
  return rows;
}

/** Where measureBatchCosts keeps the sidecars of the blobs it posts. */
export const blobDirOf = (dataDir: string): string => join(dataDir, "blobs");
