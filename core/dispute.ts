/**
 * The dispute game (contracts/dispute/IDisputeGame.sol) in TypeScript: the batch header and
 * its commitment, a proposer's step trace with the reveals its moves send, mirrors of the
 * game's enums, and the solver: `nextMove` decides a party's move from the game's on-chain
 * state and the party's own trace, and `disputeCall` turns a move into the DisputeGame call
 * that makes it (as Optimism's op-challenger splits its solver from its responder). Shared
 * by the derivation, the challenger agent, the sequencer's fault injection and the tests;
 * pure: sending the calls is each caller's.
 */
import { type ContractFunctionArgs, type ContractFunctionName, type Hex, encodeAbiParameters, hexToBytes, keccak256, sliceHex } from "viem";
import { type Address, bytesToHex } from "./bytes.js";
import { type BlobOpenings } from "./blob.js";
import { opsProof, stepHash, stepsProof, stepsRoot } from "./commitments.js";
import { BaseError } from "./errors.js";
import { FEE_SLOTS } from "./params.js";
import { type disputeGameAbi } from "./l1-abi.js";
import { type MachineState, type BatchResult } from "./stf.js";
import { type MachineStateWords, machineStateHash, machineStateWords } from "./one-step-witness.js";

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
export class StepTrace implements DisputeTrace {
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

  /**
   * This trace as a challenger plays it: its step hashes, and the one-step proof of a step
   * from `prove`.
   *
   * @example
   * const trace = derived.trace.proving((step) => buildStepWitness(preState, batch, domain, step))
   * nextMove(view, trace, "challenger") // { kind: "proveStep", step, proof } at hi = lo + 1
   */
  proving<P extends OneStepProof>(prove: (step: number) => P): DisputeTrace<P> {
    return {
      leaf: (index) => this.leaf(index),
      leafReveal: (index) => this.leafReveal(index),
      stateReveal: (index) => this.stateReveal(index),
      oneStepProof: prove,
    };
  }

  private proof(index: number): Hex[] {
    return stepsProof(this.leaves, index).map((p) => bytesToHex(p));
  }
}

/**
 * Mirror of `Types.GameStatus`.
 *
 * @example
 * if ((await game.read.game([id])).status === GameStatus.ChallengerWon) console.log("batch invalidated")
 */
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

/**
 * Mirror of `Types.GameEndReason`.
 *
 * @example
 * const resolved = parseEventLogs({ abi: disputeGameAbi, logs }).find((e) => e.eventName === "GameResolved")
 * resolved?.args.reason === GameEndReason.StepDisproved
 */
export const GameEndReason = { Timeout: 0, StepDisproved: 1, StepConfirmed: 2, BatchInvalidated: 3 } as const;
export type GameEndReason = (typeof GameEndReason)[keyof typeof GameEndReason];

/**
 * True for the statuses of a game in progress.
 *
 * @example
 * isGameOpen(GameStatus.AwaitingAnswer) // true
 * isGameOpen(GameStatus.Dismissed) // false
 */
export function isGameOpen(status: number): boolean {
  return status >= GameStatus.AwaitingOpening && status <= GameStatus.AwaitingStep;
}

/**
 * True iff the defender is to move at `status`.
 *
 * @example
 * isDefenderToMove(GameStatus.AwaitingMidpoint) // true
 * isDefenderToMove(GameStatus.AwaitingStep) // false: the challenger proves the step
 */
export function isDefenderToMove(status: number): boolean {
  return status === GameStatus.AwaitingOpening || status === GameStatus.AwaitingMidpoint;
}

// ─── The solver ──────────────────────────────────────────────────────────────────────────

/**
 * The side a party plays: the challenger disputes the batch, the defender stands by its step
 * hashes (the proposer's; anyone holding them may move for it).
 *
 * @example
 * const role: DisputeRole = game.challenger === me ? "challenger" : "defender"
 */
export type DisputeRole = "challenger" | "defender";

/**
 * What the solver reads of a game: the fields of `DisputeGame.game(id)` it decides on, and
 * two facts read beside them (`disputeView` builds it from the three reads).
 *
 * @example
 * const view = disputeView(await game.read.game([id]), await game.read.clocks([id]), held)
 */
export interface DisputeView {
  readonly status: number;
  /** The step hash index the challenger agrees with. */
  readonly lo: number;
  /** The step hash index the challenger disputes (at the opening: the step count n). */
  readonly hi: number;
  /** The agreed step hash s_lo: the state a one-step proof must start from. */
  readonly loLeaf: Hex;
  /** The defender's step hash at (lo + hi) / 2, while the game awaits the answer. */
  readonly midLeaf: Hex;
  /** True once the party to move has spent its clock: then anyone may call `timeout`. */
  readonly moverClockSpent: boolean;
  /** False once the rollup no longer holds the disputed batch instance (a game or the exodus removed it). */
  readonly batchHeld: boolean;
}

