import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
// @ts-expect-error circomlibjs ships no type declarations
import { buildBabyjub, buildEddsa, buildPoseidon } from "circomlibjs";
import {
  FIELD_MODULUS,
  SUB_ORDER,
  cryptoBackend,
  derivePublicKey,
  getBackend,
  nativeLoadError,
  packPoint,
  packSignature,
  poseidon,
  sign,
  unpackSignature,
  type CryptoImpl,
  type Point,
  type Signature,
} from "../../core/crypto/index.js";
import { nativeAddon, nativeArithmetic } from "../../core/crypto/backend.js";
import { POSEIDON_CONSTANTS_B64 } from "../../core/crypto/poseidon-constants.js";

/* circomlibjs objects are untyped; these tests only use a few members. */
/* eslint-disable @typescript-eslint/no-explicit-any */
type Circom = any;

const r = FIELD_MODULUS;

function randomField(): bigint {
  return BigInt("0x" + randomBytes(32).toString("hex")) % r;
}

const native = getBackend("native");
/*
 * The native backend runs every test twice: with the arithmetic init picked
 * (x86-64 mulx/adx asm on CPUs that have it) and with the portable C forced,
 * by re-running init (which only re-selects the arithmetic).
 */
const impls: { impl: CryptoImpl; label: string; portable?: boolean }[] = [
  { impl: getBackend("js")!, label: "js" },
];
if (native) {
  impls.push({ impl: native, label: `native (${nativeArithmetic})`, portable: nativeArithmetic === "portable" });
  if (nativeArithmetic !== "portable") impls.push({ impl: native, label: "native (portable forced)", portable: true });
}
const constants = Buffer.from(POSEIDON_CONSTANTS_B64, "base64");

