import { rmSync, writeFileSync } from "node:fs";
import { type PublicClient } from "viem";
import { type Address, disputeGameAbi } from "../core/index.js";
import { createRollupClient, type RollupClient } from "../client/index.js";
import { type DaMode } from "../sequencer/l1/da.js";
import { type SettlementMode } from "../sequencer/rollup-mode.js";
import { CHALLENGER_ACCOUNT, OPERATOR_ACCOUNT, type DevAccount, devAccounts, fundDevAccounts, waitForL2Accounts } from "./accounts.js";
import { startBeaconServer } from "./beacon.js";
import { type DataDir, prepareDataDir } from "./data-dir.js";
import { type Deployment } from "./deploy.js";
import { deployRollup } from "./deploy-rollup.js";
import { type DeploymentRecord, checkDeploymentOnL1, deployedParametersOf, readDeploymentFile, withDeployedParameters, writeDeploymentFile } from "./deployment-file.js";
import { DevnetStateError } from "./errors.js";
import { accountOfKey, isDevChain, isWellKnownKey, refuseWellKnownKey } from "./keys.js";
import { type HardhatL1, type L1Connection, connectL1, startHardhatL1, warpL1 } from "./l1.js";
import { type DevnetOptions, type ResolvedDevnetOptions, resolveDevnetOptions } from "./options.js";
import {
  type ChallengerProcess,
  type ProverProcess,
  type SequencerProcess,
  challengerConfig,
  sequencerConfig,
  startChallengerProcess,
  startProverProcess,
  startSequencerProcess,
} from "./processes.js";
import { DevnetSnapshots } from "./snapshots.js";
import { type PreparedZk, type ZkDeployment, prepareZk, proverServiceConfig } from "./zk.js";
import { type Dashboard, startDashboard } from "../dashboard/server.js";

/**
 * What `devnet.json` holds.
 *
 * @example
 * const info = JSON.parse(readFileSync("devnet.json", "utf8")) as DevnetInfo
 */
export interface DevnetInfo {
  readonly l1: { readonly rpcUrl: string; readonly chainId: number };
  readonly l2: { readonly rpcUrl: string; readonly chainId: number };
  readonly chainIds: { readonly l1: number; readonly l2: number };
  readonly contracts: Deployment["contracts"];
  readonly tokens: { readonly ETH: number; readonly TEST: number };
  readonly settlement: SettlementMode;
  /** ZK settlement: the verifier, the circuit's slots and where its build is; null when optimistic. */
  readonly zk: ZkDeployment | null;
  readonly levels: number;
  readonly challengeWindow: number;
  /** The dispute game: its address, the bond a challenge costs, each party's clock. */
  readonly dispute: {
    readonly game: Address;
    readonly challengeBond: string;
    readonly clockBudget: number;
    /** The agent's challenger account (its key only when it is a well-known dev key), null when the agent is off. */
    readonly challenger: PublicAccount | null;
  };
  readonly deployBlock: number;
  /** Where batch data goes (docs/blobs.md). */
  readonly da: DaMode;
  /** The Beacon API the challenger reads blobs from: the devnet's own (slot = L1 block number, block root = L1 block hash) or the L1's consensus client. */
  readonly beacon: { readonly url: string };
  /** The live dashboard (docs/learn/), null with `dashboard: false`. */
  readonly dashboard: { readonly url: string } | null;
  /** The operator (deployer, proposer, fee recipient); its key only when it is a well-known dev key. */
  readonly operator: PublicAccount;
  /** Well-known dev keys (public: never hold value with them); empty on an L1 that is not a development node. */
  readonly accounts: readonly (DevAccount & { readonly l2Accounts: { readonly ETH: number; readonly TEST: number } | null })[];
  /** Where the devnet keeps its state (a temporary folder when none was given). */
  readonly dataDir: string;
  /** Whether this start came back to a deployment kept in the data folder (or a deployment file) instead of deploying. */
  readonly resumed: boolean;
}

