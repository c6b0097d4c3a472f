/**
 * Crypto throughput for each available backend (single thread), then the latency of
 * native poseidonMany on 2-item batches with and without its helper thread:
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
import { nativeAddon } from "../core/crypto/backend.js";

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

/** Median and best time per call in µs over rounds of `calls` calls (after a warm-up). */
function latency(fn: (i: number) => unknown, rounds = 15, calls = 400): { median: number; best: number } {
  for (let i = 0; i < 200; i++) fn(i);
  const perCall: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const start = performance.now();
    for (let i = 0; i < calls; i++) fn(i);
    perCall.push(((performance.now() - start) * 1000) / calls);
  }
  perCall.sort((a, b) => a - b);
  return { median: perCall[rounds >> 1]!, best: perCall[0]! };
}

if (nativeAddon) {
  const addon = nativeAddon;
  const initialThreads = addon.setThreads();
  const us = (t: { median: number; best: number }) => `${t.median.toFixed(1).padStart(7)} µs (best ${t.best.toFixed(1)})`;
  console.log("\nnative poseidonMany, 2 independent hashes per call (median of 15 rounds of 400 calls):");
  for (const n of [8, 5]) {
    const batches = Array.from({ length: 64 }, () => [Array.from({ length: n }, randomField), Array.from({ length: n }, randomField)]);
    addon.setThreads(1);
    const one = latency((i) => addon.poseidon(batches[i & 63]![0]!));
    const seq = latency((i) => { const b = batches[i & 63]!; return [addon.poseidon(b[0]!), addon.poseidon(b[1]!)]; });
    const manyOff = latency((i) => addon.poseidonMany(batches[i & 63]!));
    addon.setThreads(2);
    const manyOn = latency((i) => addon.poseidonMany(batches[i & 63]!));
    const stats = addon.threadStats();
    console.log(`  Poseidon(${n}): 1 x poseidon        ${us(one)}`);
    console.log(`  Poseidon(${n}): 2 x poseidon        ${us(seq)}`);
    console.log(`  Poseidon(${n}): poseidonMany, 1 thr ${us(manyOff)}`);
    console.log(`  Poseidon(${n}): poseidonMany, 2 thr ${us(manyOn)}  (helper took ${stats.helperItems} of ${stats.helperItems + stats.callerItems} items)`);
  }
  // Hand-off cost: the 2-thread call minus one hash on the calling thread.
  // After an idle spell the helper naps and nobody wakes it, so the caller hashes alone.
  const batch = [Array.from({ length: 8 }, randomField), Array.from({ length: 8 }, randomField)];
  const spin = addon.threadStats().spinMicros;
  const cold: number[] = [];
  for (let r = 0; r < 21; r++) {
    const until = performance.now() + (spin / 1000) * 2 + 3;
    while (performance.now() < until); // outlast the spin budget: the helper naps
    const start = performance.now();
    addon.poseidonMany(batch);
    cold.push((performance.now() - start) * 1000);
  }
  cold.sort((a, b) => a - b);
  console.log(`  Poseidon(8) x 2, first call after ${(spin / 1000) * 2 + 3} ms idle (helper napping): median ${cold[10]!.toFixed(1)} µs`);
  addon.setThreads(initialThreads);
}
