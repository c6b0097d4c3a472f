/**
 * The shared core: the L2 state transition function, codecs, Merkle trees, keys and
 * commitments of docs/protocol.md. Pure and free of I/O; imported by the sequencer,
 * prover, SDK and tests, and importing none of them.
 */
export * from "./errors.js";
export * from "./params.js";
export * from "./bytes.js";
export * from "./float.js";
export * from "./hash.js";
export * from "./merkle.js";
export * from "./account.js";
export * from "./state.js";
export * from "./signature.js";
export * from "./keys.js";
export * from "./ops.js";
export * from "./queue.js";
export * from "./withdrawals.js";
export * from "./commitments.js";
export * from "./stf.js";
export * from "./one-step-witness.js";
export * from "./zk-witness.js";
export * from "./dispute.js";
export * from "./blob.js";
export { type Point, FIELD_MODULUS, cryptoBackend } from "./crypto/index.js";
export { type BlobKzg, loadKzg } from "./crypto/kzg.js";
export * from "./l1-abi.js";
export * from "./rpc-schema.js";
export * from "./prover-rpc.js";
