import { expect } from "chai";
import { createRequire } from "node:module";
import { sha256 } from "@noble/hashes/sha2.js";
import {
  BLOB_HEADER_BYTES,
  BYTES_PER_BLOB,
  DATA_BYTES_PER_BLOB,
  MalformedDataError,
  ValueOutOfRangeError,
  BLS_MODULUS,
  DATA_BYTES_PER_FIELD_ELEMENT,
  blobCountFor,
  blobEvaluationPoint,
  blobOpenings,
  encodeBlobPayload,
  kzgToVersionedHash,
  loadKzg,
  opElementRange,
  readBlobPayload,
} from "../../core/index.js";
import { bytesToHex, hexToBytes } from "viem";

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

function randomBytes(n: number, rand: () => number): Uint8Array {
  return Uint8Array.from({ length: n }, () => Math.floor(rand() * 256));
}

const ONE_BLOB_MAX = DATA_BYTES_PER_BLOB - BLOB_HEADER_BYTES;

describe("core/blob", () => {
  it("blobCountFor_boundaries_headerAndPayloadFillWholeElements", () => {
    expect(blobCountFor(0)).to.equal(1);
    expect(blobCountFor(ONE_BLOB_MAX)).to.equal(1);
    expect(blobCountFor(ONE_BLOB_MAX + 1)).to.equal(2);
    expect(blobCountFor(2 * DATA_BYTES_PER_BLOB - BLOB_HEADER_BYTES)).to.equal(2);
    expect(blobCountFor(4096 * 76)).to.equal(3);
    expect(() => blobCountFor(-1)).to.throw(ValueOutOfRangeError);
    expect(() => blobCountFor(2 ** 32)).to.throw(ValueOutOfRangeError);
  });

  it("encodeBlobPayload_roundTrip_lengthsAcrossBlobBoundaries", () => {
    const rand = rng(1);
    for (const length of [0, 1, 30, 31, 32, 76, 4096, ONE_BLOB_MAX - 1, ONE_BLOB_MAX, ONE_BLOB_MAX + 1, 2 * DATA_BYTES_PER_BLOB, 311_296]) {
      const payload = randomBytes(length, rand);
      const blobs = encodeBlobPayload(payload);
      expect(blobs.length, `length ${length}`).to.equal(blobCountFor(length));
      for (const blob of blobs) {
        expect(blob.length).to.equal(BYTES_PER_BLOB);
        for (let e = 0; e < 4096; e++) expect(blob[e * 32]).to.equal(0);
      }
      expect(readBlobPayload(blobs, length)).to.deep.equal({ payload });
    }
  });

  it("encodeBlobPayload_header_versionAndLengthInFirstElement", () => {
    const [blob] = encodeBlobPayload(Uint8Array.from([0xaa, 0xbb]));
    expect([...blob!.subarray(0, 6)]).to.deep.equal([0, 0, 0, 0, 0, 2]);
    expect(blob!.subarray(6, 32).every((x) => x === 0)).to.equal(true);
    expect([...blob!.subarray(32, 35)]).to.deep.equal([0, 0xaa, 0xbb]);
  });

  it("readBlobPayload_wrongHeader_zeroPayloadSaysWhy", () => {
    const payload = randomBytes(1000, rng(2));
    const cases: [string, (b: Uint8Array[]) => void, RegExp][] = [
      ["version", (b) => (b[0]![1] = 9), /encoding version 9, nodes read version 0/],
      ["reserved header byte", (b) => (b[0]![20] = 1), /header byte 19 is reserved/],
      ["length shorter", (b) => (b[0]![5] = 0xe7), /states 999 payload bytes, the batch committed to 1000/],
      ["length beyond blobs", (b) => (b[0]![2] = 0xff), /states \d+ payload bytes, the batch committed to 1000/],
    ];
    for (const [name, mutate, message] of cases) {
      const blobs = encodeBlobPayload(payload);
      mutate(blobs);
      const read = readBlobPayload(blobs, payload.length);
      expect(read.payload, name).to.deep.equal(new Uint8Array(1000));
      expect(read.malformed, name).to.match(message);
    }
  });

  it("readBlobPayload_firstBytesAndPadding_ignored", () => {
    // The rule is local (each op depends on the header element and its own elements), so a
    // set first byte or bytes after the payload change nothing.
    const payload = randomBytes(1000, rng(5));
    const blobs = encodeBlobPayload(payload);
    blobs[0]![32 * 7] = 0x42;
    blobs[0]![0] = 0x01;
    blobs[0]![32 * 100 + 5] = 7;
    blobs[0]![BYTES_PER_BLOB - 1] = 0xff;
    expect(readBlobPayload(blobs, payload.length)).to.deep.equal({ payload });
  });

  it("readBlobPayload_notTheBatchsBlobs_throwsMalformedDataError", () => {
    const blobs = encodeBlobPayload(randomBytes(100, rng(6)));
    expect(() => readBlobPayload([], 100)).to.throw(MalformedDataError, /takes 1 blob\(s\), got 0/);
    expect(() => readBlobPayload([...blobs, new Uint8Array(BYTES_PER_BLOB)], 100)).to.throw(MalformedDataError, /takes 1 blob\(s\), got 2/);
    expect(() => readBlobPayload([blobs[0]!.slice(0, 1000)], 100)).to.throw(MalformedDataError, /blob 0 is 1000 bytes/);
  });

  it("readBlobPayload_fuzzedBlobs_matchNaiveRule", () => {
    const rand = rng(3);
    let zeroed = 0;
    for (let i = 0; i < 300; i++) {
      const length = 76 * Math.floor(rand() * 40);
      const blobs = encodeBlobPayload(randomBytes(length, rand));
      // Set a few random bytes, often in the header and the first elements.
      for (let k = 1 + Math.floor(rand() * 3); k > 0; k--) {
        const at = rand() < 0.5 ? Math.floor(rand() * 200) : Math.floor(rand() * BYTES_PER_BLOB);
        blobs[0]![at] = Math.floor(rand() * 256);
      }
      // docs/protocol.md §9 read naively: drop each element's first byte, check the header.
      const stream = blobs[0]!.subarray(0, 32 * 110).filter((_, j) => j % 32 !== 0);
      const headerOk = stream[0] === 0 && stream.subarray(5, 31).every((x) => x === 0) && new DataView(stream.buffer).getUint32(1) === length;
      const expected = headerOk ? stream.slice(31, 31 + length) : new Uint8Array(length);
      const read = readBlobPayload(blobs, length);
      expect(read.payload).to.deep.equal(expected);
      expect(read.malformed === undefined).to.equal(headerOk);
      if (!headerOk) zeroed++;
    }
    expect(zeroed).to.be.greaterThan(0);
  });

  it("blobEvaluationPoint_rootsOfUnityInBitReversedOrder", () => {
    expect(blobEvaluationPoint(0)).to.equal(1n);
    expect(blobEvaluationPoint(1)).to.equal(BLS_MODULUS - 1n); // ω^2048 = −1
    const pow = (b: bigint, e: bigint) => {
      let x = 1n;
      for (; e > 0n; e >>= 1n, b = (b * b) % BLS_MODULUS) if (e & 1n) x = (x * b) % BLS_MODULUS;
      return x;
    };
    const w = blobEvaluationPoint(2048); // brp(2048) = 1
    expect(pow(w, 4096n)).to.equal(1n);
    expect(pow(w, 2048n)).to.equal(BLS_MODULUS - 1n);
    expect(blobEvaluationPoint(3)).to.equal(pow(w, 3072n));
    expect(() => blobEvaluationPoint(4096)).to.throw(ValueOutOfRangeError);
  });

  it("opElementRange_everyOffset_coversTheOpExactly", () => {
    for (const recordSize of [1, 31, 32, 70, 76, 82]) {
      for (let opIndex = 0; opIndex < 100; opIndex++) {
        const start = BLOB_HEADER_BYTES + opIndex * recordSize;
        const { first, count } = opElementRange(opIndex, recordSize);
        expect(first * 31).to.be.at.most(start);
        expect((first + 1) * 31).to.be.greaterThan(start);
        expect((first + count) * 31).to.be.at.least(start + recordSize);
        expect((first + count - 1) * 31).to.be.lessThan(start + recordSize);
      }
    }
  });

  it("blobOpenings_c-kzgOpenings_verifyAndHoldTheOp", function () {
    this.timeout(120_000);
    const kzg = loadKzg();
    const c = createRequire(import.meta.url)("c-kzg") as typeof import("c-kzg");
    const recordSize = 76;
    // Two blobs: op 1670 starts in blob 0 and ends in blob 1.
    const payload = randomBytes(recordSize * 1700, rng(7));
    const blobs = encodeBlobPayload(payload);
    expect(blobs.length).to.equal(2);
    const hashes = blobs.map((b) => bytesToHex(kzgToVersionedHash(kzg.blobToKzgCommitment(b))));
    for (const opIndex of [0, 1, 2, 1669, 1670, 1699]) {
      const o = blobOpenings(kzg, blobs, hashes, opIndex, recordSize);
      expect(o.blobHashes).to.deep.equal(hashes);
      expect(hexToBytes(o.header.value)).to.deep.equal(blobs[0]!.subarray(0, 32));
      const { first, count } = opElementRange(opIndex, recordSize);
      expect(o.elements.length).to.equal(count);
      const span = new Uint8Array(count * DATA_BYTES_PER_FIELD_ELEMENT);
      o.elements.forEach((e, k) => {
        const position = first + k;
        const blob = Math.floor(position / 4096);
        const z = hexToBytes(`0x${blobEvaluationPoint(position % 4096).toString(16).padStart(64, "0")}`);
        expect(c.verifyKzgProof(hexToBytes(e.commitment), z, hexToBytes(e.value), hexToBytes(e.proof)), `op ${opIndex} element ${k}`).to.equal(true);
        expect(bytesToHex(kzgToVersionedHash(hexToBytes(e.commitment)))).to.equal(hashes[blob]);
        span.set(hexToBytes(e.value).subarray(1), k * DATA_BYTES_PER_FIELD_ELEMENT);
      });
      const offset = (BLOB_HEADER_BYTES + opIndex * recordSize) % DATA_BYTES_PER_FIELD_ELEMENT;
      expect(span.subarray(offset, offset + recordSize), `op ${opIndex}`).to.deep.equal(payload.subarray(opIndex * recordSize, (opIndex + 1) * recordSize));
    }
    expect(blobOpenings(kzg, blobs, hashes, undefined, recordSize).elements).to.deep.equal([]);
  });

  it("kzgToVersionedHash_cKzgCommitment_matchesEip4844Rule", () => {
    const kzg = createRequire(import.meta.url)("c-kzg") as typeof import("c-kzg");
    try {
      kzg.loadTrustedSetup(0);
    } catch (e) {
      if (!(e as Error).message.includes("already loaded")) throw e;
    }
    const [blob] = encodeBlobPayload(randomBytes(500, rng(4)));
    const commitment = kzg.blobToKzgCommitment(blob!);
    const proof = kzg.computeBlobKzgProof(blob!, commitment);
    expect(kzg.verifyBlobKzgProof(blob!, commitment, proof)).to.equal(true);
    const expected = sha256(commitment);
    expected[0] = 1;
    expect(kzgToVersionedHash(commitment)).to.deep.equal(expected);
    expect(() => kzgToVersionedHash(new Uint8Array(32))).to.throw(MalformedDataError);
  });
});