/**
 * What the rollup holds at a game's batch index: the batch's commitment and instance
 * (`Rollup.batches(i).commitment`, `Rollup.batchInstance(i)`); `undefined` when the rollup
 * holds fewer batches.
 *
 * @example
 * const held: HeldBatch = { commitment: (await rollup.read.batches([i]))[0], instance: await rollup.read.batchInstance([i]) }
 */
export interface HeldBatch {
  readonly commitment: Hex;
  readonly instance: bigint;
}

/**
 * A `DisputeView` from the reads: `game(id)` (as viem returns it), `clocks(id)`, and what the
 * rollup holds at the game's batch index. A game belongs to one batch instance
 * (docs/protocol.md §10): an identical batch appended again after its batch was removed does
 * not count as held.
 *
 * @example
 * const count = await rollup.read.batchCount()
 * const held = BigInt(g.batchIndex) < count ? { commitment: (await rollup.read.batches([g.batchIndex]))[0], instance: await rollup.read.batchInstance([g.batchIndex]) } : undefined
 * const view = disputeView(g, await game.read.clocks([id]), held)
 */
export function disputeView(
  game: Pick<DisputeView, "status" | "lo" | "hi" | "loLeaf" | "midLeaf"> & { readonly commitment: Hex; readonly instance: bigint | number },
  clocks: readonly [defender: bigint, challenger: bigint],
  held: HeldBatch | undefined,
): DisputeView {
  const moverClock = isDefenderToMove(game.status) ? clocks[0] : clocks[1];
  return {
    status: game.status,
    lo: game.lo,
    hi: game.hi,
    loLeaf: game.loLeaf,
    midLeaf: game.midLeaf,
    moverClockSpent: moverClock === 0n,
    batchHeld: held !== undefined && held.commitment === game.commitment && held.instance === BigInt(game.instance),
  };
}

/**
 * What a one-step proof sends besides the batch: the pre-state of the step (the preimage of
 * s_lo) and the witness bytes (core/one-step-witness.ts `buildStepWitness` returns both).
 *
 * @example
 * const { pre, proof }: OneStepProof = buildStepWitness(preState, batch, domain, step)
 */
export interface OneStepProof {
  readonly pre: MachineStateWords;
  readonly proof: Hex;
}

/**
 * A party's own step hashes s_0 … s_n over the disputed batch: what it reveals as defender,
 * what it compares the defender's midpoints with as challenger, and, for a challenger, the
 * one-step proof of a step from its own state. `StepTrace` is one (a defender's);
 * `StepTrace.proving` adds the proofs. A party plays its trace as it is: a faulty proposer
 * defends its wrong batch with its wrong trace.
 *
 * @example
 * const trace: DisputeTrace = StepTrace.fromResult(applyBatch(state, batch, ctx))
 */
export interface DisputeTrace<P extends OneStepProof = OneStepProof> {
  /** Step hash `index`, 0x-hex. */
  leaf(index: number): Hex;
  /** `LeafReveal` of step hash `index`. */
  leafReveal(index: number): LeafReveal;
  /** `StateReveal` of step hash `index`. */
  stateReveal(index: number): StateReveal;
  /** The one-step proof of step `step`; a trace that cannot prove (a defender's) has none. */
  oneStepProof?(step: number): P;
}

/**
 * A move that is a DisputeGame transaction (`disputeCall` builds it).
 *
 * @example
 * const move: DisputeAction = { kind: "answer", index: 4, agree: true }
 */
export type DisputeAction<P extends OneStepProof = OneStepProof> =
  /** Defender: step hashes 0 and n with their preimages, and the midpoint n / 2. */
  | { readonly kind: "open"; readonly stepCount: number; readonly first: StateReveal; readonly last: StateReveal; readonly mid: LeafReveal }
  /** Defender: its step hash at `index` = (lo + hi) / 2. */
  | { readonly kind: "revealMidpoint"; readonly index: number; readonly mid: LeafReveal }
  /** Challenger: agree or disagree with the defender's step hash at `index` = (lo + hi) / 2. */
  | { readonly kind: "answer"; readonly index: number; readonly agree: boolean }
  /** Challenger, at hi = lo + 1: re-execute step `step` = lo on L1. */
  | { readonly kind: "proveStep"; readonly step: number; readonly proof: P }
  /** Either party: end the game against `against`, the party to move, whose clock is spent. */
  | { readonly kind: "timeout"; readonly against: DisputeRole }
  /** Either party: end without a winner a game whose batch is gone. */
  | { readonly kind: "dismiss" };

