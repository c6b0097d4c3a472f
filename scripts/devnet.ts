/**
 * npm run devnet [-- options]: the whole rollup on this machine in one command.
 * Starts a Hardhat L1, deploys the contracts, starts the sequencer, funds the dev accounts
 * on L1 and L2, writes devnet.json and waits for Ctrl-C.
 */
import { parseArgs } from "node:util";
import { formatEther } from "viem";
import { DEFAULT_ZK_SLOTS } from "../devnet/options.js";
import { startDevnet } from "../devnet/start.js";
import { parseFaultSpec } from "../sequencer/faults/faulty-proposer.js";
import { type DaMode } from "../sequencer/l1/da.js";
import { RollupModeError, type SettlementMode } from "../sequencer/rollup-mode.js";

const { values } = parseArgs({
  allowNegative: true,
  options: {
    host: { type: "string", default: "127.0.0.1" },
    "l1-port": { type: "string", default: "8545" },
    "l2-port": { type: "string", default: "8546" },
    "l1-rpc": { type: "string" },
    "batch-size": { type: "string", default: "512" },
    "batch-interval": { type: "string", default: "1000" },
    "challenge-window": { type: "string", default: String(7 * 24 * 3600) },
    levels: { type: "string", default: "8" },
    "data-dir": { type: "string", default: ".devnet" },
    json: { type: "string", default: "devnet.json" },
    verbose: { type: "boolean", default: false },
    challenger: { type: "boolean", default: true },
    "clock-budget": { type: "string", default: "3600" },
    fault: { type: "string" },
    da: { type: "string", default: "calldata" },
    "beacon-port": { type: "string", default: "5052" },
    settlement: { type: "string", default: "optimistic" },
    "zk-slots": { type: "string", default: String(DEFAULT_ZK_SLOTS) },
    "prover-workers": { type: "string", default: "1" },
    dashboard: { type: "boolean", default: true },
    "dashboard-port": { type: "string", default: "8547" },
    help: { type: "boolean", default: false },
  },
});

if (values.help) {
  console.log(`npm run devnet -- [options]
  --host H                 bind address of all servers (127.0.0.1)
  --l1-port N              Hardhat L1 JSON-RPC port (8545)
  --l2-port N              L2 JSON-RPC port (8546)
  --l1-rpc URL             use an existing L1 node instead of starting Hardhat
  --batch-size N           close a batch at N queue entries + ops (512)
  --batch-interval MS      close a non-empty batch after MS milliseconds (1000)
  --challenge-window S     seconds before a batch is final (604800 = 7 days; skip with \`rollup warp\`)
  --levels N               account tree depth, 8^N accounts (8)
  --data-dir DIR           sequencer data folder, emptied at start (.devnet)
  --json FILE              where to write the devnet description (devnet.json)
  --verbose                print the sequencer's and the challenger agent's log
  --no-challenger          do not run the challenger / defender agent
  --clock-budget S         seconds of each party's clock in a dispute game (3600; skip with \`rollup warp\`)
  --fault KIND[:BATCH]     make the sequencer post one wrong batch: wrong-root, bad-signature,
                           skip-deposit or pay-proposer (default: the first batch it applies to)
  --da calldata|blobs|auto where batch data goes: calldata, EIP-4844 blobs, or the cheaper per
                           batch at the current base fee and blob base fee (calldata)
  --beacon-port N          Beacon API port serving the blob sidecars (5052)
  --settlement optimistic|zk
                           optimistic: batches final after the challenge window, disputes;
                           zk: every batch carries a Groth16 proof and is final at once
                           (INSECURE dev setup, docs/zk.md; no challenger agent) (optimistic)
  --zk-slots N             zk: queue entries + ops per batch, the circuit's nOps (${DEFAULT_ZK_SLOTS})
  --prover-workers N       zk: proving processes of the prover service, each on every core (1)
  --no-dashboard           do not serve the live dashboard
  --dashboard-port N       dashboard port (8547)`);
  process.exit(0);
}

