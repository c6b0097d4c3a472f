/**
 * The INSECURE development Groth16 key: writes, for an R1CS, the .zkey that snarkjs' own
 * pipeline (`powersoftau new/contribute/prepare phase2`, `zkey new`, `zkey contribute`) would
 * produce if every secret of the ceremony were the known constants of `DEV_TOXIC_WASTE`, by
 * evaluating the key's scalars directly and multiplying the generators by them.
 *
 * Anyone can recompute the toxic waste (it is derived from public strings), and with it forge
 * a proof of any public input: this key is for local development only, like Hardhat's
 * well-known accounts. `setup({ ptau })` builds a key from a real ceremony instead.
 *
 * The zkey layout (snarkjs `zkey_new.js`, Groth16, sections by id):
 *   1 protocol (1 = groth16)          6 B1: b_k·G1 per wire
 *   2 header: q, r, nVars, nPublic,   7 B2: b_k·G2 per wire
 *     domainSize, α1, β1, β2, γ2,     8 C: (β·a_k + α·b_k + c_k)/δ·G1 per private wire
 *     δ1, δ2                          9 H: L'_{2i+1}(τ)/δ·G1, i < domainSize (L' over 2·domain)
 *   3 IC: (β·a_k + α·b_k + c_k)/γ·G1  10 contributions: circuit hash, 0 contributions
 *   4 coefficients of A and B         (a_k, b_k, c_k: the wire's column of A, B, C at the
 *   5 A: a_k·G1 per wire               Lagrange basis of the domain, evaluated at τ)
 * with γ = 1 (snarkjs never changes it) and points as affine little-endian Montgomery words.
 */
import { availableParallelism } from "node:os";
import { closeSync, openSync, readFileSync, writeSync } from "node:fs";
import { Worker } from "node:worker_threads";
import { blake2b } from "@noble/hashes/blake2.js";
import { keccak_256 } from "@noble/hashes/sha3.js";
import { entryPoint } from "../core/entry-point.js";
import { CircuitArtifactError } from "./errors.js";
import { FFJAVASCRIPT_WORKER_DATA } from "./worker-data.js";
import { type FixedBaseRequest, type FixedBaseResponse } from "./fixed-base-worker.js";

/** The BN254 scalar field. */
const R = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;
/** The BN254 base field. */
const Q = 21888242871839275222246405745257275088696311157297823662689037894645226208583n;
/** Montgomery R² mod r (zkey coefficients are stored times R², as snarkjs writes them). */
const R2 = (2n ** 256n % R) ** 2n % R;

/** The public strings the development toxic waste is derived from: keccak256(label) mod r. */
export const DEV_TOXIC_WASTE_LABELS = {
  tau: "rollup-devnet INSECURE development setup: tau",
  alpha: "rollup-devnet INSECURE development setup: alpha",
  beta: "rollup-devnet INSECURE development setup: beta",
  delta: "rollup-devnet INSECURE development setup: delta",
} as const;

/** The development setup's secrets; public, hence insecure. γ is 1, as in every snarkjs key. */
export const DEV_TOXIC_WASTE = Object.fromEntries(
  Object.entries(DEV_TOXIC_WASTE_LABELS).map(([name, label]) => [name, bytesToBigIntBE(keccak_256(new TextEncoder().encode(label))) % R]),
) as Record<keyof typeof DEV_TOXIC_WASTE_LABELS, bigint>;

function bytesToBigIntBE(bytes: Uint8Array): bigint {
  return BigInt(`0x${Buffer.from(bytes).toString("hex")}`);
}

function modPow(base: bigint, exponent: bigint): bigint {
  let result = 1n;
  let b = base % R;
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % R;
    b = (b * b) % R;
    e >>= 1n;
  }
  return result;
}

const inverse = (x: bigint): bigint => modPow(x, R - 2n);

/** Inverts every element (none zero) with one field inversion (Montgomery's trick). */
function batchInvert(values: bigint[]): bigint[] {
  const prefix = new Array<bigint>(values.length);
  let acc = 1n;
  for (let i = 0; i < values.length; i++) {
    prefix[i] = acc;
    acc = (acc * values[i]!) % R;
  }
  let inv = inverse(acc);
  const out = new Array<bigint>(values.length);
  for (let i = values.length - 1; i >= 0; i--) {
    out[i] = (inv * prefix[i]!) % R;
    inv = (inv * values[i]!) % R;
  }
  return out;
}

