/**
 * The blob encoding of batch payloads (docs/protocol.md §9): how the bytes a calldata batch
 * would carry are packed into EIP-4844 blobs, read back, and opened element by element for
 * the one-step prover. Pure: KZG commitments and proofs come from a backend passed in (c-kzg,
 * core/crypto/kzg.ts); only the versioned hash of a commitment, a SHA-256, is computed here.
 *
 *   blob        │ element 0 │ element 1 │ … │ element 4095 │          4096 × 32 bytes
 *   element     │ 0x00 │ 31 bytes of the stream │            first byte 0: always < BLS modulus
 *   stream      │ header (31 B) │ payload │ zero padding │    read across the blobs in order
 *   header      │ version u8 │ payload length u32 │ 26 zero bytes │
 */
import { type Hex, bytesToHex } from "viem";
import { sha256 } from "@noble/hashes/sha2.js";
import { MalformedDataError, ValueOutOfRangeError } from "./errors.js";
import { readSmallUint, writeUint } from "./bytes.js";

/** Field elements per blob (EIP-4844). */
export const FIELD_ELEMENTS_PER_BLOB = 4096;
/** Bytes per field element. */
export const BYTES_PER_FIELD_ELEMENT = 32;
/** Bytes per blob: 131,072. */
export const BYTES_PER_BLOB = FIELD_ELEMENTS_PER_BLOB * BYTES_PER_FIELD_ELEMENT;
/** Data bytes per field element: the first byte of each element is 0. */
export const DATA_BYTES_PER_FIELD_ELEMENT = 31;
/** Stream bytes per blob: 126,976. */
export const DATA_BYTES_PER_BLOB = FIELD_ELEMENTS_PER_BLOB * DATA_BYTES_PER_FIELD_ELEMENT;
/** Bytes of the stream's header (one field element's data). */
export const BLOB_HEADER_BYTES = DATA_BYTES_PER_FIELD_ELEMENT;
/** The encoding version this code writes and reads. */
export const BLOB_ENCODING_VERSION = 0;
/** Blob gas of one blob (EIP-4844 `GAS_PER_BLOB`). */
export const GAS_PER_BLOB = 131_072n;
/** Version byte of an EIP-4844 versioned hash (`VERSIONED_HASH_VERSION_KZG`). */
export const VERSIONED_HASH_VERSION_KZG = 0x01;
/** Largest payload the u32 length field can state. */
export const MAX_BLOB_PAYLOAD_BYTES = 2 ** 32 - 1;

/**
 * Number of blobs a payload of `length` bytes takes: the header and the payload, 31 bytes per
 * field element, 4096 elements per blob. Every payload takes at least one blob.
 *
 * @example
 * blobCountFor(0)      // 1
 * blobCountFor(126945) // 1 (126,976 − 31 header bytes)
 * blobCountFor(126946) // 2
 */
export function blobCountFor(length: number): number {
  if (!Number.isSafeInteger(length) || length < 0 || length > MAX_BLOB_PAYLOAD_BYTES) {
    throw new ValueOutOfRangeError(`a blob payload is 0 to ${MAX_BLOB_PAYLOAD_BYTES} bytes, got ${length}`);
  }
  return Math.max(1, Math.ceil((BLOB_HEADER_BYTES + length) / DATA_BYTES_PER_BLOB));
}

/**
 * Packs a payload into blobs (docs/protocol.md §9). The result is canonical: the only
 * encoding of this payload: zero first bytes and zero padding (which `readBlobPayload`
 * ignores).
 *
 * @example
 * const blobs = encodeBlobPayload(encodeBatchPayload(ops, params, "optimistic"))
 * blobs.length // blobCountFor(payload.length)
 */
export function encodeBlobPayload(payload: Uint8Array): Uint8Array[] {
  const count = blobCountFor(payload.length);
  const stream = new Uint8Array(count * DATA_BYTES_PER_BLOB);
  stream[0] = BLOB_ENCODING_VERSION;
  writeUint(stream, 1, 4, payload.length);
  stream.set(payload, BLOB_HEADER_BYTES);
  const blobs: Uint8Array[] = [];
  for (let b = 0; b < count; b++) {
    const blob = new Uint8Array(BYTES_PER_BLOB);
    for (let e = 0; e < FIELD_ELEMENTS_PER_BLOB; e++) {
      const from = (b * FIELD_ELEMENTS_PER_BLOB + e) * DATA_BYTES_PER_FIELD_ELEMENT;
      blob.set(stream.subarray(from, from + DATA_BYTES_PER_FIELD_ELEMENT), e * BYTES_PER_FIELD_ELEMENT + 1);
    }
    blobs.push(blob);
  }
  return blobs;
}

