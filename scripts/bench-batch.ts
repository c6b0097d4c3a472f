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
import { waitFor } from "../core/wait.js";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { createWalletClient, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import {
  InvalidParameterError,
  RPC_MAX_BATCH_REQUESTS,
  domainSeparator,
  encodeFloat40,
  encodeFloat8,
  l2OpMessage,
  signMessage,
  bytesToHex,
  type L2Op,
} from "../core/index.js";
import { L2RpcError } from "../client/index.js";
import { CalldataPoster } from "../sequencer/l1/calldata-poster.js";
import { startDevnet } from "../devnet/start.js";
import { BenchProposer, fundSenders } from "./lib/bench-batches.js";

const { values } = parseArgs({
  options: {
    json: { type: "boolean", default: false },
    ops: { type: "string", default: "6000" },
    senders: { type: "string", default: "64" },
    "rpc-batch": { type: "string", default: "1" },
  },
});
const perRequest = Number(values["rpc-batch"]);
if (!Number.isInteger(perRequest) || perRequest < 1 || perRequest > RPC_MAX_BATCH_REQUESTS) {
  throw new InvalidParameterError(`--rpc-batch must be 1 to ${RPC_MAX_BATCH_REQUESTS}, got ${values["rpc-batch"]}`, {
    details: `the L2 RPC serves at most ${RPC_MAX_BATCH_REQUESTS} requests per JSON-RPC batch (docs/rpc.md)`,
  });
}
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

// Part 1: L1 gas per transfer by batch size: batches of exactly each size, posted with the
// sequencer's poster code by a stand-in proposer (scripts/lib/bench-batches.ts).
const proposer = await BenchProposer.takeOver(devnet, await fundSenders(devnet, { count: senderCount, ethEach: "1", label: "bench-batch" }));
const operator = createWalletClient({ chain: devnet.l1Client.chain!, transport: http(info.l1.rpcUrl), account: privateKeyToAccount(info.operator.privateKey!) });
const poster = new CalldataPoster(devnet.l1Client, operator, info.contracts.rollup, proposer.params);
const rows: { batchSize: number; bytesPerTransfer: number; l1GasPerTransfer: number; calldataBytes: number; gasUsed: number }[] = [];
for (const size of SIZES) {
  const batch = proposer.nextBatch(size);
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
const { keyOf, indices: senders } = await fundSenders(live, { count: senderCount, ethEach: "1", label: "bench-batch" });
type LiveReply = { result?: { hash: string }; error?: { code: number; message: string; data?: unknown } };
const liveRpc = async (body: object | object[]): Promise<LiveReply | LiveReply[]> => {
  const response = await fetch(live.info.l2.rpcUrl, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  return (await response.json()) as LiveReply | LiveReply[];
};
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
await Promise.all(
  requests.map(async (chainOfOps) => {
    for (let i = 0; i < chainOfOps.length; i += perRequest) {
      const chunk = chainOfOps.slice(i, i + perRequest);
      const replies = await liveRpc(perRequest === 1 ? chunk[0]! : chunk);
      for (const { error } of Array.isArray(replies) ? replies : [replies]) {
        if (error) throw new L2RpcError(error.code, `op refused: ${error.message}`, { data: error.data });
      }
    }
  }),
);
const acceptedSeconds = (performance.now() - started) / 1000;
const total = perSender * senderCount;
await waitFor(
  "every accepted op to be posted to L1",
  async () => {
    const reply = (await liveRpc({ jsonrpc: "2.0", id: 1, method: "rollup_getStatus", params: [] })) as unknown as { result: { batches: number; postedBatches: number; openBatch: unknown } };
    return reply.result.openBatch === null && reply.result.postedBatches === reply.result.batches;
  },
  { timeoutMs: 600_000, intervalMs: 20, details: "the sequencer stopped posting: run the devnet verbose to see why" },
);
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