/**
 * What the solver tells a party to do: a transaction (`DisputeAction`), `wait` (the other
 * party is to move and has time left, or this party has nothing to move with), or `ended`
 * (the game is over).
 *
 * @example
 * const move: DisputeMove = nextMove(view, trace, "defender")
 * if (move.kind !== "wait" && move.kind !== "ended") await send(disputeCall(gameId, move, batch))
 */
export type DisputeMove<P extends OneStepProof = OneStepProof> = DisputeAction<P> | { readonly kind: "wait" } | { readonly kind: "ended" };

/**
 * A move cannot be made from what the party holds: its trace does not fit the game
 * (`nextMove`), or a call lacks the batch data it sends (`disputeCall`).
 *
 * @example
 * try { nextMove(view, trace, "challenger") } catch (e) {
 *   if (e instanceof DisputeMoveError) console.error(e.shortMessage, e.details)
 * }
 */
export class DisputeMoveError extends BaseError {
  override name = "DisputeMoveError";
}

const WAIT = { kind: "wait" } as const;

/**
 * The move of the party playing `role` with `trace` in the game `view`, by the honest
 * strategy of docs/disputes.md (a party with a wrong trace plays it the same way):
 *
 * - ended game: `ended`; a game whose batch is gone: `dismiss` (nothing else is accepted).
 * - the other party to move: `timeout` once its clock is spent, else `wait`.
 * - its own turn, with no trace (the party cannot judge the batch): `wait`.
 * - defender: `open` with step hashes 0 and n and the midpoint n / 2, then `revealMidpoint`
 *   at (lo + hi) / 2.
 * - challenger: `answer` agree iff the defender's midpoint equals its own step hash there;
 *   at hi = lo + 1, `proveStep` from its own state at lo (`wait` if its trace cannot prove).
 *
 * Pure: reads no chain, sends nothing. Throws `DisputeMoveError` when the challenger's own
 * state at lo does not hash to the agreed step hash (its proofs and step hashes disagree).
 *
 * @example
 * nextMove({ status: GameStatus.AwaitingAnswer, lo: 0, hi: 8, loLeaf, midLeaf: trace.leaf(4), moverClockSpent: false, batchHeld: true }, trace, "challenger")
 * // { kind: "answer", index: 4, agree: true }
 */
export function nextMove<P extends OneStepProof>(view: DisputeView, trace: DisputeTrace<P> | undefined, role: DisputeRole): DisputeMove<P> {
  if (!isGameOpen(view.status)) return { kind: "ended" };
  // INVARIANT: a game on a removed batch cannot time out or be proven; it only ends by dismiss.
  if (!view.batchHeld) return { kind: "dismiss" };
  const toMove: DisputeRole = isDefenderToMove(view.status) ? "defender" : "challenger";
  if (toMove !== role) return view.moverClockSpent ? { kind: "timeout", against: toMove } : WAIT;
  if (!trace) return WAIT;
  const mid = (view.lo + view.hi) >> 1;
  switch (view.status) {
    case GameStatus.AwaitingOpening:
      return { kind: "open", stepCount: view.hi, first: trace.stateReveal(0), last: trace.stateReveal(view.hi), mid: trace.leafReveal(mid) };
    case GameStatus.AwaitingMidpoint:
      return { kind: "revealMidpoint", index: mid, mid: trace.leafReveal(mid) };
    case GameStatus.AwaitingAnswer:
      return { kind: "answer", index: mid, agree: trace.leaf(mid) === view.midLeaf };
    default: {
      if (!trace.oneStepProof) return WAIT;
      const proof = trace.oneStepProof(view.lo);
      const pre = machineStateHash(proof.pre);
      if (pre !== view.loLeaf) {
        throw new DisputeMoveError(`my state at step ${view.lo} hashes to ${pre}, not to the agreed step hash ${view.loLeaf}`, {
          details: "the trace's one-step proofs and its step hashes come from different executions: build both from the same pre-state and batch",
        });
      }
      return { kind: "proveStep", step: view.lo, proof };
    }
  }
}

/** Mirror of `OpProof`: the disputed op's record and its path to the batch's opsRoot (docs/protocol.md §8). */
export interface OpProofWords {
  readonly record: Hex;
  readonly path: readonly Hex[];
}

/** The `op` argument of `proveStep` for a queue or fee step: no record, no path. */
export const NO_OP: OpProofWords = { record: "0x", path: [] };

/**
 * The `op` argument of `DisputeGame.proveStep` for step `step` of a calldata batch with
 * `queueOps` queue entries and the L2 ops of `payload` (`recordSize` bytes each): the op's
 * record and its opsRoot path (`opsProof`), or {@link NO_OP} for a queue or fee step.
 *
 * @example
 * await game.proveStep(gameId, header, stepOpProof(payload, 2, 76, lo), pre, proof)
 */
