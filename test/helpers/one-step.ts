/**
 * The one-step prover's witness builder lives in the shared core (core/one-step-witness.ts),
 * where the challenger uses it too; tests keep importing it from here, with the `OpProof`
 * that `DisputeGame.proveStep` takes for a calldata batch.
 */

export * from "../../core/one-step-witness.js";

export { NO_OP, type OpProofWords, headerOpProof, stepOpProof } from "../../core/dispute.js";
