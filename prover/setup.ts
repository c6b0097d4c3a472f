/**
 * Groth16 trusted setup of a compiled circuit, cached next to its build (`.circuits/<hash>/`).
 *
 * - Development (default): `dev-zkey.ts` writes the key snarkjs' ceremony would produce from
 *   publicly known secrets, in seconds instead of the tens of minutes of a ceremony. INSECURE:
 *   anyone can forge proofs against it. For local devnets and tests only.
 * - Real ceremony: `setup(build, { ptau })` takes a prepared phase-1 file (`.ptau` with the
 *   phase-2 Lagrange sections, e.g. from the Hermez/Polygon ceremony) of at least the circuit's
 *   power, runs snarkjs `zkey new` and one phase-2 contribution with fresh random entropy that
 *   is never stored. Anyone else who wants to take part adds contributions with
 *   `snarkjs zkey contribute` before the verifier is generated.
 */
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as snarkjs from "snarkjs";
import { type CircuitBuild } from "./circuit.js";
import { withSnarkjsCurve } from "./curve.js";
import { writeDevZkey } from "./dev-zkey.js";
import { CircuitArtifactError } from "./errors.js";

/** Options of `setup`. */
export interface SetupOptions {
  /** A prepared powers-of-tau file from a real ceremony; without it, the INSECURE dev setup. */
  readonly ptau?: string;
  /** Progress lines; defaults to stderr. */
  readonly log?: (line: string) => void;
  /** Worker threads of the dev setup (default: the available parallelism). */
  readonly threads?: number;
}

/** A proving key and what was derived from it. */
export interface SetupResult {
  /** The snarkjs .zkey. */
  readonly zkey: string;
  /** The verification key (snarkjs JSON). */
  readonly verificationKey: string;
  /** "dev" (insecure, known toxic waste) or "ptau" (phase 1 from a ceremony). */
  readonly kind: "dev" | "ptau";
  /** Wall time of the setup in seconds when it ran now, 0 when it was cached. */
  readonly seconds: number;
  /** Seconds the setup took when it ran (from the cache record). */
  readonly builtSeconds: number;
}

interface SetupRecord {
  readonly kind: "dev" | "ptau";
  readonly seconds: number;
  readonly ptau?: string;
}

/** Names the key of a ptau file by its path, size and first megabyte (hashing gigabytes would be slow). */
function ptauTag(path: string): string {
  const hash = createHash("sha256");
  hash.update(String(statSync(path).size));
  hash.update(readFileSync(path).subarray(0, 1 << 20));
  return hash.digest("hex").slice(0, 12);
}

/**
 * Produces (or reuses) the Groth16 proving and verification keys of a circuit build.
 *
 * @example
 * const build = await buildCircuit({ levels: 2, nOps: 4 })
 * const { zkey, verificationKey } = await setup(build)                        // insecure dev key
 * const real = await setup(build, { ptau: "powersOfTau28_hez_final_17.ptau" }) // from a ceremony
 */
export async function setup(build: Pick<CircuitBuild, "dir" | "r1cs">, options: SetupOptions = {}): Promise<SetupResult> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const name = options.ptau ? `ptau-${ptauTag(options.ptau)}` : "dev";
  const dir = join(build.dir, "setup");
  const zkey = join(dir, `${name}.zkey`);
  const verificationKey = join(dir, `${name}.vkey.json`);
  const recordPath = join(dir, `${name}.json`);
  if (existsSync(recordPath) && existsSync(zkey) && existsSync(verificationKey)) {
    const record = JSON.parse(readFileSync(recordPath, "utf8")) as SetupRecord;
    log(`setup ${name}: cached in ${dir}`);
    return { zkey, verificationKey, kind: record.kind, seconds: 0, builtSeconds: record.seconds };
  }
  mkdirSync(dir, { recursive: true });
  const started = Date.now();
  const partial = `${zkey}.partial`;
  rmSync(partial, { force: true });
  const logger = {
    info: (m: string) => log(`  snarkjs: ${m}`),
    debug: () => {},
    warn: (m: string) => log(`  snarkjs: ${m}`),
    error: (m: string) => log(`  snarkjs: ${m}`),
  };
  if (options.ptau) {
    log(`setup ${name}: snarkjs zkey new from ${options.ptau} (minutes at 2^17)`);
    const initial = `${zkey}.initial`;
    const hash = await withSnarkjsCurve(() => snarkjs.zKey.newZKey(build.r1cs, options.ptau!, initial, logger));
    if (!(hash instanceof Uint8Array)) {
      throw new CircuitArtifactError(`snarkjs zkey new failed for ${options.ptau}`, {
        details: "the .ptau is too small for the circuit's constraints, or not prepared for phase 2 (`snarkjs powersoftau prepare phase2`); see docs/zk.md",
      });
    }
    log(`setup ${name}: phase-2 contribution with fresh random entropy`);
    await withSnarkjsCurve(() =>
      snarkjs.zKey.contribute(initial, partial, "rollup-devnet setup", randomBytes(64).toString("hex"), logger),
    );
    rmSync(initial, { force: true });
  } else {
    log(`setup dev: INSECURE development key (known toxic waste, see docs/zk.md)`);
    await writeDevZkey(build.r1cs, partial, { log, threads: options.threads });
  }
  renameSync(partial, zkey);
  const vkey = await withSnarkjsCurve(() => snarkjs.zKey.exportVerificationKey(zkey));
  writeFileSync(verificationKey, JSON.stringify(vkey, null, 1));
  const seconds = (Date.now() - started) / 1000;
  const record: SetupRecord = { kind: options.ptau ? "ptau" : "dev", seconds, ptau: options.ptau };
  writeFileSync(recordPath, JSON.stringify(record, null, 2));
  log(`setup ${name}: done in ${seconds.toFixed(1)} s`);
  return { zkey, verificationKey, kind: record.kind, seconds, builtSeconds: seconds };
}
