/**
 * The one-step prover's witness builder lives in the shared core (core/one-step-witness.ts),
 * where the challenger uses it too; tests keep importing it from here, with the `OpProof`
 * that `DisputeGame.proveStep` takes for a calldata batch.
 */
import { type Hex, hexToBytes, sliceHex } from "viem";
import { FEE_SLOTS, bytesToHex, opsProof } from "../../core/index.js";

export * from "../../core/one-step-witness.js";

/** Mirror of `OpProof`: the disputed op's record and its path to the batch's opsRoot. */
export interface OpProofWords {
  readonly record: Hex;
  readonly path: readonly Hex[];
}

/** The `op` argument of `proveStep` for a queue or fee step: no record, no path. */
export const NO_OP: OpProofWords = { record: "0x", path: [] };

/**
 * The `op` argument of `DisputeGame.proveStep` for step `step` of a calldata batch with
 * `queueOps` queue entries and the L2 ops of `payload` (`recordSize` bytes each): the op's
 * record and its opsRoot path (core `opsProof`, docs/protocol.md §8), or {@link NO_OP} for a
 * queue or fee step.
 *
 * @example
 * await game.proveStep(gameId, header, stepOpProof(payload, 2, 76, lo), pre, proof)
 */
export function stepOpProof(payload: string, queueOps: number, recordSize: number, step: number): OpProofWords {
  const l2Ops = (payload.length - 2) / 2 / recordSize;
  const opIndex = step - queueOps;
  if (opIndex < 0 || opIndex >= l2Ops) return NO_OP;
  return {
    record: sliceHex(payload as Hex, opIndex * recordSize, (opIndex + 1) * recordSize, { strict: true }),
    path: opsProof(hexToBytes(payload as Hex), recordSize, opIndex).map((node) => bytesToHex(node)),
  };
}

/**
 * {@link stepOpProof} with the queue entries and record size read from the batch header:
 * `stepCount = queue entries + L2 ops + FEE_SLOTS`.
 *
 * @example
 * await game.proveStep(gameId, header, headerOpProof(payload, header, lo), pre, proof)
 */
export function headerOpProof(
  payload: string,
  header: { readonly queueStart: bigint; readonly queueEnd: bigint; readonly stepCount: bigint },
  step: number,
): OpProofWords {
  const queueOps = Number(header.queueEnd - header.queueStart);
  const l2Ops = Number(header.stepCount) - queueOps - FEE_SLOTS;
  if (l2Ops === 0) return NO_OP;
  return stepOpProof(payload, queueOps, (payload.length - 2) / 2 / l2Ops, step);
}
