import { expect } from "chai";
import { createRequire } from "node:module";
import { sha256 } from "@noble/hashes/sha2.js";
import {
  BLOB_HEADER_BYTES,
  BYTES_PER_BLOB,
  DATA_BYTES_PER_BLOB,
  MalformedDataError,
  ValueOutOfRangeError,
  blobCountFor,
  decodeBlobPayload,
  encodeBlobPayload,
  kzgToVersionedHash,
} from "../../core/index.js";

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
      expect(decodeBlobPayload(blobs)).to.deep.equal(payload);
    }
  });

  it("encodeBlobPayload_header_versionAndLengthInFirstElement", () => {
    const [blob] = encodeBlobPayload(Uint8Array.from([0xaa, 0xbb]));
    expect([...blob!.subarray(0, 6)]).to.deep.equal([0, 0, 0, 0, 0, 2]);
    expect(blob!.subarray(6, 32).every((x) => x === 0)).to.equal(true);
    expect([...blob!.subarray(32, 35)]).to.deep.equal([0, 0xaa, 0xbb]);
  });

  it("decodeBlobPayload_malformed_saysWhatIsWrong", () => {
    const payload = randomBytes(1000, rng(2));
    const good = () => encodeBlobPayload(payload);
    const cases: [string, (b: Uint8Array[]) => Uint8Array[], RegExp][] = [
      ["no blobs", () => [], /no blobs/],
      ["short blob", (b) => [b[0]!.slice(0, 1000)], /blob 0 is 1000 bytes/],
      ["high byte set", (b) => (b[0]![32 * 7] = 1, b), /blob 0, field element 7: first byte is 0x01/],
      ["version", (b) => (b[0]![1] = 9, b), /version 9 is unknown/],
      ["reserved header byte", (b) => (b[0]![20] = 1, b), /header byte 19 is reserved/],
      ["extra blob", (b) => [...b, new Uint8Array(BYTES_PER_BLOB)], /takes 1 blob\(s\), got 2/],
      ["padding", (b) => (b[0]![32 * 100 + 5] = 7, b), /field element 100: non-zero byte after the 1000-byte payload/],
      ["length beyond blobs", (b) => (b[0]![2] = 0xff, b), /takes \d+ blob\(s\), got 1/],
    ];
    for (const [name, mutate, message] of cases) {
      expect(() => decodeBlobPayload(mutate(good())), name).to.throw(MalformedDataError, message);
    }
  });

  it("decodeBlobPayload_fuzzedBlobs_decodeOrThrowMalformedDataError", () => {
    const rand = rng(3);
    let decoded = 0;
    for (let i = 0; i < 300; i++) {
      const blobs = encodeBlobPayload(randomBytes(Math.floor(rand() * 3000), rand));
      // Flip a few random bytes, often in the header and the first elements.
      for (let k = 1 + Math.floor(rand() * 3); k > 0; k--) {
        const at = rand() < 0.5 ? Math.floor(rand() * 200) : Math.floor(rand() * BYTES_PER_BLOB);
        blobs[0]![at] = Math.floor(rand() * 256);
      }
      try {
        const payload = decodeBlobPayload(blobs);
        // Whatever decodes re-encodes to the same blobs: the encoding is canonical.
        expect(encodeBlobPayload(payload)).to.deep.equal(blobs);
        decoded++;
      } catch (e) {
        expect(e).to.be.instanceOf(MalformedDataError);
      }
    }
    expect(decoded).to.be.greaterThan(0);
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
