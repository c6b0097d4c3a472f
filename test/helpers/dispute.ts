/**
 * Dispute games in tests: proposers' traces (honest and faulty), parties (a signer and the
 * trace it plays: honest, adversarial, or none for a party that stalls) and drivers that play
 * a game with core's solver `nextMove`, timing out a party that stalls. A party sees only what
 * is on chain plus its own trace; an adversary is a party whose trace lies.
 */
import { type ContractTransactionReceipt, type ContractTransactionResponse, type Signer } from "ethers";
import {
  type BatchResult,
  type DisputeAction,
  type DisputeRole,
  type DisputeTrace,
  type DisputedBatch,
  type MachineState,
  type OneStepProof,
  BaseError,
  FIELD_MODULUS,
  GameEndReason,
  GameStatus,
  StepTrace,
  disputeCall,
  isDefenderToMove,
  nextMove,
  poseidon2,
} from "../../core/index.js";
import { type BatchHeader, headerWords } from "./batches.js";
import type { DisputeGameContract } from "../../scripts/lib/deploy-rollup.js";
import { readDisputeView } from "../../scripts/lib/hardhat-dispute.js";

export { GameStatus, GameEndReason };

/**
 * The trace an honest proposer commits to: core's states before the first step and after
 * each.
 *
 * @example
 * const honest = honestSteps(applyBatch(state, batch, ctx))
 */
