/**
 * Runs the ZK batch circuit's generated WebAssembly witness calculator on a circuit input
 * (built by core's `buildCircuitInput`, core/zk-witness.ts).
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { type CircuitInput } from "../core/index.js";
import { type CircuitBuild } from "./circuit.js";

interface WitnessCalculator {
  calculateWitness(input: CircuitInput, sanityCheck: boolean): Promise<bigint[]>;
}

const calculators = new Map<string, Promise<WitnessCalculator>>();

/**
 * Computes the witness of `input` with the circuit's generated WebAssembly calculator; throws
 * (an `Assert Failed` error from the calculator) when the input violates a constraint.
 *
 * @example
 * const witness = await calculateWitness(build, input)
 * witness[1] // the public input
 */
export async function calculateWitness(build: CircuitBuild, input: CircuitInput): Promise<bigint[]> {
  let calculator = calculators.get(build.wasm);
  if (!calculator) {
    const builder = createRequire(import.meta.url)(build.witnessCalculator) as (
      code: Buffer,
      options?: object,
    ) => Promise<WitnessCalculator>;
    calculator = builder(readFileSync(build.wasm));
    calculators.set(build.wasm, calculator);
  }
  return (await calculator).calculateWitness(input, true);
}
