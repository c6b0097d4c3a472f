import { type ResolvedParams } from "./params.js";
import { readSmallUint, writeUint } from "./bytes.js";
import { poseidon2 } from "./hash.js";
import { MalformedDataError, ValueOutOfRangeError } from "./errors.js";
import { type WireSignature } from "./signature.js";

/** How batch data is settled: optimistic batches carry signatures, ZK batches do not. */
export type Mode = "optimistic" | "zk";

/**
 * An L2 op: a transfer, or a withdrawal when `toIdx` is the exit index 1
 * (docs/protocol.md §5). Amount and fee are kept in their posted float encodings.
 */
export interface L2Op {
  readonly fromIdx: number;
  readonly toIdx: number;
  /** float40 bits of the amount (see `encodeFloat40`). */
  readonly amountFloat40: number;
  /** float8 bits of the fee (see `encodeFloat8`). */
  readonly feeFloat8: number;
  /** 64-byte wire signature; required in optimistic mode, absent from ZK payloads. */
  readonly signature?: WireSignature;
}

/**
 * The message an L2 op's signature covers:
 * `Poseidon_2(domain, fromIdx + toIdx·2^32 + tokenId·2^64 + nonce·2^96 + amount·2^136 + fee·2^176)`.
 * `tokenId` and `nonce` are the sender's at the moment the op is applied.
 *
 * @example
 * const message = l2OpMessage(op, { tokenId: 0, nonce: 3 }, domain)
 */
export function l2OpMessage(op: L2Op, sender: { tokenId: number; nonce: number }, domain: bigint): bigint {
  const packed =
    BigInt(op.fromIdx) +
    (BigInt(op.toIdx) << 32n) +
    (BigInt(sender.tokenId) << 64n) +
    (BigInt(sender.nonce) << 96n) +
    (BigInt(op.amountFloat40) << 136n) +
    (BigInt(op.feeFloat8) << 176n);
  return poseidon2(domain, packed);
}

/** Bytes of one L2 op on L1 in `mode`. */
export function opRecordSize(params: ResolvedParams, mode: Mode): number {
  return mode === "optimistic" ? params.optimisticOpBytes : params.zkOpBytes;
}

function writeOp(out: Uint8Array, offset: number, op: L2Op, params: ResolvedParams, mode: Mode): void {
  const idx = params.idxBytes;
  const limit = 2 ** (8 * idx);
  for (const [name, value] of [["fromIdx", op.fromIdx], ["toIdx", op.toIdx]] as const) {
    if (!Number.isInteger(value) || value < 0 || value >= limit) {
      throw new ValueOutOfRangeError(`${name} ${value} does not fit in ${idx} index byte(s)`);
    }
  }
  writeUint(out, offset, idx, op.fromIdx);
  writeUint(out, offset + idx, idx, op.toIdx);
  writeUint(out, offset + 2 * idx, 5, op.amountFloat40);
  writeUint(out, offset + 2 * idx + 5, 1, op.feeFloat8);
  if (mode === "optimistic") {
    if (!op.signature || op.signature.length !== 64) {
      throw new MalformedDataError("an optimistic L2 op needs a 64-byte signature");
    }
    out.set(op.signature, offset + 2 * idx + 6);
  }
}

function readOp(data: Uint8Array, offset: number, params: ResolvedParams, mode: Mode): L2Op {
  const idx = params.idxBytes;
  const op: L2Op = {
    fromIdx: readSmallUint(data, offset, idx),
    toIdx: readSmallUint(data, offset + idx, idx),
    amountFloat40: readSmallUint(data, offset + 2 * idx, 5),
    feeFloat8: data[offset + 2 * idx + 5]!,
  };
  if (mode === "zk") return op;
  return { ...op, signature: data.slice(offset + 2 * idx + 6, offset + 2 * idx + 70) };
}

/**
 * The L1 bytes of one L2 op (docs/protocol.md §5 layout).
 *
 * @example
 * encodeL2Op({ fromIdx: 2, toIdx: 3, amountFloat40: encodeFloat40(5n), feeFloat8: 0, signature }, params, "optimistic")
 */
export function encodeL2Op(op: L2Op, params: ResolvedParams, mode: Mode): Uint8Array {
  const out = new Uint8Array(opRecordSize(params, mode));
  writeOp(out, 0, op, params, mode);
  return out;
}

/** Decodes exactly one L2 op; throws `MalformedDataError` if the length is wrong. */
export function decodeL2Op(data: Uint8Array, params: ResolvedParams, mode: Mode): L2Op {
  const size = opRecordSize(params, mode);
  if (data.length !== size) {
    throw new MalformedDataError(`a ${mode} L2 op is ${size} bytes, got ${data.length}`);
  }
  return readOp(data, 0, params, mode);
}

/** A batch payload: the ops concatenated in execution order. */
export function encodeBatchPayload(ops: readonly L2Op[], params: ResolvedParams, mode: Mode): Uint8Array {
  const size = opRecordSize(params, mode);
  const out = new Uint8Array(ops.length * size);
  ops.forEach((op, i) => writeOp(out, i * size, op, params, mode));
  return out;
}

/** Decodes a batch payload; throws `MalformedDataError` if its length is not a whole number of ops. */
export function decodeBatchPayload(data: Uint8Array, params: ResolvedParams, mode: Mode): L2Op[] {
  const size = opRecordSize(params, mode);
  if (data.length % size !== 0) {
    throw new MalformedDataError(`a ${mode} batch payload is a multiple of ${size} bytes, got ${data.length}`, {
      details: `${Math.floor(data.length / size)} whole op(s) and ${data.length % size} trailing byte(s)`,
    });
  }
  const ops: L2Op[] = [];
  for (let offset = 0; offset < data.length; offset += size) ops.push(readOp(data, offset, params, mode));
  return ops;
}
