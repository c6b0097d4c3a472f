import { type Address, addressToBigInt, toBytes32, readUint } from "./bytes.js";
import { keccak256, poseidon2, poseidon5 } from "./hash.js";
import { FEE_SLOTS } from "./params.js";
import { FIELD_MODULUS } from "./crypto/index.js";

/** Fields covered by a step commitment. */
export interface StepCommitmentFields {
  readonly accountsRoot: bigint;
  readonly nextAccountIndex: number;
  readonly withdrawalsRoot: bigint;
  readonly feeTotals: readonly bigint[];
}

/**
 * `keccak256(abi.encode(accountsRoot, nextAccountIndex, withdrawalsRoot, uint256[4] feeTotals))`.
 *
 * @example
 * stepHash(result.initial)
 */
export function stepHash(s: StepCommitmentFields): Uint8Array {
  const words = [s.accountsRoot, BigInt(s.nextAccountIndex), s.withdrawalsRoot, ...s.feeTotals];
  const data = new Uint8Array(32 * (3 + FEE_SLOTS));
  words.forEach((w, i) => data.set(toBytes32(w), 32 * i));
  return keccak256(data);
}

/** Layers of the binary keccak tree over `leaves` padded with zero words to a power of two, leaves first. */
function keccakLayers(leaves: readonly Uint8Array[]): Uint8Array[][] {
  let size = 1;
  while (size < leaves.length) size *= 2;
  const layers = [Array.from({ length: size }, (_, i) => leaves[i] ?? new Uint8Array(32))];
  for (let layer = layers[0]!; layer.length > 1; layer = layers[layers.length - 1]!) {
    const next: Uint8Array[] = [];
    for (let i = 0; i < layer.length; i += 2) {
      const pair = new Uint8Array(64);
      pair.set(layer[i]!, 0);
      pair.set(layer[i + 1]!, 32);
      next.push(keccak256(pair));
    }
    layers.push(next);
  }
  return layers;
}

/**
 * Binary keccak Merkle root over leaves padded with zero words to a power of two;
 * `node = keccak256(left ‖ right)`. A single leaf is its own root.
 */
export function stepsRoot(leaves: readonly Uint8Array[]): Uint8Array {
  const layers = keccakLayers(leaves);
  return layers[layers.length - 1]![0]!;
}

/** Sibling path of leaf `index` in `stepsRoot(leaves)`, bottom first. */
export function stepsProof(leaves: readonly Uint8Array[], index: number): Uint8Array[] {
  const layers = keccakLayers(leaves);
  return layers.slice(0, -1).map((layer, height) => layer[(index >> height) ^ 1]!);
}

/** The leaves of a calldata payload's opsRoot: keccak256 of each `recordSize`-byte record. */
function opsLeaves(payload: Uint8Array, recordSize: number): Uint8Array[] {
  const leaves: Uint8Array[] = [];
  for (let offset = 0; offset < payload.length; offset += recordSize) leaves.push(keccak256(payload.subarray(offset, offset + recordSize)));
  return leaves;
}

/**
 * The data commitment of an optimistic calldata batch (docs/protocol.md §8): the binary
 * keccak Merkle root over `keccak256(record_k)`, padded with zero leaves to a power of two;
 * 32 zero bytes for an empty payload. `Rollup.submitBatch` computes the same.
 *
 * @example
 * opsRoot(payload, params.optimisticOpBytes) // the batch's dataHash
 */
export function opsRoot(payload: Uint8Array, recordSize: number): Uint8Array {
  const leaves = opsLeaves(payload, recordSize);
  return leaves.length === 0 ? new Uint8Array(32) : stepsRoot(leaves);
}

/**
 * The opsRoot path of op `opIndex` of a calldata payload, bottom first: what
 * `DisputeGame.proveStep` takes with the op's record (`ceil(log2(ops))` siblings).
 *
 * @example
 * const path = opsProof(payload, 76, 5)
 */
