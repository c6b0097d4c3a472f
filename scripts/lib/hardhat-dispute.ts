/**
 * Dispute games on a Hardhat network through ethers, for the benchmarks that deploy their own
 * rollup (`npm run bench:dispute`'s largest batches, `scripts/bench-dispute-economics.ts`):
 * append a {@link ProposedBatch}, challenge it, and play the game with core's solver (`nextMove`,
 * `disputeCall`). The contract tests drive games with their own helpers (test/helpers/dispute.ts).
 */
import { type ContractTransactionReceipt, type Signer, Contract } from "ethers";
import {
  type BatchHeaderWords,
  type DisputeAction,
  type DisputeRole,
  type DisputeTrace,
  type DisputeView,
  type Hex,
  InvariantViolationError,
  batchHeaderCommitment,
  buildStepWitness,
  disputeCall,
  disputeView,
  isDefenderToMove,
  nextMove,
  opsRoot,
  bytesToHex,
  hexToBytes,
  opRecordSize,
  rollupAbi,
} from "../../core/index.js";
import type { BridgeContract, DisputeGameContract, RollupContract } from "./deploy-rollup.js";
import type { ProposedBatch } from "./largest-batch.js";

/**
 * Appends `batch` with `Rollup.submitBatch` from `proposer` (its proposer's claims) and returns the
 * header the rollup committed to, checked against the stored commitment, and the gas used.
 *
 * @example
 * const { header } = await submitProposedBatch({ rollup, bridge }, proposer, proposedBatch({ state, domain, batch, queueStart: 0n, wrongStep: 2 }))
 */
export async function submitProposedBatch(
  contracts: { readonly rollup: RollupContract; readonly bridge: BridgeContract },
  proposer: Signer,
  batch: ProposedBatch,
  overrides: { readonly gasLimit?: bigint } = {},
): Promise<{ header: BatchHeaderWords; gasUsed: bigint }> {
  const { rollup, bridge } = contracts;
  const { claims, claimed, payload } = batch;
  const header: BatchHeaderWords = {
    index: await rollup.batchCount(),
    parentCommitment: await rollup.lastCommitment(),
    dataHash: bytesToHex(opsRoot(hexToBytes(payload), opRecordSize(batch.before.params, "optimistic"))),
    queueStart: claims.queueEnd - BigInt(batch.batch.queueEntries.length),
    queueEnd: claims.queueEnd,
    queueHashEnd: await bridge.queueHash(claims.queueEnd),
    preStateRoot: await rollup.lastStateRoot(),
    postStateRoot: claims.postStateRoot,
    withdrawalsRoot: claims.withdrawalsRoot,
    stepsRoot: claims.stepsRoot,
    stepCount: BigInt(claimed.stepCount),
    feeRecipient: claims.feeRecipient,
    feeTokens: claims.feeTokens,
  };
  const receipt: ContractTransactionReceipt = await (await rollup.connect(proposer).submitBatch(claims, payload, overrides)).wait();
  const stored = (await rollup.batches(header.index)).commitment;
  if (stored !== batchHeaderCommitment(header)) {
    throw new InvariantViolationError(`batch ${header.index}: the rollup stored ${stored}, not the commitment of the header built here`, {
      details: "the batch's queue start or pre-state is not the rollup's: build it on the rollup's last state and queue end",
    });
  }
  return { header, gasUsed: receipt.gasUsed };
}

/**
 * Challenges batch `header` from `challenger` with `bond` and returns the game id.
 *
 * @example
 * const gameId = await challengeBatch(game, watcher, header, 6n * 10n ** 17n)
 */
export async function challengeBatch(game: DisputeGameContract, challenger: Signer, header: BatchHeaderWords, bond: bigint): Promise<bigint> {
  const gameId: bigint = await game.gameCount();
  await (await game.connect(challenger).challenge(header.index, header, { value: bond })).wait();
  return gameId;
}

/**
 * One side of a game: who sends its moves and the trace it plays them from (a challenger's
 * able to prove). A party without a trace never moves: it stalls.
 *
 * @example
 * const watcher: Player = { signer, trace: provingTrace(batch, domain) }
 */
export interface Player {
  readonly signer: Signer;
  readonly trace?: DisputeTrace;
}

/**
 * The honest challenger's trace of `batch`: core's step hashes, and the one-step proof of any
 * step from core's state.
 *
 * @example
 * const watcher: Player = { signer, trace: provingTrace(wrong, domain) }
 */
export function provingTrace(batch: ProposedBatch, domain: bigint): DisputeTrace {
  return batch.honest.proving((step) => buildStepWitness(batch.before, batch.batch, domain, step));
}

/**
 * What core's solver sees of game `gameId`: the game, its clocks and whether the rollup still
 * holds its batch (the instance the game is on).
 *
 * @example
 * const move = nextMove(await readDisputeView(game, gameId), trace, "challenger")
 */