/** The primitive 2^k-th root of unity ffjavascript (and so snarkjs' prover) uses: nqr^((r−1)/2^s) squared down. */
function rootOfUnity(k: number): bigint {
  let s = 0;
  let t = R - 1n;
  while ((t & 1n) === 0n) {
    s++;
    t >>= 1n;
  }
  let nqr = 2n;
  while (modPow(nqr, (R - 1n) / 2n) !== R - 1n) nqr++;
  let w = modPow(nqr, t);
  for (let i = s; i > k; i--) w = (w * w) % R;
  return w;
}

/** snarkjs' log2 (floor, 32-bit). */
function log2(v: number): number {
  return 31 - Math.clz32(v);
}

/** L_i(τ) = (τ^n − 1)/n · ω^i/(τ − ω^i) over the domain of size n, for each of `indices`. */
function lagrangeAt(tau: bigint, n: number, indices: number[]): bigint[] {
  const w = rootOfUnity(log2(n));
  const factor = ((modPow(tau, BigInt(n)) - 1n + R) * inverse(BigInt(n))) % R;
  const powers = indices.map((i) => modPow(w, BigInt(i)));
  const inverses = batchInvert(powers.map((p) => (tau - p + R) % R));
  return powers.map((p, j) => (((factor * p) % R) * inverses[j]!) % R);
}

/** What an R1CS file holds that the key needs. */
interface R1cs {
  readonly nVars: number;
  readonly nPublic: number;
  readonly nConstraints: number;
  /** Section 2 (constraints) of the file. */
  readonly constraints: Buffer;
}

const REBUILD = "the circuit build is damaged: remove .circuits/ and build again";

function readR1cs(path: string): R1cs {
  const data = readFileSync(path);
  if (data.toString("ascii", 0, 4) !== "r1cs") throw new CircuitArtifactError(`${path} is not an r1cs file`, { details: REBUILD });
  const count = data.readUInt32LE(8);
  let offset = 12;
  let header: Omit<R1cs, "constraints"> | undefined;
  let constraints: Buffer | undefined;
  for (let i = 0; i < count; i++) {
    const type = data.readUInt32LE(offset);
    const size = Number(data.readBigUInt64LE(offset + 4));
    const body = data.subarray(offset + 12, offset + 12 + size);
    if (type === 1) {
      const n8 = body.readUInt32LE(0);
      if (n8 !== 32 || readLE(body, 4) !== R) {
        throw new CircuitArtifactError(`${path} is not over the BN254 scalar field`, { details: "compile the circuit for bn128 (circom's default prime)" });
      }
      const at = 4 + n8;
      const nVars = body.readUInt32LE(at);
      const nPublic = body.readUInt32LE(at + 4) + body.readUInt32LE(at + 8);
      header = { nVars, nPublic, nConstraints: body.readUInt32LE(at + 24) };
    } else if (type === 2) {
      constraints = body;
    }
    offset += 12 + size;
  }
  if (!header || !constraints) throw new CircuitArtifactError(`${path} lacks its header or constraints`, { details: REBUILD });
  return { ...header, constraints };
}

function readLE(buffer: Buffer, at: number): bigint {
  return (
    buffer.readBigUInt64LE(at) |
    (buffer.readBigUInt64LE(at + 8) << 64n) |
    (buffer.readBigUInt64LE(at + 16) << 128n) |
    (buffer.readBigUInt64LE(at + 24) << 192n)
  );
}

function writeLE(buffer: Uint8Array, at: number, value: bigint): void {
  let v = value;
  for (let i = 0; i < 32; i++) {
    buffer[at + i] = Number(v & 0xffn);
    v >>= 8n;
  }
}

/** The scalars of every point of the key, and the coefficient section. */
interface KeyScalars {
  readonly domainSize: number;
  readonly a: bigint[];
  readonly b: bigint[];
  /** IC (public wires, /γ) then C (private wires, /δ). */
  readonly ic: bigint[];
  readonly c: bigint[];
  readonly h: bigint[];
  readonly coefficients: Uint8Array;
}

