/**
 * Generates the Groth16 verifier contract of the ZK batch circuit into contracts/zk/generated/
 * (git-ignored): compiles the circuit, runs the setup (cached) and exports the verifier with
 * snarkjs' template. The dev setup is INSECURE (docs/zk.md); pass --ptau for a real ceremony.
 *
 * @example
 * node --import tsx scripts/gen-verifier.ts                         # levels 8, nOps 4, dev setup
 * node --import tsx scripts/gen-verifier.ts --levels 2 --nOps 4
 * node --import tsx scripts/gen-verifier.ts --ptau powersOfTau28_hez_final_17.ptau
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { buildCircuit } from "../prover/circuit.js";
import { setup } from "../prover/setup.js";
import { generateVerifierSource, verifierName } from "../prover/verifier.js";

const { values } = parseArgs({
  options: {
    levels: { type: "string", default: "8" },
    nOps: { type: "string", default: "4" },
    ptau: { type: "string" },
  },
});
const params = { levels: Number(values.levels), nOps: Number(values.nOps) };
const build = await buildCircuit(params);
const keys = await setup(build, { ptau: values.ptau });
const name = verifierName(params);
const out = join(import.meta.dirname, "..", "contracts", "zk", "generated", `${name}.sol`);
mkdirSync(join(out, ".."), { recursive: true });
writeFileSync(out, await generateVerifierSource(keys.zkey, name));
console.log(`wrote ${out} (${keys.kind === "dev" ? "INSECURE dev setup" : "setup from a ptau"}, zkey ${keys.zkey})`);
process.exit(0);
