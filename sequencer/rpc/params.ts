import {
  type Address,
  type L2Op,
  type ResolvedParams,
  ValueOutOfRangeError,
  MalformedDataError,
  decodeL2Op,
  encodeFloat40,
  encodeFloat8,
  hexToBytes,
} from "../../core/index.js";
import { invalidParams } from "./errors.js";

/** Reads a non-negative safe integer from a JSON number or a decimal/hex string. */
export function readInteger(value: unknown, name: string, max = Number.MAX_SAFE_INTEGER): number {
  const n =
    typeof value === "number"
      ? value
      : typeof value === "string" && /^(0x[0-9a-fA-F]+|[0-9]+)$/.test(value)
        ? Number(value)
        : NaN;
  if (!Number.isSafeInteger(n) || n < 0 || n > max) {
    throw invalidParams(`${name} must be an integer from 0 to ${max}, got ${JSON.stringify(value)}`);
  }
  return n;
}

/** Reads an amount in base units from a decimal or 0x-hex string (JSON numbers lose precision, so they are refused). */
export function readAmount(value: unknown, name: string): bigint {
  if (typeof value !== "string" || !/^(0x[0-9a-fA-F]+|[0-9]+)$/.test(value)) {
    throw invalidParams(`${name} must be a decimal or 0x-hex string of base units, got ${JSON.stringify(value)}`);
  }
  return BigInt(value);
}

/** Reads an L1 address. */
export function readAddress(value: unknown, name: string): Address {
  if (typeof value !== "string" || !/^0x[0-9a-fA-F]{40}$/.test(value)) {
    throw invalidParams(`${name} must be an address (0x and 40 hex digits), got ${JSON.stringify(value)}`);
  }
  return value.toLowerCase() as Address;
}

function readObject(value: unknown, name: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw invalidParams(`${name} must be an object`);
  }
  return value as Record<string, unknown>;
}

/** An op as a client submits it, with the nonce it was signed for. */
export interface SubmittedOp {
  readonly op: L2Op;
  readonly nonce: number;
}

/**
 * Parses `rollup_sendOp`'s parameter: `{ fromIdx, toIdx, amount, fee, nonce, chainId, signature }`.
 * `chainId` must be this L2's; amounts are exact base units that must fit the L1 encodings.
 */
export function readSubmittedOp(value: unknown, params: ResolvedParams, l2ChainId: number): SubmittedOp {
  const o = readObject(value, "op");
  const chainId = readInteger(o.chainId, "chainId");
  if (chainId !== l2ChainId) {
    throw invalidParams(`wrong chain: this L2 is chain ${l2ChainId}, the op is for chain ${chainId}`);
  }
  const limit = 2 ** (8 * params.idxBytes) - 1;
  const fromIdx = readInteger(o.fromIdx, "fromIdx", limit);
  const toIdx = readInteger(o.toIdx, "toIdx", limit);
  const nonce = readInteger(o.nonce, "nonce", 2 ** 40 - 1);
  let amountFloat40: number;
  let feeFloat8: number;
  try {
    amountFloat40 = encodeFloat40(readAmount(o.amount, "amount"));
    feeFloat8 = encodeFloat8(readAmount(o.fee ?? "0", "fee"));
  } catch (e) {
    if (e instanceof ValueOutOfRangeError) throw invalidParams(`${e.shortMessage}${e.details ? ` (${e.details})` : ""}`);
    throw e;
  }
  if (typeof o.signature !== "string") throw invalidParams("signature must be a 0x-hex string of 64 bytes");
  let signature: Uint8Array;
  try {
    signature = hexToBytes(o.signature);
  } catch (e) {
    throw invalidParams(`signature: ${(e as MalformedDataError).shortMessage}`);
  }
  if (signature.length !== 64) throw invalidParams(`signature must be 64 bytes (packed R8 ‖ S), got ${signature.length}`);
  return { op: { fromIdx, toIdx, amountFloat40, feeFloat8, signature }, nonce };
}

/** Parses `rollup_sendRawOp`'s parameters: the optimistic L1 encoding of an op and its nonce. */
export function readRawOp(raw: unknown, nonce: unknown, params: ResolvedParams): SubmittedOp {
  if (typeof raw !== "string") throw invalidParams("raw op must be a 0x-hex string");
  try {
    return { op: decodeL2Op(hexToBytes(raw), params, "optimistic"), nonce: readInteger(nonce, "nonce", 2 ** 40 - 1) };
  } catch (e) {
    if (e instanceof MalformedDataError) throw invalidParams(e.shortMessage);
    throw e;
  }
}
