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
import { InvalidParameterError, RPC_MAX_BATCH_REQUESTS } from "../core/index.js";
import { startDevnet } from "../devnet/start.js";
import { BenchProposer, fundSenders } from "./lib/bench-batches.js";
import { measureBatchCosts } from "./lib/batch-costs.js";
import { measureRpcThroughput } from "./lib/rpc-throughput.js";

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
  dashboard: false,
});

// Part 1: L1 gas per transfer by batch size: batches of exactly each size, posted with the
// sequencer's poster code by a stand-in proposer (scripts/lib/bench-batches.ts).
const proposer = await BenchProposer.takeOver(devnet, await fundSenders(devnet, { count: senderCount, ethEach: "1", label: "bench-batch" }));
const rows = (await measureBatchCosts(devnet, proposer, SIZES)).map((r) => ({
  batchSize: r.batchSize,
  calldataBytes: r.calldataBytes,
  gasUsed: r.calldataGas,
  bytesPerTransfer: r.calldataBytes / r.batchSize,
  l1GasPerTransfer: r.calldataGas / r.batchSize,
}));
log("L1 cost of optimistic calldata batches (Rollup.submitBatch, real contracts on Hardhat, osaka rules):");
log("batch size | calldata bytes | gas used   | bytes/transfer | L1 gas/transfer");
for (const r of rows) {
  log(`${String(r.batchSize).padStart(10)} | ${String(r.calldataBytes).padStart(14)} | ${String(r.gasUsed).padStart(10)} | ${r.bytesPerTransfer.toFixed(1).padStart(14)} | ${r.l1GasPerTransfer.toFixed(0).padStart(15)}`);
}

// Part 2: throughput through the RPC. The sequencer restarts on its log (the batches the
// bench posted above are not in it, so it would refuse them): a fresh devnet is simplest.
await devnet.stop();
const live = await startDevnet({ l1Port: 0, l2Port: 0, dataDir: mkdtempSync(join(tmpdir(), "bench-rpc-")), batchSize: 512, batchIntervalMs: 250, fundedAccounts: 1, dashboard: false });
const throughput = await measureRpcThroughput(live, { ops: opCount, senders: senderCount, perRequest, label: "bench-batch" });
const { ops: total, acceptedSeconds, onL1Seconds: batchedSeconds, onL1OpsPerSecond: rpcOpsPerSecond } = throughput;
await live.stop();
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
