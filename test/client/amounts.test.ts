import { expect } from "chai";
import { decodeFloat40, decodeFloat8, isFloat40 } from "../../core/index.js";
import { AmountNotRepresentableError, InvalidAmountError, encodeOpAmounts, formatTokenAmount, parseTokenAmount } from "../../client/index.js";

const E18 = 10n ** 18n;

function amountError(amount: bigint, fee = 0n): AmountNotRepresentableError {
  try {
    encodeOpAmounts({ amount, fee });
  } catch (e) {
    expect(e).to.be.instanceOf(AmountNotRepresentableError);
    return e as AmountNotRepresentableError;
  }
  throw new Error(`expected ${amount}/${fee} to be refused`);
}

describe("client amounts", () => {
  it("parseTokenAmount_decimalTokens_returnsBaseUnits", () => {
    expect(parseTokenAmount("1.5")).to.equal(15n * 10n ** 17n);
    expect(parseTokenAmount("0")).to.equal(0n);
    expect(parseTokenAmount("42")).to.equal(42n * E18);
    expect(parseTokenAmount(".5")).to.equal(5n * 10n ** 17n);
    expect(parseTokenAmount("2.")).to.equal(2n * E18);
    expect(parseTokenAmount("000.0100")).to.equal(10n ** 16n);
    expect(parseTokenAmount("0.000000000000000001")).to.equal(1n);
    expect(parseTokenAmount("1.50000000000000000000")).to.equal(15n * 10n ** 17n);
    expect(parseTokenAmount("0.000001", 6)).to.equal(1n);
  });

  it("parseTokenAmount_tooManyDecimalsOrGarbage_throwsInvalidAmount", () => {
    for (const text of ["1.0000000000000000001", "", ".", "-1", "1e18", "1.5.2", "abc", "0x10", "1,5"]) {
      expect(() => parseTokenAmount(text), text).to.throw(InvalidAmountError);
    }
    expect(() => parseTokenAmount("0.0000001", 6)).to.throw(InvalidAmountError, "more than 6 decimals");
  });

  it("formatTokenAmount_baseUnits_printsDecimalTokensAndRoundTrips", () => {
    expect(formatTokenAmount(15n * 10n ** 17n)).to.equal("1.5");
    expect(formatTokenAmount(0n)).to.equal("0");
    expect(formatTokenAmount(1n)).to.equal("0.000000000000000001");
    expect(formatTokenAmount(1000n * E18)).to.equal("1000");
    for (const v of [1n, 123456789n, 10n ** 30n + 7n, 15n * 10n ** 17n]) expect(parseTokenAmount(formatTokenAmount(v))).to.equal(v);
  });

  it("encodeOpAmounts_exactAmounts_encodeToTheSameValues", () => {
    const { amountFloat40, feeFloat8 } = encodeOpAmounts({ amount: 15n * 10n ** 17n, fee: 10n ** 15n });
    expect(decodeFloat40(amountFloat40)).to.equal(15n * 10n ** 17n);
    expect(decodeFloat8(feeFloat8)).to.equal(10n ** 15n);
  });

  it("encodeOpAmounts_inexactAmount_namesNearestExactAmounts", () => {
    const value = 1234567890123456789n;
    const e = amountError(value);
    expect(e.field).to.equal("amount");
    expect(e.shortMessage).to.contain("amount 1234567890123456789 is not exactly representable as float40");
    expect(e.details).to.contain("use");
    expect(e.below < value).to.equal(true);
    expect(e.above! > value).to.equal(true);
    expect(isFloat40(e.below) && isFloat40(e.above!)).to.equal(true);
    // Nearest: nothing exact lies strictly between below and above.
    expect([e.below, e.above]).to.deep.equal([1234567890100000000n, 1234567890200000000n]);
  });

  it("encodeOpAmounts_inexactFee_isRefusedAsFloat8", () => {
    const e = amountError(10n ** 18n, 8n);
    expect(e.field).to.equal("fee");
    expect(e.shortMessage).to.contain("float8");
    expect(e.below).to.equal(7n);
    expect(e.above).to.equal(10n);
    const f = amountError(10n ** 18n, 123n * 10n ** 15n);
    expect([f.below, f.above]).to.deep.equal([10n ** 17n, 2n * 10n ** 17n]);
  });
});
