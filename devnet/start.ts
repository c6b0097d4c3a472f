import { writeFileSync } from "node:fs";
import { type PublicClient } from "viem";
import { type Address, disputeGameAbi } from "../core/index.js";
import { createRollupClient, type RollupClient } from "../client/index.js";
import { type DaMode } from "../sequencer/l1/da.js";
import { type SettlementMode } from "../sequencer/rollup-mode.js";
import { CHALLENGER_ACCOUNT, OPERATOR_ACCOUNT, type DevAccount, devAccounts, fundDevAccounts, waitForL2Accounts } from "./accounts.js";
import { startBeaconServer } from "./beacon.js";
import { prepareDataDir } from "./data-dir.js";
import { DEFAULT_MIN_BOND, type Deployment, deployContracts, depositProposerBond } from "./deploy.js";
import { type HardhatL1, connectL1, startHardhatL1, warpL1 } from "./l1.js";
import { type DevnetOptions, resolveDevnetOptions } from "./options.js";
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
import { type ZkDeployment, deployZkVerifier, prepareZk } from "./zk.js";
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
    /** The agent's challenger key (dev account 18), null when the agent is off. */
    readonly challenger: DevAccount | null;
  };
  readonly deployBlock: number;
  /** Where batch data goes (docs/blobs.md). */
  readonly da: DaMode;
  /** The Beacon API serving the sidecars of the blobs the devnet posts (slot = L1 block number, block root = L1 block hash). */
  readonly beacon: { readonly url: string };
  /** The live dashboard (docs/learn/), null with `dashboard: false`. */
  readonly dashboard: { readonly url: string } | null;
  readonly operator: DevAccount;
  /** Well-known dev keys (public: never hold value with them). */
  readonly accounts: readonly (DevAccount & { readonly l2Accounts: { readonly ETH: number; readonly TEST: number } | null })[];
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
  /** Stops the sequencer, the challenger agent, the prover and the L1. */
  stop(): Promise<void>;
}

/**
 * Starts a whole devnet in one call: a Hardhat L1 (or an existing L1 via `l1RpcUrl`), the
 * rollup contracts, the sequencer in its own process, and L2 accounts for the first dev
 * accounts in ETH and the test token. Resolves when those accounts are on L2. Throws
 * `RollupModeError` before starting anything if the settlement, DA mode and fault do not go
 * together.
 *
 * @example
 * const devnet = await startDevnet({ l1Port: 0, l2Port: 0 })
 * console.log(devnet.info.l2.rpcUrl)
 * await devnet.warp(devnet.info.challengeWindow + 1)
 * await devnet.stop()
 */
