import { expect } from "chai";
import { network } from "hardhat";
import { keccak_256 } from "@noble/hashes/sha3.js";
import type { Signer } from "ethers";
import {
  type Address,
  type Batch,
  type BatchResult,
  type Hex,
  type L2Op,
  type QueueEntry,
  L2State,
  NO_TOKEN,
  QueueKind,
  StepTrace,
  applyBatch,
  bytesToHex,
  emptyWithdrawalsRoot,
  encodeFloat40,
  encodeFloat8,
  l2OpMessage,
  machineStateWords,
  poseidon2,
  publicKeyOf,
  resolveParams,
  signMessage,
} from "../../core/index.js";
import { deployRollup } from "../../scripts/lib/deploy-rollup.js";
import { type BatchHeader, batchCommitment, calldataDataHash, submission } from "../helpers/batches.js";
import { NO_OP, batchPayload, buildStepWitness, stepOpProof } from "../helpers/one-step.js";
import {
  type Party,
  GameEndReason,
  GameStatus,
  agreeingChallenger,
  bisect,
  claimedRoots,
  disagreeingChallenger,
  faults,
  faultySteps,
  forgingDefender,
  honestChallenger,
  honestDefender,
  honestSteps,
  playGame,
  playMove,
  randomChallenger,
  readGame,
  stallingChallenger,
  stallingDefender,
} from "../helpers/dispute.js";

const { ethers, networkHelpers } = await network.create();
const { time } = networkHelpers;

const LEVELS = 2;
const params = resolveParams({ levels: LEVELS });
const ETH = 0;
const MIN_BOND = 10n ** 18n;
const CHALLENGE_BOND = 10n ** 17n;
const CLOCK = 24n * 3600n;
const CHALLENGE_WINDOW = 7n * 24n * 3600n;
const FEE_RECIPIENT = "0x000000000000000000000000000000000000fee5" as Address;
const FEE_TOKENS = [ETH, NO_TOKEN, NO_TOKEN, NO_TOKEN];
const ETHER = 10n ** 18n;
const QUEUE_FEE = 10n ** 15n;
const RECORD_SIZE = params.optimisticOpBytes;

interface L2User {
  readonly signer: Signer;
  readonly address: Address;
  readonly privateKey: Uint8Array;
  readonly x: bigint;
  readonly y: bigint;
}

function l2User(signer: Signer & { address: string }, seed: string): L2User {
  const privateKey = keccak_256(new TextEncoder().encode(seed));
  const { x, y } = publicKeyOf(privateKey);
  return { signer, address: signer.address.toLowerCase() as Address, privateKey, x, y };
}

function signedOp(from: L2User, op: { fromIdx: number; toIdx: number; amount: bigint; fee: bigint }, nonce: number, domain: bigint): L2Op {
  const unsigned: L2Op = { fromIdx: op.fromIdx, toIdx: op.toIdx, amountFloat40: encodeFloat40(op.amount), feeFloat8: encodeFloat8(op.fee) };
  return { ...unsigned, signature: signMessage(from.privateKey, l2OpMessage(unsigned, { tokenId: ETH, nonce }, domain)) };
}

/** A batch as built off chain: its ops, core's result and the state it started from. */
interface BuiltBatch {
  readonly batch: Batch;
  readonly before: L2State;
  readonly result: BatchResult;
  readonly honest: StepTrace;
  readonly payload: Hex;
}

function build(state: L2State, batch: Batch, domain: bigint): BuiltBatch {
  const before = state.clone();
  const result = applyBatch(state, batch, { domain, mode: "optimistic" });
  return { batch, before, result, honest: honestSteps(result), payload: batchPayload(batch, params) };
}

/** The root an opsRoot path leads to from `leaf` at `index` (as DisputeGame computes it). */
function pathRoot(leaf: string, index: number, path: readonly string[]): string {
  return path.reduce((node, sibling, height) => ethers.keccak256(ethers.concat((index >> height) & 1 ? [sibling, node] : [node, sibling])), leaf);
}

async function fixture() {
  // A 30-day inclusion window: games that end by timeout must not make the queue overdue.
  const deployment = await deployRollup(ethers, { levels: LEVELS, challengeBond: CHALLENGE_BOND, clockBudget: CLOCK, inclusionWindow: 30n * 24n * 3600n });
  const [deployer, proposer, aliceSigner, bobSigner, challengerSigner, challenger2, keeper] = await ethers.getSigners();
  const { rollup, bridge } = deployment;
  await rollup.grantRole(await rollup.PROPOSER_ROLE(), proposer!.address);
  await rollup.connect(proposer!).depositBond({ value: MIN_BOND });
  const alice = l2User(aliceSigner!, "dispute alice");
  const bob = l2User(bobSigner!, "dispute bob");
  const domain: bigint = await rollup.domain();

  // Queue: two accounts (indices 2 and 3), then a deposit for the second batch.
  await bridge.connect(alice.signer).createAccount(ETH, 10n * ETHER, alice.x, alice.y, { value: 10n * ETHER + QUEUE_FEE });
  await bridge.connect(bob.signer).createAccount(ETH, 5n * ETHER, bob.x, bob.y, { value: 5n * ETHER + QUEUE_FEE });
  await bridge.connect(alice.signer).deposit(2, ETH, ETHER, { value: ETHER + QUEUE_FEE });
  const create = (u: L2User, amount: bigint): QueueEntry => ({
    kind: QueueKind.CreateAccount, l1Address: u.address, tokenId: ETH, accountIdx: 0, amount, Ax: u.x, Ay: u.y,
  });
  const deposit: QueueEntry = { kind: QueueKind.Deposit, l1Address: alice.address, tokenId: ETH, accountIdx: 2, amount: ETHER, Ax: 0n, Ay: 0n };

  const state = L2State.genesis(params);
  // Batch 0: 2 queue steps, 3 L2 ops (a transfer, a withdrawal, an overdraft that is skipped), 4 fee payouts.
  const first = build(
    state,
    {
      queueEntries: [create(alice, 10n * ETHER), create(bob, 5n * ETHER)],
      ops: [
        signedOp(alice, { fromIdx: 2, toIdx: 3, amount: ETHER, fee: 10n ** 16n }, 0, domain),
        signedOp(bob, { fromIdx: 3, toIdx: 1, amount: 2n * ETHER, fee: 10n ** 16n }, 0, domain),
        signedOp(alice, { fromIdx: 2, toIdx: 3, amount: 100n * ETHER, fee: 0n }, 1, domain),
      ],
      feeRecipient: FEE_RECIPIENT,
      feeTokens: FEE_TOKENS,
    },
    domain,
  );
  // Batch 1: a deposit and a transfer.
  const second = build(
    state,
    {
      queueEntries: [deposit],
      ops: [signedOp(bob, { fromIdx: 3, toIdx: 2, amount: ETHER, fee: 0n }, 1, domain)],
      feeRecipient: FEE_RECIPIENT,
      feeTokens: FEE_TOKENS,
    },
    domain,
  );
  return { ...deployment, deployer: deployer!, proposer: proposer!, alice, bob, challenger: challengerSigner!, challenger2: challenger2!, keeper: keeper!, first, second, domain };
}

