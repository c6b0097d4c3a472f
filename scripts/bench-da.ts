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
import { createWalletClient, http, parseEther } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import {
  BatchExecutor,
  GAS_PER_BLOB,
  L2State,
  NO_TOKEN,
  QueueKind,
  blobCountFor,
  bridgeAbi,
  rollupAbi,
  domainSeparator,
  encodeFloat40,
  encodeFloat8,
  keccak256,
  l2OpMessage,
  publicKeyOf,
  resolveParams,
  signMessage,
  type L2Op,
  type QueueEntry,
} from "../core/index.js";
import { CalldataPoster } from "../sequencer/l1/poster.js";
import { BlobPoster } from "../sequencer/l1/blob-poster.js";
import { BlobSidecarStore } from "../sequencer/l1/blob-store.js";
import { startDevnet } from "../devnet/start.js";
import { devAccounts } from "../devnet/accounts.js";
import type { SealedBatch } from "../sequencer/sequencer.js";

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
const params = resolveParams({ levels: info.levels });
const domain = domainSeparator({ l1ChainId: info.l1.chainId, l2ChainId: info.l2.chainId, rollupAddress: info.contracts.rollup });
const chain = devnet.l1Client.chain!;
const transport = http(info.l1.rpcUrl);
const keyOf = (i: number) => keccak256(new TextEncoder().encode(`bench-da ${i}`));

// Senders: L2 accounts created through the bridge by one L1 account, put on L2 by the sequencer.
const funder = devAccounts(3)[2]!;
const funderWallet = createWalletClient({ chain, transport, account: privateKeyToAccount(funder.privateKey) });
for (let i = 0; i < senderCount; i++) {
  const { x, y } = publicKeyOf(keyOf(i));
  await funderWallet.writeContract({ address: info.contracts.bridge, abi: bridgeAbi, functionName: "createAccount", args: [0, parseEther("10"), x, y], value: parseEther("10") });
}
const rpc = async (method: string, params: unknown[]): Promise<unknown> => {
  const response = await fetch(info.l2.rpcUrl, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }) });
  const body = (await response.json()) as { result?: unknown; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result;
};
let indices: number[] = [];
while (indices.length < senderCount) {
  const found = (await rpc("rollup_getAccountsByOwner", [funder.address])) as { index: number }[];
  indices = found.map((a) => a.index).sort((a, b) => a - b);
  await new Promise((r) => setTimeout(r, 100));
}

// The bench stops the sequencer and posts batches of exactly each size itself, from a replica
// of the L2 state (rebuilt from the queue entries the posted batches consumed), with the
// sequencer's two posters.
await devnet.sequencer.kill();
const replica = L2State.genesis(params);
const header = { feeRecipient: info.operator.address.toLowerCase() as `0x${string}`, feeTokens: [0, info.tokens.TEST, NO_TOKEN, NO_TOKEN] };
const queueLength = Number(await devnet.l1Client.readContract({ address: info.contracts.bridge, abi: bridgeAbi, functionName: "queueLength" }));
const logs = await devnet.l1Client.getContractEvents({ address: info.contracts.bridge, abi: bridgeAbi, eventName: "QueueEntryAdded", fromBlock: BigInt(info.deployBlock) });
const queue: QueueEntry[] = logs.map((l) => ({
  kind: l.args.kind! as QueueEntry["kind"],
  l1Address: l.args.l1Address!.toLowerCase() as `0x${string}`,
  tokenId: Number(l.args.tokenId!),
  accountIdx: Number(l.args.accountIdx!),
  amount: l.args.amount!,
  Ax: l.args.ax!,
  Ay: l.args.ay!,
}));
if (queue.some((e) => e.kind !== QueueKind.CreateAccount)) throw new Error("unexpected queue entry kind");
const lastQueueEnd = Number(await devnet.l1Client.readContract({ address: info.contracts.rollup, abi: rollupAbi, functionName: "lastQueueEnd" }));
const warm = new BatchExecutor(replica, header, { domain, mode: "optimistic" });
for (const e of queue.slice(0, lastQueueEnd)) warm.applyQueueEntry(e);
warm.finish();
const operator = privateKeyToAccount(info.operator.privateKey);
const calldataPoster = new CalldataPoster(devnet.l1Client, createWalletClient({ chain, transport, account: operator }), info.contracts.rollup, params);
const blobPoster = new BlobPoster(devnet.l1Client, operator, info.contracts.rollup, params, new BlobSidecarStore(join(dataDir, "blobs")));
const nonces = new Map<number, number>();
const signed = (from: number, to: number, amount: bigint): L2Op => {
  const nonce = nonces.get(from) ?? replica.account(from)!.nonce;
  nonces.set(from, nonce + 1);
  const op: L2Op = { fromIdx: from, toIdx: to, amountFloat40: encodeFloat40(amount), feeFloat8: encodeFloat8(1n) };
  return { ...op, signature: signMessage(keyOf(indices.indexOf(from)), l2OpMessage(op, { tokenId: 0, nonce }, domain)) };
};
let batchIndex = Number(await devnet.l1Client.readContract({ address: info.contracts.rollup, abi: rollupAbi, functionName: "batchCount" }));
let queueStart = lastQueueEnd;
const nextBatch = (size: number): SealedBatch => {
  const ops: L2Op[] = [];
  for (let i = 0; i < size; i++) ops.push(signed(indices[i % senderCount]!, indices[(i + 1) % senderCount]!, 1000n));
  const exec = new BatchExecutor(replica, header, { domain, mode: "optimistic" });
  for (const e of queue.slice(queueStart, queueLength)) exec.applyQueueEntry(e);
  for (const op of ops) if (exec.applyL2Op(op).outcome !== "Applied") throw new Error("bench op not applied");
  const batch: SealedBatch = {
    index: batchIndex++,
    queueStart,
    queueEnd: queueLength,
    ops: ops.map((op, seq) => ({ hash: "0x", seq, op, nonce: 0, acceptedAt: 0 })),
    feeRecipient: header.feeRecipient,
    feeTokens: header.feeTokens,
    result: exec.finish(),
  };
  queueStart = queueLength;
  return batch;
};

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
  const viaCalldata = await calldataPoster.post(nextBatch(size));
  const calldataTx = await devnet.l1Client.getTransaction({ hash: viaCalldata.hash });
  const blobBatch = nextBatch(size);
  const viaBlobs = await blobPoster.post(blobBatch);
  const blobTx = await devnet.l1Client.getTransaction({ hash: viaBlobs.hash });
  if (blobTx.type !== "eip4844" || blobTx.blobVersionedHashes?.length !== viaBlobs.blobCount) throw new Error("the blob batch did not go as a type-3 transaction");
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
  if (blobCountFor(payloadBytes) !== viaBlobs.blobCount) throw new Error("blob count differs from core/blob.ts");
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
