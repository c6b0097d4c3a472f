import { type Address, type Hex } from "../../core/index.js";
import {
  type L2Account,
  type L2Batch,
  type L2OpInfo,
  type L2Status,
  type L2Withdrawal,
  type RollupStatus,
} from "../types.js";

// The L2 RPC's JSON shapes: amounts are decimal strings, field elements 0x-hex.

/** `rollup_getAccount` as sent over JSON. */
export interface AccountJson {
  index: number;
  tokenId: number;
  balance: string;
  nonce: number;
  publicKey: { x: Hex; y: Hex };
  ethAddr: Address;
}

/** `rollup_getOp` as sent over JSON. */
export type OpInfoJson = Omit<L2OpInfo, "amount" | "fee"> & { amount: string; fee: string };

/** `rollup_getBatch` as sent over JSON. */
export type BatchJson = Omit<L2Batch, "preStateRoot" | "postStateRoot" | "withdrawalsRoot"> & {
  preStateRoot: Hex;
  postStateRoot: Hex;
  withdrawalsRoot: Hex;
};

/** `rollup_getStatus` as sent over JSON. */
export type StatusJson = Omit<RollupStatus, "stateRoot"> & { stateRoot: Hex };

/** One `rollup_getWithdrawals` entry as sent over JSON. */
export type WithdrawalJson = Omit<L2Withdrawal, "amount"> & { amount: string };

/**
 * An L2 account from its JSON form.
 *
 * @example
 * const account = formatAccount(await l2.request<AccountJson>("rollup_getAccount", [2]))
 */
export function formatAccount(json: AccountJson): L2Account {
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
 * const op = formatOpInfo(await l2.request<OpInfoJson>("rollup_getOp", [hash]))
 */
export function formatOpInfo(json: OpInfoJson): L2OpInfo {
  return { ...json, amount: BigInt(json.amount), fee: BigInt(json.fee) };
}

/**
 * A batch from its JSON form.
 *
 * @example
 * const batch = formatBatch(await l2.request<BatchJson>("rollup_getBatch", [0]))
 */
export function formatBatch(json: BatchJson): L2Batch {
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
 * const status = formatStatus(await l2.request<StatusJson>("rollup_getStatus"))
 */
export function formatStatus(json: StatusJson): RollupStatus {
  return { ...json, stateRoot: BigInt(json.stateRoot) };
}

/**
 * A withdrawal from its JSON form.
 *
 * @example
 * const withdrawals = (await l2.request<WithdrawalJson[]>("rollup_getWithdrawals", [owner])).map(formatWithdrawal)
 */
export function formatWithdrawal(json: WithdrawalJson): L2Withdrawal {
  return { ...json, amount: BigInt(json.amount) };
}

const ORDER: readonly L2Status[] = ["pending", "sealed", "batched", "final"];

/**
 * True iff `status` is `target` or later in an op's life (pending → sealed → batched → final).
 *
 * @example
 * hasReached("final", "batched") // true
 */
export function hasReached(status: L2Status, target: L2Status): boolean {
  return ORDER.indexOf(status) >= ORDER.indexOf(target);
}
