/**
 * Groth16 proving from a snarkjs proving key (.zkey) and a witness (.wtns), as snarkjs'
 * `groth16.prove` computes it, with the parts that dominate at hundreds of thousands of
 * constraints moved into the native addon (native/rollup_crypto.c):
 *
 * - the QAP evaluation (A·w and B·w at the domain points, one multiply-add per coefficient of
 *   the key, ~18 per constraint): `qapEvaluate`, where snarkjs loops in JavaScript on one core;
 * - the five multi-scalar multiplications (A, B1, C, H in G1, B in G2): `g1MsmAffine`,
 *   `g2MsmAffine`, Pippenger on 64-bit Montgomery arithmetic on two threads, off the JS thread.
 *
 * The FFTs and the rest stay ffjavascript's (snarkjs' own curve) and run on its worker threads
 * while the first MSMs run, so the proof is a proof of the same key and verifies with snarkjs
 * and the generated verifier. The native addon is optional: without it `proveGroth16` is
 * snarkjs' prove.
 */
import { createRequire } from "node:module";
import * as snarkjs from "snarkjs";
import { CircuitArtifactError } from "./errors.js";

/** ffjavascript's BN254 curve, as far as proving uses it. */
interface Curve {
  readonly Fr: Field & {
    readonly s: number;
    readonly shift: Uint8Array;
    readonly w: Uint8Array[];
    e(value: number): Uint8Array;
    random(): Uint8Array;
    neg(a: Uint8Array): Uint8Array;
    mul(a: Uint8Array, b: Uint8Array): Uint8Array;
    ifft(buffer: Uint8Array, a: string, b: string): Promise<Uint8Array>;
    fft(buffer: Uint8Array, a: string, b: string): Promise<Uint8Array>;
    batchApplyKey(buffer: Uint8Array, first: Uint8Array, inc: Uint8Array): Promise<Uint8Array>;
  };
  readonly G1: Group;
  readonly G2: Group;
  readonly tm: { queueAction(task: object[]): Promise<Uint8Array[]> };
}
interface Field {
  readonly n8: number;
}
type Point = Uint8Array;
interface Group {
  fromRprLEM(buffer: Uint8Array, offset: number): Point;
  add(a: Point, b: Point): Point;
  timesFr(a: Point, scalar: Uint8Array): Point;
  toAffine(a: Point): Point;
  toObject(a: Point): unknown;
  multiExpAffine(bases: Uint8Array, scalars: Uint8Array): Promise<Point>;
}

/** The native addon's prover functions (native/rollup_crypto.c). */
export interface NativeProver {
  qapEvaluate(coefficients: Uint8Array, witness: Uint8Array, a: Uint8Array, b: Uint8Array, c: Uint8Array): void;
  /** Σ scalars_i · bases_i; bases affine LEM (64 B), scalars standard LE (32 B); affine LEM out. */
  g1MsmAffine(bases: Uint8Array, scalars: Uint8Array, threads: number): Promise<Uint8Array>;
  /** The same in G2 (128 B bases and result). */
  g2MsmAffine(bases: Uint8Array, scalars: Uint8Array, threads: number): Promise<Uint8Array>;
}

let native: NativeProver | null | undefined;

/**
 * The native addon's prover functions, or null when the addon is not built (or predates them).
 *
 * @example
 * if (!nativeProver()) console.warn("proving with snarkjs alone: npm run build:native")
 */
export function nativeProver(): NativeProver | null {
  if (native === undefined) {
    try {
      const addon = createRequire(import.meta.url)("../native/build/Release/rollup_crypto.node") as Partial<NativeProver>;
      native = typeof addon.qapEvaluate === "function" && typeof addon.g1MsmAffine === "function" && typeof addon.g2MsmAffine === "function" ? (addon as NativeProver) : null;
    } catch {
      native = null;
    }
  }
  return native;
}

/** Threads of each native MSM: the cores, at most 2 (ffjavascript's workers run beside them). */
const MSM_THREADS = 2;

