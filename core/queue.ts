import { type Address, addressToBigInt } from "./bytes.js";
import { poseidon5 } from "./hash.js";

/** Kinds of L1 queue entries (docs/protocol.md §6). */
export const QueueKind = { CreateAccount: 1, Deposit: 2, ForcedExit: 3 } as const;
export type QueueKind = (typeof QueueKind)[keyof typeof QueueKind];

/** An entry of the L1 queue, as the bridge recorded it. */
export interface QueueEntry {
  readonly kind: QueueKind;
  /** The L1 sender: owner of a new account, depositor, or forced-exit requester. */
  readonly l1Address: Address;
  readonly tokenId: number;
  /** Target account (Deposit, ForcedExit); 0 for CreateAccount. */
  readonly accountIdx: number;
  /** u128; 0 for ForcedExit. */
  readonly amount: bigint;
  /** New account's public key (CreateAccount); 0 otherwise. */
  readonly Ax: bigint;
  readonly Ay: bigint;
}

/** `kind + tokenId·2^8 + accountIdx·2^40 + l1Address·2^72`. */
export function queueEntryHead(entry: QueueEntry): bigint {
  return (
    BigInt(entry.kind) +
    (BigInt(entry.tokenId) << 8n) +
    (BigInt(entry.accountIdx) << 40n) +
    (addressToBigInt(entry.l1Address) << 72n)
  );
}

/**
 * The rolling queue hash after `entry`: `Poseidon_5(previous, head, amount, Ax, Ay)`;
 * the hash before the first entry is 0.
 *
 * @example
 * const h1 = nextQueueHash(0n, entry)
 */
export function nextQueueHash(previous: bigint, entry: QueueEntry): bigint {
  return poseidon5(previous, queueEntryHead(entry), entry.amount, entry.Ax, entry.Ay);
}
