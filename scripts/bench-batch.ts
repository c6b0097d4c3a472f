/**
 * npm run bench:batch [-- --json] [--ops N] [--senders N]
 *
 * 1. L1 cost of calldata batches: for batch sizes 1, 16, 128 and 512 signed transfers, the
 *    payload bytes and the L1 gas of Rollup.submitBatch per transfer, measured on a real
 *    Hardhat L1 with the real contracts.
 * 2. Throughput: signed ops per second accepted by the sequencer's HTTP JSON-RPC and posted
 *    to L1 in batches (from the first request to the L1 inclusion of the last batch). With
 *    `--rpc-batch N`, clients send N ops per HTTP request as a JSON-RPC batch.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { createWalletClient, http, parseEther } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import {
  BatchExecutor,
  L2State,
  NO_TOKEN,
  QueueKind,
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
  bytesToHex,
  type L2Op,
  type QueueEntry,
} from "../core/index.js";
import { CalldataPoster } from "../sequencer/l1/poster.js";
import { startDevnet } from "../devnet/start.js";
import { devAccounts } from "../devnet/accounts.js";
import type { SealedBatch } from "../sequencer/sequencer.js";

const { values } = parseArgs({
  options: {
    json: { type: "boolean", default: false },
    ops: { type: "string", default: "6000" },
    senders: { type: "string", default: "64" },
    "rpc-batch": { type: "string", default: "1" },
  },
});
const log = (line: string): void => {
  if (!values.json) console.log(line);
};
const SIZES = [1, 16, 128, 512];
const senderCount = Number(values.senders);
const opCount = Number(values.ops);

const devnet = await startDevnet({
  l1Port: 0,
  l2Port: 0,
  dataDir: mkdtempSync(join(tmpdir(), "bench-batch-")),
  batchSize: 512,
  batchIntervalMs: 250,
  fundedAccounts: 1,
});
const { info } = devnet;
const params = resolveParams({ levels: info.levels });
const domain = domainSeparator({ l1ChainId: info.l1.chainId, l2ChainId: info.l2.chainId, rollupAddress: info.contracts.rollup });
const chain = devnet.l1Client.chain!;
const transport = http(info.l1.rpcUrl);
const keyOf = (i: number) => keccak256(new TextEncoder().encode(`bench-batch ${i}`));

// Senders: L2 accounts created through the bridge by one L1 account.
const funder = devAccounts(3)[2]!;
const funderWallet = createWalletClient({ chain, transport, account: privateKeyToAccount(funder.privateKey) });
const entries: QueueEntry[] = [];
for (let i = 0; i < senderCount; i++) {
  const { x, y } = publicKeyOf(keyOf(i));
  await funderWallet.writeContract({ address: info.contracts.bridge, abi: bridgeAbi, functionName: "createAccount", args: [0, parseEther("1"), x, y], value: parseEther("1") });
  entries.push({ kind: QueueKind.CreateAccount, l1Address: funder.address.toLowerCase() as `0x${string}`, tokenId: 0, accountIdx: 0, amount: parseEther("1"), Ax: x, Ay: y });
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

// Part 1: L1 gas per transfer by batch size. The bench stops the devnet's sequencer and posts
// batches of exactly each size itself, from a replica of the L2 state, with the sequencer's
// poster code. The state does not depend on batch boundaries, so replaying the queue
// entries the L1 batches consumed rebuilds the state they reached.
await devnet.sequencer.kill();
const postedBatches = Number(await devnet.l1Client.readContract({ address: info.contracts.rollup, abi: rollupAbi, functionName: "batchCount" }));
const replica = L2State.genesis(params);
const header = { feeRecipient: info.operator.address.toLowerCase() as `0x${string}`, feeTokens: [0, info.tokens.TEST, NO_TOKEN, NO_TOKEN] };
// Rebuild the state the posted batches reached: the queue entries, in order.
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
const lastQueueEnd = Number(await devnet.l1Client.readContract({ address: info.contracts.rollup, abi: rollupAbi, functionName: "lastQueueEnd" }));
const warm = new BatchExecutor(replica, header, { domain, mode: "optimistic" });
for (const e of queue.slice(0, lastQueueEnd)) warm.applyQueueEntry(e);
warm.finish();
const proposer = createWalletClient({ chain, transport, account: privateKeyToAccount(info.operator.privateKey) });
const poster = new CalldataPoster(devnet.l1Client, proposer, info.contracts.rollup, params);
const nonces = new Map<number, number>();
const signed = (from: number, to: number, amount: bigint): L2Op => {
  const account = replica.account(from)!;
  const nonce = nonces.get(from) ?? account.nonce;
  nonces.set(from, nonce + 1);
  const op: L2Op = { fromIdx: from, toIdx: to, amountFloat40: encodeFloat40(amount), feeFloat8: encodeFloat8(1n) };
  return { ...op, signature: signMessage(keyOf(indices.indexOf(from)), l2OpMessage(op, { tokenId: 0, nonce }, domain)) };
};
let batchIndex = postedBatches;
let queueStart = lastQueueEnd;
const rows: { batchSize: number; bytesPerTransfer: number; l1GasPerTransfer: number; calldataBytes: number; gasUsed: number }[] = [];
for (const size of SIZES) {
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
  const { hash, gasUsed } = await poster.post(batch);
  const tx = await devnet.l1Client.getTransaction({ hash });
  const calldataBytes = (tx.input.length - 2) / 2;
  rows.push({ batchSize: size, calldataBytes, gasUsed: Number(gasUsed), bytesPerTransfer: calldataBytes / size, l1GasPerTransfer: Number(gasUsed) / size });
}
log("L1 cost of optimistic calldata batches (Rollup.submitBatch, real contracts on Hardhat, osaka rules):");
log("batch size | calldata bytes | gas used   | bytes/transfer | L1 gas/transfer");
for (const r of rows) {
  log(`${String(r.batchSize).padStart(10)} | ${String(r.calldataBytes).padStart(14)} | ${String(r.gasUsed).padStart(10)} | ${r.bytesPerTransfer.toFixed(1).padStart(14)} | ${r.l1GasPerTransfer.toFixed(0).padStart(15)}`);
}

// Part 2: throughput through the RPC. The sequencer restarts on its log (the batches the
// bench posted above are not in it, so it would refuse them): a fresh devnet is simplest.
await devnet.stop();
const live = await startDevnet({ l1Port: 0, l2Port: 0, dataDir: mkdtempSync(join(tmpdir(), "bench-rpc-")), batchSize: 512, batchIntervalMs: 250, fundedAccounts: 1 });
const liveDomain = domainSeparator({ l1ChainId: live.info.l1.chainId, l2ChainId: live.info.l2.chainId, rollupAddress: live.info.contracts.rollup });
const liveWallet = createWalletClient({ chain, transport: http(live.info.l1.rpcUrl), account: privateKeyToAccount(funder.privateKey) });
for (let i = 0; i < senderCount; i++) {
  const { x, y } = publicKeyOf(keyOf(i));
  await liveWallet.writeContract({ address: live.info.contracts.bridge, abi: bridgeAbi, functionName: "createAccount", args: [0, parseEther("1"), x, y], value: parseEther("1") });
}
const liveRpc = async (body: object | object[]): Promise<{ result?: { hash: string }; error?: { message: string } }> => {
  const response = await fetch(live.info.l2.rpcUrl, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  return (await response.json()) as { result?: { hash: string }; error?: { message: string } };
};
let senders: number[] = [];
while (senders.length < senderCount) {
  const r = (await liveRpc({ jsonrpc: "2.0", id: 1, method: "rollup_getAccountsByOwner", params: [funder.address] })) as unknown as { result: { index: number }[] };
  senders = r.result.map((a) => a.index).sort((a, b) => a - b);
  await new Promise((r) => setTimeout(r, 100));
}
const perSender = Math.ceil(opCount / senderCount);
const requests: object[][] = senders.map((from, s) =>
  Array.from({ length: perSender }, (_, nonce) => {
    const op: L2Op = { fromIdx: from, toIdx: senders[(s + 1) % senderCount]!, amountFloat40: encodeFloat40(1000n), feeFloat8: encodeFloat8(1n) };
    const signature = signMessage(keyOf(s), l2OpMessage(op, { tokenId: 0, nonce }, liveDomain));
    return { jsonrpc: "2.0", id: nonce, method: "rollup_sendOp", params: [{ chainId: live.info.l2.chainId, fromIdx: from, toIdx: op.toIdx, amount: "1000", fee: "1", nonce, signature: bytesToHex(signature) }] };
  }),
);
const started = performance.now();
// Each sender sends its ops in order; with --rpc-batch N, N consecutive ops go in one
// JSON-RPC batch request (the server applies a batch's requests in array order).
const perRequest = Number(values["rpc-batch"]);
await Promise.all(
  requests.map(async (chainOfOps) => {
    for (let i = 0; i < chainOfOps.length; i += perRequest) {
      const chunk = chainOfOps.slice(i, i + perRequest);
      const replies = (await liveRpc(perRequest === 1 ? chunk[0]! : chunk)) as unknown;
      for (const reply of Array.isArray(replies) ? replies : [replies]) {
        if ((reply as { error?: { message: string } }).error) throw new Error(`op refused: ${(reply as { error: { message: string } }).error.message}`);
      }
    }
  }),
);
const acceptedSeconds = (performance.now() - started) / 1000;
const total = perSender * senderCount;
for (;;) {
  const reply = (await liveRpc({ jsonrpc: "2.0", id: 1, method: "rollup_getStatus", params: [] })) as unknown as { result: { batches: number; postedBatches: number; openBatch: unknown } };
  if (reply.result.openBatch === null && reply.result.postedBatches === reply.result.batches) break;
  await new Promise((r) => setTimeout(r, 20));
}
const batchedSeconds = (performance.now() - started) / 1000;
await live.stop();
const rpcOpsPerSecond = total / batchedSeconds;
log("");
log(`RPC throughput: ${total} signed transfers from ${senderCount} concurrent senders, ${perRequest} op(s) per HTTP request`);
log(`  accepted in ${acceptedSeconds.toFixed(2)} s (${(total / acceptedSeconds).toFixed(0)} ops/s); all on L1 after ${batchedSeconds.toFixed(2)} s: ${rpcOpsPerSecond.toFixed(0)} ops/s`);
const largest = rows[rows.length - 1]!;
if (values.json) {
  console.log(JSON.stringify({ rows }));
  console.log(
    JSON.stringify({
      batchSize: largest.batchSize,
      bytesPerTransfer: Number(largest.bytesPerTransfer.toFixed(2)),
      l1GasPerTransfer: Math.round(largest.l1GasPerTransfer),
      rpcOpsPerSecond: Math.round(rpcOpsPerSecond),
      opsPerHttpRequest: perRequest,
    }),
  );
}
process.exit(0);
