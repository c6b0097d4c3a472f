/**
 * The deployment parameters `npm run devnet` uses (devnet/options.ts, devnet/deploy.ts), as
 * {@link deployRollup} options: for the Hardhat benchmarks whose figures the docs quote as the
 * devnet's. (deployRollup's own defaults are the contract tests'.)
 */
import { DEFAULT_CHALLENGE_BOND, DEFAULT_MIN_BOND, defaultClockPrice } from "../../devnet/deploy.js";
import { resolveDevnetOptions } from "../../devnet/options.js";
import type { DeployRollupOptions } from "./deploy-rollup.js";

/**
 * Every parameter of a devnet deployment that the contracts fix.
 *
 * @example
 * const devnet: DevnetParameters = devnetParameters()
 * devnet.challengeBond / devnet.clockPrice // 600n: the least bond buys 600 s of clock
 */
export type DevnetParameters = Required<
  Pick<
    DeployRollupOptions,
    "levels" | "l2ChainId" | "challengeWindow" | "inclusionWindow" | "exodusDelay" | "queueFee" | "minBond" | "challengeBond" | "clockBudget" | "clockPrice"
  >
>;

/**
 * The devnet's deployment parameters with none of its options given.
 *
 * @example
 * const { rollup, game } = await deployRollup(ethers, devnetParameters())
 */
export function devnetParameters(): DevnetParameters {
  const options = resolveDevnetOptions({});
  const clockBudget = BigInt(options.clockBudget);
  return {
    levels: options.levels,
    l2ChainId: BigInt(options.l2ChainId),
    challengeWindow: BigInt(options.challengeWindow),
    inclusionWindow: BigInt(options.inclusionWindow),
    exodusDelay: BigInt(options.exodusDelay),
    queueFee: options.queueFee,
    minBond: DEFAULT_MIN_BOND,
    challengeBond: DEFAULT_CHALLENGE_BOND,
    clockBudget,
    clockPrice: defaultClockPrice(DEFAULT_CHALLENGE_BOND, clockBudget),
  };
}
