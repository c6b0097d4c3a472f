import { expect } from "chai";
import {
  MalformedDataError,
  ValueOutOfRangeError,
  decodeBatchPayload,
  decodeFloat40,
  decodeFloat8,
  decodeL2Op,
  encodeBatchPayload,
  encodeFloat40,
  encodeFloat8,
  encodeL2Op,
  hexToBytes,
  addressToBigInt,
  isFloat40,
  resolveParams,
  InvalidParameterError,
  payloadChunks,
  zkDataCommitment,
  evaluateChunks,
  FIELD_MODULUS,
  type L2Op,
  type Mode,
} from "../../core/index.js";

function randomBytes(n: number, rand: () => number): Uint8Array {
  return Uint8Array.from({ length: n }, () => Math.floor(rand() * 256));
}

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe("floats", () => {
  it("float40_roundTrips_representativeAmounts", () => {
    for (const v of [0n, 1n, 7n, 10n ** 18n, 123456789n * 10n ** 12n, (2n ** 35n - 1n) * 10n ** 31n, 34359738367n]) {
      expect(decodeFloat40(encodeFloat40(v))).to.equal(v);
    }
  });

  it("float40_encode_picksLargestMantissa", () => {
    expect(encodeFloat40(10n)).to.equal(10);
    // 10^12 needs exponent 2 (mantissa 10^10 < 2^35); exponent 12 with mantissa 1 is not chosen.
    expect(encodeFloat40(10n ** 12n)).to.equal(2 * 2 ** 35 + 10 ** 10);
  });

  it("float40_notRepresentable_throwsWithAdvice", () => {
    const e = (() => {
      try {
        encodeFloat40(2n ** 35n + 1n);
      } catch (err) {
        return err;
      }
    })();
    expect(e).to.be.instanceOf(ValueOutOfRangeError);
    expect((e as ValueOutOfRangeError).shortMessage).to.equal("34359738369 is not exactly representable as float40");
    expect(isFloat40(2n ** 35n + 1n)).to.equal(false);
  });

  it("float8_everyPattern_decodesAndReencodesToSameValue", () => {
    for (let bits = 0; bits < 256; bits++) {
      const v = decodeFloat8(bits);
      expect(v).to.equal(BigInt(bits & 7) * 10n ** BigInt(bits >> 3));
      expect(decodeFloat8(encodeFloat8(v))).to.equal(v);
    }
    expect(() => encodeFloat8(8n)).to.throw(ValueOutOfRangeError, "not exactly representable as float8");
    expect(() => decodeFloat8(256)).to.throw(ValueOutOfRangeError);
    expect(() => encodeFloat40(-1n)).to.throw(ValueOutOfRangeError, "negative");
  });
});

