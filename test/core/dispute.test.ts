import { expect } from "chai";
import { hexToBytes, sliceHex } from "viem";
import {
  type BatchHeaderWords,
  type BlobOpenings,
  type DisputeMove,
  type DisputeRole,
  type DisputeView,
  type Hex,
  type MachineState,
  type OneStepProof,
  DisputeMoveError,
  GameStatus,
  NO_OP,
  StepTrace,
  bytesToHex,
  disputeCall,
  disputeView,
  machineStateWords,
  nextMove,
  opsProof,
} from "../../core/index.js";

// The solver alone (core/dispute.ts): no chain. Traces are synthetic machine states; the
// contract's own checks of the moves are in test/contracts/dispute-game.test.ts.

const N = 9;
const ZERO: Hex = `0x${"00".repeat(32)}`;
const state = (i: number): MachineState => ({ accountsRoot: 100n + BigInt(i), nextAccountIndex: 2 + i, withdrawalsRoot: 7n, feeTotals: [BigInt(i), 0n, 0n, 0n] });
/** The correct step hashes s_0 … s_9. */
const honest = new StepTrace(Array.from({ length: N + 1 }, (_, i) => state(i)));
/** A proposer whose states are wrong from step hash `k` on. */
const wrongFrom = (k: number) => new StepTrace(honest.states.map((s, i) => (i >= k ? { ...s, accountsRoot: s.accountsRoot + 1000n } : s)));
/** One-step proofs whose pre-state is the trace's own state at the step. */
const proofs = (trace: StepTrace) => (step: number): OneStepProof => ({ pre: machineStateWords(trace.states[step]!), proof: "0x01" });
const challengerTrace = honest.proving(proofs(honest));

function view(overrides: Partial<DisputeView> = {}): DisputeView {
  return { status: GameStatus.AwaitingOpening, lo: 0, hi: N, loLeaf: honest.leaf(0), midLeaf: ZERO, moverClockSpent: false, batchHeld: true, ...overrides };
}

const OPEN_STATUSES = [GameStatus.AwaitingOpening, GameStatus.AwaitingMidpoint, GameStatus.AwaitingAnswer, GameStatus.AwaitingStep] as const;
const CLOSED_STATUSES = [GameStatus.None, GameStatus.ChallengerWon, GameStatus.DefenderWon, GameStatus.Dismissed] as const;
const ROLES: readonly DisputeRole[] = ["challenger", "defender"];
const STATUS_NAMES = Object.fromEntries(Object.entries(GameStatus).map(([name, value]) => [value, name]));

/** A view of each open status in the middle of a game over `honest`. */
function openView(status: number, overrides: Partial<DisputeView> = {}): DisputeView {
  if (status === GameStatus.AwaitingOpening) return view(overrides);
  if (status === GameStatus.AwaitingStep) return view({ status, lo: 4, hi: 5, loLeaf: honest.leaf(4), ...overrides });
  return view({ status, lo: 4, hi: 9, loLeaf: honest.leaf(4), midLeaf: status === GameStatus.AwaitingAnswer ? honest.leaf(6) : ZERO, ...overrides });
}

const traceOf = (role: DisputeRole) => (role === "challenger" ? challengerTrace : honest);

/** The defender's opening move over `honest`. */
function opening(): Extract<DisputeMove, { kind: "open" }> {
  const move = nextMove(view(), honest, "defender");
  expect(move.kind).to.equal("open");
  return move as Extract<DisputeMove, { kind: "open" }>;
}

