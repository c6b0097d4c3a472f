/**
 * Measures a ZK devnet the way a user meets it: the seconds `startDevnet({ settlement: "zk" })`
 * takes until its funded dev accounts are on L2 (the circuit build and dev setup included when
 * they are not cached yet: "cold"), until the batch that funded them is final on L1, then the
 * seconds from a transfer sent to that transfer final on L1 (its batch closed by the batch
 * interval, proved, posted with submitZkBatch).
 *
 * @example
 * npm run bench:zk-devnet                       # levels 8, the default slots
 * npm run bench:zk-devnet -- --levels 2 --json
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { parseEther } from "viem";
import { waitFor } from "../core/wait.js";
import { DEFAULT_ZK_SLOTS } from "../devnet/options.js";
import { startDevnet } from "../devnet/start.js";

const { values } = parseArgs({
  options: {
    json: { type: "boolean", default: false },
    levels: { type: "string", default: "8" },
    slots: { type: "string", default: String(DEFAULT_ZK_SLOTS) },
    "batch-interval": { type: "string", default: "1000" },
  },
});
const log = (line: string): void => {
  if (!values.json) console.log(line);
};
let cold = false;
const started = performance.now();
const devnet = await startDevnet({
  settlement: "zk",
  levels: Number(values.levels),
  zkSlots: Number(values.slots),
  batchIntervalMs: Number(values["batch-interval"]),
  l1Port: 0,
  l2Port: 0,
  beaconPort: 0,
  dataDir: mkdtempSync(join(tmpdir(), "bench-zk-devnet-")),
  onLog: (line) => {
    if (/compiling into|INSECURE development key/.test(line)) cold = true;
    log(`  ${line}`);
  },
});
const startSeconds = (performance.now() - started) / 1000;
log(`devnet up (${cold ? "cold" : "warm"}), ${devnet.info.accounts.filter((a) => a.l2Accounts).length} dev accounts funded on L2: ${startSeconds.toFixed(1)} s`);

const alice = devnet.client(0);
await waitFor(
  "the funding batches to be final on L1",
  async () => {
    const { batches, finalBatches, openBatch } = await alice.getRollupStatus();
    return batches > 0 && finalBatches === batches && !openBatch;
  },
  { timeoutMs: 600_000, intervalMs: 100 },
);
const fundedFinalSeconds = (performance.now() - started) / 1000;
log(`funding batches final on L1: ${fundedFinalSeconds.toFixed(1)} s after the start`);
const bobEth = devnet.info.accounts[1]!.l2Accounts!.ETH;
const sentAt = performance.now();
const { hash } = await alice.transfer({ toIdx: bobEth, amount: parseEther("0.01") });
const op = await alice.waitForOp({ hash, status: "final", timeout: 600_000 });
const transferToFinalSeconds = (performance.now() - sentAt) / 1000;
const batch = await alice.getBatch({ index: op.batch! });
log(`transfer sent → final on L1: ${transferToFinalSeconds.toFixed(1)} s (batch ${batch.index}: proof ${batch.proof?.seconds} s)`);
await devnet.stop();

const result = {
  levels: Number(values.levels),
  slots: Number(values.slots),
  cold,
  startSeconds: Number(startSeconds.toFixed(1)),
  fundedFinalSeconds: Number(fundedFinalSeconds.toFixed(1)),
  transferToFinalSeconds: Number(transferToFinalSeconds.toFixed(1)),
  proofSeconds: batch.proof?.seconds ?? null,
  batchIntervalMs: Number(values["batch-interval"]),
};
if (values.json) console.log(JSON.stringify(result));
process.exit(0);
