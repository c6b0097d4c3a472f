/**
 * Crypto throughput for each available backend (single thread):
 *   node --import tsx scripts/bench-crypto.ts
 */
import { randomBytes } from "node:crypto";
import {
  FIELD_MODULUS,
  derivePublicKey,
  getBackend,
  nativeLoadError,
  packSignature,
  sign,
  type CryptoImpl,
} from "../core/crypto/index.js";

const randomField = () => BigInt("0x" + randomBytes(32).toString("hex")) % FIELD_MODULUS;

/** Runs fn repeatedly for ~minMs (after a warm-up) and returns calls per second. */
function rate(fn: (i: number) => unknown, minMs: number): number {
  for (let i = 0; i < 20; i++) fn(i);
  let calls = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < minMs) {
    for (let i = 0; i < 50; i++) fn(calls++);
    elapsed = performance.now() - start;
  }
  return (calls / elapsed) * 1000;
}

const fmt = (n: number) => Math.round(n).toLocaleString("en-US").padStart(10);

const keys = Array.from({ length: 16 }, () => new Uint8Array(randomBytes(32)));
const items = keys.map((prv) => {
  const msg = randomField();
  const sig = sign(prv, msg);
  return { msg, sig, packed: packSignature(sig), A: derivePublicKey(prv) };
});

function bench(impl: CryptoImpl, ms: number): void {
  const row: string[] = [impl.name.padEnd(7)];
  for (const n of [2, 5, 8]) {
    const inputs = Array.from({ length: 64 }, () => Array.from({ length: n }, randomField));
    row.push(fmt(rate((i) => impl.poseidon(inputs[i & 63]!), ms)));
  }
  row.push(fmt(rate((i) => { const it = items[i & 15]!; return impl.verify(it.msg, it.sig, it.A); }, ms)));
  row.push(fmt(rate((i) => { const it = items[i & 15]!; return impl.verifyPacked(it.msg, it.packed, it.A); }, ms)));
  console.log(row.join(" "));
}

console.log("backend  Poseidon2/s Poseidon5/s Poseidon8/s  verify/s verifyPacked/s");
bench(getBackend("js")!, 1500);
const native = getBackend("native");
if (native) bench(native, 1500);
else console.log(`native   (not available: ${nativeLoadError})`);
