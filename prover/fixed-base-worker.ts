/**
 * Worker of `prover/dev-zkey.ts`: multiplies the BN254 generators of G1 and G2 by many scalars
 * with a fixed-base windowed table (22 windows of 12 bits, `d·2^(12w)·G` precomputed), on
 * ffjavascript's WebAssembly curve code. One multiplication is at most 22 mixed additions
 * (about 20 µs in G1, 80 µs in G2 on this machine) instead of ~250 doublings and additions.
 *
 * Messages in:  { id, group: 1 | 2, scalars: Uint8Array }  (32-byte little-endian scalars < r)
 * Messages out: { id, points: Uint8Array }                  (affine points, little-endian
 *                                                             Montgomery form: snarkjs' "LEM")
 */
import { parentPort } from "node:worker_threads";
import { buildBn128 } from "ffjavascript";

/** A multiplication request. */
export interface FixedBaseRequest {
  readonly id: number;
  readonly group: 1 | 2;
  readonly scalars: Uint8Array;
}

/** The answer to a request. */
export interface FixedBaseResponse {
  readonly id: number;
  readonly points: Uint8Array;
}

const WINDOW_BITS = 12;
const WINDOWS = Math.ceil(254 / WINDOW_BITS);
const ENTRIES = 1 << WINDOW_BITS;
const SCALAR_BYTES = 32;
/** Digit mask per window; the last one stops at bit 255 so that it never reads the next scalar. */
const WINDOW_MASKS = Array.from({ length: WINDOWS }, (_, w) => (1 << Math.min(WINDOW_BITS, 256 - w * WINDOW_BITS)) - 1);

interface ThreadManager {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  u8: Uint8Array;
  u32: Uint32Array;
  instance: { exports: Record<string, unknown> };
  pG1gen: number;
  pG2gen: number;
  alloc(bytes: number): number;
}

// The listener is attached before the first await: messages that arrive earlier are otherwise
// delivered to web-worker's listener only (see worker-data.ts).
const requests: FixedBaseRequest[] = [];
let ready = false;
parentPort!.on("message", (request: FixedBaseRequest) => {
  if (ready) answer(request);
  else requests.push(request);
});

const curve = (await buildBn128(true)) as unknown as { tm: ThreadManager };
const tm = curve.tm;
const wasm = tm.instance.exports as Record<string, (...args: number[]) => number>;

/** Room the wasm functions take above the free pointer for their own scratch (batchToAffine). */
const SCRATCH_BYTES = 32 << 20;

/** Allocates in the curve's wasm memory, growing it (and refreshing the views) when needed. */
function alloc(bytes: number): number {
  const end = ((tm.u32[0]! + 7) & ~7) + bytes + SCRATCH_BYTES;
  const size = tm.memory.buffer.byteLength;
  if (end > size) {
    tm.memory.grow(Math.ceil((end - size) / 65536));
    tm.u8 = new Uint8Array(tm.memory.buffer);
    tm.u32 = new Uint32Array(tm.memory.buffer);
  }
  return tm.alloc(bytes);
}

interface Group {
  readonly prefix: "g1m" | "g2m";
  /** Bytes of a Jacobian and an affine point. */
  readonly jacobian: number;
  readonly affine: number;
  readonly table: number;
  /** Scratch: accumulators of one request chunk, then their affine form. */
  scratch: { jac: number; aff: number; capacity: number };
}

const groups = new Map<1 | 2, Group>();

/** Builds table[w][d] = d·2^(12w)·G (d = 1 .. 4095; d = 0 is never read). */
function buildGroup(id: 1 | 2): Group {
  const prefix = id === 1 ? "g1m" : "g2m";
  const n8 = id === 1 ? 32 : 64;
  const jacobian = 3 * n8;
  const affine = 2 * n8;
  const table = alloc(WINDOWS * ENTRIES * affine);
  const column = alloc(ENTRIES * jacobian);
  const base = alloc(jacobian);
  const baseAffine = alloc(affine);
  wasm[`${prefix}_copy`]!(id === 1 ? tm.pG1gen : tm.pG2gen, base);
  for (let w = 0; w < WINDOWS; w++) {
    wasm[`${prefix}_toAffine`]!(base, baseAffine);
    wasm[`${prefix}_zero`]!(column);
    for (let d = 1; d < ENTRIES; d++) {
      wasm[`${prefix}_addMixed`]!(column + (d - 1) * jacobian, baseAffine, column + d * jacobian);
    }
    wasm[`${prefix}_batchToAffine`]!(column, ENTRIES, table + w * ENTRIES * affine);
    for (let b = 0; b < WINDOW_BITS; b++) wasm[`${prefix}_double`]!(base, base);
  }
  return { prefix, jacobian, affine, table, scratch: { jac: 0, aff: 0, capacity: 0 } };
}

function multiply(id: 1 | 2, scalars: Uint8Array): Uint8Array {
  let group = groups.get(id);
  if (!group) {
    group = buildGroup(id);
    groups.set(id, group);
  }
  const { prefix, jacobian, affine, table } = group;
  const count = scalars.length / SCALAR_BYTES;
  if (group.scratch.capacity < count) {
    group.scratch = { jac: alloc(count * jacobian), aff: alloc(count * affine), capacity: count };
  }
  const { jac, aff } = group.scratch;
  const addMixed = wasm[`${prefix}_addMixed`]!;
  const zero = wasm[`${prefix}_zero`]!;
  // Three spare bytes so that a window read never runs past the buffer.
  const padded = new Uint8Array(scalars.length + 3);
  padded.set(scalars);
  for (let i = 0; i < count; i++) {
    const acc = jac + i * jacobian;
    zero(acc);
    const offset = i * SCALAR_BYTES;
    for (let w = 0; w < WINDOWS; w++) {
      const bit = w * WINDOW_BITS;
      const at = offset + (bit >> 3);
      const digit = ((padded[at]! | (padded[at + 1]! << 8) | (padded[at + 2]! << 16)) >> (bit & 7)) & WINDOW_MASKS[w]!;
      if (digit !== 0) addMixed(acc, table + (w * ENTRIES + digit) * affine, acc);
    }
  }
  wasm[`${prefix}_batchToAffine`]!(jac, count, aff);
  return tm.u8.slice(aff, aff + count * affine);
}

function answer(request: FixedBaseRequest): void {
  const points = multiply(request.group, request.scalars);
  const response: FixedBaseResponse = { id: request.id, points };
  parentPort!.postMessage(response, [points.buffer as ArrayBuffer]);
}

ready = true;
for (const request of requests.splice(0)) answer(request);
