/**
 * The blob encoding of batch payloads (docs/protocol.md §9): how the bytes a calldata batch
 * would carry are packed into EIP-4844 blobs, and back. Pure: no KZG here (commitments and
 * proofs are made by the poster with c-kzg); only the versioned hash of a commitment, which
 * is a SHA-256.
 *
 *   blob        │ element 0 │ element 1 │ … │ element 4095 │          4096 × 32 bytes
 *   element     │ 0x00 │ 31 bytes of the stream │            first byte 0: always < BLS modulus
 *   stream      │ header (31 B) │ payload │ zero padding │    read across the blobs in order
 *   header      │ version u8 │ payload length u32 │ 26 zero bytes │
 */
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
 * encoding of this payload that `decodeBlobPayload` accepts.
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

/**
 * Unpacks a payload from its blobs, in order, and checks that they are its canonical
 * encoding: every element's first byte 0, a known version, zero reserved header bytes,
 * exactly `blobCountFor(length)` blobs, zero padding after the payload. Throws
 * `MalformedDataError` saying which blob and element is wrong.
 *
 * @example
 * decodeBlobPayload(encodeBlobPayload(payload)) // equals payload
 */
export function decodeBlobPayload(blobs: readonly Uint8Array[]): Uint8Array {
  if (blobs.length === 0) throw new MalformedDataError("no blobs: a blob payload takes at least one blob");
  blobs.forEach((blob, b) => {
    if (blob.length !== BYTES_PER_BLOB) {
      throw new MalformedDataError(`blob ${b} is ${blob.length} bytes, a blob is ${BYTES_PER_BLOB}`);
    }
  });
  const stream = new Uint8Array(blobs.length * DATA_BYTES_PER_BLOB);
  blobs.forEach((blob, b) => {
    for (let e = 0; e < FIELD_ELEMENTS_PER_BLOB; e++) {
      const at = e * BYTES_PER_FIELD_ELEMENT;
      if (blob[at] !== 0) {
        throw new MalformedDataError(`blob ${b}, field element ${e}: first byte is 0x${blob[at]!.toString(16).padStart(2, "0")}, must be 0`, {
          details: "each field element carries 31 data bytes after a zero byte (docs/protocol.md §9)",
        });
      }
      stream.set(blob.subarray(at + 1, at + BYTES_PER_FIELD_ELEMENT), (b * FIELD_ELEMENTS_PER_BLOB + e) * DATA_BYTES_PER_FIELD_ELEMENT);
    }
  });
  const version = stream[0]!;
  if (version !== BLOB_ENCODING_VERSION) {
    throw new MalformedDataError(`blob encoding version ${version} is unknown; this node reads version ${BLOB_ENCODING_VERSION}`);
  }
  const length = readSmallUint(stream, 1, 4);
  const reserved = stream.subarray(5, BLOB_HEADER_BYTES).findIndex((x) => x !== 0);
  if (reserved >= 0) throw new MalformedDataError(`blob header byte ${5 + reserved} is reserved and must be 0`);
  const expected = blobCountFor(length);
  if (blobs.length !== expected) {
    throw new MalformedDataError(`a payload of ${length} bytes takes ${expected} blob(s), got ${blobs.length}`);
  }
  const end = BLOB_HEADER_BYTES + length;
  const padding = stream.subarray(end).findIndex((x) => x !== 0);
  if (padding >= 0) {
    const at = end + padding;
    const element = Math.floor(at / DATA_BYTES_PER_FIELD_ELEMENT);
    throw new MalformedDataError(
      `blob ${Math.floor(element / FIELD_ELEMENTS_PER_BLOB)}, field element ${element % FIELD_ELEMENTS_PER_BLOB}: non-zero byte after the ${length}-byte payload`,
    );
  }
  return stream.slice(BLOB_HEADER_BYTES, end);
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