function keyScalars(r1cs: R1cs, waste: typeof DEV_TOXIC_WASTE, log: (line: string) => void): KeyScalars {
  const { nVars, nPublic, nConstraints, constraints } = r1cs;
  const { tau, alpha, beta, delta } = waste;
  const cirPower = log2(nConstraints + nPublic) + 1;
  const domainSize = 2 ** cirPower;
  log(`  dev setup: ${nConstraints} constraints, ${nVars} wires, domain 2^${cirPower}`);

  const lagrange = lagrangeAt(
    tau,
    domainSize,
    Array.from({ length: nConstraints + nPublic + 1 }, (_, i) => i),
  );
  const deltaInverse = inverse(delta);
  const h = lagrangeAt(
    tau,
    2 * domainSize,
    Array.from({ length: domainSize }, (_, i) => 2 * i + 1),
  ).map((l) => (l * deltaInverse) % R);

  const a = new Array<bigint>(nVars).fill(0n);
  const b = new Array<bigint>(nVars).fill(0n);
  const c = new Array<bigint>(nVars).fill(0n);
  const coefficientRecords: Array<[number, number, number, bigint]> = [];
  let at = 0;
  for (let row = 0; row < nConstraints; row++) {
    const l = lagrange[row]!;
    for (let matrix = 0; matrix < 3; matrix++) {
      const terms = constraints.readUInt32LE(at);
      at += 4;
      const column = matrix === 0 ? a : matrix === 1 ? b : c;
      for (let t = 0; t < terms; t++) {
        const wire = constraints.readUInt32LE(at);
        const coefficient = readLE(constraints, at + 4);
        at += 36;
        column[wire] = (column[wire]! + coefficient * l) % R;
        if (matrix < 2) coefficientRecords.push([matrix, row, wire, coefficient]);
      }
    }
  }
  // snarkjs adds a row `x_s · 0 = 0`-like entry per public wire (and the constant one) to A, so
  // that the public inputs are linearly independent.
  for (let s = 0; s <= nPublic; s++) {
    a[s] = (a[s]! + lagrange[nConstraints + s]!) % R;
    coefficientRecords.push([0, nConstraints + s, s, 1n]);
  }

  const coefficients = new Uint8Array(4 + coefficientRecords.length * 44);
  const view = new DataView(coefficients.buffer);
  view.setUint32(0, coefficientRecords.length, true);
  coefficientRecords.forEach(([matrix, row, wire, coefficient], i) => {
    const offset = 4 + i * 44;
    view.setUint32(offset, matrix, true);
    view.setUint32(offset + 4, row, true);
    view.setUint32(offset + 8, wire, true);
    writeLE(coefficients, offset + 12, (coefficient * R2) % R);
  });

  const combined = (k: number): bigint => (beta * a[k]! + alpha * b[k]! + c[k]!) % R;
  const ic = Array.from({ length: nPublic + 1 }, (_, k) => combined(k));
  const cPrivate = Array.from({ length: nVars - nPublic - 1 }, (_, k) => (combined(k + nPublic + 1) * deltaInverse) % R);
  return { domainSize, a, b, ic, c: cPrivate, h, coefficients };
}

/** A pool of fixed-base workers. */
class FixedBasePool {
  private readonly workers: Worker[];
  private readonly pending = new Map<number, (points: Uint8Array) => void>();
  private nextId = 0;
  private nextWorker = 0;

  constructor(size: number) {
    this.workers = Array.from({ length: size }, () => {
      const { url, execArgv } = entryPoint(import.meta.url, "./fixed-base-worker");
      const worker = new Worker(url, {
        execArgv,
        workerData: FFJAVASCRIPT_WORKER_DATA,
      });
      worker.on("message", (response: FixedBaseResponse) => {
        this.pending.get(response.id)!(response.points);
        this.pending.delete(response.id);
      });
      return worker;
    });
  }