/** A parsed proving key: its header and its sections, as views of the key file in memory. */
export interface ProvingKey {
  readonly nVars: number;
  readonly nPublic: number;
  readonly domainSize: number;
  readonly alpha1: Point;
  readonly beta1: Point;
  readonly beta2: Point;
  readonly delta1: Point;
  readonly delta2: Point;
  /** Sections 4 (coefficients), 5 (A), 6 (B1), 7 (B2), 8 (C), 9 (H). */
  readonly sections: ReadonlyMap<number, Uint8Array>;
  /** The key file, for snarkjs when the native addon is missing. */
  readonly file: Uint8Array;
}

/** The sections of a snarkjs binary file (zkey, wtns): id → body. */
function readSections(file: Uint8Array, magic: string): Map<number, Uint8Array> {
  if (new TextDecoder().decode(file.subarray(0, 4)) !== magic) {
    throw new CircuitArtifactError(`not a ${magic} file`, { details: "the proving key or witness is damaged: remove .circuits/ and build again" });
  }
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const count = view.getUint32(8, true);
  const sections = new Map<number, Uint8Array>();
  let at = 12;
  for (let i = 0; i < count; i++) {
    const id = view.getUint32(at, true);
    const size = Number(view.getBigUint64(at + 4, true));
    sections.set(id, file.subarray(at + 12, at + 12 + size));
    at += 12 + size;
  }
  return sections;
}

/**
 * Parses a Groth16 .zkey (layout in prover/dev-zkey.ts) held in memory.
 *
 * @example
 * const key = readProvingKey(curve, readFileSync(zkeyPath))
 */
export function readProvingKey(curve: Curve, file: Uint8Array): ProvingKey {
  const sections = readSections(file, "zkey");
  const header = sections.get(2);
  if (sections.get(1)?.[0] !== 1 || !header) throw new CircuitArtifactError("the proving key is not a Groth16 key", { details: "prove with a key from setup() (prover/setup.ts)" });
  const view = new DataView(header.buffer, header.byteOffset, header.byteLength);
  const n8q = view.getUint32(0, true);
  const n8r = view.getUint32(4 + n8q, true);
  let at = 8 + n8q + n8r;
  const nVars = view.getUint32(at, true);
  const nPublic = view.getUint32(at + 4, true);
  const domainSize = view.getUint32(at + 8, true);
  at += 12;
  const g1 = (): Point => curve.G1.fromRprLEM(header, (at += 2 * n8q) - 2 * n8q);
  const g2 = (): Point => curve.G2.fromRprLEM(header, (at += 4 * n8q) - 4 * n8q);
  const alpha1 = g1();
  const beta1 = g1();
  const beta2 = g2();
  g2(); // γ2: the verifier's
  const delta1 = g1();
  const delta2 = g2();
  return { nVars, nPublic, domainSize, alpha1, beta1, beta2, delta1, delta2, sections, file };
}

/** A little-endian field element as a decimal string. */
function decimal(bytes: Uint8Array): string {
  let value = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[i]!);
  return value.toString();
}

function stringify(value: unknown): unknown {
  if (typeof value === "bigint") return value.toString();
  if (Array.isArray(value)) return value.map(stringify);
  return value;
}

/**
 * A Groth16 proof of the witness `wtns` (a .wtns file in memory, e.g. from
 * `snarkjs.wtns.calculate(input, wasm, { type: "mem" })`) with `key`, on `curve` (snarkjs'
 * multi-threaded BN254 curve): `{ proof, publicSignals }` as snarkjs returns them.
 *
 * @example
 * const curve = await snarkjs.curves.getCurveFromName("bn128")
 * const { proof, publicSignals } = await proveGroth16(curve, readProvingKey(curve, zkey), witness.data)
 */