describe("core/crypto", function () {
  this.timeout(120_000);

  let cPoseidon: Circom;
  let cEddsa: Circom;
  let cBabyjub: Circom;
  let F: Circom;

  before(async () => {
    cPoseidon = await buildPoseidon();
    cEddsa = await buildEddsa();
    cBabyjub = await buildBabyjub();
    F = cBabyjub.F;
    if (!native) console.warn(`    (native addon not loaded: ${nativeLoadError}; testing JS only)`);
  });

  const toCircomPoint = (p: Point) => [F.e(p.x), F.e(p.y)];
  const fromCircomPoint = (p: Circom): Point => ({ x: F.toObject(p[0]), y: F.toObject(p[1]) });

  it("reports the active backend", () => {
    expect(cryptoBackend).to.equal(native ? "native" : "js");
  });

  for (const { impl, label, portable } of impls) {
    describe(`${label} backend`, () => {
      if (portable !== undefined) {
        before(() => {
          expect(nativeAddon!.init(constants, portable)).to.equal(portable ? "portable" : nativeArithmetic);
        });
        after(() => {
          nativeAddon!.init(constants, nativeArithmetic === "portable");
        });
      }

      it("poseidon([1, 2]) matches the well-known vector", () => {
        expect(impl.poseidon([1n, 2n])).to.equal(
          7853200120776062878684798364095072458815029376092732009249414926327459813530n,
        );
      });

      it("poseidon matches circomlibjs for 1..8 random inputs", () => {
        for (let n = 1; n <= 8; n++) {
          for (let k = 0; k < 25; k++) {
            const inputs = Array.from({ length: n }, randomField);
            if (k === 0) inputs.fill(r - 1n);
            if (k === 1) inputs.fill(0n);
            const expected = F.toObject(cPoseidon(inputs));
            expect(impl.poseidon(inputs), `n=${n} k=${k}`).to.equal(expected);
          }
        }
      });

      it("poseidonMany matches poseidon", () => {
        const batch = Array.from({ length: 20 }, (_, i) => Array.from({ length: (i % 8) + 1 }, randomField));
        expect(impl.poseidonMany(batch)).to.deep.equal(batch.map((b) => impl.poseidon(b)));
      });

      it("poseidon rejects out-of-range inputs and bad arity with clear errors", () => {
        expect(() => impl.poseidon([1n, r])).to.throw(RangeError, /input 1 is not a field element.*x < r/);
        expect(() => impl.poseidon([-1n])).to.throw(RangeError, /input 0 is not a field element/);
        expect(() => impl.poseidon([1n << 300n])).to.throw(RangeError, /input 0 is not a field element/);
        expect(() => impl.poseidon([])).to.throw(RangeError, /1 to 8 inputs/);
        expect(() => impl.poseidon(Array(9).fill(1n))).to.throw(RangeError, /1 to 8 inputs/);
        expect(() => impl.poseidon([1 as unknown as bigint])).to.throw(TypeError, /must be a bigint/);
      });

      it("unpackPoint matches circomlibjs on packed points and random bytes", () => {
        for (let i = 0; i < 40; i++) {
          const p = fromCircomPoint(cBabyjub.mulPointEscalar(cBabyjub.Base8, randomField()));
          const packed = packPoint(p);
          expect(Buffer.from(packed)).to.deep.equal(Buffer.from(cBabyjub.packPoint(toCircomPoint(p))));
          expect(impl.unpackPoint(packed)).to.deep.equal(p);
        }
        for (let i = 0; i < 60; i++) {
          const bytes = new Uint8Array(randomBytes(32));
          bytes[31]! &= i % 2 ? 0xaf : 0x2f; // keep y < r (non-canonical y is tested below)
          const expected = cBabyjub.unpackPoint(bytes.slice()); // circomlibjs mutates its input
          const got = impl.unpackPoint(bytes);
          expect(got, `bytes ${Buffer.from(bytes).toString("hex")}`).to.deep.equal(
            expected ? fromCircomPoint(expected) : null,
          );
        }
      });

      it("unpackPoint rejects x = 0 points and non-canonical y (y >= r)", () => {
        const one = new Uint8Array(32);
        one[0] = 1;
        expect(impl.unpackPoint(one)).to.equal(null); // (0, 1): circomlibjs rejects it too
        // Find a point whose y + r still fits in 255 bits, then encode y + r.
        for (let k = 1n; ; k++) {
          const p = fromCircomPoint(cBabyjub.mulPointEscalar(cBabyjub.Base8, k));
          if (p.y + r >= 1n << 255n) continue;
          const nonCanonical = packPoint({ x: p.x, y: p.y + r });
          // circomlibjs reduces y mod r here; we reject to keep encodings unique.
          expect(fromCircomPoint(cBabyjub.unpackPoint(nonCanonical.slice()))).to.deep.equal(p);
          expect(impl.unpackPoint(nonCanonical)).to.equal(null);
          break;
        }
      });

      describe("EdDSA-Poseidon", () => {
        const keys: Uint8Array[] = Array.from({ length: 6 }, () => new Uint8Array(randomBytes(32)));
        const key = (i: number): Uint8Array => keys[i]!;

        it("keys and signatures match circomlibjs and verify", () => {
          for (const prv of keys) {
            const msg = randomField();
            const A = derivePublicKey(prv);
            expect(A).to.deep.equal(fromCircomPoint(cEddsa.prv2pub(prv)));
            const sig = sign(prv, msg);
            const cSig = cEddsa.signPoseidon(prv, F.e(msg));
            expect(sig.R8).to.deep.equal(fromCircomPoint(cSig.R8));
            expect(sig.S).to.equal(cSig.S);
            expect(Buffer.from(packSignature(sig))).to.deep.equal(Buffer.from(cEddsa.packSignature(cSig)));
            expect(cEddsa.verifyPoseidon(F.e(msg), cSig, cEddsa.prv2pub(prv))).to.equal(true);
            expect(impl.verify(msg, sig, A)).to.equal(true);
            expect(impl.verifyPacked(msg, packSignature(sig), A)).to.equal(true);
          }
        });

        it("verifies circomlibjs signatures, including unpacked ones", () => {
          const prv = key(0);
          const A = fromCircomPoint(cEddsa.prv2pub(prv));
          const msg = randomField();
          const cSig = cEddsa.signPoseidon(prv, F.e(msg));
          const packed = cEddsa.packSignature(cSig);
          const unpacked = unpackSignature(packed)!;
          expect(unpacked).to.deep.equal({ R8: fromCircomPoint(cSig.R8), S: cSig.S });
          expect(impl.verify(msg, unpacked, A)).to.equal(true);
          expect(impl.verifyPacked(msg, packed, A)).to.equal(true);
        });

        it("rejects tampered msg, R8, S and public key", () => {
          const prv = key(1);
          const msg = randomField();
          const A = derivePublicKey(prv);
          const sig = sign(prv, msg);
          const other = sign(key(2), msg);
          const otherA = derivePublicKey(key(2));
          const cases: [string, bigint, Signature, Point][] = [
            ["msg", (msg + 1n) % r, sig, A],
            ["R8", msg, { R8: other.R8, S: sig.S }, A],
            ["S", msg, { R8: sig.R8, S: (sig.S + 1n) % SUB_ORDER }, A],
            ["pubkey", msg, sig, otherA],
            ["R8 off curve", msg, { R8: { x: sig.R8.x, y: (sig.R8.y + 1n) % r }, S: sig.S }, A],
            ["A off curve", msg, sig, { x: A.x, y: (A.y + 1n) % r }],
            ["coordinate >= r", msg, sig, { x: A.x + r, y: A.y }],
          ];
          for (const [what, m, s, a] of cases) {
            expect(impl.verify(m, s, a), what).to.equal(false);
            if (what !== "coordinate >= r" && what !== "R8 off curve") {
              expect(impl.verifyPacked(m, packSignature(s), a), `${what} (packed)`).to.equal(false);
            }
          }
          const packed = packSignature(sig);
          for (const byte of [0, 17, 31, 32, 50, 63]) {
            const bad = packed.slice();
            bad[byte]! ^= 0x01;
            expect(impl.verifyPacked(msg, bad, A), `flipped byte ${byte}`).to.equal(false);
          }
          expect(impl.verifyPacked(msg, packed.subarray(0, 63), A)).to.equal(false);
        });

        it("rejects S >= subOrder (even S + l, which satisfies the curve equation)", () => {
          const prv = key(3);
          const msg = randomField();
          const A = derivePublicKey(prv);
          const sig = sign(prv, msg);
          const malleated = { R8: sig.R8, S: sig.S + SUB_ORDER };
          expect(cEddsa.verifyPoseidon(F.e(msg), { R8: toCircomPoint(sig.R8), S: malleated.S }, toCircomPoint(A))).to.equal(false);
          expect(impl.verify(msg, malleated, A)).to.equal(false);
          const packed = packSignature(malleated);
          expect(unpackSignature(packed)).to.deep.equal(malleated);
          expect(impl.verifyPacked(msg, packed, A)).to.equal(false);
        });

        it("unpackSignature returns null when R8 does not decompress", () => {
          const packed = packSignature(sign(key(4), 42n));
          let found = 0;
          for (let y = 2n; found < 3; y++) {
            const bytes = packed.slice();
            bytes.fill(0, 0, 32);
            bytes[0] = Number(y);
            if (cBabyjub.unpackPoint(bytes.slice(0, 32)) !== null) continue;
            expect(unpackSignature(bytes)).to.equal(null);
            expect(impl.verifyPacked(42n, bytes, derivePublicKey(key(4)))).to.equal(false);
            found++;
          }
        });

        it("throws on a message outside the field", () => {
          const A = derivePublicKey(key(5));
          const sig = sign(key(5), 1n);
          expect(() => impl.verify(r, sig, A)).to.throw(RangeError, /msg is not a field element/);
          expect(() => impl.verifyPacked(-1n, packSignature(sig), A)).to.throw(RangeError, /msg/);
          expect(() => sign(key(5), r)).to.throw(RangeError, /msg is not a field element/);
        });
      });
    });
  }

  if (native) {
    describe("native poseidonMany on two threads (helper thread)", () => {
      const addon = nativeAddon!;
      const threadsBefore = addon.setThreads();
      after(() => addon.setThreads(threadsBefore, 200));

      /** Batches of mixed arity and sizes 0..40, plus the all-(r-1) / all-0 edge inputs. */
      const makeBatches = () => {
        const batches: bigint[][][] = [];
        for (const size of [0, 1, 2, 3, 4, 5, 16, 17, 40]) {
          batches.push(Array.from({ length: size }, (_, i) => Array.from({ length: (i % 8) + 1 }, randomField)));
        }
        batches.push([Array(8).fill(r - 1n), Array(8).fill(0n), Array(5).fill(r - 1n)]);
        return batches;
      };

      for (const portable of [false, true]) {
        it(`matches circomlibjs with the helper on and off${portable ? " (portable C)" : ""}`, () => {
          if (portable) addon.init(constants, true);
          try {
            for (const threads of [2, 1, 2]) {
              expect(addon.setThreads(threads)).to.equal(threads);
              for (const batch of makeBatches()) {
                const expected = batch.map((inputs) => F.toObject(cPoseidon(inputs)));
                expect(addon.poseidonMany(batch), `threads=${threads} size=${batch.length}`).to.deep.equal(expected);
              }
            }
          } finally {
            addon.init(constants, nativeArithmetic === "portable");
          }
        });
      }

      it("splits batches with the helper, many times in a row", () => {
        addon.setThreads(2, 200);
        const before = addon.threadStats();
        const batches = Array.from({ length: 32 }, () => [Array.from({ length: 8 }, randomField), Array.from({ length: 8 }, randomField)]);
        const expected = batches.map((b) => b.map((inputs) => addon.poseidon(inputs)));
        for (let k = 0; k < 3000; k++) {
          const i = k & 31;
          const got = addon.poseidonMany(batches[i]!);
          if (got[0] !== expected[i]![0] || got[1] !== expected[i]![1]) expect.fail(`batch ${k} differs`);
        }
        const after = addon.threadStats();
        expect(after.threads).to.equal(2);
        expect(after.helperRunning).to.equal(1);
        // The helper is benched on an oversubscribed machine, so only check it ran at all.
        expect(after.callerItems + after.helperItems - before.callerItems - before.helperItems).to.be.at.most(6000);
        expect(after.batches).to.be.greaterThan(before.batches - 1);
      });

      it("validates every input before hashing and stays usable after an error", () => {
        addon.setThreads(2);
        const good = Array.from({ length: 5 }, () => [randomField(), randomField()]);
        expect(() => addon.poseidonMany([...good, [1n, r]])).to.throw(RangeError, /input 1 is not a field element/);
        expect(() => addon.poseidonMany([...good, []])).to.throw(RangeError, /1 to 8 inputs/);
        expect(() => addon.poseidonMany([good[0]!, [1 as unknown as bigint]])).to.throw(TypeError, /must be a bigint/);
        expect(() => addon.poseidonMany([good[0]!, 5 as unknown as bigint[]])).to.throw(TypeError, /must be an array/);
        expect(addon.poseidonMany(good)).to.deep.equal(good.map((g) => F.toObject(cPoseidon(g))));
        expect(() => addon.setThreads(0)).to.throw(RangeError);
        expect(addon.setThreads(8)).to.equal(2); // one helper at most
      });

      it("lets the helper sleep when idle (no CPU burnt)", async () => {
        addon.setThreads(2, 200);
        addon.poseidonMany([[1n], [2n]]);
        expect(addon.threadStats().helperRunning).to.equal(1);
        await new Promise((resolve) => setTimeout(resolve, 50));
        expect(addon.threadStats().helperSleeping).to.equal(1);
        const cpu = process.cpuUsage();
        await new Promise((resolve) => setTimeout(resolve, 300));
        const used = process.cpuUsage(cpu);
        // A spinning helper would use ~300 ms of CPU here.
        expect((used.user + used.system) / 1000).to.be.below(100);
        addon.setThreads(1);
        expect(addon.threadStats().helperRunning).to.equal(0);
      });

      it("works from several worker_threads at once (each with its own helper) and they exit cleanly", async () => {
        addon.setThreads(2);
        const addonPath = fileURLToPath(new URL("../../native/build/Release/rollup_crypto.node", import.meta.url));
        const batches = Array.from({ length: 8 }, (_, i) => Array.from({ length: 2 + (i % 3) }, (_, j) => Array.from({ length: ((i + j) % 8) + 1 }, randomField)));
        const expected = batches.map((b) => b.map((inputs) => F.toObject(cPoseidon(inputs))));
        const code = `
          const { parentPort, workerData } = require("node:worker_threads");
          const addon = require(workerData.addonPath);
          addon.init(Buffer.from(workerData.constants), false);
          addon.setThreads(2);
          const results = [];
          for (let k = 0; k < 300; k++) results.push(addon.poseidonMany(workerData.batches[k % workerData.batches.length]));
          parentPort.postMessage({ results, stats: addon.threadStats() });`;
        const run = () =>
          new Promise<{ results: bigint[][]; stats: { helperRunning: number } }>((resolve, reject) => {
            const worker = new Worker(code, { eval: true, workerData: { addonPath, constants, batches } });
            worker.once("message", resolve);
            worker.once("error", reject);
          });
        const workers = [run(), run(), run()];
        // The main thread hashes batches at the same time.
        for (let k = 0; k < 200; k++) expect(addon.poseidonMany(batches[k % 8]!)).to.deep.equal(expected[k % 8]);
        for (const { results, stats } of await Promise.all(workers)) {
          expect(stats.helperRunning).to.equal(1);
          results.forEach((got, k) => expect(got).to.deep.equal(expected[k % 8]));
        }
      });

      const runChild = (env: Record<string, string>, script: string) =>
        spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
          cwd: fileURLToPath(new URL("../..", import.meta.url)),
          env: { ...process.env, ...env },
          encoding: "utf8",
          timeout: 60_000,
        });

      it("ROLLUP_CRYPTO_THREADS=1 disables the helper, results unchanged", () => {
        const batch = Array.from({ length: 6 }, (_, i) => Array.from({ length: i + 1 }, randomField));
        const script = `
          import { nativeAddon } from "./core/crypto/backend.ts";
          const batch = ${JSON.stringify(batch.map((b) => b.map(String)))}.map((b) => b.map(BigInt));
          const out = nativeAddon.poseidonMany(batch);
          console.log(JSON.stringify({ out: out.map(String), stats: nativeAddon.threadStats() }));`;
        for (const threads of ["1", "2"]) {
          const child = runChild({ ROLLUP_CRYPTO: "native", ROLLUP_CRYPTO_THREADS: threads }, script);
          expect(child.status, child.stderr).to.equal(0);
          const { out, stats } = JSON.parse(child.stdout.trim().split("\n").pop()!);
          expect(out.map(BigInt)).to.deep.equal(batch.map((b) => F.toObject(cPoseidon(b))));
          expect(stats.threads).to.equal(Number(threads));
          expect(stats.helperRunning).to.equal(threads === "1" ? 0 : 1);
          if (threads === "1") expect(stats.helperItems).to.equal(0);
        }
      });

      it("does not keep the process alive at exit, also with process.exit() and busy workers", () => {
        // A worker that hashes batches forever, next to the main thread's own helper.
        const script = `
          import { nativeAddon } from "./core/crypto/backend.ts";
          import { POSEIDON_CONSTANTS_B64 } from "./core/crypto/poseidon-constants.ts";
          import { Worker } from "node:worker_threads";
          for (let i = 0; i < 1000; i++) nativeAddon.poseidonMany([[1n, 2n], [3n, 4n], [5n]]);
          const w = new Worker(\`
            const { parentPort, workerData } = require("node:worker_threads");
            const a = require(workerData.path);
            a.init(Buffer.from(workerData.constants, "base64"), false);
            a.setThreads(2);
            parentPort.postMessage("started");
            for (;;) a.poseidonMany([[1n], [2n], [3n]]);\`, {
            eval: true,
            execArgv: [],
            workerData: { path: process.cwd() + "/native/build/Release/rollup_crypto.node", constants: POSEIDON_CONSTANTS_B64 },
          });
          await new Promise((resolve) => w.once("message", resolve));
          await new Promise((resolve) => setTimeout(resolve, 100));
          MODE`;
        for (const mode of ["process.exit(0);", "w.unref();", "await w.terminate();"]) {
          const started = Date.now();
          const child = runChild({ ROLLUP_CRYPTO: "native" }, script.replace("MODE", mode));
          expect(child.error, mode).to.equal(undefined);
          expect(child.status, `${mode}: ${child.stderr}`).to.equal(0);
          expect(Date.now() - started, mode).to.be.below(30_000);
        }
      });
    });
  }

  it("default poseidon agrees with the JS implementation", () => {
    const inputs = [randomField(), randomField(), randomField()];
    expect(poseidon(inputs)).to.equal(getBackend("js")!.poseidon(inputs));
  });
});
