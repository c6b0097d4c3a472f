/**
 * Prints the constraint count of the ZK batch circuit per step slot: compiles it (or reuses the
 * cached builds) with nOps = 1 and 2 and takes the difference.
 *
 * @example
 * node --import tsx prover/report-constraints.ts        # levels 8
 * node --import tsx prover/report-constraints.ts 2      # levels 2
 */
import { buildCircuit } from "./circuit.js";

const levels = Number(process.argv[2] ?? 8);
const one = await buildCircuit({ levels, nOps: 1 });
const two = await buildCircuit({ levels, nOps: 2 });
const perSlot = two.constraints - one.constraints;
console.log(`levels ${levels} (${8 ** levels} accounts)`);
console.log(`  nOps = 1: ${one.constraints} constraints`);
console.log(`  nOps = 2: ${two.constraints} constraints`);
console.log(`  per step slot: ${perSlot}`);
console.log(`  fixed part (header, fee payouts, withdrawal tree, commitments): ${one.constraints - perSlot}`);
