/**
 * Codecs of the dispute game (contracts/dispute/IDisputeGame.sol): the batch header and its
 * commitment, a proposer's step trace with the reveals its moves send, and mirrors of the
 * game's enums. Shared by the derivation, the challenger agent and the sequencer's fault
 * injection; pure.
 */
import { type Hex, encodeAbiParameters, keccak256 } from "viem";
import { type Address, bytesToHex } from "./bytes.js";
import { stepHash, stepsProof, stepsRoot } from "./commitments.js";
import { type MachineState, type BatchResult } from "./stf.js";
import { type MachineStateWords, machineStateWords } from "./one-step-witness.js";

/** Mirror of `Types.BatchHeader`: every field a batch commitment covers (docs/protocol.md §8). */
export interface BatchHeaderWords {
  readonly index: bigint;
  readonly parentCommitment: Hex;
  readonly dataHash: Hex;
  readonly queueStart: bigint;
  readonly queueEnd: bigint;
  readonly queueHashEnd: bigint;
  readonly preStateRoot: bigint;
  readonly postStateRoot: bigint;
  readonly withdrawalsRoot: bigint;
  readonly stepsRoot: Hex;
  readonly stepCount: bigint;
  readonly feeRecipient: Address;
  readonly feeTokens: readonly [number, number, number, number];
}

const HEADER_ABI = [
  {
    type: "tuple",
    components: [
      { name: "index", type: "uint256" },
      { name: "parentCommitment", type: "bytes32" },
      { name: "dataHash", type: "bytes32" },
      { name: "queueStart", type: "uint64" },
      { name: "queueEnd", type: "uint64" },
      { name: "queueHashEnd", type: "uint256" },
      { name: "preStateRoot", type: "uint256" },
      { name: "postStateRoot", type: "uint256" },
      { name: "withdrawalsRoot", type: "uint256" },
      { name: "stepsRoot", type: "bytes32" },
      { name: "stepCount", type: "uint256" },
      { name: "feeRecipient", type: "address" },
      { name: "feeTokens", type: "uint32[4]" },
    ],
  },
] as const;

/**
 * `keccak256(abi.encode(header))`: the commitment the rollup stores for a batch.
 *
 * @example
 * batchHeaderCommitment(header) === (await rollup.read.batches([header.index]))[0]
 */
export function batchHeaderCommitment(header: BatchHeaderWords): Hex {
  return keccak256(encodeAbiParameters(HEADER_ABI, [header]));
}

/** Mirror of `StateReveal`: a machine state with its proof against the stepsRoot. */
export interface StateReveal {
  readonly state: MachineStateWords;
  readonly proof: readonly Hex[];
}

/** Mirror of `LeafReveal`: a step hash with its proof against the stepsRoot. */
export interface LeafReveal {
  readonly leaf: Hex;
  readonly proof: readonly Hex[];
}

/**
 * A proposer's machine states s_0 … s_n over one batch, their step hashes and the stepsRoot
 * over them: what a defender reveals from, and what a challenger compares revealed leaves with.
 *
 * @example
 * const trace = StepTrace.fromResult(applyBatch(state, batch, ctx))
 * await game.write.open([gameId, header, trace.stateReveal(0), trace.stateReveal(n), trace.leafReveal(n >> 1)])
 */
export class StepTrace {
  readonly states: readonly MachineState[];
  readonly leaves: readonly Uint8Array[];
  /** The stepsRoot over `leaves`. */
  readonly root: Hex;

  constructor(states: readonly MachineState[]) {
    this.states = states;
    this.leaves = states.map((s) => stepHash(s));
    this.root = bytesToHex(stepsRoot(this.leaves));
  }

  /** The trace of a batch result: the state before the first step, then after each. */
  static fromResult(result: BatchResult): StepTrace {
    return new StepTrace([result.initial, ...result.steps.map((s) => s.after)]);
  }

  /** The step count n (the trace has n + 1 states). */
  get stepCount(): number {
    return this.states.length - 1;
  }

  /** Step hash `index`, 0x-hex. */
  leaf(index: number): Hex {
    const leaf = this.leaves[index];
    if (!leaf) throw new RangeError(`step hash ${index} is outside the trace (0..${this.stepCount})`);
    return bytesToHex(leaf);
  }

  /** `LeafReveal` of step hash `index`. */
  leafReveal(index: number): LeafReveal {
    return { leaf: this.leaf(index), proof: this.proof(index) };
  }

  /** `StateReveal` of step hash `index`. */
  stateReveal(index: number): StateReveal {
    this.leaf(index);
    return { state: machineStateWords(this.states[index]!), proof: this.proof(index) };
  }

  private proof(index: number): Hex[] {
    return stepsProof(this.leaves, index).map((p) => bytesToHex(p));
  }
}

/** Mirror of `Types.GameStatus`. */
export const GameStatus = {
  None: 0,
  AwaitingOpening: 1,
  AwaitingMidpoint: 2,
  AwaitingAnswer: 3,
  AwaitingStep: 4,
  ChallengerWon: 5,
  DefenderWon: 6,
  Dismissed: 7,
} as const;
export type GameStatus = (typeof GameStatus)[keyof typeof GameStatus];

/** Mirror of `Types.GameEndReason`. */
export const GameEndReason = { Timeout: 0, StepDisproved: 1, StepConfirmed: 2, BatchInvalidated: 3 } as const;
export type GameEndReason = (typeof GameEndReason)[keyof typeof GameEndReason];

/** True for the statuses of a game in progress. */
export function isGameOpen(status: number): boolean {
  return status >= GameStatus.AwaitingOpening && status <= GameStatus.AwaitingStep;
}

/** True iff the defender is to move at `status`. */
export function isDefenderToMove(status: number): boolean {
  return status === GameStatus.AwaitingOpening || status === GameStatus.AwaitingMidpoint;
}