export async function startDevnet(options: DevnetOptions = {}): Promise<Devnet> {
  const o = resolveDevnetOptions(options);
  // The circuit build and setup (CPU) run while the L1 starts and the contracts deploy (I/O).
  const zkPrepared = o.settlement === "zk" ? prepareZk(o.levels, o.zkSlots, o.onLog) : undefined;
  zkPrepared?.catch(() => undefined);
  // Sidecars live as long as the L1 they were posted to: a fresh Hardhat L1 starts without them.
  const { blobDir } = prepareDataDir(o.dataDir, { keepBlobs: o.l1RpcUrl !== undefined });

  let hardhat: HardhatL1 | undefined;
  const l1 = await connectL1(o.l1RpcUrl ?? (hardhat = await startHardhatL1({ host: o.host, port: o.l1Port })).url);
  const beacon = await startBeaconServer({ host: o.host, port: o.beaconPort, l1: l1.client, blobDir });
  const accounts = devAccounts(20);
  const operator = accounts[OPERATOR_ACCOUNT]!;
  const operatorWallet = l1.wallet(operator.privateKey);

  // The rollup's constructor fixes the verifier: it is deployed first, once the circuit is ready.
  const zk = zkPrepared && (await deployZkVerifier(l1.client, operatorWallet, await zkPrepared, { slots: o.zkSlots, proverWorkers: o.proverWorkers, host: o.host }));
  // Started now, ready by the time the accounts are funded.
  const proverStarting = zk && startProverProcess(zk.proverConfig, o);
  proverStarting?.catch(() => undefined);
  const deployment = await deployContracts(l1.client, operatorWallet, {
    levels: o.levels,
    l2ChainId: o.l2ChainId,
    challengeWindow: o.challengeWindow,
    inclusionWindow: o.inclusionWindow,
    minBond: DEFAULT_MIN_BOND,
    proposer: operator.address,
    clockBudget: o.clockBudget,
    queueFee: o.queueFee,
    exodusDelay: o.exodusDelay,
    ...(zk ? { zk: { verifier: zk.info.verifier, slots: o.zkSlots } } : {}),
  });
  const { rollup, bridge, testToken, disputeGame } = deployment.contracts;
  await depositProposerBond(l1.client, operatorWallet, rollup);

  const funded = accounts.slice(0, o.fundedAccounts);
  const domain = { l1ChainId: l1.chainId, l2ChainId: o.l2ChainId, rollupAddress: rollup };
  // A faulty proposer steals into its own L2 account (fault bad-signature): give it one.
  await fundDevAccounts(l1, { bridge, testToken, testTokenId: deployment.testTokenId, domain }, o.fault ? [...funded, operator] : funded);

  const prover = await proverStarting;
  const sequencer = await startSequencerProcess(sequencerConfig({ options: o, l1, deployment, operator, blobDir, proverUrl: prover?.url }), o);
  const challengerDev = o.challenger ? accounts[CHALLENGER_ACCOUNT]! : undefined;
  const challenger =
    challengerDev &&
    (await startChallengerProcess(challengerConfig({ l1Url: l1.url, deployment, challenger: challengerDev, operator, beaconUrl: beacon.url }), {
      dataDir: o.dataDir,
      verbose: o.verbose,
      onLine: o.onChallengerLog,
    }));
  const challengeBond = await l1.client.readContract({ address: disputeGame, abi: disputeGameAbi, functionName: "challengeBond" });
  // The funded accounts exist on L2 once the sequencer has put the queue entries in a batch.
  const indexOf = await waitForL2Accounts(sequencer.url, funded, deployment.testTokenId);
  const dashboard: Dashboard | undefined = o.dashboard
    ? await startDashboard({ host: o.host, port: o.dashboardPort, l1RpcUrl: l1.url, l2RpcUrl: sequencer.url, beaconUrl: beacon.url, fromBlock: BigInt(deployment.deployBlock) })
    : undefined;

  const info: DevnetInfo = {
    l1: { rpcUrl: l1.url, chainId: l1.chainId },
    l2: { rpcUrl: sequencer.url, chainId: o.l2ChainId },
    chainIds: { l1: l1.chainId, l2: o.l2ChainId },
    contracts: deployment.contracts,
    tokens: { ETH: 0, TEST: deployment.testTokenId },
    settlement: o.settlement,
    zk: zk ? { ...zk.info, proverUrl: prover!.url } : null,
    levels: o.levels,
    challengeWindow: o.challengeWindow,
    dispute: { game: disputeGame, challengeBond: challengeBond.toString(), clockBudget: o.clockBudget, challenger: challengerDev ?? null },
    deployBlock: deployment.deployBlock,
    da: o.da,
    beacon: { url: beacon.url },
    dashboard: dashboard ? { url: dashboard.url } : null,
    operator,
    accounts: accounts.slice(0, 10).map((a) => ({ ...a, l2Accounts: indexOf.get(a.address) ?? null })),
  };
  if (o.writeJson) writeFileSync(o.writeJson, `${JSON.stringify(info, null, 2)}\n`);

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
        account: accounts[account]!.privateKey,
        pollingInterval: 50,
        // The exodus actions then need no L2 RPC.
        deployment: { rollup, bridge, fromBlock: BigInt(deployment.deployBlock), beaconUrl: beacon.url },
      }),
    warp: (seconds) => warpL1(l1.url, seconds),
    async stop() {
      await dashboard?.close();
      await Promise.all([sequencer.stop(), challenger?.stop(), prover?.stop()]);
      await beacon.close();
      await hardhat?.close();
    },
  };
}
