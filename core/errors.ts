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

/** Bytes that do not decode to the structure they were read as. */
export class MalformedDataError extends BaseError {
  override name = "MalformedDataError";
}

/** A value outside the range its field allows (e.g. a balance above 2^128 − 1). */
export class ValueOutOfRangeError extends BaseError {
  override name = "ValueOutOfRangeError";
}

/** A protocol parameter outside its allowed range (e.g. `levels = 0`). */
export class InvalidParameterError extends BaseError {
  override name = "InvalidParameterError";
}
