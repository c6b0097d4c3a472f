import { type Address, addressToBigInt } from "./bytes.js";
import { poseidon5, poseidonBatch } from "./hash.js";

/** One leaf of the account tree (docs/protocol.md §2). */
export interface Account {
  /** The only token the account holds (0 = ETH), u32. */
  readonly tokenId: number;
  /** L2 ops applied so far, u40. */
  readonly nonce: number;
  /** Balance in the token's base unit, u128. */
  readonly balance: bigint;
  /** BabyJubJub public key x. */
  readonly Ax: bigint;
  /** BabyJubJub public key y. */
  readonly Ay: bigint;
  /** The L1 owner; withdrawals and forced exits pay this address. */
  readonly ethAddr: Address;
}

/**
 * The leaf of an account: `Poseidon_5(tokenId + nonce·2^32, balance, Ax, Ay, ethAddr)`.
 *
 * @example
 * accountLeaf({ tokenId: 0, nonce: 0, balance: 1n, Ax: 1n, Ay: 2n, ethAddr: "0x00000000000000000000000000000000000000aa" })
 */
export function accountLeaf(account: Account): bigint {
  const [a, b, c, d, e] = leafInputs(account);
  return poseidon5(a!, b!, c!, d!, e!);
}

function leafInputs(account: Account): bigint[] {
  return [
    BigInt(account.tokenId) + (BigInt(account.nonce) << 32n),
    account.balance,
    account.Ax,
    account.Ay,
    addressToBigInt(account.ethAddr),
  ];
}

/** The leaves of several accounts, hashed in one batch. */
export function accountLeaves(accounts: readonly Account[]): bigint[] {
  return poseidonBatch(accounts.map(leafInputs));
}