export function honestSteps(result: BatchResult): StepTrace {
  return StepTrace.fromResult(result);
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
 * The trace of a proposer whose execution went wrong at step hash `from`: s_from and every
 * later state carry `fault` (so the post roots it claims follow from the fault). `from = 0`
 * is a wrong pre-state, `from = n` a wrong post-state only.
 *
 * @example
 * const faulty = faultySteps(result, 3, faults.accountsRoot)
 */
export function faultySteps(result: BatchResult, from: number, fault: (s: MachineState) => MachineState): StepTrace {
  return new StepTrace(honestSteps(result).states.map((s, i) => (i >= from ? fault(s) : s)));
}

/**
 * The post roots a proposer claims with a trace: from its last state.
 *
 * @example
 * const { postStateRoot, withdrawalsRoot } = claimedRoots(faulty)
 */
export function claimedRoots(trace: StepTrace): { postStateRoot: bigint; withdrawalsRoot: bigint } {
  const last = trace.states[trace.stepCount]!;
  return { postStateRoot: poseidon2(last.accountsRoot, BigInt(last.nextAccountIndex)), withdrawalsRoot: last.withdrawalsRoot };
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

/**
 * Reads a game.
 *
 * @example
 * expect(await readGame(game, gameId)).to.include({ status: GameStatus.AwaitingStep, lo: 2, hi: 3 })
 */
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

/**
 * Builds the one-step proof of step `step`: the pre-state and the witness bytes.
 *
 * @example
 * const prove: StepProver = (step) => buildStepWitness(before, batch, domain, step)
 */
export type StepProver = (step: number) => OneStepProof;

/**
 * The batch data a challenger's one-step proof sends: the calldata payload (`proveStep`), or
 * for a blob batch the KZG openings of a step (`proveBlobStep`).
 *
 * @example
 * const data: StepData = { blobOpenings: stepOpenings(blobs, 2, 3, recordSize) }
 */
export type StepData = NonNullable<DisputedBatch["data"]>;

/**
 * One side of a game: its role, who sends its moves and the trace `nextMove` plays them from.
 * A party without a trace never moves (it stalls).
 *
 * @example
 * const party: Party = honestDefender(proposer, honest)
 */
export interface Party {
  readonly name: string;
  readonly role: DisputeRole;
  readonly signer?: Signer;
  readonly trace?: DisputeTrace;
  /** What its one-step proof sends (challengers that prove). */
  readonly data?: StepData;
}

/**
 * A game driver could not go on.
 *
 * @example
 * const stalled = await bisect(game, gameId, header, stallingDefender(), challenger).catch((e) => e instanceof GameDriverError)
 */
export class GameDriverError extends BaseError {
  override name = "GameDriverError";
}

/**
 * Reveals the proposer's committed trace, nothing else (the only leaves the contract
 * accepts). With a faulty trace this is the faulty proposer revealing its wrong leaves.
 *
 * @example
 * const defender = honestDefender(proposer, honest)
 */
export function honestDefender(signer: Signer, trace: StepTrace): Party {
  return { name: "honest defender", role: "defender", signer, trace };
}

/**
 * A defender that reveals `forged` leaves (with proofs in the forged trace's tree) instead of
 * its committed ones: every such move reverts, so it ends up stalling.
 *
 * @example
 * const defender = forgingDefender(proposer, honest) // the committed trace was faulty
 */
export function forgingDefender(signer: Signer, forged: StepTrace): Party {
  return { name: "forging defender", role: "defender", signer, trace: forged };
}

/**
 * A defender that never moves.
 *
 * @example
 * await playGame({ game, gameId, header, defender: stallingDefender(), challenger: stallingChallenger(), keeper, increaseTime })
 */
export function stallingDefender(): Party {
  return { name: "stalling defender", role: "defender" };
}

/**
 * Agrees exactly with the step hashes of `trace` and proves the last step with `prove` (or
 * stalls there without it). With the correct trace this is the honest challenger; with
 * another one, an adversary.
 *
 * @example
 * const c = honestChallenger(alice, honest, payload, (step) => buildStepWitness(pre, batch, domain, step))
 */
export function honestChallenger(signer: Signer, trace: StepTrace, data: StepData, prove?: StepProver, name = "honest challenger"): Party {
  return { name, role: "challenger", signer, trace: prove ? trace.proving(prove) : trace, data };
}

/**
 * Agrees or disagrees with the defender's trace `defended` by a seeded coin per step hash;
 * tries the one-step proof at the end.
 *
 * @example
 * const c = randomChallenger(alice, 3, honest, payload, prove)
 */
export function randomChallenger(signer: Signer, seed: number, defended: StepTrace, data: StepData, prove?: StepProver): Party {
  let state = seed >>> 0;
  const coin = () => {
    // mulberry32
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) % 2 === 0;
  };
  const trace = new StepTrace(defended.states.map((s) => (coin() ? s : faults.feeTotals(s))));
  return honestChallenger(signer, trace, data, prove, `random challenger (seed ${seed})`);
}

/**
 * Agrees with every midpoint of the defender's trace `defended`; tries the one-step proof at
 * the end.
 *
 * @example
 * const c = agreeingChallenger(alice, honest, payload, prove)
 */
export function agreeingChallenger(signer: Signer, defended: StepTrace, data: StepData, prove?: StepProver): Party {
  return honestChallenger(signer, defended, data, prove, "agreeing challenger");
}

/**
 * Disagrees with every midpoint of the defender's trace `defended`; tries the one-step proof
 * at the end.
 *
 * @example
 * const c = disagreeingChallenger(alice, honest, payload, prove)
 */
export function disagreeingChallenger(signer: Signer, defended: StepTrace, data: StepData, prove?: StepProver): Party {
  return honestChallenger(signer, new StepTrace(defended.states.map(faults.feeTotals)), data, prove, "disagreeing challenger");
}

/**
 * A challenger that never moves after challenging.
 *
 * @example
 * await playGame({ game, gameId, header, defender: honestDefender(proposer, honest), challenger: stallingChallenger(), keeper, increaseTime })
 */
export function stallingChallenger(): Party {
  return { name: "stalling challenger", role: "challenger" };
}

/** How a game went. */
export interface GameRecord {
  readonly final: GameView;
  /** Gas of every transaction of the game after the challenge, by move kind. */
  readonly moves: readonly { readonly move: string; readonly gasUsed: bigint }[];
  /** Moves that reverted (the party then counts as stalling). */
  readonly rejected: readonly { readonly move: string; readonly error: unknown }[];
  /** The resolving transaction's receipt. */
  readonly resolution: ContractTransactionReceipt;
}

/** Sends `move` for `party` (or for whoever `signer` is). */
async function send(
  game: DisputeGameContract,
  gameId: bigint,
  header: BatchHeader,
  party: Party,
  move: DisputeAction,
  signer = party.signer,
): Promise<ContractTransactionResponse> {
  if (!signer) throw new GameDriverError(`${party.name} has no signer to send ${move.kind}`, { details: "give the party a signer" });
  const call = disputeCall(gameId, move, { header: headerWords(header), data: party.data });
  return game.connect(signer)[call.functionName](...call.args);
}

/** The move `nextMove` gives `party` now, if it is a transaction. */
async function partyMove(game: DisputeGameContract, gameId: bigint, party: Party): Promise<DisputeAction | undefined> {
  const move = nextMove(await readDisputeView(game, gameId), party.trace, party.role);
  return move.kind === "wait" || move.kind === "ended" ? undefined : move;
}

/**
 * Makes `party`'s next move, if it has one, and waits for it.
 *
 * @example
 * await playMove(game, gameId, header, honestDefender(proposer, honest)) // opens
 */
export async function playMove(game: DisputeGameContract, gameId: bigint, header: BatchHeader, party: Party): Promise<void> {
  const move = await partyMove(game, gameId, party);
  if (move) await (await send(game, gameId, header, party, move)).wait();
}

/**
 * Plays the bisection (no timeouts) until the game awaits the one-step proof; throws if a
 * party has no move before.
 *
 * @example
 * await bisect(game, gameId, header, honestDefender(proposer, faulty), honestChallenger(alice, honest, payload))
 */
export async function bisect(game: DisputeGameContract, gameId: bigint, header: BatchHeader, defender: Party, challenger: Party): Promise<void> {
  for (;;) {
    const { status } = await readGame(game, gameId);
    if (status === GameStatus.AwaitingStep) return;
    const party = isDefenderToMove(status) ? defender : challenger;
    const move = await partyMove(game, gameId, party);
    if (!move) throw new GameDriverError(`${party.name} has no move at game status ${status}`, { details: "bisect plays two parties that move until the one-step proof" });
    await (await send(game, gameId, header, party, move)).wait();
  }
}

/**
 * Plays a started game to its end: makes the move `nextMove` gives the party to move; when
 * it stalls (or its move reverts), lets its clock run out and has `keeper` call the timeout
 * `nextMove` then gives the other side.
 *
 * @example
 * const record = await playGame({ game, gameId, header, defender, challenger, keeper, increaseTime: time.increase })
 */
export async function playGame(args: {
  readonly game: DisputeGameContract;
  readonly gameId: bigint;
  readonly header: BatchHeader;
  readonly defender: Party;
  readonly challenger: Party;
  readonly keeper: Signer;
  readonly increaseTime: (seconds: bigint) => Promise<unknown>;
}): Promise<GameRecord> {
  const { game, gameId, header, defender, challenger, keeper } = args;
  const moves: { move: string; gasUsed: bigint }[] = [];
  const rejected: { move: string; error: unknown }[] = [];
  for (;;) {
    const { status } = await readGame(game, gameId);
    const [mover, other] = isDefenderToMove(status) ? [defender, challenger] : [challenger, defender];
    const move = await partyMove(game, gameId, mover);
    let tx: ContractTransactionResponse | undefined;
    if (move) {
      try {
        tx = await send(game, gameId, header, mover, move);
      } catch (error) {
        rejected.push({ move: move.kind, error });
      }
    }
    if (move && tx) {
      const receipt = (await tx.wait())!;
      moves.push({ move: move.kind, gasUsed: receipt.gasUsed });
      if (move.kind === "proveStep") return { final: await readGame(game, gameId), moves, rejected, resolution: receipt };
      continue;
    }
    const [defenderLeft, challengerLeft] = await game.clocks(gameId);
    await args.increaseTime((mover.role === "defender" ? defenderLeft : challengerLeft) + 1n);
    const timeout = nextMove(await readDisputeView(game, gameId), undefined, other.role);
    if (timeout.kind !== "timeout") {
      throw new GameDriverError(`${mover.name} stalled, but the solver gives ${other.name} ${timeout.kind}, not timeout`, {
        details: "playGame plays a game from its start on a batch the rollup holds; check the game's status before",
      });
    }
    const receipt = (await (await send(game, gameId, header, other, timeout, keeper)).wait())!;
    moves.push({ move: timeout.kind, gasUsed: receipt.gasUsed });
    return { final: await readGame(game, gameId), moves, rejected, resolution: receipt };
  }
}
