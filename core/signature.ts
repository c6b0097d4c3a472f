import { type Point, packSignature, unpackSignature, verifyPacked, sign as signRaw, derivePublicKey } from "./crypto/index.js";
import { MalformedDataError } from "./errors.js";

/** An EdDSA-Poseidon signature as posted on L1: packed R8 (32 bytes) ‖ S (32 bytes), both big-endian words. */
export type WireSignature = Uint8Array;

/** Checks one signature: does `signature` sign `message` for public key `publicKey`? */
export type SignatureVerifier = (message: bigint, signature: WireSignature, publicKey: Point) => boolean;

// circomlib packs little-endian; the wire format is the same two 256-bit words, big-endian,
// so a contract reads each with one calldataload.
function swapHalves(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(64);
  for (let i = 0; i < 32; i++) {
    out[i] = bytes[31 - i]!;
    out[32 + i] = bytes[63 - i]!;
  }
  return out;
}

/**
 * Signs an L2 message with an L2 private key and returns the wire encoding.
 *
 * @example
 * const sig = signMessage(privateKey, l2OpMessage(op, account, domain))
 */
export function signMessage(privateKey: Uint8Array, message: bigint): WireSignature {
  return swapHalves(packSignature(signRaw(privateKey, message)));
}

/** The L2 public key of an L2 private key. */
export function publicKeyOf(privateKey: Uint8Array): Point {
  return derivePublicKey(privateKey);
}

/** Default verifier: decompresses R8 and checks the signature (native backend when built). */
export const verifyWireSignature: SignatureVerifier = (message, signature, publicKey) => {
  if (signature.length !== 64) return false;
  return verifyPacked(message, swapHalves(signature), publicKey);
};

/** Decodes a wire signature into its point and scalar; throws if R8 is not a curve point. */
export function decodeWireSignature(signature: WireSignature): { R8: Point; S: bigint } {
  if (signature.length !== 64) throw new MalformedDataError(`a signature is 64 bytes, got ${signature.length}`);
  const sig = unpackSignature(swapHalves(signature));
  if (!sig) throw new MalformedDataError("signature R8 is not a point of BabyJubJub");
  return sig;
}
