import { BaseError } from "../core/index.js";

/**
 * The L2 RPC answered with a JSON-RPC error. `shortMessage` is the server's message,
 * `code` the JSON-RPC code (-32602 invalid params, -32000 op rejected, -32001 not found),
 * `data` the server's data (for a rejected op, `{ reason, details }`).
 *
 * @example
 * try { await l2.request({ method: "rollup_getOp", params: ["0x00"] }) } catch (e) {
 *   if (e instanceof L2RpcError && e.code === -32001) console.log("no such op")
 * }
 */
export class L2RpcError extends BaseError {
  override name = "L2RpcError";
  readonly code: number;
  readonly data?: unknown;

  constructor(code: number, shortMessage: string, options: { data?: unknown; details?: string } = {}) {
    super(shortMessage, { details: options.details });
    this.code = code;
    this.data = options.data;
  }
}

/**
 * The L2 RPC could not be reached or did not answer JSON-RPC (connection refused, HTTP
 * error, not JSON).
 *
 * @example
 * if (e instanceof L2TransportError) console.error(`is the sequencer running at ${e.url}?`)
 */
export class L2TransportError extends BaseError {
  override name = "L2TransportError";
  readonly url: string;

  constructor(url: string, shortMessage: string, options: { details?: string; cause?: unknown } = {}) {
    super(shortMessage, options);
    this.url = url;
  }
}

/**
 * An L1 contract call reverted. `errorName` and `args` are the decoded custom error (e.g.
 * `BatchNotFinal` with `{ batchIndex: 3n }`); `shortMessage` names it with its arguments
 * and says what it means.
 *
 * @example
 * try { await claimWithdrawal(clients, withdrawal) } catch (e) {
 *   if (e instanceof ContractRevertError && e.errorName === "BatchNotFinal") console.log("wait")
 * }
 */
export class ContractRevertError extends BaseError {
  override name = "ContractRevertError";
  /** The custom error's name, or undefined when the revert data did not decode. */
  readonly errorName?: string;
  /** The custom error's arguments by parameter name. */
  readonly args: Readonly<Record<string, unknown>>;

  constructor(
    shortMessage: string,
    options: { errorName?: string; args?: Record<string, unknown>; details?: string; cause?: unknown } = {},
  ) {
    super(shortMessage, { details: options.details, cause: options.cause });
    this.errorName = options.errorName;
    this.args = options.args ?? {};
  }
}

/**
 * A `waitFor*` action gave up before the awaited condition held (core's `waitFor` error).
 *
 * @example
 * try { await waitForOp(clients, { hash, timeout: 5_000 }) } catch (e) {
 *   if (e instanceof WaitTimeoutError) console.log(e.shortMessage)
 * }
 */
export { WaitTimeoutError } from "../core/wait.js";

/**
 * L1 data that the derivation cannot rebuild the last final state from (`exodusWithdraw`): a
 * Beacon API that does not serve a blob, or a final batch whose committed root its data does
 * not give. `shortMessage` says which batch and which roots.
 *
 * @example
 * if (e instanceof DerivationError) console.error(e.shortMessage, e.details)
 */
export { DerivationError } from "../derive/errors.js";

/**
 * An L2 amount or fee that the op's float encoding cannot hold exactly. `below` and `above`
 * are the nearest amounts it can hold.
 *
 * @example
 * try { await transfer(clients, { ..., amount: 1234567890123456789n }) } catch (e) {
 *   if (e instanceof AmountNotRepresentableError) console.log(`try ${e.below}`)
 * }
 */
export class AmountNotRepresentableError extends BaseError {
  override name = "AmountNotRepresentableError";
  readonly field: "amount" | "fee";
  readonly value: bigint;
  readonly below: bigint;
  readonly above?: bigint;

  constructor(
    shortMessage: string,
    options: { field: "amount" | "fee"; value: bigint; below: bigint; above?: bigint; details?: string; cause?: unknown },
  ) {
    super(shortMessage, { details: options.details, cause: options.cause });
    this.field = options.field;
    this.value = options.value;
    this.below = options.below;
    this.above = options.above;
  }
}

/**
 * No L2 account matches: an index that holds no account, or an owner with no account for
 * the token (signed by the given key).
 *
 * @example
 * if (e instanceof AccountNotFoundError) console.log("create an account first")
 */
export class AccountNotFoundError extends BaseError {
  override name = "AccountNotFoundError";
}

/**
 * An L2 account whose public key is not the signer's: the sequencer would refuse the
 * op as `BadSignature`.
 *
 * @example
 * if (e instanceof NotAccountKeyError) console.log("use the L2 key of the account's owner")
 */
export class NotAccountKeyError extends BaseError {
  override name = "NotAccountKeyError";
}

/**
 * A decimal token amount that does not parse (not a number, negative, or more decimals
 * than the token has).
 *
 * @example
 * parseTokenAmount("1.5.2") // throws InvalidAmountError
 */
export class InvalidAmountError extends BaseError {
  override name = "InvalidAmountError";
}

/**
 * An L1 address that the bridge does not know as a token.
 *
 * @example
 * if (e instanceof UnknownTokenAddressError) console.log("register it with registerToken")
 */
export class UnknownTokenAddressError extends BaseError {
  override name = "UnknownTokenAddressError";
}

/**
 * An L1 request that failed without a contract revert (insufficient ETH for gas, an RPC
 * that cannot be reached, a rejected signature). `shortMessage` is viem's.
 *
 * @example
 * if (e instanceof L1RequestError) console.error(e.shortMessage)
 */
export class L1RequestError extends BaseError {
  override name = "L1RequestError";
}

/**
 * An exodus action before the exodus (withdrawing or refunding from L1 needs the rollup in
 * exodus: docs/protocol.md §11).
 *
 * @example
 * if (e instanceof ExodusNotActiveError) console.log("activate it first: activateExodus")
 */
export class ExodusNotActiveError extends BaseError {
  override name = "ExodusNotActiveError";
}

/**
 * `activateExodus` on a rollup already in exodus.
 *
 * @example
 * if (e instanceof ExodusActiveError) await exodusWithdraw(clients, {})
 */
export class ExodusActiveError extends BaseError {
  override name = "ExodusActiveError";
}

/**
 * `activateExodus` before it is due: no queue entry has been overdue for the exodus delay with
 * no batch coming. `queueIndex` and `dueAt` (an L1 timestamp, seconds) name the entry that
 * makes it due first; both are undefined when no entry is waiting at all.
 *
 * @example
 * if (e instanceof ExodusNotDueError && e.dueAt !== undefined) await devnet.warp(Number(e.dueAt - e.l1Time) + 1)
 */
export class ExodusNotDueError extends BaseError {
  override name = "ExodusNotDueError";
  readonly queueIndex?: number;
  readonly dueAt?: bigint;
  readonly l1Time: bigint;

  constructor(shortMessage: string, options: { queueIndex?: number; dueAt?: bigint; l1Time: bigint; details?: string }) {
    super(shortMessage, { details: options.details });
    this.queueIndex = options.queueIndex;
    this.dueAt = options.dueAt;
    this.l1Time = options.l1Time;
  }
}

/**
 * An exodus exit with nothing left to pay the caller: no account with a balance in the last
 * final state that has not exited yet, or no deposit to refund.
 *
 * @example
 * if (e instanceof NothingToExitError) console.log("everything is already back on L1")
 */
export class NothingToExitError extends BaseError {
  override name = "NothingToExitError";
}
