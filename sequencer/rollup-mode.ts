/**
 * How the rollup settles and where its batch data goes, checked once for every entry point:
 * the devnet (`startDevnet`, `npm run devnet`) checks its options with `resolveRollupMode`
 * before it starts anything, and the sequencer node checks its config with the same function.
 */
import { BaseError } from "../core/index.js";
import { type FaultSpec } from "./faults/faulty-proposer.js";
import { DA_MODES, type DaMode } from "./l1/da.js";

/**
 * The settlement modes: "optimistic" (final after the challenge window, disputes) and "zk"
 * (every batch proved with Groth16, final at once).
 *
 * @example
 * SETTLEMENT_MODES.includes(value) // value is a SettlementMode
 */
export const SETTLEMENT_MODES = ["optimistic", "zk"] as const;

/**
 * How batches become final on L1.
 *
 * @example
 * const settlement: SettlementMode = "zk"
 */
export type SettlementMode = (typeof SETTLEMENT_MODES)[number];

/**
 * The options that decide the rollup's mode, as a user gives them (strings from a command
 * line are checked too).
 *
 * @example
 * const options: RollupModeOptions = { settlement: "optimistic", da: "blobs", fault: { kind: "wrong-root" } }
 */
export interface RollupModeOptions {
  /** Default "optimistic". */
  readonly settlement?: string;
  /** Default "calldata". */
  readonly da?: string;
  /** A wrong batch the sequencer posts on purpose (optimistic settlement only). */
  readonly fault?: FaultSpec;
}

/**
 * A checked mode.
 *
 * @example
 * const { settlement, da }: RollupMode = resolveRollupMode({})
 */
export interface RollupMode {
  readonly settlement: SettlementMode;
  readonly da: DaMode;
}

/**
 * A settlement, DA mode or fault the rollup cannot run with, or a combination of them it
 * cannot run with; the message says which option to change.
 *
 * @example
 * try { resolveRollupMode({ settlement: "zk", da: "blobs" }) } catch (e) {
 *   if (e instanceof RollupModeError) console.error(e.message)
 * }
 */
export class RollupModeError extends BaseError {
  override name = "RollupModeError";
}

/**
 * Checks the settlement, the DA mode and the fault together and fills in their defaults.
 * ZK settlement posts its payload as calldata (the circuit evaluates it; a blob batch's data
 * is not on L1 to evaluate), and cannot carry a fault (a wrong batch cannot be proved).
 *
 * @example
 * resolveRollupMode({}) // { settlement: "optimistic", da: "calldata" }
 * resolveRollupMode({ settlement: "zk", da: "blobs" }) // throws RollupModeError
 */
export function resolveRollupMode(options: RollupModeOptions): RollupMode {
  const settlement = options.settlement ?? "optimistic";
  if (!isOneOf(SETTLEMENT_MODES, settlement)) {
    throw new RollupModeError(`unknown settlement "${settlement}"`, { details: `use settlement "optimistic" or "zk" (--settlement optimistic|zk)` });
  }
  const da = options.da ?? "calldata";
  if (!isOneOf(DA_MODES, da)) {
    throw new RollupModeError(`unknown data availability mode "${da}"`, { details: `use da "calldata", "blobs" or "auto" (--da calldata|blobs|auto)` });
  }
  if (settlement === "zk" && options.fault) {
    throw new RollupModeError("fault injection needs optimistic settlement", {
      details: `a wrong ZK batch cannot be proved, so there is nothing to inject: drop the fault (--fault) or use settlement "optimistic"`,
    });
  }
  if (settlement === "zk" && da !== "calldata") {
    throw new RollupModeError(`ZK settlement posts batch data as calldata, not with da "${da}"`, {
      details: `use da "calldata" (--da calldata, the default) with settlement "zk", or settlement "optimistic" for blobs`,
    });
  }
  return { settlement, da };
}

function isOneOf<T extends string>(values: readonly T[], value: string): value is T {
  return (values as readonly string[]).includes(value);
}
