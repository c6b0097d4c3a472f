/**
 * Poseidon hash, bit-compatible with circomlibjs `poseidon` (and circomlib's
 * Poseidon circuit) for 1..8 inputs, using the optimized sparse-matrix form.
 */
import { nativeAddon } from "./backend.js";

// A local const keeps TypeScript's null-narrowing inside the closures below.
const addon = nativeAddon;
import { assertFieldElement, FIELD_MODULUS as r } from "./field.js";
import { POSEIDON_CONSTANTS_B64 } from "./poseidon-constants.js";

/** Largest supported number of inputs (state width t = 9). */
export const POSEIDON_MAX_INPUTS = 8;

const N_ROUNDS_F = 8;
const N_ROUNDS_P: readonly number[] = [56, 57, 56, 60, 60, 63, 64, 63];
const nRoundsP = (t: number): number => N_ROUNDS_P[t - 2]!;

interface Params {
  C: bigint[];
  M: bigint[][]; // M[j][i], as in circomlibjs
  P: bigint[][];
  S: bigint[];
}

/** Decodes the constants lazily per width (the JS fallback may never run). */
const params: (Params | undefined)[] = [];
let words: bigint[] | undefined;

function getParams(t: number): Params {
  const cached = params[t];
  if (cached) return cached;
  if (!words) {
    const buf = Buffer.from(POSEIDON_CONSTANTS_B64, "base64");
    words = [];
    for (let o = 0; o < buf.length; o += 32) {
      words.push(BigInt("0x" + Buffer.from(buf.subarray(o, o + 32)).reverse().toString("hex")));
    }
  }
  let o = 0;
  for (let w = 2; w <= POSEIDON_MAX_INPUTS + 1; w++) {
    const nP = nRoundsP(w);
    const take = (n: number) => words!.slice(o, (o += n));
    const matrix = () => Array.from({ length: w }, () => take(w));
    const p: Params = { C: take(w * N_ROUNDS_F + nP), M: matrix(), P: matrix(), S: take((2 * w - 1) * nP) };
    params[w] = p;
  }
  return params[t]!;
}

function validate(inputs: readonly bigint[]): void {
  if (!Array.isArray(inputs) || inputs.length < 1 || inputs.length > POSEIDON_MAX_INPUTS) {
    throw new RangeError(`poseidon: expected 1 to ${POSEIDON_MAX_INPUTS} inputs`);
  }
  inputs.forEach((x, i) => assertFieldElement(x, `poseidon: input ${i}`));
}

const pow5 = (a: bigint) => {
  const a2 = (a * a) % r;
  return (a * ((a2 * a2) % r)) % r;
};

function mix(state: bigint[], m: bigint[][]): bigint[] {
  const t = state.length;
  const out = new Array<bigint>(t);
  for (let i = 0; i < t; i++) {
    let acc = 0n;
    for (let j = 0; j < t; j++) acc += m[j]![i]! * state[j]!;
    out[i] = acc % r;
  }
  return out;
}

/** Pure TypeScript Poseidon (circomlibjs poseidon_opt.js). Throws on inputs outside [0, r). */
export function jsPoseidon(inputs: readonly bigint[]): bigint {
  validate(inputs);
  const t = inputs.length + 1;
  const { C, M, P, S } = getParams(t);
  const nP = nRoundsP(t);
  // Reductions are deferred where sums stay small: bigint cost grows with size.
  let state = [0n, ...inputs].map((a, i) => (a + C[i]!) % r);
  for (let rd = 0; rd < N_ROUNDS_F / 2 - 1; rd++) {
    state = mix(state.map((a, i) => pow5(a) + C[(rd + 1) * t + i]!), M);
  }
  state = mix(state.map((a, i) => pow5(a) + C[(N_ROUNDS_F / 2) * t + i]!), P);
  for (let rd = 0; rd < nP; rd++) {
    const base = (2 * t - 1) * rd;
    const s0 = (pow5(state[0]!) + C[(N_ROUNDS_F / 2 + 1) * t + rd]!) % r;
    state[0] = s0;
    let acc = 0n;
    for (let j = 0; j < t; j++) acc += S[base + j]! * state[j]!;
    for (let k = 1; k < t; k++) state[k] = (state[k]! + s0 * S[base + t + k - 1]!) % r;
    state[0] = acc % r;
  }
  for (let rd = 0; rd < N_ROUNDS_F / 2 - 1; rd++) {
    state = mix(state.map((a, i) => pow5(a) + C[(N_ROUNDS_F / 2 + 1) * t + nP + rd * t + i]!), M);
  }
  state = state.map(pow5);
  let out = 0n;
  for (let j = 0; j < t; j++) out += M[j]![0]! * state[j]!;
  return out % r;
}

/** Native Poseidon; null when the addon is not loaded. */
export const nativePoseidon: ((inputs: readonly bigint[]) => bigint) | null = addon
  ? (inputs) => addon.poseidon(inputs)
  : null;

/**
 * Poseidon hash of 1..8 field elements (bigints in [0, r)), identical to
 * circomlibjs `poseidon(inputs)`. Throws RangeError on out-of-range inputs.
 */
export const poseidon: (inputs: readonly bigint[]) => bigint = nativePoseidon ?? jsPoseidon;

/** Hashes many input lists in one call (saves per-call overhead on the native path). */
export const poseidonMany: (batch: readonly (readonly bigint[])[]) => bigint[] = addon
  ? (batch) => addon.poseidonMany(batch)
  : (batch) => batch.map(jsPoseidon);

/** The JS implementation of `poseidonMany`, for tests and benchmarks. */
export const jsPoseidonMany = (batch: readonly (readonly bigint[])[]): bigint[] => batch.map(jsPoseidon);