export function opsProof(payload: Uint8Array, recordSize: number, opIndex: number): Uint8Array[] {
  return stepsProof(opsLeaves(payload, recordSize), opIndex);
}

/** The ZK data commitment of a payload (docs/protocol.md §8). */
export interface ZkDataCommitment {
  /** The payload as 31-byte big-endian field elements. */
  readonly chunks: readonly bigint[];
  /** Poseidon chain over the chunks, 4 at a time. */
  readonly h: bigint;
  /** The circuit's commitment to the payload it proves, `Poseidon_2(h, payloadLength)`. */
  readonly c: bigint;
  /** The contract's commitment to the payload it received, `keccak256(payload) mod r`. */
  readonly e: bigint;
  /** Evaluation point `Poseidon_2(c, e)`. */
  readonly z: bigint;
  /** `Σ chunks[i]·z^i mod r`. */
  readonly y: bigint;
}

/** Cuts a payload into 31-byte chunks, the last right-padded with zeros. */
export function payloadChunks(payload: Uint8Array): bigint[] {
  const chunks: bigint[] = [];
  for (let offset = 0; offset < payload.length; offset += 31) {
    const chunk = new Uint8Array(31);
    chunk.set(payload.subarray(offset, offset + 31));
    chunks.push(readUint(chunk, 0, 31));
  }
  return chunks;
}

/**
 * Commits to a ZK batch payload (docs/protocol.md §8): the circuit's commitment `c`, the
 * contract's `e`, the evaluation point `z = Poseidon_2(c, e)` that depends on both, and `y`,
 * which the contract checks with Horner's rule over the payload it received.
 *
 * @example
 * const { c, z, y } = zkDataCommitment(payload) // submitZkBatch(s, payload, c, proof)
 */
export function zkDataCommitment(payload: Uint8Array): ZkDataCommitment {
  const chunks = payloadChunks(payload);
  let h = 0n;
  for (let i = 0; i < chunks.length; i += 4) {
    h = poseidon5(h, chunks[i] ?? 0n, chunks[i + 1] ?? 0n, chunks[i + 2] ?? 0n, chunks[i + 3] ?? 0n);
  }
  const c = poseidon2(h, BigInt(payload.length));
  const e = readUint(keccak256(payload), 0, 32) % FIELD_MODULUS;
  const z = poseidon2(c, e);
  return { chunks, h, c, e, z, y: evaluateChunks(chunks, z) };
}

/** `Σ chunks[i]·z^i mod r` by Horner's rule, as the contract computes it. */
export function evaluateChunks(chunks: readonly bigint[], z: bigint): bigint {
  let y = 0n;
  for (let i = chunks.length - 1; i >= 0; i--) y = (y * z + chunks[i]!) % FIELD_MODULUS;
  return y;
}

/** Public data of a ZK batch. */
export interface ZkPublicData {
  readonly domain: bigint;
  readonly preStateRoot: bigint;
  readonly postStateRoot: bigint;
  readonly withdrawalsRoot: bigint;
  readonly queueHashStart: bigint;
  readonly queueHashEnd: bigint;
  readonly z: bigint;
  readonly y: bigint;
  readonly feeRecipient: Address;
  readonly feeTokens: readonly number[];
  /** Bytes of the payload (it enters the public input with the fee tokens). */
  readonly payloadLength: number;
}

/** The circuit's single public input (docs/protocol.md §8). */
export function zkPublicInput(d: ZkPublicData): bigint {
  const inner = poseidon5(d.domain, d.preStateRoot, d.postStateRoot, d.withdrawalsRoot, d.queueHashStart);
  const tokens = d.feeTokens.reduce((acc, t, j) => acc + (BigInt(t) << BigInt(32 * j)), 0n);
  const fees = poseidon2(addressToBigInt(d.feeRecipient), tokens + (BigInt(d.payloadLength) << 128n));
  return poseidon5(inner, d.queueHashEnd, d.z, d.y, fees);
}