export async function readDisputeView(game: DisputeGameContract, gameId: bigint): Promise<DisputeView> {
  const [g, clocks, rollupAddress] = await Promise.all([game.game(gameId), game.clocks(gameId), game.rollup()]);
  const rollup = new Contract(rollupAddress, rollupAbi, game.runner);
  const count: bigint = await rollup.getFunction("batchCount")();
  const held =
    g.batchIndex < count
      ? { commitment: (await rollup.getFunction("batches")(g.batchIndex)).commitment as Hex, instance: (await rollup.getFunction("batchInstance")(g.batchIndex)) as bigint }
      : undefined;
  const words = { status: Number(g.status), lo: Number(g.lo), hi: Number(g.hi), loLeaf: g.loLeaf, midLeaf: g.midLeaf, commitment: g.commitment, instance: g.instance as bigint };
  return disputeView(words, [clocks[0], clocks[1]], held);
}

/**
 * The move `role` makes now with `trace` (nothing while the other party has time, or when the
 * game is over).
 *
 * @example
 * const move = await solverMove(game, gameId, "defender", wrong.claimed)
 */
export async function solverMove(game: DisputeGameContract, gameId: bigint, role: DisputeRole, trace: DisputeTrace | undefined): Promise<DisputeAction | undefined> {
  const view = await readDisputeView(game, gameId);
  const move = nextMove(view, trace, role);
  return move.kind === "wait" || move.kind === "ended" ? undefined : move;
}

/**
 * Sends `move` in game `gameId` from `signer` and waits for it.
 *
 * @example
 * const receipt = await sendMove(game, gameId, { header, data: payload }, proposer, move)
 */
export async function sendMove(
  game: DisputeGameContract,
  gameId: bigint,
  batch: { readonly header: BatchHeaderWords; readonly data?: Hex },
  signer: Signer,
  move: DisputeAction,
): Promise<ContractTransactionReceipt> {
  const call = disputeCall(gameId, move, batch);
  return (await (await game.connect(signer)[call.functionName](...call.args)).wait())!;
}

/** How a game went: every move's gas, in order (the last one resolved it), and the resolving receipt. */
export interface DisputeRecord {
  readonly moves: readonly { readonly move: DisputeAction["kind"]; readonly gasUsed: bigint }[];
  readonly resolution: ContractTransactionReceipt;
}

/**
 * Plays game `gameId` over `batch` to its end with core's solver: the party to move moves;
 * one that stalls (no trace) has its clock run out (`increaseTime`) and `keeper` times it out.
 *
 * @example
 * const record = await playDispute({ game, gameId, batch: { header, data: wrong.payload }, defender: { signer: proposer, trace: wrong.claimed }, challenger: { signer: watcher, trace: provingTrace(wrong, domain) }, keeper, increaseTime })
 */
export async function playDispute(args: {
  readonly game: DisputeGameContract;
  readonly gameId: bigint;
  readonly batch: { readonly header: BatchHeaderWords; readonly data?: Hex };
  readonly defender: Player | undefined;
  readonly challenger: Player | undefined;
  readonly keeper: Signer;
  readonly increaseTime: (seconds: bigint) => Promise<unknown>;
}): Promise<DisputeRecord> {
  const { game, gameId, batch, keeper } = args;
  const moves: { move: DisputeAction["kind"]; gasUsed: bigint }[] = [];
  for (;;) {
    const g = await game.game(gameId);
    const role: DisputeRole = isDefenderToMove(Number(g.status)) ? "defender" : "challenger";
    const mover = role === "defender" ? args.defender : args.challenger;
    const move = mover?.trace ? await solverMove(game, gameId, role, mover.trace) : undefined;
    if (move) {
      const receipt = await sendMove(game, gameId, batch, mover!.signer, move);
      moves.push({ move: move.kind, gasUsed: receipt.gasUsed });
      if (move.kind === "proveStep" || move.kind === "dismiss") return { moves, resolution: receipt };
      continue;
    }
    const [defenderLeft, challengerLeft] = await game.clocks(gameId);
    await args.increaseTime((role === "defender" ? defenderLeft : challengerLeft) + 1n);
    const timeout = await solverMove(game, gameId, role === "defender" ? "challenger" : "defender", undefined);
    if (timeout?.kind !== "timeout") {
      throw new InvariantViolationError(`the ${role} stalled, but the solver gives ${timeout?.kind ?? "nothing"}, not a timeout`, {
        details: "playDispute plays a game on a batch the rollup holds; dismiss games on removed batches instead",
      });
    }
    const receipt = await sendMove(game, gameId, batch, keeper, timeout);
    moves.push({ move: timeout.kind, gasUsed: receipt.gasUsed });
    return { moves, resolution: receipt };
  }
}
