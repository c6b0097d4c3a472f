import { type AccountInfo, type BatchInfo, type OpInfo, type OpStatus, type StatusInfo, type WithdrawalInfo } from "../../core/index.js";
import { type L2Account, type L2Batch, type L2OpInfo, type L2Withdrawal, type RollupStatus } from "../types.js";

// From the L2 RPC's JSON shapes (core/rpc-schema.ts) to the client's: amounts and field
// elements as bigints.

/**
 * An L2 account from its JSON form.
 *
 * @example
 * const account = formatAccount((await l2.request({ method: "rollup_getAccount", params: [2] }))!)
 */
export function formatAccount(json: AccountInfo): L2Account {
  return {
    ...json,
    balance: BigInt(json.balance),
    publicKey: { x: BigInt(json.publicKey.x), y: BigInt(json.publicKey.y) },
  };
}

/**
 * An op's info from its JSON form.
 *
 * @example
 * const op = formatOpInfo(await l2.request({ method: "rollup_getOp", params: [hash] }))
 */
export function formatOpInfo(json: OpInfo): L2OpInfo {
  return { ...json, amount: BigInt(json.amount), fee: BigInt(json.fee) };
}

/**
 * A batch from its JSON form.
 *
 * @example
 * const batch = formatBatch(await l2.request({ method: "rollup_getBatch", params: [0] }))
 */
export function formatBatch(json: BatchInfo): L2Batch {
  return {
    ...json,
    preStateRoot: BigInt(json.preStateRoot),
    postStateRoot: BigInt(json.postStateRoot),
    withdrawalsRoot: BigInt(json.withdrawalsRoot),
  };
}

/**
 * The rollup status from its JSON form.
 *
 * @example
 * const status = formatStatus(await l2.request({ method: "rollup_getStatus" }))
 */
export function formatStatus(json: StatusInfo): RollupStatus {
  return { ...json, stateRoot: BigInt(json.stateRoot) };
}

/**
 * A withdrawal from its JSON form.
 *
 * @example
 * const withdrawals = (await l2.request({ method: "rollup_getWithdrawals", params: [owner] })).map(formatWithdrawal)
 */
export function formatWithdrawal(json: WithdrawalInfo): L2Withdrawal {
  return { ...json, amount: BigInt(json.amount) };
}

const ORDER: readonly OpStatus[] = ["pending", "sealed", "batched", "final"];

/**
 * True iff `status` is `target` or later in an op's life (pending → sealed → batched → final).
 *
 * @example
 * hasReached("final", "batched") // true
 */
export function hasReached(status: OpStatus, target: OpStatus): boolean {
  return ORDER.indexOf(status) >= ORDER.indexOf(target);
}
