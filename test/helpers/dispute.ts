/**
 * Dispute games in tests: proposers' step lists (honest and faulty), the reveals a defender
 * sends, party strategies (honest and adversarial) and a driver that plays a game to its end,
 * timing out a party that stalls. Strategies see only what is on chain plus their own data.
 */
import type { ContractTransactionReceipt, ContractTransactionResponse, Signer } from "ethers";
import {
  type BatchResult,
  type BlobOpenings,
  type MachineState,
  FIELD_MODULUS,
  bytesToHex,
  poseidon2,
  stepHash,
  stepsProof,
  stepsRoot,
} from "../../core/index.js";
import type { BatchHeader } from "./batches.js";
import type { DisputeGameContract } from "./deploy.js";
import { type MachineStateWords, headerOpProof } from "./one-step.js";

import { GameStatus, GameEndReason } from "../../core/index.js";
export { GameStatus, GameEndReason };

/** A proposer's machine states s_0 … s_n, their step hashes and the stepsRoot over them. */
export interface StepList {
  readonly states: readonly MachineState[];
  readonly leaves: readonly Uint8Array[];
  /** The stepsRoot, 0x-hex. */
  readonly root: string;
}

function stepList(states: readonly MachineState[]): StepList {
  const leaves = states.map((s) => stepHash(s));
  return { states, leaves, root: bytesToHex(stepsRoot(leaves)) };
}

/**
 * The step list an honest proposer commits to: core's states before the first step and
 * after each.
 *
 * @example
 * const honest = honestSteps(applyBatch(state, batch, ctx))
 */
export function honestSteps(result: BatchResult): StepList {
  return stepList([result.initial, ...result.steps.map((s) => s.after)]);
}

/** Ways a faulty proposer gets a machine state wrong. */
export const faults = {
  /** A wrong account tree (a wrong balance, say). */
  accountsRoot: (s: MachineState): MachineState => ({ ...s, accountsRoot: (s.accountsRoot + 1n) % FIELD_MODULUS }),
  /** A wrong withdrawal tree (a wrong payout, say). */
  withdrawalsRoot: (s: MachineState): MachineState => ({ ...s, withdrawalsRoot: (s.withdrawalsRoot + 1n) % FIELD_MODULUS }),
  /** Fees counted twice in slot 0. */
  feeTotals: (s: MachineState): MachineState => ({ ...s, feeTotals: s.feeTotals.map((f, j) => (j === 0 ? 2n * f + 1n : f)) }),
} as const;

/**
 * The step list of a proposer whose execution went wrong at step hash `from`: s_from and
 * every later state carry `fault` (so the post roots it claims follow from the fault).
 * `from = 0` is a wrong pre-state, `from = n` a wrong post-state only.
 *
 * @example
 * const faulty = faultySteps(result, 3, faults.accountsRoot)
 */
export function faultySteps(result: BatchResult, from: number, fault: (s: MachineState) => MachineState): StepList {
  const honest = honestSteps(result);
  return stepList(honest.states.map((s, i) => (i >= from ? fault(s) : s)));
}

/** The post roots a proposer claims with a step list: from its last state. */
export function claimedRoots(list: StepList): { postStateRoot: bigint; withdrawalsRoot: bigint } {
  const last = list.states[list.states.length - 1]!;
  return { postStateRoot: poseidon2(last.accountsRoot, BigInt(last.nextAccountIndex)), withdrawalsRoot: last.withdrawalsRoot };
}

/** A machine state as the contract takes it. */
export function stateWords(s: MachineState): MachineStateWords {
  const [a, b, c, d] = s.feeTotals;
  return { accountsRoot: s.accountsRoot, nextAccountIndex: BigInt(s.nextAccountIndex), withdrawalsRoot: s.withdrawalsRoot, feeTotals: [a!, b!, c!, d!] };
}

/** `LeafReveal` of step hash `index`. */
export function leafReveal(list: StepList, index: number): { leaf: string; proof: string[] } {
  return { leaf: bytesToHex(list.leaves[index]!), proof: stepsProof(list.leaves, index).map((p) => bytesToHex(p)) };
}

/** `StateReveal` of step hash `index`. */
export function stateReveal(list: StepList, index: number): { state: MachineStateWords; proof: string[] } {
  return { state: stateWords(list.states[index]!), proof: stepsProof(list.leaves, index).map((p) => bytesToHex(p)) };
}

/** The on-chain state of a game, numbers as numbers. */
export interface GameView {
  readonly challenger: string;
  readonly defender: string;
  readonly status: number;
  readonly batchIndex: number;
  readonly stepCount: number;
  readonly lo: number;
  readonly hi: number;
  readonly loLeaf: string;
  readonly hiLeaf: string;
  readonly midLeaf: string;
}