type Fixture = Awaited<ReturnType<typeof fixture>>;

/** Submits `built` with the roots of `list` (honest by default) and returns the header it commits to. */
async function submit(f: Fixture, built: BuiltBatch, list: StepTrace = built.honest): Promise<BatchHeader> {
  const { rollup, bridge, proposer } = f;
  const queueStart: bigint = await rollup.lastQueueEnd();
  const queueEnd = queueStart + BigInt(built.batch.queueEntries.length);
  const roots = claimedRoots(list);
  const s = submission({ queueEnd, ...roots, stepsRoot: list.root, feeRecipient: FEE_RECIPIENT, feeTokens: FEE_TOKENS });
  const header: BatchHeader = {
    index: await rollup.batchCount(),
    parentCommitment: await rollup.lastCommitment(),
    dataHash: calldataDataHash(built.payload, RECORD_SIZE),
    queueStart,
    queueEnd,
    queueHashEnd: await bridge.queueHash(queueEnd),
    preStateRoot: await rollup.lastStateRoot(),
    postStateRoot: roots.postStateRoot,
    withdrawalsRoot: roots.withdrawalsRoot,
    stepsRoot: list.root,
    stepCount: BigInt(list.leaves.length - 1),
    feeRecipient: ethers.getAddress(FEE_RECIPIENT),
    feeTokens: FEE_TOKENS,
  };
  await rollup.connect(proposer).submitBatch(s, built.payload);
  expect((await rollup.batches(header.index)).commitment).to.equal(batchCommitment(header));
  return header;
}

async function challenge(f: Fixture, header: BatchHeader, who: Signer = f.challenger): Promise<bigint> {
  const gameId: bigint = await f.game.gameCount();
  await f.game.connect(who).challenge(header.index, header, { value: CHALLENGE_BOND });
  return gameId;
}

function prover(built: BuiltBatch, domain: bigint) {
  return (step: number) => {
    const w = buildStepWitness(built.before, built.batch, domain, step);
    return { pre: w.pre, proof: w.proof };
  };
}

async function honestFixture() {
  const f = await fixture();
  const header = await submit(f, f.first);
  return { ...f, header };
}

async function openedFixture() {
  const f = await honestFixture();
  const gameId = await challenge(f, f.header);
  await playMove(f.game, gameId, f.header, honestDefender(f.proposer, f.first.honest));
  return { ...f, gameId };
}

const increaseTime = (seconds: bigint) => time.increase(seconds);