const started = Date.now();
// startDevnet checks --settlement, --da and --fault together before it starts anything.
const devnet = await startDevnet({
  host: values.host,
  l1Port: Number(values["l1-port"]),
  l2Port: Number(values["l2-port"]),
  l1RpcUrl: values["l1-rpc"],
  batchSize: Number(values["batch-size"]),
  batchIntervalMs: Number(values["batch-interval"]),
  challengeWindow: Number(values["challenge-window"]),
  levels: Number(values.levels),
  dataDir: values["data-dir"],
  writeJson: values.json,
  verbose: values.verbose,
  challenger: values.challenger,
  clockBudget: Number(values["clock-budget"]),
  da: values.da as DaMode,
  beaconPort: Number(values["beacon-port"]),
  fault: values.fault === undefined ? undefined : parseFaultSpec(values.fault),
  settlement: values.settlement as SettlementMode,
  zkSlots: Number(values["zk-slots"]),
  proverWorkers: Number(values["prover-workers"]),
  dashboard: values.dashboard,
  dashboardPort: Number(values["dashboard-port"]),
  onLog: (line) => console.log(line),
  onChallengerLog: values.verbose ? undefined : (line) => console.log(`[challenger] ${line}`),
}).catch((e: unknown) => {
  if (!(e instanceof RollupModeError)) throw e;
  console.error(e.message);
  process.exit(2);
});
const { info } = devnet;
const lines = [
  `Rollup devnet ready in ${((Date.now() - started) / 1000).toFixed(1)} s (settlement: ${info.settlement})`,
  "",
  `L1  ${info.l1.rpcUrl}  chain ${info.l1.chainId}`,
  `L2  ${info.l2.rpcUrl}  chain ${info.l2.chainId}`,
  `Beacon API ${info.beacon.url}  (blob sidecars; batch data as ${info.da})`,
  info.dashboard ? `Dashboard  ${info.dashboard.url}  (open it in a browser: batches, disputes, blobs, exits, live)` : "Dashboard  off (--no-dashboard)",
  "",
  ...Object.entries(info.contracts).map(([name, address]) => `${name.padEnd(11)} ${address}`),
  "",
  ...(info.zk
    ? [
        `ZK settlement: Groth16 verifier ${info.zk.verifier} (circuit levels ${info.levels}, ${info.zk.slots} slots, ${info.zk.constraints} constraints)`,
        `  prover service ${info.zk.proverUrl} (JSON-RPC, docs/zk.md; ${info.zk.proverWorkers} proving process(es))`,
        `  setup: ${info.zk.setup === "dev" ? "INSECURE development key (publicly known toxic waste): never hold value on this devnet" : "from a ptau ceremony"}`,
        `  every batch is proved and final on L1 at once: withdrawals are claimable in seconds, no challenge window`,
        `  no dispute game agent (ZK batches cannot be challenged)`,
        `batches of up to ${info.zk.slots} queue entries + ops or ${values["batch-interval"]} ms`,
      ]
    : [
        `dispute game ${info.dispute.game}: bond ${formatEther(BigInt(info.dispute.challengeBond))} ETH, clocks of ${info.dispute.clockBudget} s; ${
          info.dispute.challenger ? `challenger agent running as ${info.dispute.challenger.address}` : "no challenger agent"
        }`,
        `challenge window ${info.challengeWindow} s; batches of up to ${values["batch-size"]} ops or ${values["batch-interval"]} ms`,
      ]),
  "",
  "Dev accounts (well-known keys: never send real value to them):",
  ...info.accounts.map(
    (a, i) =>
      `  #${i} ${a.address} ${a.privateKey}${a.l2Accounts ? `  L2: ETH #${a.l2Accounts.ETH}, TEST #${a.l2Accounts.TEST}` : ""}`,
  ),
  "",
  `Funded on L2 with ${formatEther(100n * 10n ** 18n)} ETH and 1000 TEST each. Wrote ${values.json}.`,
  "Try: npm run rollup -- balance   |   Ctrl-C stops everything.",
];
console.log(lines.join("\n"));

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.log("\nstopping the devnet...");
    void devnet.stop().then(() => process.exit(0));
  });
}
