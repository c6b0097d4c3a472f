/**
 * The one-step prover's witness builder lives in the shared core (core/one-step-witness.ts),
 * where the challenger uses it too; tests keep importing it from here.
 */
export * from "../../core/one-step-witness.js";