describe("core dispute solver", () => {
  describe("nextMove", () => {
    it("nextMove_everyStatusAndRole_movesOnItsTurnWaitsOrTimesOutOnTheOther", () => {
      const expected: Record<number, Record<DisputeRole, DisputeMove["kind"]>> = {
        [GameStatus.AwaitingOpening]: { defender: "open", challenger: "wait" },
        [GameStatus.AwaitingMidpoint]: { defender: "revealMidpoint", challenger: "wait" },
        [GameStatus.AwaitingAnswer]: { defender: "wait", challenger: "answer" },
        [GameStatus.AwaitingStep]: { defender: "wait", challenger: "proveStep" },
      };
      for (const status of OPEN_STATUSES) {
        for (const role of ROLES) {
          const label = `${STATUS_NAMES[status]} as ${role}`;
          const own = expected[status]![role];
          expect(nextMove(openView(status), traceOf(role), role).kind, label).to.equal(own);
          // Spent: the mover's clock. The mover still moves (it does not time itself out);
          // the other party may now end the game.
          const spent = nextMove(openView(status, { moverClockSpent: true }), traceOf(role), role);
          if (own === "wait") expect(spent, `${label}, mover's clock spent`).to.deep.equal({ kind: "timeout", against: role === "defender" ? "challenger" : "defender" });
          else expect(spent.kind, `${label}, own clock spent`).to.equal(own);
        }
      }
      for (const status of CLOSED_STATUSES) {
        for (const role of ROLES) {
          for (const batchHeld of [true, false]) {
            expect(nextMove(view({ status, batchHeld, moverClockSpent: true }), traceOf(role), role), `${STATUS_NAMES[status]} as ${role}`).to.deep.equal({ kind: "ended" });
          }
        }
      }
    });

    it("nextMove_batchInstanceGone_dismissesInEveryOpenStatus", () => {
      for (const status of OPEN_STATUSES) {
        for (const role of ROLES) {
          for (const trace of [traceOf(role), undefined]) {
            expect(nextMove(openView(status, { batchHeld: false, moverClockSpent: true }), trace, role), `${STATUS_NAMES[status]} as ${role}`).to.deep.equal({ kind: "dismiss" });
          }
        }
      }
    });

    it("nextMove_noTrace_waitsOnItsTurnButStillTimesOutTheOther", () => {
      for (const status of OPEN_STATUSES) {
        for (const role of ROLES) {
          const label = `${STATUS_NAMES[status]} as ${role}`;
          const own = (status === GameStatus.AwaitingOpening || status === GameStatus.AwaitingMidpoint) === (role === "defender");
          expect(nextMove(openView(status), undefined, role), label).to.deep.equal({ kind: "wait" });
          expect(nextMove(openView(status, { moverClockSpent: true }), undefined, role), label).to.deep.equal(
            own ? { kind: "wait" } : { kind: "timeout", against: role === "defender" ? "challenger" : "defender" },
          );
        }
      }
    });

    it("nextMove_defenderOpening_revealsStepHashes0AndNAndMidpointNHalf", () => {
      for (const trace of [honest, wrongFrom(3)]) {
        expect(nextMove(view(), trace, "defender")).to.deep.equal({
          kind: "open",
          stepCount: N,
          first: trace.stateReveal(0),
          last: trace.stateReveal(N),
          mid: trace.leafReveal(4),
        });
      }
    });

    it("nextMove_defenderAwaitingMidpoint_revealsItsLeafAtLoPlusHiHalf", () => {
      const faulty = wrongFrom(5);
      for (const [lo, hi, index] of [[0, 9, 4], [4, 9, 6], [4, 6, 5], [6, 9, 7]] as const) {
        expect(nextMove(view({ status: GameStatus.AwaitingMidpoint, lo, hi }), faulty, "defender")).to.deep.equal({ kind: "revealMidpoint", index, mid: faulty.leafReveal(index) });
      }
    });

    it("nextMove_honestChallenger_agreesIffMidpointEqualsItsLeaf", () => {
      const faulty = wrongFrom(5);
      for (const [lo, hi] of [[0, 9], [4, 9], [0, 4], [6, 9]] as const) {
        const index = (lo + hi) >> 1;
        for (const midLeaf of [honest.leaf(index), faulty.leaf(index), ZERO]) {
          const move = nextMove(view({ status: GameStatus.AwaitingAnswer, lo, hi, midLeaf }), challengerTrace, "challenger");
          expect(move, `[${lo}, ${hi}] ${midLeaf}`).to.deep.equal({ kind: "answer", index, agree: midLeaf === honest.leaf(index) });
        }
      }
    });

    it("nextMove_hiIsLoPlusOne_provesStepLoFromItsOwnState", () => {
      for (const lo of [0, 4, N - 1]) {
        const move = nextMove(view({ status: GameStatus.AwaitingStep, lo, hi: lo + 1, loLeaf: honest.leaf(lo) }), challengerTrace, "challenger");
        expect(move).to.deep.equal({ kind: "proveStep", step: lo, proof: { pre: machineStateWords(honest.states[lo]!), proof: "0x01" } });
      }
    });

    it("nextMove_traceWithoutOneStepProofs_waitsAtTheStep", () => {
      expect(nextMove(view({ status: GameStatus.AwaitingStep, lo: 4, hi: 5, loLeaf: honest.leaf(4) }), honest, "challenger")).to.deep.equal({ kind: "wait" });
    });

    it("nextMove_ownStateNotTheAgreedLeaf_throwsDisputeMoveError", () => {
      const other = honest.proving(proofs(wrongFrom(0)));
      expect(() => nextMove(view({ status: GameStatus.AwaitingStep, lo: 4, hi: 5, loLeaf: honest.leaf(4) }), other, "challenger"))
        .to.throw(DisputeMoveError)
        .with.property("shortMessage")
        .that.contains(`not to the agreed step hash ${honest.leaf(4)}`);
    });

    it("nextMove_playedAgainstItselfToTheEnd_provesTheFirstWrongStep", () => {
      // The contract's transitions (DisputeGame.sol), applied to the solver's moves.
      for (let k = 1; k <= N; k++) {
        const defender = wrongFrom(k);
        let v = view();
        let hiLeaf: Hex = ZERO;
        for (let moves = 0; ; moves++) {
          expect(moves, `k = ${k}`).to.be.below(20);
          const role: DisputeRole = v.status === GameStatus.AwaitingOpening || v.status === GameStatus.AwaitingMidpoint ? "defender" : "challenger";
          const move = nextMove(v, role === "defender" ? defender : challengerTrace, role);
          if (move.kind === "open") {
            hiLeaf = defender.leaf(N);
            v = { ...v, status: GameStatus.AwaitingAnswer, loLeaf: defender.leaf(0), midLeaf: move.mid.leaf };
          } else if (move.kind === "revealMidpoint") {
            v = { ...v, status: GameStatus.AwaitingAnswer, midLeaf: move.mid.leaf };
          } else if (move.kind === "answer") {
            const [lo, hi] = move.agree ? [move.index, v.hi] : [v.lo, move.index];
            if (!move.agree) hiLeaf = v.midLeaf;
            v = { ...v, lo, hi, loLeaf: move.agree ? v.midLeaf : v.loLeaf, status: hi - lo === 1 ? GameStatus.AwaitingStep : GameStatus.AwaitingMidpoint };
          } else {
            expect(move, `k = ${k}`).to.include({ kind: "proveStep", step: k - 1 });
            expect(hiLeaf, `k = ${k}`).to.equal(defender.leaf(k)).and.not.equal(honest.leaf(k));
            break;
          }
        }
      }
    });
  });

  describe("disputeView", () => {
    const game = { status: GameStatus.AwaitingAnswer, lo: 0, hi: 9, loLeaf: honest.leaf(0), midLeaf: honest.leaf(4), commitment: honest.root, instance: 0n };
    const held = { commitment: honest.root, instance: 0n };

    it("disputeView_clocks_spentIsTheMoversOnly", () => {
      expect(disputeView(game, [0n, 5n], held).moverClockSpent).to.equal(false);
      expect(disputeView(game, [5n, 0n], held).moverClockSpent).to.equal(true);
      expect(disputeView({ ...game, status: GameStatus.AwaitingMidpoint }, [0n, 5n], held).moverClockSpent).to.equal(true);
    });

    it("disputeView_heldBatch_batchHeldIffItIsTheGamesInstance", () => {
      expect(disputeView(game, [1n, 1n], held)).to.deep.equal({ status: game.status, lo: 0, hi: 9, loLeaf: game.loLeaf, midLeaf: game.midLeaf, moverClockSpent: false, batchHeld: true });
      expect(disputeView(game, [1n, 1n], { commitment: ZERO, instance: 0n }).batchHeld).to.equal(false);
      // An identical batch appended again after the game's was removed: another instance.
      expect(disputeView(game, [1n, 1n], { commitment: honest.root, instance: 1n }).batchHeld).to.equal(false);
      expect(disputeView(game, [1n, 1n], undefined).batchHeld).to.equal(false);
    });
  });

  describe("disputeCall", () => {
    // 2 queue entries, 3 L2 ops of 76 bytes, 4 fee payouts: N = 9 steps.
    const header = { index: 3n, queueStart: 5n, queueEnd: 7n, stepCount: BigInt(N) } as unknown as BatchHeaderWords;
    const payload = bytesToHex(Uint8Array.from({ length: 3 * 76 }, (_, i) => (i * 7) % 256));
    const proveAt4 = { kind: "proveStep", step: 4, proof: proofs(honest)(4) } as const;

    it("disputeCall_eachMove_namesTheFunctionWithItsArguments", () => {
      const open = opening();
      expect(disputeCall(7n, open, { header })).to.deep.equal({ functionName: "open", args: [7n, header, open.first, open.last, open.mid] });
      expect(disputeCall(7n, { kind: "revealMidpoint", index: 6, mid: honest.leafReveal(6) })).to.deep.equal({ functionName: "revealMidpoint", args: [7n, honest.leafReveal(6)] });
      expect(disputeCall(7n, { kind: "answer", index: 6, agree: false })).to.deep.equal({ functionName: "answer", args: [7n, false] });
      expect(disputeCall(7n, { kind: "timeout", against: "defender" })).to.deep.equal({ functionName: "timeout", args: [7n] });
      expect(disputeCall(7n, { kind: "dismiss" })).to.deep.equal({ functionName: "dismiss", args: [7n] });
    });

    it("disputeCall_proveStep_calldataOrBlobOpeningsOfTheStep", () => {
      const { pre, proof } = proveAt4.proof;
      // Step 4 is L2 op 2: its record and its opsRoot path, not the payload.
      const op = { record: sliceHex(payload, 2 * 76, 3 * 76), path: opsProof(hexToBytes(payload), 76, 2).map(bytesToHex) };
      expect(disputeCall(7n, proveAt4, { header, data: payload })).to.deep.equal({ functionName: "proveStep", args: [7n, header, op, pre, proof] });
      expect(op.path).to.have.length(2);
      const proveAt1 = { kind: "proveStep", step: 1, proof: proofs(honest)(1) } as const;
      expect(disputeCall(7n, proveAt1, { header, data: payload }).args[2]).to.deep.equal(NO_OP);
      const opened: number[] = [];
      const openings: BlobOpenings = { blobHashes: [ZERO], header: { commitment: "0x", value: ZERO, proof: "0x" }, elements: [] };
      const blobOpenings = (step: number) => (opened.push(step), openings);
      expect(disputeCall(7n, proveAt4, { header, data: { blobOpenings } })).to.deep.equal({ functionName: "proveBlobStep", args: [7n, header, openings, pre, proof] });
      expect(opened).to.deep.equal([4]);
    });

    it("disputeCall_withoutTheBatch_throwsDisputeMoveError", () => {
      expect(() => disputeCall(7n, proveAt4, { header })).to.throw(DisputeMoveError, "needs the batch's data");
      expect(() => disputeCall(7n, opening())).to.throw(DisputeMoveError, "sends the disputed batch's header");
    });
  });
});
