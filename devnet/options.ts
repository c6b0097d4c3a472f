/**
 * The devnet's options: their defaults, and the one check of the settlement, DA mode and fault
 * together (`resolveRollupMode`, shared with the sequencer) before anything starts.
 */
import { availableParallelism } from "node:os";
import { type Hex } from "viem";
import { type FaultSpec } from "../sequencer/faults/faulty-proposer.js";
import { type DaMode } from "../sequencer/l1/da.js";
import { resolveRollupMode, type SettlementMode } from "../sequencer/rollup-mode.js";
import { DEFAULT_QUEUE_FEE } from "./deploy.js";

/**
 * Step slots of the devnet's ZK circuit (queue entries + L2 ops per batch): the smallest power
 * of two at which a full batch costs at most 20,000 L1 gas per transfer (docs/zk.md "Slots").
 *
 * @example
 * startDevnet({ settlement: "zk", zkSlots: DEFAULT_ZK_SLOTS })
 */
export const DEFAULT_ZK_SLOTS = 32;

/**
 * Options of `startDevnet`; every one has a default.
 *
 * @example
 * const options: DevnetOptions = { l1Port: 0, l2Port: 0, settlement: "zk", zkSlots: 4 }
 */
export interface DevnetOptions {
  /** Host for every server (default 127.0.0.1). */
  readonly host?: string;
  /** Port of the Hardhat L1 (default 8545; 0 picks a free one). Ignored with `l1RpcUrl`. */
  readonly l1Port?: number;
  /** Port of the L2 JSON-RPC (default 8546; 0 picks a free one). */
  readonly l2Port?: number;
  /**
   * Use this L1 node instead of starting Hardhat: the devnet attaches to the rollup of the
   * data folder's (or `deployment`'s) deployment file when there is one, else deploys one and
   * writes the file.
   */
  readonly l1RpcUrl?: string;
  /** A deployment file (written by `rollup-devnet deploy` or another devnet) to attach to instead of deploying. */
  readonly deployment?: string;
  /**
   * The Beacon API of the L1's consensus client, where the challenger reads blobs (on a real
   * L1). Default: the devnet serves the sidecars it posts itself (`beaconPort`).
   */
  readonly beaconUrl?: string;
  /**
   * The operator's L1 key (deploys, proposes, collects fees). Default: dev account 19; required
   * on an L1 that is not a local development node (the well-known keys are refused there).
   */
  readonly operatorKey?: Hex;
  /** The challenger agent's L1 key. Default: dev account 18; required where the operator's is. */
  readonly challengerKey?: Hex;
  /** Account tree depth (default 8: 2^24 accounts). */
  readonly levels?: number;
  /** L2 chain id (default 424242). */
  readonly l2ChainId?: number;
  /** Seconds before a batch is final (default 7 days, as on mainnet; `warp` skips it). */
  readonly challengeWindow?: number;
  /** Seconds an L1 queue entry may wait (default 1 day). */
  readonly inclusionWindow?: number;
  /** Seconds an overdue queue entry waits, with no batch coming, before anyone may switch the rollup into exodus (default 1 day; docs/protocol.md §11). */
  readonly exodusDelay?: number;
  /** ETH (wei) each L1 queue entry pays the operator (default 0.0001 ether; docs/protocol.md §6). */
  readonly queueFee?: bigint;
  /** Ops per batch before it is closed (default 512). */
  readonly batchSize?: number;
  /** Milliseconds before a non-empty batch is closed (default 1000). */
  readonly batchIntervalMs?: number;
  /**
   * Where the devnet keeps its state: the L1's journal, the deployment, the sequencer's
   * write-ahead log, the blob sidecars (devnet/data-dir.ts). A devnet started again on the same
   * folder comes back as it was stopped. Default: a temporary folder, removed at `stop`.
   */
  readonly dataDir?: string;
  /** Remove the state in `dataDir` first: a new L1, a new deployment (default false). */
  readonly fresh?: boolean;
  /** Dev accounts given L2 accounts at start, in ETH and in the test token (default 5). */
  readonly fundedAccounts?: number;
  /** Write devnet.json here (default: not written). */
  readonly writeJson?: string;
  /** Print the sequencer's and the challenger agent's log lines (default false). */
  readonly verbose?: boolean;
  /**
   * Run the challenger / defender agent (sequencer/challenger/) as a child process (default
   * true): it challenges wrong batches with dev account 18 and defends the operator's.
   */
  readonly challenger?: boolean;
  /** Receives each line the agent logs (one per move), whether or not `verbose` is set. */
  readonly onChallengerLog?: (line: string) => void;
  /** Seconds of each party's chess clock in a dispute game (default 1 hour; `warp` skips it). */
  readonly clockBudget?: number;
  /** Make the sequencer post one wrong batch (sequencer/faults/); its trace stays honest otherwise. */
  readonly fault?: FaultSpec;
  /** Where batch data goes: "calldata" (default), "blobs" (EIP-4844), or "auto" (the cheaper per batch). */
  readonly da?: DaMode;
  /**
   * Port of the Beacon API serving blob sidecars (default 5052; 0 picks a free one). When
   * `l2Port` is 0 it defaults to 0 too, so a test suite asking for free ports gets them all.
   */
  readonly beaconPort?: number;
  /**
   * "optimistic" (default): batches final after the challenge window, disputes by the agent.
   * "zk": each batch carries a Groth16 proof (INSECURE dev setup, docs/zk.md) and is final at
   * once; no dispute game agent runs.
   */
  readonly settlement?: SettlementMode;
  /** ZK: step slots of the circuit, i.e. queue entries + ops per batch (default `DEFAULT_ZK_SLOTS`, 32). */
  readonly zkSlots?: number;
  /** ZK: proving processes of the prover service (default 1: each uses every core; at most the cores). */
  readonly proverWorkers?: number;
  /** Progress lines of the slow steps (circuit build, setup, verifier); default: silent. */
  readonly onLog?: (line: string) => void;
  /** Serve the live dashboard (dashboard/, default true); its URL is in `info.dashboard`. */
  readonly dashboard?: boolean;
  /** Port of the dashboard (default 8547; 0 when `l2Port` is 0, as for the Beacon API). */
  readonly dashboardPort?: number;
}


