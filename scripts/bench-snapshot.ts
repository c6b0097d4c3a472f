/**
 * npm run bench:snapshot [-- --batches N] [--json]: what it costs to get a devnet back.
 *
 *   cold start         a fresh devnet: L1, deployment, dev accounts funded on L2 (the contracts
 *                      already compiled)
 *   restart with state stop, then start on the same data folder (L1 replayed from its journal,
 *                      the sequencer from its write-ahead log, the agent re-deriving)
 *   L1 replay alone    the journal replayed into a fresh EDR (the L1's share of the restart)
 *   snapshot, revert   devnet.snapshot() / devnet.revert(id), L1 and L2 together (mean of 5)
 *
 * after N batches of transfers (default 20). With --json, one JSON line last.
 */
import { readFileSync, mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { ensureContractsBuilt } from "../devnet/artifacts.js";
import { startHardhatL1 } from "../devnet/l1.js";
import { type Devnet, startDevnet } from "../devnet/start.js";

const { values } = parseArgs({ options: { batches: { type: "string", default: "20" }, json: { type: "boolean", default: false } } });
const batches = Number(values.batches);
const ROUNDS = 5;
const dataDir = mkdtempSync(join(tmpdir(), "bench-snapshot-"));
const options = { l1Port: 0, l2Port: 0, beaconPort: 0, dataDir, batchIntervalMs: 100 };

const timed = async <T>(task: () => Promise<T>): Promise<[T, number]> => {
  const started = performance.now();
  const result = await task();
  return [result, performance.now() - started];
};
const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

// The contracts' compilation check (a checkout only) stays out of the cold start.
await ensureContractsBuilt();
let [devnet, coldMs] = await timed(() => startDevnet(options));
const alice = devnet.client(0);
const toBob = devnet.info.accounts[1]!.l2Accounts!.ETH;
for (let i = 0; i < batches; i++) {
  const { hash } = await alice.transfer({ toIdx: toBob, amount: 10n ** 15n });
  await alice.waitForOp({ hash, status: "batched", timeout: 30_000 });
}

const snapshotMs: number[] = [];
const revertMs: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  const [id, taken] = await timed(() => devnet.snapshot());
  snapshotMs.push(taken);
  const { hash } = await alice.transfer({ toIdx: toBob, amount: 10n ** 15n });
  await alice.waitForOp({ hash, status: "batched", timeout: 30_000 });
  revertMs.push((await timed(() => devnet.revert(id)))[1]);
}

const head = Number(await devnet.l1Client.getBlockNumber());
await devnet.stop();
let restartMs: number;
[devnet, restartMs] = await timed((): Promise<Devnet> => startDevnet(options));
if (!devnet.info.resumed || Number(await devnet.l1Client.getBlockNumber()) !== head) throw new Error("the restarted devnet is not the one stopped");
await devnet.stop();

const journal = join(dataDir, "l1", "journal.ndjson");
const l1 = await startHardhatL1({ host: "127.0.0.1", port: 0, stateDir: join(dataDir, "l1") });
const replay = l1.replayed!;
await l1.close();

const result = {
  batches,
  l1Blocks: head,
  l1Transactions: replay.transactions,
  journalBytes: statSync(journal).size,
  walBytes: statSync(join(dataDir, "sequencer", "sequencer.wal")).size,
  coldStartMs: Math.round(coldMs),
  restartMs: Math.round(restartMs),
  l1ReplayMs: replay.ms,
  snapshotMs: Math.round(mean(snapshotMs)),
  revertMs: Math.round(mean(revertMs)),
};
const rows: [string, string][] = [
  ["L1 blocks / transactions", `${result.l1Blocks} / ${result.l1Transactions}`],
  ["journal / write-ahead log", `${(result.journalBytes / 1024).toFixed(0)} KiB / ${(result.walBytes / 1024).toFixed(0)} KiB`],
  ["cold start (deploy, fund)", `${result.coldStartMs} ms`],
  ["restart with state", `${result.restartMs} ms`],
  ["  of which L1 replay", `${result.l1ReplayMs} ms`],
  [`snapshot (mean of ${ROUNDS})`, `${result.snapshotMs} ms`],
  [`revert (mean of ${ROUNDS})`, `${result.revertMs} ms`],
];
console.log(`devnet after ${batches} batches of transfers (${readFileSync(journal, "utf8").split("\n").length - 1} journal entries)`);
for (const [name, value] of rows) console.log(`  ${name.padEnd(28)} ${value}`);
if (values.json) console.log(JSON.stringify(result));