  /** Multiplies the generator of `group` by each scalar; affine LEM points, concatenated. */
  async multiply(group: 1 | 2, scalars: bigint[], chunk = 4096): Promise<Uint8Array> {
    const pointBytes = group === 1 ? 64 : 128;
    const out = new Uint8Array(scalars.length * pointBytes);
    const jobs: Promise<void>[] = [];
    for (let start = 0; start < scalars.length; start += chunk) {
      const part = scalars.slice(start, start + chunk);
      const buffer = new Uint8Array(part.length * 32);
      part.forEach((s, i) => writeLE(buffer, i * 32, s));
      const id = this.nextId++;
      const worker = this.workers[this.nextWorker++ % this.workers.length]!;
      jobs.push(
        new Promise<Uint8Array>((resolve) => {
          this.pending.set(id, resolve);
          const request: FixedBaseRequest = { id, group, scalars: buffer };
          worker.postMessage(request, [buffer.buffer]);
        }).then((points) => out.set(points, start * pointBytes)),
      );
    }
    await Promise.all(jobs);
    return out;
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/** Options of `writeDevZkey`. */
export interface WriteDevZkeyOptions {
  /** Progress lines. */
  readonly log?: (line: string) => void;
  /** Worker threads (default: the available parallelism). */
  readonly threads?: number;
}

/**
 * Writes the INSECURE development key of an R1CS to `zkeyPath` (see the module comment).
 *
 * @example
 * await writeDevZkey(build.r1cs, join(build.dir, "dev.zkey"))
 */
export async function writeDevZkey(r1csPath: string, zkeyPath: string, options: WriteDevZkeyOptions = {}): Promise<void> {
  const log = options.log ?? (() => {});
  const started = Date.now();
  const elapsed = (): string => `${((Date.now() - started) / 1000).toFixed(1)} s`;
  const r1cs = readR1cs(r1csPath);
  const scalars = keyScalars(r1cs, DEV_TOXIC_WASTE, log);
  log(`  dev setup: scalars computed (${elapsed()})`);

  const { alpha, beta, delta } = DEV_TOXIC_WASTE;
  const pool = new FixedBasePool(options.threads ?? availableParallelism());
  let g1: Uint8Array;
  let g2: Uint8Array;
  try {
    const g1Scalars = [alpha, beta, delta, ...scalars.ic, ...scalars.h, ...scalars.c, ...scalars.a, ...scalars.b];
    const g2Scalars = [beta, 1n, delta, ...scalars.b];
    log(`  dev setup: ${g1Scalars.length} G1 and ${g2Scalars.length} G2 multiplications on ${options.threads ?? availableParallelism()} threads`);
    [g2, g1] = await Promise.all([pool.multiply(2, g2Scalars, 2048), pool.multiply(1, g1Scalars)]);
  } finally {
    await pool.close();
  }
  log(`  dev setup: points computed (${elapsed()})`);

  let g1At = 0;
  const takeG1 = (count: number): Uint8Array => g1.subarray(64 * g1At, 64 * (g1At += count));
  let g2At = 0;
  const takeG2 = (count: number): Uint8Array => g2.subarray(128 * g2At, 128 * (g2At += count));
  const [alpha1, beta1, delta1] = [takeG1(1), takeG1(1), takeG1(1)];
  const [beta2, gamma2, delta2] = [takeG2(1), takeG2(1), takeG2(1)];
  const ic = takeG1(scalars.ic.length);
  const h = takeG1(scalars.h.length);
  const c = takeG1(scalars.c.length);
  const a = takeG1(scalars.a.length);
  const b1 = takeG1(scalars.b.length);
  const b2 = takeG2(scalars.b.length);

  const u32 = (v: number): Uint8Array => {
    const out = new Uint8Array(4);
    new DataView(out.buffer).setUint32(0, v, true);
    return out;
  };
  const field = (v: bigint): Uint8Array => {
    const out = new Uint8Array(32);
    writeLE(out, 0, v);
    return out;
  };
  const header = [
    u32(32), field(Q), u32(32), field(R),
    u32(r1cs.nVars), u32(r1cs.nPublic), u32(scalars.domainSize),
    alpha1, beta1, beta2, gamma2, delta1, delta2,
  ];
  const sectionBodies: Array<[number, Uint8Array[]]> = [
    [1, [u32(1)]],
    [2, header],
    [4, [scalars.coefficients]],
    [3, [ic]],
    [9, [h]],
    [8, [c]],
    [5, [a]],
    [6, [b1]],
    [7, [b2]],
  ];
  // The circuit hash of a ceremony key hashes the uncompressed points; this key was never part
  // of a ceremony, so it records a hash of its own sections instead.
  const hasher = blake2b.create({ dkLen: 64 });
  for (const [, parts] of sectionBodies) for (const part of parts) hasher.update(part);
  sectionBodies.push([10, [hasher.digest(), u32(0)]]);

  const fd = openSync(zkeyPath, "w");
  try {
    const preamble = new Uint8Array(12);
    preamble.set(new TextEncoder().encode("zkey"));
    new DataView(preamble.buffer).setUint32(4, 1, true);
    new DataView(preamble.buffer).setUint32(8, sectionBodies.length, true);
    writeSync(fd, preamble);
    for (const [id, parts] of sectionBodies) {
      const sectionHeader = new Uint8Array(12);
      const view = new DataView(sectionHeader.buffer);
      view.setUint32(0, id, true);
      view.setBigUint64(4, BigInt(parts.reduce((n, p) => n + p.length, 0)), true);
      writeSync(fd, sectionHeader);
      for (const part of parts) writeSync(fd, part);
    }
  } finally {
    closeSync(fd);
  }
  log(`  dev setup: wrote ${zkeyPath} (${elapsed()})`);
}
