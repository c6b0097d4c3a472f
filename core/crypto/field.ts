/**
 * Arithmetic in the BN254 scalar field F_r (the field circom circuits work in),
 * on plain bigints in canonical form [0, r).
 */

/** The BN254 scalar field modulus r. */
export const FIELD_MODULUS =
  21888242871839275222246405745257275088548364400416034343698204186575808495617n;
const r = FIELD_MODULUS;

/** True when `x` is a bigint in [0, r). */
export function isFieldElement(x: unknown): x is bigint {
  return typeof x === "bigint" && x >= 0n && x < r;
}

/**
 * Throws a RangeError (TypeError for non-bigints) unless `x` is in [0, r).
 * `what` names the value in the message, e.g. "poseidon: input 3".
 */
export function assertFieldElement(x: unknown, what: string): asserts x is bigint {
  if (typeof x !== "bigint") throw new TypeError(`${what} must be a bigint`);
  if (x < 0n || x >= r) {
    throw new RangeError(`${what} is not a field element (must satisfy 0 <= x < r)`);
  }
}

/** x mod r in [0, r) for any bigint x. */
export function mod(x: bigint): bigint {
  const m = x % r;
  return m < 0n ? m + r : m;
}

/** (a + b) mod r for canonical a, b. */
export function add(a: bigint, b: bigint): bigint {
  const s = a + b;
  return s >= r ? s - r : s;
}

/** (a - b) mod r for canonical a, b. */
export function sub(a: bigint, b: bigint): bigint {
  const d = a - b;
  return d < 0n ? d + r : d;
}

/** (a * b) mod r. */
export function mul(a: bigint, b: bigint): bigint {
  return (a * b) % r;
}

/** -a mod r for canonical a. */
export function neg(a: bigint): bigint {
  return a === 0n ? 0n : r - a;
}

/** base^exp mod r for exp >= 0. */
export function pow(base: bigint, exp: bigint): bigint {
  let result = 1n;
  let b = mod(base);
  for (let e = exp; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % r;
    b = (b * b) % r;
  }
  return result;
}

/** a^-1 mod r via the extended Euclidean algorithm; throws for a = 0. */
export function inv(a: bigint): bigint {
  if (a === 0n) throw new RangeError("inv: zero has no inverse");
  let [oldR, rr] = [mod(a), r];
  let [oldS, s] = [1n, 0n];
  while (rr !== 0n) {
    const q = oldR / rr;
    [oldR, rr] = [rr, oldR - q * rr];
    [oldS, s] = [s, oldS - q * s];
  }
  return mod(oldS);
}

// r - 1 = 2^28 * Q with Q odd; 5 is a quadratic non-residue mod r.
const TWO_ADICITY = 28;
const Q = (r - 1n) >> 28n;
const ROOT_OF_UNITY = pow(5n, Q);
const HALF = (r - 1n) / 2n;

/**
 * Square root mod r (Tonelli-Shanks), or null for non-residues. Returns the
 * root <= (r - 1) / 2, matching circomlibjs' F.sqrt.
 */
export function sqrt(a: bigint): bigint | null {
  if (a === 0n) return 0n;
  let m = TWO_ADICITY;
  let c = ROOT_OF_UNITY;
  const w = pow(a, (Q - 1n) / 2n);
  let x = (w * a) % r;
  let t = (x * w) % r;
  while (t !== 1n) {
    let i = 0;
    for (let t2 = t; t2 !== 1n; t2 = (t2 * t2) % r) {
      if (++i === m) return null;
    }
    let b = c;
    for (let k = 0; k < m - i - 1; k++) b = (b * b) % r;
    m = i;
    c = (b * b) % r;
    t = (t * c) % r;
    x = (x * b) % r;
  }
  return x > HALF ? r - x : x;
}

/** Little-endian 32-byte encoding of a value < 2^256. */
export function toBytesLE(x: bigint, out: Uint8Array = new Uint8Array(32), offset = 0): Uint8Array {
  let v = x;
  for (let i = 0; i < 32; i++, v >>= 8n) out[offset + i] = Number(v & 0xffn);
  return out;
}

/** Reads `length` little-endian bytes as an unsigned bigint. */
export function fromBytesLE(bytes: Uint8Array, offset = 0, length = 32): bigint {
  let v = 0n;
  for (let i = offset + length - 1; i >= offset; i--) v = (v << 8n) | BigInt(bytes[i]!);
  return v;
}
