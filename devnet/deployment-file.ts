/**
 * The deployment file: what a devnet (or `rollup-devnet deploy` on a shared L1) deployed, so
 * that the next start attaches to it instead of deploying again. It sits in the data folder
 * (`deployment.json`) or wherever `--deployment` says, and holds no key.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { type Hex } from "viem";
import { type Address, rollupAbi } from "../core/index.js";
import { type SettlementMode } from "../sequencer/rollup-mode.js";
import { type Deployment } from "./deploy.js";
import { DevnetStateError } from "./errors.js";
import { type L1Connection } from "./l1.js";
import { type DevnetOptions, type ResolvedDevnetOptions } from "./options.js";
import { type ZkDeployment } from "./zk.js";

/** The deployment file's format. */
export const DEPLOYMENT_FILE_VERSION = 1;

/**
 * The parameters fixed at deployment: a start that attaches takes them from the file, and
 * refuses options that ask for others.
 *
 * @example
 * const { levels, challengeWindow }: DeployedParameters = record.parameters
 */
export interface DeployedParameters {
  readonly levels: number;
  readonly l2ChainId: number;
  readonly challengeWindow: number;
  readonly inclusionWindow: number;
  readonly exodusDelay: number;
  /** Wei, as a decimal string. */
  readonly queueFee: string;
  readonly clockBudget: number;
  readonly settlement: SettlementMode;
  /** ZK settlement: the circuit's slots. */
  readonly zkSlots: number;
  /** Dev accounts given L2 accounts at deployment (0 on a shared L1). */
  readonly fundedAccounts: number;
}

/**
 * The deployment parameters of resolved options, with `fundedAccounts` dev accounts given L2
 * accounts (the devnet and `rollup-devnet deploy` deploy with these).
 *
 * @example
 * const parameters = deployedParametersOf(resolveDevnetOptions({}), 5)
 */
export function deployedParametersOf(o: ResolvedDevnetOptions, fundedAccounts: number): DeployedParameters {
  return {
    levels: o.levels,
    l2ChainId: o.l2ChainId,
    challengeWindow: o.challengeWindow,
    inclusionWindow: o.inclusionWindow,
    exodusDelay: o.exodusDelay,
    queueFee: o.queueFee.toString(),
    clockBudget: o.clockBudget,
    settlement: o.settlement,
    zkSlots: o.zkSlots,
    fundedAccounts,
  };
}

/**
 * One deployment of the rollup on one L1 chain.
 *
 * @example
 * const record: DeploymentRecord = readDeploymentFile(".devnet/deployment.json")!
 * record.contracts.rollup
 */
export interface DeploymentRecord extends Deployment {
  readonly version: number;
  /** The L1 chain: its id, and its genesis block's hash (another chain with the same id has another). */
  readonly l1: { readonly chainId: number; readonly genesisHash: Hex };
  /** The proposer granted PROPOSER_ROLE, who posted the bond. */
  readonly operator: Address;
  readonly parameters: DeployedParameters;
  readonly zk: ZkDeployment | null;
}

/**
 * Reads a deployment file, or returns `undefined` if there is none at `path`.
 *
 * @example
 * const record = readDeploymentFile(join(dataDir, "deployment.json"))
 */
export function readDeploymentFile(path: string): DeploymentRecord | undefined {
  if (!existsSync(path)) return undefined;
  let record: DeploymentRecord;
  try {
    record = JSON.parse(readFileSync(path, "utf8")) as DeploymentRecord;
  } catch (cause) {
    throw new DevnetStateError(`cannot read the deployment file ${path}`, { details: "it is damaged: delete it (or start over with --fresh) to deploy again", cause });
  }
  if (record.version !== DEPLOYMENT_FILE_VERSION) {
    throw new DevnetStateError(`the deployment file ${path} has format ${record.version}, this devnet reads ${DEPLOYMENT_FILE_VERSION}`, {
      details: "start over with --fresh, or run the rollup-devnet version that wrote it",
    });
  }
  return record;
}

/**
 * Writes a deployment file (atomically: a reader never sees half of it).
 *
 * @example
 * writeDeploymentFile(join(dataDir, "deployment.json"), record)
 */
export function writeDeploymentFile(path: string, record: DeploymentRecord): void {
  writeFileSync(`${path}.tmp`, `${JSON.stringify(record, null, 2)}\n`);
  renameSync(`${path}.tmp`, path);
}

const FIXED: readonly (keyof DeployedParameters & keyof DevnetOptions)[] = [
  "levels",
  "l2ChainId",
  "challengeWindow",
  "inclusionWindow",
  "exodusDelay",
  "clockBudget",
  "settlement",
  "zkSlots",
  "fundedAccounts",
];

/**
 * The options of a start that attaches to `record`: the deployment's parameters in place of
 * the options' defaults. An option set to another value than the deployment's is refused
 * (`DevnetStateError`): those parameters cannot change after the deployment.
 *
 * @example
 * const o = resolveDevnetOptions(withDeployedParameters(options, record, ".devnet/deployment.json"))
 */
export function withDeployedParameters(options: DevnetOptions, record: DeploymentRecord, path: string): DevnetOptions {
  const deployed = record.parameters;
  for (const key of FIXED) {
    if (options[key] !== undefined && options[key] !== deployed[key]) {
      throw new DevnetStateError(`${path} holds a rollup deployed with ${key} ${deployed[key]}, the options ask for ${options[key]}`, {
        details: `${key} is fixed at deployment: drop the option to attach to this rollup, or start over with --fresh (fresh: true) to deploy a new one`,
      });
    }
  }
  if (options.queueFee !== undefined && options.queueFee.toString() !== deployed.queueFee) {
    throw new DevnetStateError(`${path} holds a rollup deployed with queueFee ${deployed.queueFee}, the options ask for ${options.queueFee}`, {
      details: "the queue fee is fixed at deployment: drop the option, or start over with --fresh (fresh: true)",
    });
  }
  return { ...options, ...Object.fromEntries(FIXED.map((key) => [key, deployed[key]])), queueFee: BigInt(deployed.queueFee) };
}

/**
 * Checks that `l1` is the chain of `record` and that its rollup is there: the same chain id,
 * the same genesis block, code at the rollup's address and the levels it was deployed with.
 *
 * @example
 * await checkDeploymentOnL1(l1, record, ".devnet/deployment.json")
 */
export async function checkDeploymentOnL1(l1: L1Connection, record: DeploymentRecord, path: string): Promise<void> {
  const genesis = await l1.client.getBlock({ blockNumber: 0n });
  if (l1.chainId !== record.l1.chainId || genesis.hash !== record.l1.genesisHash) {
    throw new DevnetStateError(`${path} is a deployment on L1 chain ${record.l1.chainId} (genesis ${record.l1.genesisHash}), ${l1.url} is chain ${l1.chainId} (genesis ${genesis.hash})`, {
      details: "point --l1-rpc at the chain it was deployed on (a restarted `hardhat node` is a new chain), or start over with --fresh to deploy again",
    });
  }
  const code = await l1.client.getCode({ address: record.contracts.rollup });
  const levels = code && code !== "0x" ? await l1.client.readContract({ address: record.contracts.rollup, abi: rollupAbi, functionName: "levels" }).catch(() => undefined) : undefined;
  if (levels === undefined || Number(levels) !== record.parameters.levels) {
    throw new DevnetStateError(`${path} names the rollup ${record.contracts.rollup}, which ${levels === undefined ? "has no code" : `has levels ${levels}`} on ${l1.url}`, {
      details: "the L1 lost the deployment (its state was not kept): start over with --fresh to deploy again",
    });
  }
}