/** What a batch's blobs say its payload is (docs/protocol.md §9). */
export interface BlobPayload {
  /** The payload: the stated bytes, or `payloadLength` zero bytes when the header is wrong. */
  readonly payload: Uint8Array;
  /** Why the blobs do not state the batch's payload (the batch then executes as zero bytes). */
  readonly malformed?: string;
}

/**
 * Reads the payload of a blob batch of `payloadLength` bytes from its blobs, in order, by the
 * rule every node and the L1 one-step prover apply (docs/protocol.md §9): the stream is the
 * low 31 bytes of every element (the first byte is ignored); if its header states version 0,
 * zero reserved bytes and length `payloadLength`, the payload is the `payloadLength` bytes
 * after the header (bytes after them are ignored); otherwise it is `payloadLength` zero bytes.
 * Each op then depends only on the header element and the elements that hold it, which is
 * what lets the one-step prover read it from a handful of KZG openings.
 *
 * Throws `MalformedDataError` only for input L1 rules out: a blob that is not 131,072 bytes,
 * or a blob count other than `blobCountFor(payloadLength)`.
 *
 * @example
 * readBlobPayload(encodeBlobPayload(payload), payload.length) // { payload }
 */
export function readBlobPayload(blobs: readonly Uint8Array[], payloadLength: number): BlobPayload {
  const expected = blobCountFor(payloadLength);
  if (blobs.length !== expected) {
    throw new MalformedDataError(`a ${payloadLength}-byte payload takes ${expected} blob(s), got ${blobs.length}`, {
      details: "Rollup.submitBlobBatch refuses any other count, so these are not a batch's blobs",
    });
  }
  blobs.forEach((blob, b) => {
    if (blob.length !== BYTES_PER_BLOB) {
      throw new MalformedDataError(`blob ${b} is ${blob.length} bytes, a blob is ${BYTES_PER_BLOB}`);
    }
  });
  const stream = blobStream(blobs, BLOB_HEADER_BYTES + payloadLength);
  const version = stream[0]!;
  const length = readSmallUint(stream, 1, 4);
  const reserved = stream.subarray(5, BLOB_HEADER_BYTES).findIndex((x) => x !== 0);
  const malformed =
    version !== BLOB_ENCODING_VERSION
      ? `the blob header states encoding version ${version}, nodes read version ${BLOB_ENCODING_VERSION}`
      : reserved >= 0
        ? `blob header byte ${5 + reserved} is reserved and must be 0`
        : length !== payloadLength
          ? `the blob header states ${length} payload bytes, the batch committed to ${payloadLength}`
          : undefined;
  if (malformed) return { payload: new Uint8Array(payloadLength), malformed };
  return { payload: stream.slice(BLOB_HEADER_BYTES) };
}

/** The first `length` bytes of the stream of `blobs`: the low 31 bytes of each element. */
function blobStream(blobs: readonly Uint8Array[], length: number): Uint8Array {
  const stream = new Uint8Array(Math.ceil(length / DATA_BYTES_PER_FIELD_ELEMENT) * DATA_BYTES_PER_FIELD_ELEMENT);
  for (let at = 0; at < stream.length; at += DATA_BYTES_PER_FIELD_ELEMENT) {
    const element = at / DATA_BYTES_PER_FIELD_ELEMENT;
    const blob = blobs[Math.floor(element / FIELD_ELEMENTS_PER_BLOB)]!;
    const from = (element % FIELD_ELEMENTS_PER_BLOB) * BYTES_PER_FIELD_ELEMENT + 1;
    stream.set(blob.subarray(from, from + DATA_BYTES_PER_FIELD_ELEMENT), at);
  }
  return stream.subarray(0, length);
}

// ─── Openings for the one-step prover ────────────────────────────────────────────────────

/** BLS12-381's scalar field modulus: blob elements and KZG evaluation points live below it. */
export const BLS_MODULUS = 0x73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001n;

/** 7^((BLS_MODULUS − 1) / 4096), the primitive 4096th root of unity of EIP-4844. */
export const BLOB_ROOT_OF_UNITY = 0x564c0a11a0f704f4fc3e8acfe0f8245f0ad1347b378fbf96e206da11a5d36306n;

/**
 * The evaluation point of element `element` of a blob: ω^brp(element), ω = BLOB_ROOT_OF_UNITY,
 * brp the 12-bit bit reversal (a blob is its polynomial's values at these points, in order).
 *
 * @example
 * blobEvaluationPoint(0) // 1n
 * blobEvaluationPoint(1) // BLS_MODULUS - 1n
 */
