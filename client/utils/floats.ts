import { ValueOutOfRangeError, encodeFloat40, encodeFloat8 } from "../../core/index.js";
import { AmountNotRepresentableError } from "../errors.js";

const MAX_EXPONENT = 31n;

function nearest(value: bigint, mantissaBits: number): { below: bigint; above?: bigint } {
  const maxMantissa = (1n << BigInt(mantissaBits)) - 1n;
  let below = 0n;
  let above: bigint | undefined;
  for (let e = 0n; e <= MAX_EXPONENT; e++) {
    const scale = 10n ** e;
    const down = value / scale;
    const candidateBelow = (down < maxMantissa ? down : maxMantissa) * scale;
    if (candidateBelow > below) below = candidateBelow;
    const up = (value + scale - 1n) / scale;
    if (up <= maxMantissa && (above === undefined || up * scale < above)) above = up * scale;
  }
  return { below, above };
}

function encodeOrExplain(field: "amount" | "fee", value: bigint, format: "float40" | "float8"): number {
  const [encode, mantissaBits, digits] = format === "float40" ? [encodeFloat40, 35, 10] : [encodeFloat8, 3, 1];
  try {
    return encode(value);
  } catch (e) {
    if (!(e instanceof ValueOutOfRangeError) || value < 0n) throw e;
    const { below, above } = nearest(value, mantissaBits);
    const choices = above === undefined ? `${below}` : `${below} or ${above}`;
    throw new AmountNotRepresentableError(`${field} ${value} is not exactly representable as ${format}`, {
      field,
      value,
      below,
      above,
      details: `L2 ${field}s are posted as ${format} (a ${mantissaBits}-bit mantissa times a power of ten, about ${digits} significant digit${digits > 1 ? "s" : ""}); use ${choices} base units instead.`,
      cause: e,
    });
  }
}

/**
 * The float encodings of an op's amount (float40) and fee (float8). Throws
 * `AmountNotRepresentableError`, naming the nearest amounts that are exact, when either
 * is not exactly representable.
 *
 * @example
 * encodeOpAmounts({ amount: 10n ** 18n, fee: 10n ** 15n }) // { amountFloat40, feeFloat8 }
 */
export function encodeOpAmounts(values: { amount: bigint; fee: bigint }): { amountFloat40: number; feeFloat8: number } {
  return {
    amountFloat40: encodeOrExplain("amount", values.amount, "float40"),
    feeFloat8: encodeOrExplain("fee", values.fee, "float8"),
  };
}