/**
 * An account the devnet signs with, as devnet.json shows it: the key only when it is a
 * well-known development key.
 *
 * @example
 * const { address }: PublicAccount = devnet.info.operator
 */
export interface PublicAccount {
  readonly address: Address;
  readonly privateKey?: DevAccount["privateKey"];
}

/**
 * A running devnet.
 *
 * @example
 * const devnet: Devnet = await startDevnet({ l1Port: 0, l2Port: 0 })
 * await devnet.client(0).getAccountsByOwner({})
 */
export interface Devnet {
  readonly info: DevnetInfo;
  readonly l1Client: PublicClient;
  readonly sequencer: SequencerProcess;
  /** The challenger agent, when running. */
  readonly challenger: ChallengerProcess | undefined;
  /** The prover service, with ZK settlement. */
  readonly prover: ProverProcess | undefined;
  /** A client SDK instance acting as dev account `account` (default 0). */
  client(account?: number): RollupClient;
  /** Advances L1 time by `seconds` and mines a block (skip the challenge window). */
  warp(seconds: number): Promise<void>;
  /**
   * Takes a snapshot of L1 and L2 together and returns its id (devnet/snapshots.ts): the
   * sequencer and the agent are paused for it and resumed.
   */
  snapshot(): Promise<string>;
  /**
   * Puts L1 and L2 back as they were at snapshot `id` (it stays usable; later snapshots are
   * dropped). Balances, accounts, batches, games and time all come back together.
   */
  revert(id: string): Promise<void>;
  /**
   * Hardhat's `loadFixture` for the whole devnet: runs `fixture` once and snapshots after it;
   * each later call with the same function reverts there and returns the first result.
   */
  loadFixture<T>(fixture: () => Promise<T>): Promise<T>;
  /** Stops the services and the L1; the data folder keeps the state (a temporary one is removed). */
  stop(): Promise<void>;
}

/**
 * Starts a whole devnet in one call: a Hardhat L1 (or an existing L1 via `l1RpcUrl`), the
 * rollup contracts, the sequencer, the challenger agent and (ZK) the prover service in their own
 * processes, the dashboard, and L2
 * accounts for the first dev accounts in ETH and the test token. Resolves when those accounts
 * are on L2. With a `dataDir` that holds a devnet, it comes back as it was stopped (the L1
 * replayed from its journal, the sequencer from its log) instead of deploying; with
 * `deployment`, it attaches to that deployment. Throws `RollupModeError` before starting
 * anything if the settlement, DA mode and fault do not go together, `DevnetStateError` if
 * the options ask for another deployment than the one kept.
 *
 * @example
 * const devnet = await startDevnet({ l1Port: 0, l2Port: 0 })
 * console.log(devnet.info.l2.rpcUrl)
 * await devnet.warp(devnet.info.challengeWindow + 1)
 * await devnet.stop()
 */
