/**
 * EdDSA over BabyJubJub with Poseidon, bit-compatible with circomlibjs
 * `eddsa.prv2pub` / `signPoseidon` / `verifyPoseidon` (and circomlib's
 * EdDSAPoseidonVerifier circuit).
 */
import { blake512 } from "@noble/hashes/blake1.js";
import { nativeAddon } from "./backend.js";

// A local const keeps TypeScript's null-narrowing inside the closures below.
const addon = nativeAddon;
import {
  BASE8,
  SUB_ORDER,
  addPoint,
  inCurve,
  jsUnpackPoint,
  mulBase8,
  mulPointScalar,
  packPoint,
  pointEq,
  unpackPoint,
  type Point,
} from "./babyjub.js";
import { assertFieldElement, fromBytesLE, toBytesLE } from "./field.js";
import { jsPoseidon, poseidon } from "./poseidon.js";

/** An EdDSA-Poseidon signature. */
export interface Signature {
  readonly R8: Point;
  readonly S: bigint;
}

/** Private keys are 32 arbitrary bytes, as in circomlibjs. */
function assertPrivateKey(privateKey: Uint8Array): void {
  if (!(privateKey instanceof Uint8Array) || privateKey.length !== 32) {
    throw new TypeError("privateKey must be a Uint8Array of 32 bytes");
  }
}

/** blake512(privateKey), pruned: scalar s (first half) and nonce prefix (second half). */
function expandKey(privateKey: Uint8Array): { s: bigint; prefix: Uint8Array } {
  assertPrivateKey(privateKey);
  const h = blake512(privateKey);
  h[0]! &= 0xf8;
  h[31]! &= 0x7f;
  h[31]! |= 0x40;
  return { s: fromBytesLE(h, 0, 32), prefix: h.slice(32) };
}

/** Public key A = (s >> 3) * BASE8 (circomlibjs `prv2pub`). */
export function derivePublicKey(privateKey: Uint8Array): Point {
  return mulBase8(expandKey(privateKey).s >> 3n);
}

/**
 * Deterministic signature of a field element (circomlibjs `signPoseidon`):
 * r = blake512(prefix || msg_le32) mod l, R8 = r*BASE8,
 * S = (r + Poseidon(R8, A, msg) * s) mod l.
 */
export function sign(privateKey: Uint8Array, msg: bigint): Signature {
  assertFieldElement(msg, "sign: msg");
  const { s, prefix } = expandKey(privateKey);
  const A = mulBase8(s >> 3n);
  const nonceInput = new Uint8Array(64);
  nonceInput.set(prefix, 0);
  toBytesLE(msg, nonceInput, 32);
  const r = fromBytesLE(blake512(nonceInput), 0, 64) % SUB_ORDER;
  const R8 = mulBase8(r);
  const h = poseidon([R8.x, R8.y, A.x, A.y, msg]);
  return { R8, S: (r + h * s) % SUB_ORDER };
}

function checkMsg(msg: bigint): void {
  assertFieldElement(msg, "verify: msg");
}

/**
 * Pure TypeScript verification (circomlibjs `verifyPoseidon`): R8 and A on
 * the curve, S < l, and S*BASE8 == R8 + 8*h*A with h = Poseidon(R8, A, msg).
 * Returns false for malformed signatures/keys; throws only if msg is not in [0, r).
 */
export function jsVerify(msg: bigint, sig: Signature, A: Point): boolean {
  checkMsg(msg);
  if (!sig || !inCurve(sig.R8) || !inCurve(A)) return false;
  if (typeof sig.S !== "bigint" || sig.S < 0n || sig.S >= SUB_ORDER) return false;
  const h = jsPoseidon([sig.R8.x, sig.R8.y, A.x, A.y, msg]);
  const left = mulPointScalar(BASE8, sig.S);
  const right = addPoint(sig.R8, mulPointScalar(A, 8n * h));
  return pointEq(left, right);
}

/** Pure TypeScript `verifyPacked`. */
export function jsVerifyPacked(msg: bigint, sig: Uint8Array, A: Point): boolean {
  checkMsg(msg);
  const unpacked = jsUnpackSignature(sig);
  return unpacked !== null && jsVerify(msg, unpacked, A);
}

/** Native verification; null when the addon is not loaded. */
export const nativeVerify: ((msg: bigint, sig: Signature, A: Point) => boolean) | null = addon
  ? (msg, sig, A) => {
      checkMsg(msg);
      if (!sig || !sig.R8 || !A) return false;
      return addon.verify(msg, sig.R8.x, sig.R8.y, sig.S, A.x, A.y);
    }
  : null;

/** Native `verifyPacked` (decompression included); null when the addon is not loaded. */
export const nativeVerifyPacked: ((msg: bigint, sig: Uint8Array, A: Point) => boolean) | null =
  addon
    ? (msg, sig, A) => {
        checkMsg(msg);
        if (!A) return false;
        return addon.verifyPacked(msg, sig, A.x, A.y);
      }
    : null;

/** Verifies a signature on msg (a field element) by public key A. */
export const verify: (msg: bigint, sig: Signature, A: Point) => boolean = nativeVerify ?? jsVerify;

/**
 * Verifies a 64-byte packed signature (`packSignature` format) on msg by A.
 * This is the sequencer's hot path: decompression of R8 happens natively.
 */
export const verifyPacked: (msg: bigint, sig: Uint8Array, A: Point) => boolean =
  nativeVerifyPacked ?? jsVerifyPacked;

/** One item of `verifyMany`. */
export interface PackedVerifyItem {
  readonly msg: bigint;
  readonly sig: Uint8Array;
  readonly A: Point;
}

/** `verifyPacked` over a batch; returns one boolean per item. */
export function verifyMany(items: readonly PackedVerifyItem[]): boolean[] {
  return items.map(({ msg, sig, A }) => verifyPacked(msg, sig, A));
}

/** packPoint(R8) || S as 32 bytes little-endian (circomlibjs `packSignature`). */
export function packSignature(sig: Signature): Uint8Array {
  if (sig.S < 0n || sig.S >= 1n << 256n) throw new RangeError("packSignature: S does not fit in 32 bytes");
  const out = new Uint8Array(64);
  out.set(packPoint(sig.R8), 0);
  toBytesLE(sig.S, out, 32);
  return out;
}

function unpackSignatureWith(
  bytes: Uint8Array,
  unpack: (b: Uint8Array) => Point | null,
): Signature | null {
  if (!(bytes instanceof Uint8Array) || bytes.length !== 64) return null;
  const R8 = unpack(bytes.subarray(0, 32));
  if (!R8) return null;
  // S >= l is returned as is; verification rejects it.
  return { R8, S: fromBytesLE(bytes, 32, 32) };
}

/** Inverse of `packSignature`; null when R8 does not decompress to a curve point. */
export function unpackSignature(bytes: Uint8Array): Signature | null {
  return unpackSignatureWith(bytes, unpackPoint);
}

/** Pure TypeScript `unpackSignature`. */
export function jsUnpackSignature(bytes: Uint8Array): Signature | null {
  return unpackSignatureWith(bytes, jsUnpackPoint);
}
