import { ValueOutOfRangeError } from "./errors.js";

const EXPONENT_BITS = 5;
const MAX_EXPONENT = 2 ** EXPONENT_BITS - 1;

/** A decimal float format: `mantissa · 10^exponent`, exponent in the top 5 bits. */
interface FloatFormat {
  readonly name: string;
  readonly mantissaBits: number;
}

const FLOAT40: FloatFormat = { name: "float40", mantissaBits: 35 };
const FLOAT8: FloatFormat = { name: "float8", mantissaBits: 3 };

function decode(format: FloatFormat, bits: number): bigint {
  const total = format.mantissaBits + EXPONENT_BITS;
  if (!Number.isInteger(bits) || bits < 0 || bits >= 2 ** total) {
    throw new ValueOutOfRangeError(`${format.name} bits must be an integer in [0, 2^${total}), got ${bits}`);
  }
  const mantissaRange = 2 ** format.mantissaBits;
  const mantissa = BigInt(bits % mantissaRange);
  const exponent = BigInt(Math.floor(bits / mantissaRange));
  return mantissa * 10n ** exponent;
}

function encode(format: FloatFormat, value: bigint): number {
  if (value < 0n) throw new ValueOutOfRangeError(`${format.name} cannot hold a negative amount: ${value}`);
  const maxMantissa = (1n << BigInt(format.mantissaBits)) - 1n;
  // The smallest exponent that fits gives the largest exact mantissa.
  for (let exponent = 0; exponent <= MAX_EXPONENT; exponent++) {
    const scale = 10n ** BigInt(exponent);
    if (value % scale !== 0n) break;
    const mantissa = value / scale;
    if (mantissa <= maxMantissa) return exponent * 2 ** format.mantissaBits + Number(mantissa);
  }
  throw new ValueOutOfRangeError(`${value} is not exactly representable as ${format.name}`, {
    details: `${format.name} holds mantissa · 10^exponent with a ${format.mantissaBits}-bit mantissa and exponent 0..31; round the amount to fewer significant digits.`,
  });
}

/**
 * Value of a float40 (exponent u5 ‖ mantissa u35): `mantissa · 10^exponent`.
 *
 * @example
 * decodeFloat40(encodeFloat40(10n ** 18n)) // 1000000000000000000n
 */
export function decodeFloat40(bits: number): bigint {
  return decode(FLOAT40, bits);
}

/** float40 bits of `value`; throws `ValueOutOfRangeError` if it is not exactly representable. */
export function encodeFloat40(value: bigint): number {
  return encode(FLOAT40, value);
}

/** Value of a float8 fee (exponent u5 ‖ mantissa u3). */
export function decodeFloat8(bits: number): bigint {
  return decode(FLOAT8, bits);
}

/** float8 bits of `value`; throws `ValueOutOfRangeError` if it is not exactly representable. */
export function encodeFloat8(value: bigint): number {
  return encode(FLOAT8, value);
}

/** True iff `value` is exactly representable as float40. */
export function isFloat40(value: bigint): boolean {
  try {
    encodeFloat40(value);
    return true;
  } catch {
    return false;
  }
}