export async function proveGroth16(
  curve: Curve,
  key: ProvingKey,
  wtns: Uint8Array,
  onPhase?: (phase: string) => void,
): Promise<{ proof: snarkjs.Groth16Proof; publicSignals: string[] }> {
  const addon = nativeProver();
  if (!addon) return snarkjs.groth16.prove({ type: "mem", data: key.file }, { type: "mem", data: wtns });
  const { Fr, G1, G2 } = curve;
  const witness = readSections(wtns, "wtns").get(2)!;
  if (witness.byteLength !== key.nVars * Fr.n8) {
    throw new CircuitArtifactError(`the witness has ${witness.byteLength / Fr.n8} wires, the key ${key.nVars}`, { details: "the witness is not of this key's circuit" });
  }
  const section = (id: number): Uint8Array => key.sections.get(id)!;
  const g1 = async (bases: Uint8Array, scalars: Uint8Array, name: string): Promise<Point> => {
    const point = G1.fromRprLEM(await addon.g1MsmAffine(bases, scalars, MSM_THREADS), 0);
    onPhase?.(`MSM ${name}`);
    return point;
  };

  // The FFTs run on ffjavascript's workers while the native MSMs run one after the other.
  const size = key.domainSize * Fr.n8;
  const [a, b, c] = [new Uint8Array(size), new Uint8Array(size), new Uint8Array(size)];
  addon.qapEvaluate(section(4), witness, a, b, c);
  onPhase?.("QAP");
  const witnessMsms = (async () => {
    const A = await g1(section(5), witness, "A");
    const B = G2.fromRprLEM(await addon.g2MsmAffine(section(7), witness, MSM_THREADS), 0);
    onPhase?.("MSM B2");
    const B1 = await g1(section(6), witness, "B1");
    const C = await g1(section(8), witness.subarray((key.nPublic + 1) * Fr.n8), "C");
    return { A, B, B1, C };
  })();

  // h: A·B − C over the odd coset of the doubled domain.
  const power = Math.log2(key.domainSize);
  const inc = power === Fr.s ? Fr.shift : Fr.w[power + 1]!;
  const coset = async (evaluations: Uint8Array): Promise<Uint8Array> =>
    Fr.fft(await Fr.batchApplyKey(await Fr.ifft(evaluations, "", ""), Fr.e(1), inc), "", "");
  const [aOdd, bOdd, cOdd] = await Promise.all([coset(a), coset(b), coset(c)]);
  onPhase?.("FFTs");
  const [hOdd] = await curve.tm.queueAction([
    { cmd: "ALLOCSET", var: 0, buff: aOdd },
    { cmd: "ALLOCSET", var: 1, buff: bOdd },
    { cmd: "ALLOCSET", var: 2, buff: cOdd },
    { cmd: "ALLOC", var: 3, len: size },
    { cmd: "CALL", fnName: "qap_joinABC", params: [{ var: 0 }, { var: 1 }, { var: 2 }, { val: key.domainSize }, { var: 3 }] },
    { cmd: "CALL", fnName: "frm_batchFromMontgomery", params: [{ var: 3 }, { val: key.domainSize }, { var: 3 }] },
    { cmd: "GET", out: 0, var: 3, len: size },
  ]);
  onPhase?.("joinABC");
  const { A: piA, B: piB, B1: piB1, C: piC } = await witnessMsms;
  const h = await g1(section(9), hOdd!, "H");

  const r = Fr.random();
  const s = Fr.random();
  const A = G1.add(G1.add(piA, key.alpha1), G1.timesFr(key.delta1, r));
  const B = G2.add(G2.add(piB, key.beta2), G2.timesFr(key.delta2, s));
  const B1 = G1.add(G1.add(piB1, key.beta1), G1.timesFr(key.delta1, s));
  let C = G1.add(piC, h);
  C = G1.add(C, G1.timesFr(A, s));
  C = G1.add(C, G1.timesFr(B1, r));
  C = G1.add(C, G1.timesFr(key.delta1, Fr.neg(Fr.mul(r, s))));

  const publicSignals = Array.from({ length: key.nPublic }, (_, i) => decimal(witness.subarray((i + 1) * Fr.n8, (i + 2) * Fr.n8)));
  const proof = {
    pi_a: stringify(G1.toObject(G1.toAffine(A))),
    pi_b: stringify(G2.toObject(G2.toAffine(B))),
    pi_c: stringify(G1.toObject(G1.toAffine(C))),
    protocol: "groth16",
    curve: "bn128",
  } as snarkjs.Groth16Proof;
  return { proof, publicSignals };
}
