import { formatUnits } from "viem";
import { InvalidAmountError } from "../errors.js";

/** Decimals of ETH and of the devnet's test token. */
export const TOKEN_DECIMALS = 18;

/**
 * Parses a decimal token amount (`"1.5"`) into base units (`1500000000000000000n`).
 * Unlike viem's `parseUnits` it never rounds: more decimals than the token has is an error.
 *
 * @example
 * parseTokenAmount("1.5") // 1500000000000000000n
 * parseTokenAmount("0.000001", 6) // 1n
 */
export function parseTokenAmount(text: string, decimals: number = TOKEN_DECIMALS): bigint {
  const match = /^(\d*)(?:\.(\d*))?$/.exec(text.trim());
  const whole = match?.[1] ?? "";
  const fraction = match?.[2] ?? "";
  if (!match || whole.length + fraction.length === 0) {
    throw new InvalidAmountError(`not an amount: ${JSON.stringify(text)}`, {
      details: "write a non-negative decimal number of tokens, e.g. 1.5",
    });
  }
  const significant = fraction.replace(/0+$/, "");
  if (significant.length > decimals) {
    throw new InvalidAmountError(`${text} has more than ${decimals} decimals`, {
      details: `the token's smallest unit is 10^-${decimals}`,
    });
  }
  return BigInt(whole || "0") * 10n ** BigInt(decimals) + BigInt(significant.padEnd(decimals, "0") || "0");
}

/**
 * Formats base units as a decimal token amount, without trailing zeros.
 *
 * @example
 * formatTokenAmount(1500000000000000000n) // "1.5"
 */
export function formatTokenAmount(value: bigint, decimals: number = TOKEN_DECIMALS): string {
  return formatUnits(value, decimals);
}