export async function startDevnet(options: DevnetOptions = {}): Promise<Devnet> {
  const data = prepareDataDir(options.dataDir, { fresh: options.fresh ?? false });
  const saved = savedDeployment(options, data);
  const o = resolveDevnetOptions(saved ? withDeployedParameters(options, saved.record, saved.path) : options);
  // The circuit build and setup (CPU) run while the L1 starts (I/O); cached after the first time.
  const zkPrepared = o.settlement === "zk" ? prepareZk(o.levels, o.zkSlots, o.onLog) : undefined;
  zkPrepared?.catch(() => undefined);

  let hardhat: HardhatL1 | undefined;
  const l1 = await connectL1(o.l1RpcUrl ?? (hardhat = await startHardhatL1({ host: o.host, port: o.l1Port, stateDir: data.l1Dir })).url);
  const { operator, challenger: challengerAccount } = signers(o, l1.chainId);
  const beacon = o.beaconUrl === undefined ? await startBeaconServer({ host: o.host, port: o.beaconPort, l1: l1.client, blobDir: data.blobDir }) : undefined;
  const beaconUrl = o.beaconUrl ?? beacon!.url;

  const record = saved
    ? await checkDeploymentOnL1(l1, saved.record, saved.path).then(() => saved.record)
    : await deployDevnet(l1, o, operator, await zkPrepared);
  writeDeploymentFile(data.deploymentFile, record);
  const prepared = await zkPrepared;
  const prover = prepared && (await startProverProcess(proverServiceConfig(prepared, { slots: o.zkSlots, proverWorkers: o.proverWorkers, host: o.host }), { dataDir: data.root, verbose: o.verbose }));

  const sequencer = await startSequencerProcess(
    sequencerConfig({ options: o, l1, deployment: record, operator, walDir: data.sequencerDir, blobDir: data.blobDir, proverUrl: prover?.url }),
    { dataDir: data.root, verbose: o.verbose },
  );
  const challenger =
    challengerAccount &&
    (await startChallengerProcess(challengerConfig({ l1Url: l1.url, deployment: record, challenger: challengerAccount, operator, beaconUrl }), {
      dataDir: data.root,
      verbose: o.verbose,
      onLine: o.onChallengerLog,
    }));
  const challengeBond = await l1.client.readContract({ address: record.contracts.disputeGame, abi: disputeGameAbi, functionName: "challengeBond" });
  const accounts = isDevChain(l1.chainId) ? devAccounts(20) : [];
  const funded = accounts.slice(0, record.parameters.fundedAccounts);
  // The funded accounts exist on L2 once the sequencer has put the queue entries in a batch (or replayed its log).
  const indexOf = await waitForL2Accounts(sequencer.url, funded, record.testTokenId);
  const dashboard: Dashboard | undefined = o.dashboard
    ? await startDashboard({ host: o.host, port: o.dashboardPort, l1RpcUrl: l1.url, l2RpcUrl: sequencer.url, beaconUrl, fromBlock: BigInt(record.deployBlock) })
    : undefined;

  const info: DevnetInfo = {
    l1: { rpcUrl: l1.url, chainId: l1.chainId },
    l2: { rpcUrl: sequencer.url, chainId: o.l2ChainId },
    chainIds: { l1: l1.chainId, l2: o.l2ChainId },
    contracts: record.contracts,
    tokens: { ETH: 0, TEST: record.testTokenId },
    settlement: o.settlement,
    zk: record.zk && prepared ? { ...record.zk, circuit: prepared.build.dir, proverWorkers: o.proverWorkers, proverUrl: prover!.url } : null,
    levels: o.levels,
    challengeWindow: o.challengeWindow,
    dispute: { game: record.contracts.disputeGame, challengeBond: challengeBond.toString(), clockBudget: o.clockBudget, challenger: challengerAccount ? publicAccount(challengerAccount) : null },
    deployBlock: record.deployBlock,
    da: o.da,
    beacon: { url: beaconUrl },
    dashboard: dashboard ? { url: dashboard.url } : null,
    operator: publicAccount(operator),
    accounts: accounts.slice(0, 10).map((a) => ({ ...a, l2Accounts: indexOf.get(a.address) ?? null })),
    dataDir: data.root,
    resumed: saved !== undefined,
  };
  if (o.writeJson) writeFileSync(o.writeJson, `${JSON.stringify(info, null, 2)}\n`);

  // Snapshots pause the services inside their processes and resume them from the log and the L1.
  const services = {
    stop: async () => {
      await Promise.all([sequencer.pause(), challenger?.pause()]);
    },
    start: async () => {
      await Promise.all([sequencer.resume(), challenger?.resume()]);
    },
  };
  let stopped = false;
  const snapshots = new DevnetSnapshots({ l1Url: l1.url, walDir: data.sequencerDir, snapshotsDir: data.snapshotsDir, services });
  return {
    info,
    l1Client: l1.client,
    sequencer,
    challenger,
    prover,
    client: (account = 0) =>
      createRollupClient({
        l1RpcUrl: l1.url,
        l2RpcUrl: sequencer.url,
        account: devAccounts(20)[account]!.privateKey,
        pollingInterval: 50,
        // The exodus actions then need no L2 RPC.
        deployment: { rollup: record.contracts.rollup, bridge: record.contracts.bridge, fromBlock: BigInt(record.deployBlock), beaconUrl },
      }),
    warp: (seconds) => warpL1(l1.url, seconds),
    snapshot: () => snapshots.snapshot(),
    revert: (id) => snapshots.revert(id),
    loadFixture: (fixture) => snapshots.loadFixture(fixture),
    async stop() {
      if (stopped) return;
      stopped = true;
      await dashboard?.close();
      await Promise.all([sequencer.stop(), challenger?.stop(), prover?.stop()]);
      await beacon?.close();
      await hardhat?.close();
      if (data.temporary) rmSync(data.root, { recursive: true, force: true });
    },
  };
}