export function stepOpProof(payload: Hex, queueOps: number, recordSize: number, step: number): OpProofWords {
  const l2Ops = (payload.length - 2) / 2 / recordSize;
  const opIndex = step - queueOps;
  if (opIndex < 0 || opIndex >= l2Ops) return NO_OP;
  return {
    record: sliceHex(payload, opIndex * recordSize, (opIndex + 1) * recordSize, { strict: true }),
    path: opsProof(hexToBytes(payload), recordSize, opIndex).map((node) => bytesToHex(node)),
  };
}

/**
 * {@link stepOpProof} with the queue entries and the record size read from the batch header
 * (`stepCount = queue entries + L2 ops + FEE_SLOTS`).
 *
 * @example
 * await game.proveStep(gameId, header, headerOpProof(payload, header, lo), pre, proof)
 */
export function headerOpProof(
  payload: Hex,
  header: { readonly queueStart: bigint; readonly queueEnd: bigint; readonly stepCount: bigint },
  step: number,
): OpProofWords {
  const queueOps = Number(header.queueEnd - header.queueStart);
  const l2Ops = Number(header.stepCount) - queueOps - FEE_SLOTS;
  if (l2Ops === 0) return NO_OP;
  return stepOpProof(payload, queueOps, (payload.length - 2) / 2 / l2Ops, step);
}

type DisputeGameWrite = ContractFunctionName<typeof disputeGameAbi, "nonpayable" | "payable">;

/**
 * A DisputeGame transaction: a function that changes state and its arguments, typed against
 * `disputeGameAbi` (spread it into viem's `simulateContract` / `writeContract`).
 *
 * @example
 * const call: DisputeGameCall = { functionName: "timeout", args: [gameId] }
 * await client.simulateContract({ address, abi: disputeGameAbi, account, ...call })
 */
export type DisputeGameCall = {
  [F in DisputeGameWrite]: { readonly functionName: F; readonly args: ContractFunctionArgs<typeof disputeGameAbi, "nonpayable" | "payable", F> };
}[DisputeGameWrite];

/**
 * The disputed batch as the moves send it: its header (`open`, `proveStep`) and, for a
 * challenger's one-step proof, its data: the calldata payload (`proveStep` sends the disputed
 * op with its opsRoot path, `headerOpProof`), or the KZG
 * openings of a step of a blob batch (`proveBlobStep`, computed only for the proven step).
 *
 * @example
 * const batch: DisputedBatch = { header, data: decoded.blobs ? { blobOpenings: (step) => openings(step) } : decoded.payload }
 */
export interface DisputedBatch {
  readonly header: BatchHeaderWords;
  readonly data?: Hex | { readonly blobOpenings: (step: number) => BlobOpenings };
}

/**
 * The DisputeGame call that makes `move` in game `gameId` over `batch` (needed by `open` and
 * `proveStep`; `proveStep` also needs its `data`). Pure: the caller sends it.
 *
 * @example
 * const move = nextMove(view, trace, "defender")
 * if (move.kind === "open") await wallet.writeContract({ address, abi: disputeGameAbi, ...disputeCall(gameId, move, { header }) })
 */
export function disputeCall(gameId: bigint, move: DisputeAction, batch?: DisputedBatch): DisputeGameCall {
  switch (move.kind) {
    case "open":
      return { functionName: "open", args: [gameId, requireBatch(batch, move).header, move.first, move.last, move.mid] };
    case "revealMidpoint":
      return { functionName: "revealMidpoint", args: [gameId, move.mid] };
    case "answer":
      return { functionName: "answer", args: [gameId, move.agree] };
    case "proveStep": {
      const { header, data } = requireBatch(batch, move);
      const { pre, proof } = move.proof;
      if (data === undefined) {
        throw new DisputeMoveError(`the one-step proof of step ${move.step} needs the batch's data`, {
          details: "pass the calldata payload, or { blobOpenings } for a blob batch, as the batch's `data`",
        });
      }
      return typeof data === "string"
        ? { functionName: "proveStep", args: [gameId, header, headerOpProof(data, header, move.step), pre, proof] }
        : { functionName: "proveBlobStep", args: [gameId, header, data.blobOpenings(move.step), pre, proof] };
    }
    case "timeout":
      return { functionName: "timeout", args: [gameId] };
    case "dismiss":
      return { functionName: "dismiss", args: [gameId] };
  }
}

function requireBatch(batch: DisputedBatch | undefined, move: DisputeAction): DisputedBatch {
  if (!batch) {
    throw new DisputeMoveError(`the ${move.kind} move sends the disputed batch's header`, { details: "pass the batch (its header, and its data for a one-step proof) to disputeCall" });
  }
  return batch;
}