describe("L2 op codec", () => {
  const params = resolveParams({ levels: 8 });

  it("params_defaultDepth_hasDocumentedSizes", () => {
    expect(params).to.deep.equal({ levels: 8, capacity: 2 ** 24, idxBytes: 3, zkOpBytes: 12, optimisticOpBytes: 76 });
    expect(resolveParams({ levels: 2 }).idxBytes).to.equal(1);
    expect(() => resolveParams({ levels: 0 })).to.throw(InvalidParameterError, "levels must be an integer from 1 to 10, got 0");
    expect(() => resolveParams({ levels: 11 })).to.throw(InvalidParameterError);
  });

  it("encode_layout_matchesSpec", () => {
    const signature = Uint8Array.from({ length: 64 }, (_, i) => i);
    const op: L2Op = { fromIdx: 0x010203, toIdx: 0x040506, amountFloat40: 0x0708090a0b, feeFloat8: 0x0c, signature };
    const bytes = encodeL2Op(op, params, "optimistic");
    expect(Array.from(bytes.slice(0, 12))).to.deep.equal([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(bytes.slice(12)).to.deep.equal(signature);
    expect(encodeL2Op(op, params, "zk")).to.deep.equal(bytes.slice(0, 12));
  });

  for (const mode of ["optimistic", "zk"] as Mode[]) {
    it(`${mode}_randomRecords_roundTripByteForByte`, () => {
      const rand = rng(mode === "zk" ? 1 : 2);
      const size = mode === "zk" ? 12 : 76;
      for (let i = 0; i < 2000; i++) {
        const bytes = randomBytes(size, rand);
        expect(encodeL2Op(decodeL2Op(bytes, params, mode), params, mode)).to.deep.equal(bytes);
      }
      const payload = randomBytes(size * 50, rand);
      const ops = decodeBatchPayload(payload, params, mode);
      expect(ops).to.have.length(50);
      expect(encodeBatchPayload(ops, params, mode)).to.deep.equal(payload);
    });

    it(`${mode}_wrongLengths_rejectedWithClearError`, () => {
      const rand = rng(3);
      const size = mode === "zk" ? 12 : 76;
      let rejected = 0;
      for (let i = 0; i < 2000; i++) {
        const length = Math.floor(rand() * 400);
        const bytes = randomBytes(length, rand);
        if (length % size === 0) {
          expect(decodeBatchPayload(bytes, params, mode)).to.have.length(length / size);
          continue;
        }
        expect(() => decodeBatchPayload(bytes, params, mode)).to.throw(
          MalformedDataError,
          `a ${mode} batch payload is a multiple of ${size} bytes, got ${length}`,
        );
        if (length !== size) {
          expect(() => decodeL2Op(bytes, params, mode)).to.throw(MalformedDataError, `a ${mode} L2 op is ${size} bytes, got ${length}`);
        }
        rejected++;
      }
      expect(rejected).to.be.greaterThan(1500);
    });
  }

  it("encode_outOfRangeFields_throw", () => {
    const small = resolveParams({ levels: 2 });
    expect(() => encodeL2Op({ fromIdx: 256, toIdx: 1, amountFloat40: 0, feeFloat8: 0 }, small, "zk")).to.throw(
      ValueOutOfRangeError,
      "fromIdx 256 does not fit in 1 index byte(s)",
    );
    expect(() => encodeL2Op({ fromIdx: 2, toIdx: 1, amountFloat40: 2 ** 40, feeFloat8: 0 }, small, "zk")).to.throw(ValueOutOfRangeError);
    expect(() => encodeL2Op({ fromIdx: 2, toIdx: 1, amountFloat40: 0, feeFloat8: 0 }, small, "optimistic")).to.throw(
      MalformedDataError,
      "needs a 64-byte signature",
    );
  });

  it("hexAndAddress_malformed_rejected", () => {
    expect(() => hexToBytes("0x123")).to.throw(MalformedDataError, "not a 0x-prefixed hex string");
    expect(() => hexToBytes("12")).to.throw(MalformedDataError);
    expect(() => addressToBigInt("0x1234")).to.throw(MalformedDataError, "not an L1 address");
  });
});

describe("ZK data commitment", () => {
  it("chunks_are31ByteBigEndianRightPadded", () => {
    const payload = Uint8Array.from({ length: 33 }, (_, i) => i + 1);
    const chunks = payloadChunks(payload);
    expect(chunks).to.have.length(2);
    expect(chunks[0]).to.equal(BigInt("0x" + Buffer.from(payload.slice(0, 31)).toString("hex")));
    expect(chunks[1]).to.equal(BigInt("0x2021" + "00".repeat(29)));
  });

  it("commitment_changesWithAnyByte_andHornerMatchesPowerSum", () => {
    const payload = Uint8Array.from({ length: 130 }, (_, i) => (i * 37) & 0xff);
    const c = zkDataCommitment(payload);
    let y = 0n;
    let power = 1n;
    for (const d of c.chunks) {
      y = (y + d * power) % FIELD_MODULUS;
      power = (power * c.z) % FIELD_MODULUS;
    }
    expect(c.y).to.equal(y);
    expect(evaluateChunks(c.chunks, c.z)).to.equal(y);
    const tampered = payload.slice();
    tampered[77]! ^= 1;
    const t = zkDataCommitment(tampered);
    expect(t.z).to.not.equal(c.z);
    expect(t.y).to.not.equal(c.y);
  });
});
