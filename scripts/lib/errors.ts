import { BaseError } from "../../core/index.js";

/**
 * A benchmark found the devnet or the chain it runs on in a state it cannot measure from.
 *
 * @example
 * throw new BenchmarkSetupError("the L1 queue holds a deposit", { details: "run the benchmark on a fresh devnet" })
 */
export class BenchmarkSetupError extends BaseError {
  override name = "BenchmarkSetupError";
}