export function blobEvaluationPoint(element: number): bigint {
  if (!Number.isInteger(element) || element < 0 || element >= FIELD_ELEMENTS_PER_BLOB) {
    throw new ValueOutOfRangeError(`a blob has field elements 0 to ${FIELD_ELEMENTS_PER_BLOB - 1}, got ${element}`);
  }
  let reversed = 0;
  for (let bit = 0; bit < 12; bit++) reversed = (reversed << 1) | ((element >> bit) & 1);
  let z = 1n;
  let base = BLOB_ROOT_OF_UNITY;
  for (let e = reversed; e > 0; e >>= 1) {
    if (e & 1) z = (z * base) % BLS_MODULUS;
    base = (base * base) % BLS_MODULUS;
  }
  return z;
}

/**
 * The stream elements (blob · 4096 + element) that hold op `opIndex` of a payload of
 * `recordSize`-byte ops: `count` consecutive elements from `first` (3 or 4 for 76-byte ops).
 *
 * @example
 * opElementRange(0, 76) // { first: 1, count: 3 } (stream bytes 31..106)
 */
export function opElementRange(opIndex: number, recordSize: number): { first: number; count: number } {
  const start = BLOB_HEADER_BYTES + opIndex * recordSize;
  const first = Math.floor(start / DATA_BYTES_PER_FIELD_ELEMENT);
  const count = Math.ceil(((start % DATA_BYTES_PER_FIELD_ELEMENT) + recordSize) / DATA_BYTES_PER_FIELD_ELEMENT);
  return { first, count };
}

/** A KZG opening of one blob element, as `ElementOpening` in contracts/libraries/BlobReader.sol. */
export interface ElementOpening {
  readonly commitment: Hex;
  readonly value: Hex;
  readonly proof: Hex;
}

/** The `blobs` argument of `DisputeGame.proveBlobStep` (`BlobOpenings`). */
export interface BlobOpenings {
  readonly blobHashes: readonly Hex[];
  readonly header: ElementOpening;
  readonly elements: readonly ElementOpening[];
}

/** What `blobOpenings` needs of a KZG backend (core/crypto/kzg.ts `loadKzg`). */
export interface KzgOpener {
  blobToKzgCommitment(blob: Uint8Array): Uint8Array;
  /** [proof, y] with y = p(z) for the blob's polynomial p. */
  computeKzgProof(blob: Uint8Array, z: Uint8Array): [Uint8Array, Uint8Array];
}

const NO_OPENING: ElementOpening = { commitment: "0x", value: `0x${"00".repeat(32)}`, proof: "0x" };

/**
 * The openings `DisputeGame.proveBlobStep` reads op `opIndex` of a blob batch from: the
 * stream header (element 0 of blob 0) and every element that holds the op. With
 * `opIndex` undefined (a queue or fee step) only the versioned hashes.
 *
 * @example
 * const openings = blobOpenings(loadKzg(), blobs, versionedHashes, 5, 76)
 * await game.write.proveBlobStep([gameId, header, openings, pre, proof])
 */
export function blobOpenings(
  kzg: KzgOpener,
  blobs: readonly Uint8Array[],
  blobHashes: readonly Hex[],
  opIndex: number | undefined,
  recordSize: number,
): BlobOpenings {
  if (opIndex === undefined) return { blobHashes, header: NO_OPENING, elements: [] };
  const commitments = new Map<number, Uint8Array>();
  const open = (position: number): ElementOpening => {
    const b = Math.floor(position / FIELD_ELEMENTS_PER_BLOB);
    const blob = blobs[b];
    if (!blob) throw new ValueOutOfRangeError(`stream element ${position} is beyond the batch's ${blobs.length} blob(s)`);
    if (!commitments.has(b)) commitments.set(b, kzg.blobToKzgCommitment(blob));
    const z = new Uint8Array(32);
    writeUint(z, 0, 32, blobEvaluationPoint(position % FIELD_ELEMENTS_PER_BLOB));
    const [proof, y] = kzg.computeKzgProof(blob, z);
    return { commitment: bytesToHex(commitments.get(b)!), value: bytesToHex(y), proof: bytesToHex(proof) };
  };
  const { first, count } = opElementRange(opIndex, recordSize);
  return { blobHashes, header: open(0), elements: Array.from({ length: count }, (_, k) => open(first + k)) };
}

/**
 * The EIP-4844 versioned hash of a KZG commitment: `0x01 ‖ sha256(commitment)[1:]`, what
 * BLOBHASH returns on L1.
 *
 * @example
 * kzgToVersionedHash(commitment) // Uint8Array(32) starting with 0x01
 */
export function kzgToVersionedHash(commitment: Uint8Array): Uint8Array {
  if (commitment.length !== 48) throw new MalformedDataError(`a KZG commitment is 48 bytes, got ${commitment.length}`);
  const hash = sha256(commitment);
  hash[0] = VERSIONED_HASH_VERSION_KZG;
  return hash;
}