/** Reads a game. */
export async function readGame(game: DisputeGameContract, gameId: bigint): Promise<GameView> {
  const g = await game.game(gameId);
  return {
    challenger: g.challenger,
    defender: g.defender,
    status: Number(g.status),
    batchIndex: Number(g.batchIndex),
    stepCount: Number(g.stepCount),
    lo: Number(g.lo),
    hi: Number(g.hi),
    loLeaf: g.loLeaf,
    hiLeaf: g.hiLeaf,
    midLeaf: g.midLeaf,
  };
}

/** What a strategy sees when it is asked to move. */
export interface MoveContext {
  readonly game: DisputeGameContract;
  readonly gameId: bigint;
  readonly header: BatchHeader;
  readonly view: GameView;
}

/** A move sent, or `undefined` to stall. */
type Move = Promise<ContractTransactionResponse | undefined>;

/** The defender's side of a game. */
export interface Defender {
  readonly name: string;
  open(ctx: MoveContext): Move;
  revealMidpoint(ctx: MoveContext): Move;
}

/** The challenger's side of a game. */
export interface Challenger {
  readonly name: string;
  /** Answers the midpoint `(lo + hi) / 2` whose step hash is `view.midLeaf`. */
  answer(ctx: MoveContext): Move;
  /** Last move at hi = lo + 1. */
  proveStep(ctx: MoveContext): Move;
}

/**
 * Reveals the proposer's committed step list, nothing else (the only leaves the contract
 * accepts). With a faulty list this is the faulty proposer revealing its wrong leaves.
 *
 * @example
 * const defender = honestDefender(proposer, honest)
 */
export function honestDefender(signer: Signer, list: StepList): Defender {
  return {
    name: "honest defender",
    async open({ game, gameId, header }) {
      const n = list.leaves.length - 1;
      return game.connect(signer).open(gameId, header, stateReveal(list, 0), stateReveal(list, n), leafReveal(list, n >> 1));
    },
    async revealMidpoint({ game, gameId, view }) {
      return game.connect(signer).revealMidpoint(gameId, leafReveal(list, (view.lo + view.hi) >> 1));
    },
  };
}

/**
 * A defender that reveals `forged` leaves (with proofs in the forged list's tree) instead of
 * its committed ones: every such move reverts, so it ends up stalling.
 */
export function forgingDefender(signer: Signer, forged: StepList): Defender {
  return { ...honestDefender(signer, forged), name: "forging defender" };
}

/** A defender that never moves. */
export function stallingDefender(): Defender {
  return { name: "stalling defender", open: async () => undefined, revealMidpoint: async () => undefined };
}

/** Builds the one-step proof of step `step`: the pre-state and the witness bytes. */
export type StepProver = (step: number) => { readonly pre: MachineStateWords; readonly proof: string };

/**
 * The batch data a challenger's one-step proof reads from: the calldata payload (`proveStep`
 * sends the disputed op and its opsRoot path), or for a blob batch the KZG openings of step
 * `step` (`proveBlobStep`).
 */
export type StepData = string | { readonly blobOpenings: (step: number) => BlobOpenings };

/** A challenger that answers with `agree(view)` and ends with `prove` (or stalls without it). */
function challenger(
  name: string,
  signer: Signer,
  agree: (view: GameView) => boolean,
  data: StepData,
  prove?: StepProver,
): Challenger {
  return {
    name,
    async answer({ game, gameId, view }) {
      return game.connect(signer).answer(gameId, agree(view));
    },
    async proveStep({ game, gameId, header, view }) {
      if (!prove) return undefined;
      const { pre, proof } = prove(view.lo);
      if (typeof data === "string") return game.connect(signer).proveStep(gameId, header, headerOpProof(data, header, view.lo), pre, proof);
      return game.connect(signer).proveBlobStep(gameId, header, data.blobOpenings(view.lo), pre, proof);
    },
  };
}

/**
 * Agrees exactly with the step hashes it computed itself, and proves the last step from its
 * own (agreed) state.
 *
 * @example
 * const c = honestChallenger(alice, honest, payload, (step) => buildStepWitness(pre, batch, domain, step))
 */
export function honestChallenger(signer: Signer, correct: StepList, payload: StepData, prove?: StepProver): Challenger {
  return challenger("honest challenger", signer, (v) => v.midLeaf === bytesToHex(correct.leaves[(v.lo + v.hi) >> 1]!), payload, prove);
}

