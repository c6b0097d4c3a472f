import { keccak_256 } from "@noble/hashes/sha3.js";
import { poseidon, poseidonMany } from "./crypto/index.js";

/** Poseidon with 2 inputs (t = 3). */
export function poseidon2(a: bigint, b: bigint): bigint {
  return poseidon([a, b]);
}

/** Poseidon with 5 inputs (t = 6): leaves, queue hashes, EdDSA challenges. */
export function poseidon5(a: bigint, b: bigint, c: bigint, d: bigint, e: bigint): bigint {
  return poseidon([a, b, c, d, e]);
}

/** Poseidon with 8 inputs (t = 9): nodes of the 8-ary trees. */
export function poseidon8(children: readonly bigint[]): bigint {
  return poseidon(children);
}

/**
 * Several independent Poseidon hashes in one call; the native backend spreads them over
 * the cores, which is how a transfer hashes its sender's and receiver's paths together.
 */
export function poseidonBatch(inputs: readonly (readonly bigint[])[]): bigint[] {
  return inputs.length === 1 ? [poseidon(inputs[0]!)] : poseidonMany(inputs);
}

/** keccak256 of bytes. */
export function keccak256(data: Uint8Array): Uint8Array {
  return keccak_256(data);
}
