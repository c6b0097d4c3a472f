/**
 * npm run bench:da [-- --json] [--base-fee-gwei G] [--blob-base-fee-wei W]
 *
 * Calldata vs blobs for the same batches: for batch sizes 16 to 4096 signed transfers, posts
 * each batch once as calldata (Rollup.submitBatch) and once as an EIP-4844 blob transaction
 * (Rollup.submitBlobBatch, with real KZG commitments and proofs) on the devnet's Hardhat L1
 * (osaka rules: EIP-7623 calldata floor; 131,072 blob gas per blob) with the sequencer's
 * posters, and prints bytes, gas, blob gas and fee per transfer at a stated base fee and blob
 * base fee. The default blob base fee is EIP-7918's reserve price, base fee / 16: since Osaka
 * the blob base fee cannot stay below it while blocks carry blobs.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { createWalletClient, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { GAS_PER_BLOB, InvariantViolationError, L1TransactionError, blobCountFor } from "../core/index.js";
import { CalldataPoster } from "../sequencer/l1/calldata-poster.js";
import { BlobPoster } from "../sequencer/l1/blob-poster.js";
import { BlobSidecarStore } from "../sequencer/l1/blob-store.js";
import { startDevnet } from "../devnet/start.js";
import { BenchProposer, fundSenders } from "./lib/bench-batches.js";

const { values } = parseArgs({
  options: {
    json: { type: "boolean", default: false },
    "base-fee-gwei": { type: "string", default: "1" },
    "blob-base-fee-wei": { type: "string" },
    senders: { type: "string", default: "64" },
  },
});
const log = (line: string): void => {
  if (!values.json) console.log(line);
};
const SIZES = [16, 64, 256, 1024, 4096];
const senderCount = Number(values.senders);
const baseFee = BigInt(Math.round(Number(values["base-fee-gwei"]) * 1e9));
// EIP-7918: BLOB_BASE_COST (2^13) · base fee / GAS_PER_BLOB (2^17).
const blobBaseFee = values["blob-base-fee-wei"] !== undefined ? BigInt(values["blob-base-fee-wei"]) : (baseFee * 8192n) / GAS_PER_BLOB;

const dataDir = mkdtempSync(join(tmpdir(), "bench-da-"));
const devnet = await startDevnet({ l1Port: 0, l2Port: 0, beaconPort: 0, dataDir, batchSize: 512, batchIntervalMs: 250, fundedAccounts: 1, challenger: false });
const { info } = devnet;

// Batches of exactly each size, posted by a stand-in proposer (scripts/lib/bench-batches.ts)
// with the sequencer's two posters.
const proposer = await BenchProposer.takeOver(devnet, await fundSenders(devnet, { count: senderCount, ethEach: "10", label: "bench-da" }));
const params = proposer.params;
const operator = privateKeyToAccount(info.operator.privateKey!);
const calldataPoster = new CalldataPoster(devnet.l1Client, createWalletClient({ chain: devnet.l1Client.chain!, transport: http(info.l1.rpcUrl), account: operator }), info.contracts.rollup, params);
const blobPoster = new BlobPoster(devnet.l1Client, operator, info.contracts.rollup, params, new BlobSidecarStore(join(dataDir, "blobs")));

interface Row {
  batchSize: number;
  payloadBytes: number;
  calldataBytes: number;
  calldataGas: number;
  blobs: number;
  blobTxGas: number;
  blobGas: number;
}
const rows: Row[] = [];
for (const size of SIZES) {
  const viaCalldata = await calldataPoster.post(proposer.nextBatch(size));
  const calldataTx = await devnet.l1Client.getTransaction({ hash: viaCalldata.hash });
  const blobBatch = proposer.nextBatch(size);
  const viaBlobs = await blobPoster.post(blobBatch);
  const blobTx = await devnet.l1Client.getTransaction({ hash: viaBlobs.hash });
  if (blobTx.type !== "eip4844" || blobTx.blobVersionedHashes?.length !== viaBlobs.blobCount) {
    throw new L1TransactionError(`the blob batch did not go as a type-3 transaction with ${viaBlobs.blobCount} blob(s)`, {
      txHash: viaBlobs.hash,
      details: "BlobPoster must send EIP-4844 transactions (sequencer/l1/blob-poster.ts)",
    });
  }
  const payloadBytes = size * params.optimisticOpBytes;
  rows.push({
    batchSize: size,
    payloadBytes,
    calldataBytes: (calldataTx.input.length - 2) / 2,
    calldataGas: Number(viaCalldata.gasUsed),
    blobs: viaBlobs.blobCount,
    blobTxGas: Number(viaBlobs.gasUsed),
    blobGas: viaBlobs.blobCount * Number(GAS_PER_BLOB),
  });
  if (blobCountFor(payloadBytes) !== viaBlobs.blobCount) {
    throw new InvariantViolationError(`the poster used ${viaBlobs.blobCount} blob(s) for ${payloadBytes} bytes, core/blob.ts says ${blobCountFor(payloadBytes)}`);
  }
}
await devnet.stop();

const feeOf = (gas: number, blobGas: number) => BigInt(gas) * baseFee + BigInt(blobGas) * blobBaseFee;
const gwei = (wei: number) => (wei / 1e9).toFixed(wei / 1e9 < 10 ? 3 : 1);
log(`Calldata vs blobs per L2 transfer (${params.optimisticOpBytes} bytes each), Hardhat L1 with osaka rules.`);
log(`Fees at base fee ${gwei(Number(baseFee))} gwei and blob base fee ${blobBaseFee} wei${values["blob-base-fee-wei"] === undefined ? " (EIP-7918 reserve: base fee / 16)" : ""}.\n`);
log(" batch | calldata gas/transfer | blobs | blob tx gas/transfer | blob gas/transfer | calldata fee/transfer | blob fee/transfer | blob advantage");
log("-------|-----------------------|-------|----------------------|-------------------|-----------------------|-------------------|---------------");
const summary = rows.map((r) => {
  const calldataFee = Number(feeOf(r.calldataGas, 0)) / r.batchSize;
  const blobFee = Number(feeOf(r.blobTxGas, r.blobGas)) / r.batchSize;
  log(
    `${String(r.batchSize).padStart(6)} | ${(r.calldataGas / r.batchSize).toFixed(0).padStart(21)} | ${String(r.blobs).padStart(5)} | ${(r.blobTxGas / r.batchSize).toFixed(0).padStart(20)} | ${(r.blobGas / r.batchSize).toFixed(0).padStart(17)} | ${`${gwei(calldataFee)} gwei`.padStart(21)} | ${`${gwei(blobFee)} gwei`.padStart(17)} | ${(calldataFee / blobFee).toFixed(1).padStart(13)}x`,
  );
  return { ...r, calldataFee, blobFee };
});
log("\n(gwei = 1e9 wei of fee per transfer; blob tx gas is the execution gas of submitBlobBatch, blob gas is charged per whole blob)");
log(`\nbytes: ${rows.map((r) => `${r.batchSize} ops → ${r.calldataBytes} calldata bytes / ${r.blobs} blob(s) of 131,072 bytes`).join("; ")}`);

const top = summary[summary.length - 1]!;
if (values.json) {
  console.log(
    JSON.stringify({
      calldataGasPerTransfer: Math.round(top.calldataGas / top.batchSize),
      blobGasPerTransfer: Math.round(top.blobGas / top.batchSize),
      calldataFeePerTransferWei: Math.round(top.calldataFee),
      blobFeePerTransferWei: Math.round(top.blobFee),
      blobAdvantage: Number((top.calldataFee / top.blobFee).toFixed(2)),
      batchSize: top.batchSize,
      baseFeeWei: Number(baseFee),
      blobBaseFeeWei: Number(blobBaseFee),
      blobTxGasPerTransfer: Math.round(top.blobTxGas / top.batchSize),
      rows: summary.map((r) => ({ batchSize: r.batchSize, calldataGas: r.calldataGas, blobTxGas: r.blobTxGas, blobs: r.blobs, blobAdvantage: Number((r.calldataFee / r.blobFee).toFixed(2)) })),
    }),
  );
}
process.exit(0);
