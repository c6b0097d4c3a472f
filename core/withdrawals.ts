import { type Address, addressToBigInt } from "./bytes.js";
import { poseidon2 } from "./hash.js";
import { FEE_SLOTS, WITHDRAWAL_LEVELS, WITHDRAWAL_POSITIONS } from "./params.js";
import { MerkleTree, emptyRoot } from "./merkle.js";

/** A leaf of a batch's withdrawal tree: pays `amount` of `tokenId` to `ethAddr` on L1. */
export interface Withdrawal {
  /** Position in the batch's withdrawal tree. */
  readonly position: number;
  readonly ethAddr: Address;
  readonly tokenId: number;
  readonly amount: bigint;
}

/** `Poseidon_2(ethAddr·2^32 + tokenId, amount)`. */
export function withdrawalLeaf(w: { ethAddr: Address; tokenId: number; amount: bigint }): bigint {
  return poseidon2((addressToBigInt(w.ethAddr) << 32n) + BigInt(w.tokenId), w.amount);
}

/** Position of fee payout `slot` in the withdrawal tree. */
export function feePayoutPosition(slot: number): number {
  return WITHDRAWAL_POSITIONS - FEE_SLOTS + slot;
}

/** Root of a batch withdrawal tree with no leaves. */
export function emptyWithdrawalsRoot(): bigint {
  return emptyRoot(WITHDRAWAL_LEVELS);
}

/**
 * Builds the withdrawal tree of a batch from its withdrawals, e.g. to make a claim proof.
 *
 * @example
 * const tree = buildWithdrawalTree(result.withdrawals)
 * const proof = tree.proof(result.withdrawals[0].position)
 */
export function buildWithdrawalTree(withdrawals: readonly Withdrawal[]): MerkleTree {
  const tree = new MerkleTree(WITHDRAWAL_LEVELS);
  for (const w of withdrawals) tree.set(w.position, withdrawalLeaf(w));
  return tree;
}
