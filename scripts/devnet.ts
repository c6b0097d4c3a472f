#!/usr/bin/env node
/**
 * `npm run devnet [-- options]`, or `npx rollup-devnet [options]` where the package is
 * installed: the whole rollup on this machine in one command. Starts a Hardhat L1 (or uses
 * --l1-rpc), deploys the contracts or comes back to the ones kept in the data folder, starts
 * the sequencer and the challenger agent, funds the dev accounts on L1 and L2, writes
 * devnet.json and waits for Ctrl-C. Two more commands: `deploy` (the contracts alone, on any
 * L1, into a deployment file) and `client` (the rollup client CLI).
 */
import { parseArgs } from "node:util";
import { type Hex, formatEther } from "viem";
import { runCli } from "../client/cli.js";
import { InvalidParameterError } from "../core/index.js";
import { deployRollup } from "../devnet/deploy-rollup.js";
import { deployedParametersOf, readDeploymentFile, writeDeploymentFile } from "../devnet/deployment-file.js";
import { accountOfKey, readKeystore, refuseWellKnownKey } from "../devnet/keys.js";
import { type L1Connection, connectL1 } from "../devnet/l1.js";
import { DEFAULT_ZK_SLOTS, resolveDevnetOptions } from "../devnet/options.js";
import { startDevnet } from "../devnet/start.js";
import { prepareZk } from "../devnet/zk.js";
import { parseFaultSpec } from "../sequencer/faults/faulty-proposer.js";
import { type DaMode } from "../sequencer/l1/da.js";
import { RollupModeError, type SettlementMode } from "../sequencer/rollup-mode.js";

const USAGE = `usage: rollup-devnet [start] [options]      the devnet (npm run devnet -- [options] in a checkout)
       rollup-devnet deploy --l1-rpc URL [options]   deploy the contracts alone, write a deployment file
       rollup-devnet client [client options] <command>   the rollup client CLI (rollup-devnet client --help)

Options:
  --host H                 bind address of all servers (127.0.0.1)
  --l1-port N              Hardhat L1 JSON-RPC port (8545)
  --l2-port N              L2 JSON-RPC port (8546)
  --data-dir DIR           where the devnet keeps its state (.devnet): started again on the same
                           folder it comes back as it was stopped, L1 and L2
  --fresh                  empty the data folder first: a new L1, a new deployment
  --l1-rpc URL             use an existing L1 node instead of starting Hardhat; attaches to the
                           deployment kept in the data folder (or --deployment), else deploys
  --deployment FILE        attach to the rollup of this deployment file (rollup-devnet deploy writes one)
  --beacon-url URL         the Beacon API of the L1's consensus client, where the challenger reads
                           blobs (default: the devnet serves the sidecars it posts, on --beacon-port)
  --operator-keystore FILE the operator's key from a version 3 keystore (password in
                           ROLLUP_KEYSTORE_PASSWORD); or the key itself in ROLLUP_OPERATOR_KEY
  --challenger-keystore FILE  the challenger agent's, likewise (or ROLLUP_CHALLENGER_KEY)
                           (default for both: well-known dev keys, refused on other chains than 31337 and 1337)
  --batch-size N           close a batch at N queue entries + ops (512)
  --batch-interval MS      close a non-empty batch after MS milliseconds (1000)
  --challenge-window S     seconds before a batch is final (604800 = 7 days; skip with \`rollup warp\`)
  --levels N               account tree depth, 8^N accounts (8)
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
  --dashboard-port N       dashboard port (8547)
  -h, --help               this text

--levels, --challenge-window, --clock-budget, --settlement and --zk-slots are fixed at
deployment: a start that comes back to a kept deployment takes them from it.`;