/** Agrees or disagrees by a seeded coin; tries the one-step proof at the end. */
export function randomChallenger(signer: Signer, seed: number, payload: StepData, prove?: StepProver): Challenger {
  let state = seed >>> 0;
  const coin = () => {
    // mulberry32
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) % 2 === 0;
  };
  return challenger(`random challenger (seed ${seed})`, signer, coin, payload, prove);
}

/** Always agrees; tries the one-step proof at the end. */
export function agreeingChallenger(signer: Signer, payload: StepData, prove?: StepProver): Challenger {
  return challenger("agreeing challenger", signer, () => true, payload, prove);
}

/** Always disagrees; tries the one-step proof at the end. */
export function disagreeingChallenger(signer: Signer, payload: StepData, prove?: StepProver): Challenger {
  return challenger("disagreeing challenger", signer, () => false, payload, prove);
}

/** A challenger that never moves after challenging. */
export function stallingChallenger(): Challenger {
  return { name: "stalling challenger", answer: async () => undefined, proveStep: async () => undefined };
}

/** How a game went. */
export interface GameRecord {
  readonly final: GameView;
  /** Gas of every transaction of the game after the challenge, by move name. */
  readonly moves: readonly { readonly move: string; readonly gasUsed: bigint }[];
  /** Moves that reverted (the strategy then counts as stalling). */
  readonly rejected: readonly { readonly move: string; readonly error: unknown }[];
  /** The resolving transaction's receipt. */
  readonly resolution: ContractTransactionReceipt;
}

/**
 * Plays a started game to its end: asks the party to move for its move; when it stalls (or
 * its move reverts), lets its clock run out and has `keeper` call timeout.
 *
 * @example
 * const record = await playGame({ game, gameId, header, defender, challenger, keeper, increaseTime: time.increase })
 */
/**
 * Plays the bisection (no timeouts) until the game awaits the one-step proof; throws if the
 * game ends before.
 *
 * @example
 * await bisect(game, gameId, header, honestDefender(proposer, faulty), honestChallenger(alice, honest, payload))
 */
export async function bisect(game: DisputeGameContract, gameId: bigint, header: BatchHeader, defender: Defender, challenger: Challenger): Promise<void> {
  for (;;) {
    const view = await readGame(game, gameId);
    const ctx = { game, gameId, header, view };
    if (view.status === GameStatus.AwaitingStep) return;
    if (view.status === GameStatus.AwaitingOpening) await defender.open(ctx);
    else if (view.status === GameStatus.AwaitingMidpoint) await defender.revealMidpoint(ctx);
    else if (view.status === GameStatus.AwaitingAnswer) await challenger.answer(ctx);
    else throw new Error(`game ended with status ${view.status}`);
  }
}

export async function playGame(args: {
  readonly game: DisputeGameContract;
  readonly gameId: bigint;
  readonly header: BatchHeader;
  readonly defender: Defender;
  readonly challenger: Challenger;
  readonly keeper: Signer;
  readonly increaseTime: (seconds: bigint) => Promise<unknown>;
}): Promise<GameRecord> {
  const { game, gameId, header, defender, challenger, keeper } = args;
  const moves: { move: string; gasUsed: bigint }[] = [];
  const rejected: { move: string; error: unknown }[] = [];
  for (;;) {
    const view = await readGame(game, gameId);
    const ctx: MoveContext = { game, gameId, header, view };
    const [move, send] =
      view.status === GameStatus.AwaitingOpening
        ? ["open", () => defender.open(ctx)]
        : view.status === GameStatus.AwaitingMidpoint
          ? ["revealMidpoint", () => defender.revealMidpoint(ctx)]
          : view.status === GameStatus.AwaitingAnswer
            ? ["answer", () => challenger.answer(ctx)]
            : ["proveStep", () => challenger.proveStep(ctx)];
    let tx: ContractTransactionResponse | undefined;
    try {
      tx = await send();
    } catch (error) {
      rejected.push({ move, error });
    }
    if (tx) {
      const receipt = (await tx.wait())!;
      moves.push({ move, gasUsed: receipt.gasUsed });
      if (move === "proveStep") return { final: await readGame(game, gameId), moves, rejected, resolution: receipt };
      continue;
    }
    const [defenderLeft, challengerLeft] = await game.clocks(gameId);
    const defenderToMove = view.status === GameStatus.AwaitingOpening || view.status === GameStatus.AwaitingMidpoint;
    await args.increaseTime((defenderToMove ? defenderLeft : challengerLeft) + 1n);
    const receipt = (await (await game.connect(keeper).timeout(gameId)).wait())!;
    moves.push({ move: "timeout", gasUsed: receipt.gasUsed });
    return { final: await readGame(game, gameId), moves, rejected, resolution: receipt };
  }
}