describe("DisputeGame", () => {
  describe("deployment and hooks", () => {
    it("constructor_levels2_emptyWithdrawalsRootMatchesCore", async () => {
      const { game, rollup, prover: p } = await networkHelpers.loadFixture(fixture);
      expect(await game.emptyWithdrawalsRoot()).to.equal(emptyWithdrawalsRoot());
      expect(await game.rollup()).to.equal(await rollup.getAddress());
      expect(await game.prover()).to.equal(await p.getAddress());
      expect(await game.challengeBond()).to.equal(CHALLENGE_BOND);
      expect(await game.clockBudget()).to.equal(CLOCK);
      // The helper's default price: the minimum bond buys the whole budget.
      expect(await game.clockPrice()).to.equal(CHALLENGE_BOND / CLOCK);
      expect(await rollup.disputeGame()).to.equal(await game.getAddress());
      expect(await rollup.firstContested()).to.equal(ethers.MaxUint256);
    });

    it("hooks_notDisputeGame_revert", async () => {
      const { rollup, game, keeper, proposer } = await networkHelpers.loadFixture(honestFixture);
      const gameAddress = await game.getAddress();
      for (const call of [
        rollup.connect(keeper).gameOpened(0),
        rollup.connect(keeper).gameClosed(0, 0),
        rollup.connect(keeper).invalidateFrom(0),
        rollup.connect(keeper).slash(proposer.address, keeper.address, 1n),
      ]) {
        await expect(call).to.be.revertedWithCustomError(rollup, "CallerNotDisputeGame").withArgs(keeper.address, gameAddress);
      }
    });

    it("receive_notFromRollup_reverts", async () => {
      const { game, keeper } = await networkHelpers.loadFixture(fixture);
      await expect(keeper.sendTransaction({ to: await game.getAddress(), value: 1n }))
        .to.be.revertedWithCustomError(game, "UnexpectedEthSender")
        .withArgs(keeper.address);
    });
  });

  describe("challenge", () => {
    it("challenge_pendingBatch_startsGameAndHoldsBond", async () => {
      const f = await networkHelpers.loadFixture(honestFixture);
      const { game, rollup, header, challenger, proposer } = f;
      const tx = game.connect(challenger).challenge(0, header, { value: CHALLENGE_BOND });
      await expect(tx).to.emit(game, "GameStarted").withArgs(0, 0, challenger.address, proposer.address, header.stepCount);
      await expect(tx).to.changeEtherBalances(ethers, [challenger, game], [-CHALLENGE_BOND, CHALLENGE_BOND]);
      const view = await readGame(game, 0n);
      expect(view).to.include({ status: GameStatus.AwaitingOpening, lo: 0, hi: 9, stepCount: 9, batchIndex: 0, defender: proposer.address });
      expect(await rollup.openGames(0)).to.equal(1n);
      expect(await rollup.firstContested()).to.equal(0n);
      expect(await game.clocks(0)).to.deep.equal([CLOCK, CLOCK]);
      const stored = await game.game(0);
      expect([stored.instance, stored.bond]).to.deep.equal([0n, CHALLENGE_BOND]);
    });

    it("challenge_bondBelowMinimum_reverts", async () => {
      const { game, header, challenger } = await networkHelpers.loadFixture(honestFixture);
      await expect(game.connect(challenger).challenge(0, header, { value: CHALLENGE_BOND - 1n }))
        .to.be.revertedWithCustomError(game, "InsufficientChallengeBond")
        .withArgs(CHALLENGE_BOND - 1n, CHALLENGE_BOND);
    });

    it("challenge_unknownBatch_reverts", async () => {
      const { game, header, challenger } = await networkHelpers.loadFixture(honestFixture);
      await expect(game.connect(challenger).challenge(1, header, { value: CHALLENGE_BOND }))
        .to.be.revertedWithCustomError(game, "BatchNotFound")
        .withArgs(1, 1);
    });

    it("challenge_headerMismatch_reverts", async () => {
      const { game, rollup, header, challenger } = await networkHelpers.loadFixture(honestFixture);
      const forged = { ...header, postStateRoot: header.postStateRoot + 1n };
      await expect(game.connect(challenger).challenge(0, forged, { value: CHALLENGE_BOND }))
        .to.be.revertedWithCustomError(game, "HeaderMismatch")
        .withArgs(0, batchCommitment(forged), (await rollup.batches(0)).commitment);
    });

    it("challenge_afterWindow_reverts", async () => {
      const { game, rollup, header, challenger } = await networkHelpers.loadFixture(honestFixture);
      const end = await rollup.finalizableAt(0);
      await time.setNextBlockTimestamp(end);
      await expect(game.connect(challenger).challenge(0, header, { value: CHALLENGE_BOND }))
        .to.be.revertedWithCustomError(game, "ChallengeWindowClosed")
        .withArgs(0, end);
    });
  });

  describe("open", () => {
    async function open(f: Fixture & { header: BatchHeader }, gameId: bigint, overrides: { first?: object; last?: object; mid?: object; header?: BatchHeader } = {}) {
      const list = f.first.honest;
      const n = list.leaves.length - 1;
      return f.game.open(
        gameId,
        overrides.header ?? f.header,
        overrides.first ?? list.stateReveal(0),
        overrides.last ?? list.stateReveal(n),
        overrides.mid ?? list.leafReveal(n >> 1),
      );
    }

    it("open_honestLeaves_revealsAndAwaitsAnswer", async () => {
      const f = await networkHelpers.loadFixture(honestFixture);
      const gameId = await challenge(f, f.header);
      const list = f.first.honest;
      await time.increase(100n);
      const tx = open(f, gameId);
      await expect(tx).to.emit(f.game, "LeavesRevealed").withArgs(gameId, bytesToHex(list.leaves[0]!), bytesToHex(list.leaves[9]!));
      await expect(tx).to.emit(f.game, "MidpointRevealed").withArgs(gameId, 4, bytesToHex(list.leaves[4]!));
      const view = await readGame(f.game, gameId);
      expect(view).to.include({ status: GameStatus.AwaitingAnswer, lo: 0, hi: 9, loLeaf: bytesToHex(list.leaves[0]!), midLeaf: bytesToHex(list.leaves[4]!) });
      const [defenderLeft, challengerLeft] = await f.game.clocks(gameId);
      expect(defenderLeft).to.equal(CLOCK - 101n);
      expect(challengerLeft).to.equal(CLOCK);
    });

    it("open_anyoneForDefender_accepted", async () => {
      const f = await networkHelpers.loadFixture(honestFixture);
      const gameId = await challenge(f, f.header);
      await expect(open({ ...f, game: f.game.connect(f.keeper) }, gameId)).to.emit(f.game, "LeavesRevealed");
    });

    it("open_wrongPreState_reverts", async () => {
      const f = await networkHelpers.loadFixture(honestFixture);
      const gameId = await challenge(f, f.header);
      const s0 = f.first.honest.states[0]!;
      const proof = f.first.honest.stateReveal(0).proof;
      const bumped = { ...machineStateWords(s0), nextAccountIndex: 3n };
      await expect(open(f, gameId, { first: { state: bumped, proof } }))
        .to.be.revertedWithCustomError(f.game, "StartStateRootMismatch")
        .withArgs(poseidon2(s0.accountsRoot, 3n), f.header.preStateRoot);
      await expect(open(f, gameId, { first: { state: { ...machineStateWords(s0), withdrawalsRoot: 5n }, proof } }))
        .to.be.revertedWithCustomError(f.game, "StartWithdrawalsRootNotEmpty")
        .withArgs(5n, emptyWithdrawalsRoot());
      await expect(open(f, gameId, { first: { state: { ...machineStateWords(s0), feeTotals: [0n, 0n, 7n, 0n] }, proof } }))
        .to.be.revertedWithCustomError(f.game, "StartFeeTotalNotZero")
        .withArgs(2, 7n);
    });

    it("open_wrongPostState_reverts", async () => {
      const f = await networkHelpers.loadFixture(honestFixture);
      const gameId = await challenge(f, f.header);
      const reveal = f.first.honest.stateReveal(9);
      const sn = reveal.state;
      await expect(open(f, gameId, { last: { ...reveal, state: { ...sn, nextAccountIndex: 9n } } }))
        .to.be.revertedWithCustomError(f.game, "EndStateRootMismatch")
        .withArgs(poseidon2(sn.accountsRoot, 9n), f.header.postStateRoot);
      await expect(open(f, gameId, { last: { ...reveal, state: { ...sn, withdrawalsRoot: 1n } } }))
        .to.be.revertedWithCustomError(f.game, "EndWithdrawalsRootMismatch")
        .withArgs(1n, f.header.withdrawalsRoot);
    });

    it("open_uncommittedLeaf_reverts", async () => {
      const f = await networkHelpers.loadFixture(honestFixture);
      const gameId = await challenge(f, f.header);
      const mid = f.first.honest.leafReveal(4);
      const forged = ethers.keccak256("0x01");
      await expect(open(f, gameId, { mid: { ...mid, leaf: forged } }))
        .to.be.revertedWithCustomError(f.game, "StepLeafNotInRoot")
        .withArgs(4, forged, f.header.stepsRoot);
      await expect(open(f, gameId, { mid: { ...mid, proof: mid.proof.slice(1) } }))
        .to.be.revertedWithCustomError(f.game, "StepProofLengthMismatch")
        .withArgs(3, 4);
      // The final-state preimage is consistent with the header but not the committed leaf n.
      const other = faultySteps(f.first.result, 9, faults.feeTotals);
      await expect(open(f, gameId, { last: other.stateReveal(9) }))
        .to.be.revertedWithCustomError(f.game, "StepLeafNotInRoot")
        .withArgs(9, bytesToHex(other.leaves[9]!), f.header.stepsRoot);
    });

    it("open_headerMismatch_reverts", async () => {
      const f = await networkHelpers.loadFixture(honestFixture);
      const gameId = await challenge(f, f.header);
      const forged = { ...f.header, feeRecipient: f.keeper.address };
      await expect(open(f, gameId, { header: forged }))
        .to.be.revertedWithCustomError(f.game, "HeaderMismatch")
        .withArgs(0, batchCommitment(forged), (await f.rollup.batches(0)).commitment);
    });

    it("open_clockSpent_reverts", async () => {
      const f = await networkHelpers.loadFixture(honestFixture);
      const gameId = await challenge(f, f.header);
      const startedAt = BigInt(await time.latest());
      await time.setNextBlockTimestamp(startedAt + CLOCK + 1n);
      await expect(open(f, gameId)).to.be.revertedWithCustomError(f.game, "ClockExpired").withArgs(gameId, CLOCK + 1n, CLOCK);
    });

    it("open_twice_reverts", async () => {
      const f = await networkHelpers.loadFixture(openedFixture);
      await expect(open(f, f.gameId))
        .to.be.revertedWithCustomError(f.game, "UnexpectedGameStatus")
        .withArgs(f.gameId, GameStatus.AwaitingAnswer, GameStatus.AwaitingOpening);
    });

    it("moves_unknownGame_revert", async () => {
      const f = await networkHelpers.loadFixture(honestFixture);
      await expect(f.game.answer(3, true)).to.be.revertedWithCustomError(f.game, "GameNotFound").withArgs(3, 0);
      await expect(f.game.timeout(0)).to.be.revertedWithCustomError(f.game, "GameNotFound").withArgs(0, 0);
    });
  });

  describe("bisection", () => {
    it("answer_notChallenger_reverts", async () => {
      const f = await networkHelpers.loadFixture(openedFixture);
      await expect(f.game.connect(f.keeper).answer(f.gameId, true))
        .to.be.revertedWithCustomError(f.game, "CallerNotChallenger")
        .withArgs(f.gameId, f.keeper.address, f.challenger.address);
    });

    it("answer_agreeThenDisagree_narrowsRangeAndSwitchesTurns", async () => {
      const f = await networkHelpers.loadFixture(openedFixture);
      const list = f.first.honest;
      await expect(f.game.connect(f.challenger).answer(f.gameId, true)).to.emit(f.game, "Bisected").withArgs(f.gameId, true, 4, 9);
      expect(await readGame(f.game, f.gameId)).to.include({ status: GameStatus.AwaitingMidpoint, lo: 4, hi: 9, loLeaf: bytesToHex(list.leaves[4]!) });
      await expect(f.game.connect(f.challenger).answer(f.gameId, true))
        .to.be.revertedWithCustomError(f.game, "UnexpectedGameStatus")
        .withArgs(f.gameId, GameStatus.AwaitingMidpoint, GameStatus.AwaitingAnswer);
      await expect(f.game.revealMidpoint(f.gameId, list.leafReveal(5)))
        .to.be.revertedWithCustomError(f.game, "StepLeafNotInRoot")
        .withArgs(6, bytesToHex(list.leaves[5]!), f.header.stepsRoot);
      await expect(f.game.revealMidpoint(f.gameId, list.leafReveal(6))).to.emit(f.game, "MidpointRevealed").withArgs(f.gameId, 6, bytesToHex(list.leaves[6]!));
      await expect(f.game.connect(f.challenger).answer(f.gameId, false)).to.emit(f.game, "Bisected").withArgs(f.gameId, false, 4, 6);
      await f.game.revealMidpoint(f.gameId, list.leafReveal(5));
      await f.game.connect(f.challenger).answer(f.gameId, true);
      expect(await readGame(f.game, f.gameId)).to.include({
        status: GameStatus.AwaitingStep,
        lo: 5,
        hi: 6,
        loLeaf: bytesToHex(list.leaves[5]!),
        hiLeaf: bytesToHex(list.leaves[6]!),
      });
    });

    it("timeout_clockNotSpent_reverts", async () => {
      const f = await networkHelpers.loadFixture(openedFixture);
      await time.setNextBlockTimestamp(BigInt(await time.latest()) + 10n);
      await expect(f.game.timeout(f.gameId)).to.be.revertedWithCustomError(f.game, "ClockNotExpired").withArgs(f.gameId, 10n, CLOCK);
    });

    it("honestChallenger_faultyLeaf_narrowsToFirstWrongStep", async () => {
      const f = await networkHelpers.loadFixture(fixture);
      for (const k of [1, 3, 5, 6, 9]) {
        const snapshot = await networkHelpers.takeSnapshot();
        const faulty = faultySteps(f.first.result, k, faults.accountsRoot);
        const header = await submit(f, f.first, faulty);
        const gameId = await challenge(f, header);
        await bisect(f.game, gameId, header, honestDefender(f.proposer, faulty), honestChallenger(f.challenger, f.first.honest, f.first.payload));
        const view = await readGame(f.game, gameId);
        expect(view, `k = ${k}`).to.include({
          status: GameStatus.AwaitingStep,
          lo: k - 1,
          hi: k,
          loLeaf: bytesToHex(f.first.honest.leaves[k - 1]!),
          hiLeaf: bytesToHex(faulty.leaves[k]!),
        });
        await snapshot.restore();
      }
    });
  });

  describe("resolution", () => {
    const adversaries: [string, (f: Fixture) => Party][] = [
      ...[1, 2, 3, 4, 5].map((seed): [string, (f: Fixture) => Party] => [
        `random seed ${seed}`,
        (f) => randomChallenger(f.challenger, seed, f.first.honest, f.first.payload, prover(f.first, f.domain)),
      ]),
      ["always agree", (f) => agreeingChallenger(f.challenger, f.first.honest, f.first.payload, prover(f.first, f.domain))],
      ["always disagree", (f) => disagreeingChallenger(f.challenger, f.first.honest, f.first.payload, prover(f.first, f.domain))],
      ["stalls", () => stallingChallenger()],
      ["random, never proves", (f) => randomChallenger(f.challenger, 7, f.first.honest, f.first.payload)],
    ];
    for (const [name, make] of adversaries) {
      it(`honestDefender_vs_${name.replaceAll(" ", "")}_defenderWins`, async () => {
        const f = await networkHelpers.loadFixture(honestFixture);
        const gameId = await challenge(f, f.header);
        const challenger = make(f);
        const record = await playGame({
          game: f.game,
          gameId,
          header: f.header,
          defender: honestDefender(f.proposer, f.first.honest),
          challenger,
          keeper: f.keeper,
          increaseTime,
        });
        expect(record.final.status, challenger.name).to.equal(GameStatus.DefenderWon);
        expect(record.rejected).to.deep.equal([]);
        expect(await f.game.credits(f.proposer.address)).to.equal(CHALLENGE_BOND);
        expect(await f.rollup.batchCount()).to.equal(1n);
        expect(await f.rollup.openGames(0)).to.equal(0n);
        expect(await f.rollup.bonds(f.proposer.address)).to.equal(MIN_BOND);
        await expect(f.game.connect(f.proposer).claimCredit()).to.changeEtherBalances(ethers, [f.proposer, f.game], [CHALLENGE_BOND, -CHALLENGE_BOND]);
        expect(await f.game.credits(f.proposer.address)).to.equal(0n);
      });
    }

    const faultCases: [string, number, (s: Parameters<typeof faults.accountsRoot>[0]) => ReturnType<typeof faults.accountsRoot>][] = [
      ["pre-state", 0, faults.accountsRoot],
      ["first step", 1, faults.accountsRoot],
      ["middle step", 3, faults.accountsRoot],
      ["last op step", 5, faults.accountsRoot],
      ["first fee payout", 6, faults.withdrawalsRoot],
      ["fee totals", 4, faults.feeTotals],
      ["last fee payout", 9, faults.withdrawalsRoot],
      ["post-state", 9, faults.accountsRoot],
    ];
    for (const [name, k, fault] of faultCases) {
      it(`honestChallenger_vs_faulty${name.replaceAll(" ", "").replace("-", "")}_challengerWinsAndBatchesInvalidated`, async () => {
        const f = await networkHelpers.loadFixture(fixture);
        const faulty = faultySteps(f.first.result, k, fault);
        const header = await submit(f, f.first, faulty);
        await submit(f, f.second);
        const gameId = await challenge(f, header);
        const gameBalance = await ethers.provider.getBalance(await f.game.getAddress());
        const record = await playGame({
          game: f.game,
          gameId,
          header,
          defender: honestDefender(f.proposer, faulty),
          challenger: honestChallenger(f.challenger, f.first.honest, f.first.payload, prover(f.first, f.domain)),
          keeper: f.keeper,
          increaseTime,
        });
        expect(record.final.status, name).to.equal(GameStatus.ChallengerWon);
        // A faulty pre-state cannot be opened: the defender's only move reverts and its clock runs out.
        expect(record.rejected.map((r) => r.move)).to.deep.equal(k === 0 ? ["open"] : []);
        const reason = k === 0 ? GameEndReason.Timeout : GameEndReason.StepDisproved;
        // Half the slashed bond to the challenger, half burned.
        const payout = CHALLENGE_BOND + MIN_BOND / 2n;
        const logs = record.resolution.logs.map((l) => f.game.interface.parseLog(l));
        expect(logs.find((l) => l?.name === "GameResolved")?.args.toArray()).to.deep.equal([gameId, f.challenger.address, BigInt(reason), payout]);
        expect(logs.find((l) => l?.name === "SlashBurned")?.args.toArray()).to.deep.equal([gameId, MIN_BOND / 2n]);
        // The only game open on the batch takes the whole unburned half.
        expect(logs.find((l) => l?.name === "InstanceDisproven")?.args.toArray()).to.deep.equal([0n, 0n, 1n, MIN_BOND / 2n]);
        const invalidated = record.resolution.logs.map((l) => f.rollup.interface.parseLog(l)).find((l) => l?.name === "BatchesInvalidated");
        expect(invalidated?.args.toArray()).to.deep.equal([0n, 2n]);
        expect(await f.rollup.batchCount()).to.equal(0n);
        expect(await f.rollup.lastQueueEnd()).to.equal(0n);
        expect(await f.rollup.lastStateRoot()).to.equal(await f.rollup.genesisStateRoot());
        expect(await f.rollup.bonds(f.proposer.address)).to.equal(0n);
        expect(await f.rollup.firstContested()).to.equal(ethers.MaxUint256);
        expect(await ethers.provider.getBalance(await f.game.getAddress())).to.equal(gameBalance + MIN_BOND / 2n);
        expect(await f.game.credits(f.challenger.address)).to.equal(payout);
        await expect(f.game.connect(f.challenger).claimCredit()).to.changeEtherBalances(ethers, [f.challenger, f.game], [payout, -payout]);
        // The proposer must top up before it submits again; the honest batch then takes index 0.
        await expect(submit(f, f.first))
          .to.be.revertedWithCustomError(f.rollup, "InsufficientBond")
          .withArgs(f.proposer.address, 0n, MIN_BOND);
        await f.rollup.connect(f.proposer).depositBond({ value: MIN_BOND });
        const resubmitted = await submit(f, f.first);
        expect(resubmitted.index).to.equal(0n);
        expect(resubmitted.queueStart).to.equal(0n);
      });
    }

    it("proveStep_wrongInputs_revert", async () => {
      const f = await networkHelpers.loadFixture(fixture);
      const faulty = faultySteps(f.first.result, 3, faults.accountsRoot);
      const header = await submit(f, f.first, faulty);
      const gameId = await challenge(f, header);
      await bisect(f.game, gameId, header, honestDefender(f.proposer, faulty), honestChallenger(f.challenger, f.first.honest, f.first.payload));
      const { pre, proof } = prover(f.first, f.domain)(2);
      const game = f.game.connect(f.challenger);
      // Step 2 reads op 0 of 3: a record and a path of ceil(log2(3)) = 2 siblings to the opsRoot.
      const op = stepOpProof(f.first.payload, 2, RECORD_SIZE, 2);
      expect(op.path).to.have.length(2);
      await expect(game.proveStep(gameId, header, { ...op, record: "0x00" }, pre, proof))
        .to.be.revertedWithCustomError(f.game, "OpLengthMismatch")
        .withArgs(1, RECORD_SIZE);
      await expect(game.proveStep(gameId, header, NO_OP, pre, proof))
        .to.be.revertedWithCustomError(f.game, "OpLengthMismatch")
        .withArgs(0, RECORD_SIZE);
      await expect(game.proveStep(gameId, header, { ...op, path: op.path.slice(1) }, pre, proof))
        .to.be.revertedWithCustomError(f.game, "OpProofLengthMismatch")
        .withArgs(1, 2);
      // Op 1 of the batch, with its own path, offered as op 0: its path leads elsewhere.
      const other = stepOpProof(f.first.payload, 2, RECORD_SIZE, 3);
      await expect(game.proveStep(gameId, header, other, pre, proof))
        .to.be.revertedWithCustomError(f.game, "OpNotInBatch")
        .withArgs(0, pathRoot(ethers.keccak256(other.record), 0, other.path), header.dataHash);
      const wrongPre = { ...pre, nextAccountIndex: pre.nextAccountIndex + 1n };
      await expect(game.proveStep(gameId, header, op, wrongPre, proof))
        .to.be.revertedWithCustomError(f.game, "PreStateMismatch")
        .withArgs(ethers.keccak256(ethers.AbiCoder.defaultAbiCoder().encode(["uint256", "uint256", "uint256", "uint256[4]"], [wrongPre.accountsRoot, wrongPre.nextAccountIndex, wrongPre.withdrawalsRoot, wrongPre.feeTotals])), bytesToHex(f.first.honest.leaves[2]!));
      const forged = { ...header, feeRecipient: f.keeper.address };
      await expect(game.proveStep(gameId, forged, op, pre, proof))
        .to.be.revertedWithCustomError(f.game, "HeaderMismatch")
        .withArgs(0, batchCommitment(forged), batchCommitment(header));
      await expect(f.game.connect(f.keeper).proveStep(gameId, header, op, pre, proof))
        .to.be.revertedWithCustomError(f.game, "CallerNotChallenger")
        .withArgs(gameId, f.keeper.address, f.challenger.address);
      await expect(game.proveStep(gameId, header, op, pre, proof))
        .to.emit(f.game, "StepProven")
        .withArgs(gameId, 2, bytesToHex(f.first.honest.leaves[3]!), bytesToHex(faulty.leaves[3]!));
      await expect(f.game.timeout(gameId)).to.be.revertedWithCustomError(f.game, "GameAlreadyEnded").withArgs(gameId, GameStatus.ChallengerWon);
    });

    it("proveStep_queueStepWithAnOp_revertsUnexpectedOp", async () => {
      const f = await networkHelpers.loadFixture(fixture);
      const faulty = faultySteps(f.first.result, 1, faults.accountsRoot);
      const header = await submit(f, f.first, faulty);
      const gameId = await challenge(f, header);
      await bisect(f.game, gameId, header, honestDefender(f.proposer, faulty), honestChallenger(f.challenger, f.first.honest, f.first.payload));
      expect((await readGame(f.game, gameId)).lo).to.equal(0);
      const { pre, proof } = prover(f.first, f.domain)(0);
      const game = f.game.connect(f.challenger);
      // Step 0 is alice's CreateAccount: it reads no op, so a proof carrying one is refused.
      await expect(game.proveStep(gameId, header, stepOpProof(f.first.payload, 0, RECORD_SIZE, 0), pre, proof))
        .to.be.revertedWithCustomError(f.game, "UnexpectedOp")
        .withArgs(0);
      await expect(game.proveStep(gameId, header, { record: "0x", path: [ethers.ZeroHash] }, pre, proof))
        .to.be.revertedWithCustomError(f.game, "UnexpectedOp")
        .withArgs(0);
      await expect(game.proveStep(gameId, header, NO_OP, pre, proof))
        .to.emit(f.game, "StepProven")
        .withArgs(gameId, 0, bytesToHex(f.first.honest.leaves[1]!), bytesToHex(faulty.leaves[1]!));
    });

    it("selfChallenge_proposerDisprovesItsOwnBatch_stillLosesHalfItsBond", async () => {
      const f = await networkHelpers.loadFixture(fixture);
      const faulty = faultySteps(f.first.result, 3, faults.accountsRoot);
      const header = await submit(f, f.first, faulty);
      // The proposer races honest challengers to its own wrong batch.
      const gameId = await challenge(f, header, f.proposer);
      const burnedBefore = await ethers.provider.getBalance(ethers.ZeroAddress);
      const record = await playGame({
        game: f.game,
        gameId,
        header,
        defender: honestDefender(f.keeper, faulty),
        challenger: honestChallenger(f.proposer, f.first.honest, f.first.payload, prover(f.first, f.domain)),
        keeper: f.keeper,
        increaseTime,
      });
      expect(record.final.status).to.equal(GameStatus.ChallengerWon);
      expect(await f.rollup.bonds(f.proposer.address)).to.equal(0n);
      // It gets its challenge bond back and half its own bond: half the bond is gone for good.
      expect(await f.game.credits(f.proposer.address)).to.equal(CHALLENGE_BOND + MIN_BOND / 2n);
      expect((await ethers.provider.getBalance(ethers.ZeroAddress)) - burnedBefore).to.equal(MIN_BOND / 2n);
      expect(await f.game.BURN_ADDRESS()).to.equal(ethers.ZeroAddress);
    });

    it("forgingDefender_honestChallenger_revealsRejectedAndLoses", async () => {
      const f = await networkHelpers.loadFixture(fixture);
      const faulty = faultySteps(f.first.result, 3, faults.accountsRoot);
      const header = await submit(f, f.first, faulty);
      const gameId = await challenge(f, header);
      const record = await playGame({
        game: f.game,
        gameId,
        header,
        defender: forgingDefender(f.proposer, f.first.honest),
        challenger: honestChallenger(f.challenger, f.first.honest, f.first.payload),
        keeper: f.keeper,
        increaseTime,
      });
      expect(record.rejected.map((r) => r.move)).to.deep.equal(["open"]);
      expect(record.final.status).to.equal(GameStatus.ChallengerWon);
    });

    it("stallingDefender_honestBatch_challengerWinsByTimeout", async () => {
      const f = await networkHelpers.loadFixture(honestFixture);
      const gameId = await challenge(f, f.header);
      const record = await playGame({
        game: f.game, gameId, header: f.header, defender: stallingDefender(), challenger: stallingChallenger(), keeper: f.keeper, increaseTime,
      });
      expect(record.final.status).to.equal(GameStatus.ChallengerWon);
      expect(await f.rollup.batchCount()).to.equal(0n);
    });
  });

  describe("finality and several games", () => {
    it("isFinal_gameOpenOnEarlierBatch_falseUntilResolved", async () => {
      const f = await networkHelpers.loadFixture(fixture);
      const header = await submit(f, f.first);
      const second = await submit(f, f.second);
      const gameId = await challenge(f, header);
      await playMove(f.game, gameId, header, honestDefender(f.proposer, f.first.honest));
      await time.increaseTo(await f.rollup.finalizableAt(1));
      expect(await f.rollup.isFinal(0)).to.equal(false);
      expect(await f.rollup.isFinal(1)).to.equal(false);
      await expect(f.rollup.finalizeUpTo(1)).to.be.revertedWithCustomError(f.rollup, "BatchContested").withArgs(1, 0);
      await expect(f.rollup.connect(f.proposer).withdrawBond(1n)).to.be.revertedWithCustomError(f.rollup, "BondLocked").withArgs(f.proposer.address, 1);
      // A batch past its window stays unchallengeable while finality is held back.
      await expect(f.game.connect(f.challenger2).challenge(1, second, { value: CHALLENGE_BOND }))
        .to.be.revertedWithCustomError(f.game, "ChallengeWindowClosed")
        .withArgs(1, await f.rollup.finalizableAt(1));
      // The challenger let its clock run out meanwhile.
      await expect(f.game.timeout(gameId)).to.emit(f.game, "GameResolved").withArgs(gameId, f.proposer.address, GameEndReason.Timeout, CHALLENGE_BOND);
      expect(await f.rollup.isFinal(1)).to.equal(true);
      await expect(f.rollup.finalizeUpTo(1)).to.emit(f.rollup, "BatchFinalized");
    });

    it("isFinal_gameOnLaterBatch_earlierBatchFinal", async () => {
      const f = await networkHelpers.loadFixture(fixture);
      await submit(f, f.first);
      await time.increase(3600n);
      const second = await submit(f, f.second);
      await challenge(f, second);
      await time.increaseTo(await f.rollup.finalizableAt(0));
      expect(await f.rollup.isFinal(0)).to.equal(true);
      expect(await f.rollup.isFinal(1)).to.equal(false);
      expect(await f.rollup.firstContested()).to.equal(1n);
    });

    it("severalGames_oneBatch_firstWinInvalidatesOthersDismissedWithTheirShare", async () => {
      const f = await networkHelpers.loadFixture(fixture);
      const faulty = faultySteps(f.first.result, 5, faults.accountsRoot);
      const header = await submit(f, f.first, faulty);
      const second = await submit(f, f.second);
      const a = await challenge(f, header);
      const b = await challenge(f, header, f.challenger2);
      const c = await challenge(f, second, f.challenger2);
      expect(await f.rollup.openGames(0)).to.equal(2n);
      await expect(f.game.dismiss(b)).to.be.revertedWithCustomError(f.game, "GameBatchNotInvalidated").withArgs(b, 0);
      const record = await playGame({
        game: f.game, gameId: a, header, defender: honestDefender(f.proposer, faulty),
        challenger: honestChallenger(f.challenger, f.first.honest, f.first.payload, prover(f.first, f.domain)), keeper: f.keeper, increaseTime,
      });
      expect(await f.rollup.batchCount()).to.equal(0n);
      // Both games open on the disproven batch share the unburned half of the slash.
      const share = MIN_BOND / 2n / 2n;
      const logs = record.resolution.logs.map((l) => f.game.interface.parseLog(l));
      expect(logs.find((l) => l?.name === "InstanceDisproven")?.args.toArray()).to.deep.equal([0n, 0n, 2n, share]);
      expect(await f.game.credits(f.challenger.address)).to.equal(CHALLENGE_BOND + share);
      // The other games' batches are gone: they end without a winner, bonds refunded, plus the
      // share of the game that was open on the disproven batch.
      await time.increase(2n * CLOCK);
      await expect(f.game.timeout(b)).to.be.revertedWithCustomError(f.game, "GameBatchInvalidated").withArgs(b, 0);
      await expect(f.game.connect(f.keeper).dismiss(b)).to.emit(f.game, "GameResolved").withArgs(b, ethers.ZeroAddress, GameEndReason.BatchInvalidated, CHALLENGE_BOND + share);
      await expect(f.game.connect(f.keeper).dismiss(c)).to.emit(f.game, "GameResolved").withArgs(c, ethers.ZeroAddress, GameEndReason.BatchInvalidated, CHALLENGE_BOND);
      await expect(f.game.dismiss(c)).to.be.revertedWithCustomError(f.game, "GameAlreadyEnded").withArgs(c, GameStatus.Dismissed);
      expect(await f.game.credits(f.challenger2.address)).to.equal(2n * CHALLENGE_BOND + share);
      expect(await f.rollup.firstContested()).to.equal(ethers.MaxUint256);
      expect(await ethers.provider.getBalance(await f.game.getAddress())).to.equal(3n * CHALLENGE_BOND + MIN_BOND / 2n);
      await expect(f.game.connect(f.keeper).claimCredit()).to.be.revertedWithCustomError(f.game, "NoCredit").withArgs(f.keeper.address);
    });

    it("staleGame_reusedIndex_newInstanceNotHeldBackAndStaleGameOnlyDismissed", async () => {
      const f = await networkHelpers.loadFixture(fixture);
      const faulty = faultySteps(f.first.result, 0, faults.accountsRoot);
      const header = await submit(f, f.first, faulty);
      const second = await submit(f, f.second);
      const stale = await challenge(f, second, f.challenger2);
      const winner = await challenge(f, header);
      await playGame({ game: f.game, gameId: winner, header, defender: stallingDefender(), challenger: stallingChallenger(), keeper: f.keeper, increaseTime });
      await f.rollup.connect(f.proposer).depositBond({ value: MIN_BOND });
      await submit(f, f.first);
      expect(await f.rollup.batchInstance(1)).to.equal(0n);
      await submit(f, f.second);
      // Index 1 is reused while the stale game is open: a new instance, which that game does not hold back.
      expect(await f.rollup.batchInstance(1)).to.equal(1n);
      expect(await f.rollup.openGames(1)).to.equal(0n);
      expect(await f.rollup.firstContested()).to.equal(ethers.MaxUint256);
      await time.increaseTo(await f.rollup.finalizableAt(1));
      expect(await f.rollup.isFinal(0)).to.equal(true);
      expect(await f.rollup.isFinal(1)).to.equal(true);
      await expect(f.game.timeout(stale)).to.be.revertedWithCustomError(f.game, "GameBatchInvalidated").withArgs(stale, 1);
      await expect(f.game.dismiss(stale)).to.emit(f.game, "GameResolved").withArgs(stale, ethers.ZeroAddress, GameEndReason.BatchInvalidated, CHALLENGE_BOND);
      expect(await f.rollup.isFinal(1)).to.equal(true);
    });

    it("dismiss_gameOnReusedIndexOfDisprovenBatch_refundsOnlyTheBondAndGameStaysSolvent", async () => {
      const f = await networkHelpers.loadFixture(fixture);
      const first = await submit(f, f.first);
      const wrong = await submit(f, f.second, faultySteps(f.second.result, 0, faults.accountsRoot));
      // Batch 1 is disproven by the only game on it: that game takes the whole share.
      const g1 = await challenge(f, wrong);
      await playGame({ game: f.game, gameId: g1, header: wrong, defender: stallingDefender(), challenger: stallingChallenger(), keeper: f.keeper, increaseTime });
      expect(await f.game.credits(f.challenger.address)).to.equal(CHALLENGE_BOND + MIN_BOND / 2n);
      // Index 1 is reused with no game left open on it, so its instance number stays 0.
      await f.rollup.connect(f.proposer).depositBond({ value: MIN_BOND });
      const again = await submit(f, f.second);
      expect(await f.rollup.batchInstance(1)).to.equal(0n);
      const g2 = await challenge(f, again, f.challenger2);
      // Batch 0 falls (its defender stalls) and takes the new batch 1 with it.
      const g3 = await challenge(f, first, f.keeper);
      await playGame({ game: f.game, gameId: g3, header: first, defender: stallingDefender(), challenger: stallingChallenger(), keeper: f.keeper, increaseTime });
      expect(await f.rollup.batchCount()).to.equal(0n);
      // g2 was opened after batch 1's first instance was disproven: it gets its bond back, not that share again.
      await expect(f.game.dismiss(g2)).to.emit(f.game, "GameResolved").withArgs(g2, ethers.ZeroAddress, GameEndReason.BatchInvalidated, CHALLENGE_BOND);
      const credits = [await f.game.credits(f.challenger.address), await f.game.credits(f.challenger2.address), await f.game.credits(f.keeper.address)];
      expect(credits).to.deep.equal([CHALLENGE_BOND + MIN_BOND / 2n, CHALLENGE_BOND, CHALLENGE_BOND + MIN_BOND / 2n]);
      expect(await ethers.provider.getBalance(await f.game.getAddress())).to.equal(credits.reduce((a, b) => a + b));
    });

    it("withdrawBond_latestBatchInvalidated_unlocksOnceRestFinal", async () => {
      const f = await networkHelpers.loadFixture(fixture);
      await submit(f, f.first);
      await time.increase(CHALLENGE_WINDOW / 2n);
      const faulty = faultySteps(f.second.result, 0, faults.accountsRoot);
      const second = await submit(f, f.second, faulty);
      await f.rollup.connect(f.proposer).depositBond({ value: MIN_BOND });
      const gameId = await challenge(f, second);
      await playGame({ game: f.game, gameId, header: second, defender: stallingDefender(), challenger: stallingChallenger(), keeper: f.keeper, increaseTime });
      expect(await f.rollup.batchCount()).to.equal(1n);
      await expect(f.rollup.connect(f.proposer).withdrawBond(1n)).to.be.revertedWithCustomError(f.rollup, "BondLocked").withArgs(f.proposer.address, 0);
      await time.increaseTo(await f.rollup.finalizableAt(0));
      await expect(f.rollup.connect(f.proposer).withdrawBond(MIN_BOND)).to.changeEtherBalances(ethers, [f.rollup], [-MIN_BOND]);
    });
  });

  describe("gas", () => {
    it("gas_wholeGame_reportedPerMove", async () => {
      const f = await networkHelpers.loadFixture(fixture);
      const faulty = faultySteps(f.first.result, 3, faults.accountsRoot);
      const header = await submit(f, f.first, faulty);
      const start = await (await f.game.connect(f.challenger).challenge(0, header, { value: CHALLENGE_BOND })).wait();
      const record = await playGame({
        game: f.game, gameId: 0n, header, defender: honestDefender(f.proposer, faulty),
        challenger: honestChallenger(f.challenger, f.first.honest, f.first.payload, prover(f.first, f.domain)), keeper: f.keeper, increaseTime,
      });
      const moves = [{ move: "challenge", gasUsed: start!.gasUsed }, ...record.moves];
      const total = moves.reduce((sum, m) => sum + m.gasUsed, 0n);
      if (process.env.REPORT_GAS) console.log("dispute game gas (9 steps, one-step proof of an L2 transfer):", moves, "total", total);
      expect(record.final.status).to.equal(GameStatus.ChallengerWon);
      expect(total).to.be.lessThan(3_000_000n);
    });
  });
});

