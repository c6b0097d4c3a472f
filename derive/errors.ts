import { BaseError } from "../core/index.js";

/** L1 data that the derivation cannot turn into batches, or that contradicts itself. */
export class DerivationError extends BaseError {
  override name = "DerivationError";
}