/**
 * The devnet's options with every default filled in and the mode checked.
 *
 * @example
 * const { settlement, da, challenger, dataDir }: ResolvedDevnetOptions = resolveDevnetOptions({})
 */
export interface ResolvedDevnetOptions {
  readonly host: string;
  readonly l1Port: number;
  readonly l2Port: number;
  readonly l1RpcUrl: string | undefined;
  readonly deployment: string | undefined;
  readonly beaconUrl: string | undefined;
  readonly operatorKey: Hex | undefined;
  readonly challengerKey: Hex | undefined;
  readonly levels: number;
  readonly l2ChainId: number;
  readonly challengeWindow: number;
  readonly inclusionWindow: number;
  readonly exodusDelay: number;
  readonly queueFee: bigint;
  readonly batchSize: number;
  readonly batchIntervalMs: number;
  /** Undefined: a temporary folder. */
  readonly dataDir: string | undefined;
  readonly fresh: boolean;
  readonly fundedAccounts: number;
  readonly writeJson: string | undefined;
  readonly verbose: boolean;
  /** Whether the challenger agent runs: never with ZK settlement (a ZK batch cannot be challenged). */
  readonly challenger: boolean;
  readonly onChallengerLog: ((line: string) => void) | undefined;
  readonly clockBudget: number;
  readonly fault: FaultSpec | undefined;
  readonly da: DaMode;
  readonly beaconPort: number;
  readonly settlement: SettlementMode;
  readonly zkSlots: number;
  /** At least 1, at most the cores. */
  readonly proverWorkers: number;
  readonly onLog: (line: string) => void;
  readonly dashboard: boolean;
  readonly dashboardPort: number;
}

/**
 * Fills in the defaults of `startDevnet`'s options and checks the settlement, DA mode and
 * fault together; throws `RollupModeError` (saying which option to change) for a mode the
 * rollup cannot run in.
 *
 * @example
 * resolveDevnetOptions({ l2Port: 0 }).beaconPort // 0: free ports for a test suite
 * resolveDevnetOptions({ settlement: "zk", fault: { kind: "wrong-root" } }) // throws RollupModeError
 */
export function resolveDevnetOptions(options: DevnetOptions): ResolvedDevnetOptions {
  const { settlement, da } = resolveRollupMode(options);
  return {
    host: options.host ?? "127.0.0.1",
    l1Port: options.l1Port ?? 8545,
    l2Port: options.l2Port ?? 8546,
    l1RpcUrl: options.l1RpcUrl,
    deployment: options.deployment,
    beaconUrl: options.beaconUrl,
    operatorKey: options.operatorKey,
    challengerKey: options.challengerKey,
    levels: options.levels ?? 8,
    l2ChainId: options.l2ChainId ?? 424242,
    challengeWindow: options.challengeWindow ?? 7 * 24 * 3600,
    inclusionWindow: options.inclusionWindow ?? 24 * 3600,
    exodusDelay: options.exodusDelay ?? 24 * 3600,
    queueFee: options.queueFee ?? DEFAULT_QUEUE_FEE,
    batchSize: options.batchSize ?? 512,
    batchIntervalMs: options.batchIntervalMs ?? 1000,
    dataDir: options.dataDir,
    fresh: options.fresh ?? false,
    fundedAccounts: options.fundedAccounts ?? 5,
    writeJson: options.writeJson,
    verbose: options.verbose ?? false,
    challenger: options.challenger !== false && settlement !== "zk",
    onChallengerLog: options.onChallengerLog,
    clockBudget: options.clockBudget ?? 3600,
    fault: options.fault,
    da,
    beaconPort: options.beaconPort ?? (options.l2Port === 0 ? 0 : 5052),
    settlement,
    zkSlots: options.zkSlots ?? DEFAULT_ZK_SLOTS,
    proverWorkers: Math.max(1, Math.min(options.proverWorkers ?? 1, availableParallelism())),
    onLog: options.onLog ?? (() => {}),
    dashboard: options.dashboard ?? true,
    dashboardPort: options.dashboardPort ?? (options.l2Port === 0 ? 0 : 8547),
  };
}
