/**
 * One base error for the whole project, in viem's style: a one-line `shortMessage` that
 * says what was wrong, optional `details` that say what to do, and the `cause`.
 *
 * @example
 * try { decodeL2Op(bytes, params, "optimistic") } catch (e) {
 *   if (e instanceof BaseError) console.error(e.shortMessage)
 * }
 */
export class BaseError extends Error {
  override name = "BaseError";
  readonly shortMessage: string;
  readonly details?: string;

  constructor(shortMessage: string, options: { details?: string; cause?: unknown } = {}) {
    const message = options.details ? `${shortMessage}\n\nDetails: ${options.details}` : shortMessage;
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.shortMessage = shortMessage;
    this.details = options.details;
  }
}

/**
 * Bytes that do not decode to the structure they were read as.
 *
 * @example
 * throw new MalformedDataError(`a withdrawal proof is 5 levels of 7 siblings`, { details: "pass the entry from getWithdrawals unchanged" })
 */
export class MalformedDataError extends BaseError {
  override name = "MalformedDataError";
}

/**
 * A value outside the range its field allows (e.g. a balance above 2^128 − 1).
 *
 * @example
 * if (index >= capacity) throw new ValueOutOfRangeError(`tree index ${index} is outside [0, ${capacity})`)
 */
export class ValueOutOfRangeError extends BaseError {
  override name = "ValueOutOfRangeError";
}

/**
 * A parameter or option outside what it allows: a protocol parameter (`levels = 0`), a
 * function's argument, a command-line flag or an environment setting.
 *
 * @example
 * if (levels < 1 || levels > 10) throw new InvalidParameterError(`levels must be an integer from 1 to 10, got ${levels}`)
 */
export class InvalidParameterError extends BaseError {
  override name = "InvalidParameterError";
}

/**
 * A check the code relies on failed: a bug, not a mistake of the caller's. The message says
 * which two things disagree; there is nothing to retry. Benchmarks throw it when their own
 * results cannot be right.
 *
 * @example
 * if (root === null) throw new InvariantViolationError("5 is a non-residue mod r, so one of x², 5·x² has a root")
 */
export class InvariantViolationError extends BaseError {
  override name = "InvariantViolationError";
}

/**
 * An L1 transaction that reverted, or was mined without doing what it was sent for (a batch
 * that is not on L1 after its submission, a blob batch that went as another transaction
 * type). `txHash` names it. For the services that send L1 transactions: the sequencer's
 * posters, the devnet's deployment, the challenger and the benchmarks.
 *
 * @example
 * if (receipt.status !== "success") throw new L1TransactionError(`batch 3 submission reverted in ${hash}`, { txHash: hash })
 */
export class L1TransactionError extends BaseError {
  override name = "L1TransactionError";
  readonly txHash?: `0x${string}`;

  constructor(shortMessage: string, options: { txHash?: `0x${string}`; details?: string; cause?: unknown } = {}) {
    super(shortMessage, { details: options.details, cause: options.cause });
    this.txHash = options.txHash;
  }
}
