/**
 * Public crypto API of the rollup: circomlib-compatible Poseidon, BabyJubJub
 * and EdDSA-Poseidon. Default exports use the native addon when it is built
 * (`cryptoBackend === "native"`), else the pure TypeScript fallback;
 * `backends` exposes each implementation explicitly.
 */
import { jsUnpackPoint, nativeUnpackPoint, type Point } from "./babyjub.js";
import { cryptoBackend, type BackendName } from "./backend.js";
import {
  jsVerify,
  jsVerifyPacked,
  nativeVerify,
  nativeVerifyPacked,
  type Signature,
} from "./eddsa.js";
import { jsPoseidon, jsPoseidonMany, nativePoseidon } from "./poseidon.js";
import { nativeAddon } from "./backend.js";

// A local const keeps TypeScript's null-narrowing inside the closures below.
const addon = nativeAddon;

export {
  cryptoBackend,
  nativeArithmetic,
  nativeLoadError,
  type BackendName,
  type NativeArithmetic,
} from "./backend.js";
export {
  FIELD_MODULUS,
  add,
  assertFieldElement,
  inv,
  isFieldElement,
  mod,
  mul,
  neg,
  pow,
  sqrt,
  sub,
} from "./field.js";
export { POSEIDON_MAX_INPUTS, poseidon, poseidonMany } from "./poseidon.js";
export {
  BASE8,
  CURVE_A,
  CURVE_D,
  CURVE_ORDER,
  GENERATOR,
  IDENTITY,
  SUB_ORDER,
  addPoint,
  inCurve,
  mulBase8,
  mulPointScalar,
  packPoint,
  pointEq,
  unpackPoint,
  type Point,
} from "./babyjub.js";
export {
  derivePublicKey,
  packSignature,
  sign,
  unpackSignature,
  verify,
  verifyMany,
  verifyPacked,
  type PackedVerifyItem,
  type Signature,
} from "./eddsa.js";

/** The operations that differ between backends. */
export interface CryptoImpl {
  readonly name: BackendName;
  poseidon(inputs: readonly bigint[]): bigint;
  poseidonMany(batch: readonly (readonly bigint[])[]): bigint[];
  unpackPoint(bytes: Uint8Array): Point | null;
  verify(msg: bigint, sig: Signature, A: Point): boolean;
  verifyPacked(msg: bigint, sig: Uint8Array, A: Point): boolean;
}

const jsImpl: CryptoImpl = {
  name: "js",
  poseidon: jsPoseidon,
  poseidonMany: jsPoseidonMany,
  unpackPoint: jsUnpackPoint,
  verify: jsVerify,
  verifyPacked: jsVerifyPacked,
};

const nativeImpl: CryptoImpl | null = addon
  ? {
      name: "native",
      poseidon: nativePoseidon!,
      poseidonMany: (batch) => addon.poseidonMany(batch),
      unpackPoint: nativeUnpackPoint!,
      verify: nativeVerify!,
      verifyPacked: nativeVerifyPacked!,
    }
  : null;

/** Returns an implementation by name; null if the native addon is not loaded. */
export function getBackend(name: BackendName): CryptoImpl | null {
  return name === "js" ? jsImpl : nativeImpl;
}

/** The implementation behind the default exports. */
export const activeBackend: CryptoImpl = cryptoBackend === "native" ? nativeImpl! : jsImpl;