const [command, rest] = splitCommand(process.argv.slice(2));
if (command === "client") {
  process.exitCode = await runCli(rest);
} else {
  const { values } = parseArgs({
    args: rest,
    allowNegative: true,
    options: {
      host: { type: "string", default: "127.0.0.1" },
      "l1-port": { type: "string", default: "8545" },
      "l2-port": { type: "string", default: "8546" },
      "data-dir": { type: "string", default: ".devnet" },
      fresh: { type: "boolean", default: false },
      "l1-rpc": { type: "string" },
      deployment: { type: "string" },
      "beacon-url": { type: "string" },
      "operator-keystore": { type: "string" },
      "challenger-keystore": { type: "string" },
      "batch-size": { type: "string", default: "512" },
      "batch-interval": { type: "string", default: "1000" },
      // Fixed at deployment: no default here, so a start on a kept deployment takes its own.
      "challenge-window": { type: "string" },
      levels: { type: "string" },
      "clock-budget": { type: "string" },
      settlement: { type: "string" },
      "zk-slots": { type: "string" },
      json: { type: "string", default: "devnet.json" },
      verbose: { type: "boolean", default: false },
      challenger: { type: "boolean", default: true },
      fault: { type: "string" },
      da: { type: "string", default: "calldata" },
      "beacon-port": { type: "string", default: "5052" },
      "prover-workers": { type: "string", default: "1" },
      dashboard: { type: "boolean", default: true },
      "dashboard-port": { type: "string", default: "8547" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const number = (flag: string, value: string | undefined): number | undefined => {
    if (value === undefined) return undefined;
    const n = Number(value);
    if (!Number.isFinite(n)) throw new InvalidParameterError(`--${flag} must be a number, got ${value}`, { details: "rollup-devnet --help lists the flags" });
    return n;
  };
  const deployed = {
    levels: number("levels", values.levels),
    challengeWindow: number("challenge-window", values["challenge-window"]),
    clockBudget: number("clock-budget", values["clock-budget"]),
    settlement: values.settlement as SettlementMode | undefined,
    zkSlots: number("zk-slots", values["zk-slots"]),
  };
  const keys = {
    operatorKey: keyFromEnvironment("operator", values["operator-keystore"], "ROLLUP_OPERATOR_KEY"),
    challengerKey: keyFromEnvironment("challenger", values["challenger-keystore"], "ROLLUP_CHALLENGER_KEY"),
  };
  if (command === "deploy") await deploy(values["l1-rpc"], values.deployment ?? "deployment.json", deployed, keys.operatorKey, Number(values["prover-workers"]));
  else await start();

  async function start(): Promise<void> {
    const started = Date.now();
    // startDevnet checks --settlement, --da and --fault together before it starts anything.
    const devnet = await startDevnet({
      host: values.host,
      l1Port: Number(values["l1-port"]),
      l2Port: Number(values["l2-port"]),
      l1RpcUrl: values["l1-rpc"],
      deployment: values.deployment,
      beaconUrl: values["beacon-url"],
      ...keys,
      dataDir: values["data-dir"],
      fresh: values.fresh,
      batchSize: Number(values["batch-size"]),
      batchIntervalMs: Number(values["batch-interval"]),
      ...deployed,
      writeJson: values.json,
      verbose: values.verbose,
      challenger: values.challenger,
      da: values.da as DaMode,
      beaconPort: Number(values["beacon-port"]),
      fault: values.fault === undefined ? undefined : parseFaultSpec(values.fault),
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
      `Rollup devnet ${info.resumed ? `resumed from ${info.dataDir}` : "ready"} in ${((Date.now() - started) / 1000).toFixed(1)} s (settlement: ${info.settlement})`,
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
      ...(info.accounts.length > 0
        ? [
            "Dev accounts (well-known keys: never send real value to them):",
            ...info.accounts.map(
              (a, i) => `  #${i} ${a.address} ${a.privateKey}${a.l2Accounts ? `  L2: ETH #${a.l2Accounts.ETH}, TEST #${a.l2Accounts.TEST}` : ""}`,
            ),
            "",
            `Funded on L2 with ${formatEther(100n * 10n ** 18n)} ETH and 1000 TEST each.`,
          ]
        : [`operator ${info.operator.address}`]),
      `State kept in ${info.dataDir} (--fresh starts over). Wrote ${values.json}.`,
      "Try: npm run rollup -- balance (npx rollup-devnet client balance)   |   Ctrl-C stops everything.",
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
  }
}

/** `deploy`: the contracts alone on the L1 at `l1Rpc`, from the operator's key, into a deployment file. */
async function deploy(
  l1Rpc: string | undefined,
  path: string,
  deployed: { levels?: number; challengeWindow?: number; clockBudget?: number; settlement?: SettlementMode; zkSlots?: number },
  operatorKey: Hex | undefined,
  proverWorkers: number,
): Promise<void> {
  if (!l1Rpc) throw new InvalidParameterError("deploy needs --l1-rpc URL", { details: "the L1 to deploy to: a `npx hardhat node`, or a testnet's RPC (docs/testnet.md)" });
  const existing = readDeploymentFile(path);
  if (existing) {
    throw new InvalidParameterError(`${path} already holds the rollup ${existing.contracts.rollup}`, { details: "give another --deployment FILE, or delete this one to deploy again" });
  }
  const l1 = await connectL1(l1Rpc);
  const o = resolveDevnetOptions({ ...deployed, l1RpcUrl: l1Rpc, proverWorkers, operatorKey });
  const operator = accountOfKey(o.operatorKey ?? missingKey(), "ROLLUP_OPERATOR_KEY");
  refuseWellKnownKey(operator, l1.chainId, "the operator");
  const zk = o.settlement === "zk" ? await prepareZk(o.levels, o.zkSlots, (line) => console.log(line)) : undefined;
  const [balanceBefore, firstBlock] = await Promise.all([l1.client.getBalance({ address: operator.address }), l1.client.getBlockNumber()]);
  const record = await deployRollup(
    l1,
    l1.wallet(operator.privateKey),
    deployedParametersOf(o, 0),
    { zk, proverWorkers: o.proverWorkers },
  );
  writeDeploymentFile(path, record);
  const spent = balanceBefore - (await l1.client.getBalance({ address: operator.address }));
  const { gas, transactions } = await gasSentFrom(l1, operator.address, firstBlock + 1n);
  console.log([`Deployed on L1 chain ${l1.chainId} from ${operator.address} (proposer) in ${transactions} transactions, ${gas} gas; spent ${formatEther(spent)} ETH, the bond included:`, ...Object.entries(record.contracts).map(([name, address]) => `  ${name.padEnd(11)} ${address}`), `Wrote ${path}. Run the services on it: rollup-devnet --l1-rpc ${l1Rpc} --deployment ${path}`].join("\n"));
}

/** Gas used by the transactions `from` sent in the blocks from `fromBlock` to the head. */
async function gasSentFrom(l1: L1Connection, from: string, fromBlock: bigint): Promise<{ gas: bigint; transactions: number }> {
  let gas = 0n;
  let transactions = 0;
  for (let n = fromBlock; n <= (await l1.client.getBlockNumber()); n++) {
    const block = await l1.client.getBlock({ blockNumber: n, includeTransactions: true });
    for (const tx of block.transactions.filter((t) => t.from.toLowerCase() === from)) {
      gas += (await l1.client.getTransactionReceipt({ hash: tx.hash })).gasUsed;
      transactions++;
    }
  }
  return { gas, transactions };
}

function missingKey(): never {
  throw new InvalidParameterError("deploy needs the operator's key", {
    details: "set ROLLUP_OPERATOR_KEY, or give --operator-keystore FILE with its password in ROLLUP_KEYSTORE_PASSWORD (docs/testnet.md)",
  });
}

/** A key from a keystore (password in ROLLUP_KEYSTORE_PASSWORD) or an environment variable, or undefined for the default. */
function keyFromEnvironment(role: string, keystore: string | undefined, variable: string): Hex | undefined {
  if (keystore !== undefined) {
    const password = process.env.ROLLUP_KEYSTORE_PASSWORD;
    if (password === undefined) {
      throw new InvalidParameterError(`--${role}-keystore needs its password in ROLLUP_KEYSTORE_PASSWORD`, { details: "set it in the environment (it is never read from the command line, where other users could see it)" });
    }
    return readKeystore(keystore, password).privateKey;
  }
  const key = process.env[variable];
  return key === undefined || key === "" ? undefined : accountOfKey(key, variable).privateKey;
}

/** The command (start, deploy, client) and the arguments after it. */
function splitCommand(argv: string[]): ["start" | "deploy" | "client", string[]] {
  const [first, ...after] = argv;
  if (first === "start" || first === "deploy" || first === "client") return [first, after];
  return ["start", argv];
}