/**
 * The deployment to attach to: the one named by `options.deployment`, else the data folder's.
 * A data folder that belongs to another deployment than the named one is refused.
 */
function savedDeployment(options: DevnetOptions, data: DataDir): { record: DeploymentRecord; path: string } | undefined {
  const kept = readDeploymentFile(data.deploymentFile);
  if (options.deployment === undefined) return kept && { record: kept, path: data.deploymentFile };
  const named = readDeploymentFile(options.deployment);
  if (!named) {
    throw new DevnetStateError(`no deployment file at ${options.deployment}`, { details: "write one with `rollup-devnet deploy --deployment FILE`, or leave --deployment out to deploy" });
  }
  if (kept && kept.contracts.rollup !== named.contracts.rollup) {
    throw new DevnetStateError(`the data folder ${data.root} holds the rollup ${kept.contracts.rollup}, ${options.deployment} is the rollup ${named.contracts.rollup}`, {
      details: "use another data folder for this deployment, or --fresh to empty this one",
    });
  }
  return { record: named, path: options.deployment };
}

/** The operator's and the challenger's accounts: from the options, else the well-known dev accounts (refused on a shared L1). */
function signers(o: ResolvedDevnetOptions, chainId: number): { operator: DevAccount; challenger: DevAccount | undefined } {
  const dev = devAccounts(20);
  const operator = o.operatorKey ? accountOfKey(o.operatorKey, "the operator key") : dev[OPERATOR_ACCOUNT]!;
  const challenger = o.challenger ? (o.challengerKey ? accountOfKey(o.challengerKey, "the challenger key") : dev[CHALLENGER_ACCOUNT]!) : undefined;
  refuseWellKnownKey(operator, chainId, "the operator");
  if (challenger) refuseWellKnownKey(challenger, chainId, "the challenger agent");
  return { operator, challenger };
}

/** Deploys a new rollup for the devnet and funds the dev accounts on L2 (on a development L1). */
async function deployDevnet(l1: L1Connection, o: ResolvedDevnetOptions, operator: DevAccount, zk: PreparedZk | undefined): Promise<DeploymentRecord> {
  const fundedAccounts = isDevChain(l1.chainId) ? o.fundedAccounts : 0;
  const record = await deployRollup(
    l1,
    l1.wallet(operator.privateKey),
    deployedParametersOf(o, fundedAccounts),
    { zk, proverWorkers: o.proverWorkers },
  );
  const { bridge, testToken, rollup } = record.contracts;
  const funded = devAccounts(20).slice(0, fundedAccounts);
  const domain = { l1ChainId: l1.chainId, l2ChainId: o.l2ChainId, rollupAddress: rollup };
  // A faulty proposer steals into its own L2 account (fault bad-signature): give it one.
  await fundDevAccounts(l1, { bridge, testToken, testTokenId: record.testTokenId, domain }, o.fault ? [...funded, operator] : funded);
  return record;
}

function publicAccount(account: DevAccount): PublicAccount {
  return isWellKnownKey(account.privateKey) ? account : { address: account.address };
}
