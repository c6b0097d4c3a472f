import { expect } from "chai";
import {
  BatchExecutor,
  EXIT_INDEX,
  InvalidParameterError,
  L2State,
  decodeFloat8,
  type QueueEntry,
  type StepOutcome,
} from "../../core/index.js";
import { ETH, TOKEN, createAccount, deposit, domain, forcedExit, header, params, signedOp, user } from "../core/fixtures.js";

// The sequencer decides outcomes with the STF without commitments (sequencer/sequencer.ts)
// and builds commitments with the full STF (sequencer/builder-worker.ts): both must agree.

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const strip = ({ kind, outcome, withdrawal }: StepOutcome): StepOutcome => ({ kind, outcome, withdrawal });

describe("STF without commitments (sequencer acceptance)", () => {
  it("randomBatches_sameOutcomesWithdrawalsAndAccounts_asWithCommitments", () => {
    const rand = rng(11);
    const users = Array.from({ length: 5 }, (_, i) => user(200 + i));
    const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
    const full = L2State.genesis(params);
    const lean = L2State.genesis(params, { tree: false });
    const seen = new Set<string>();
    for (let batch = 0; batch < 6; batch++) {
      const entries: QueueEntry[] = [];
      for (let i = 0; i < 3; i++) {
        const u = pick(users);
        const token = pick([ETH, TOKEN]);
        const amount = BigInt(Math.floor(rand() * 1000));
        const r = rand();
        if (batch === 0 || r < 0.3) entries.push(createAccount(u, token, amount));
        else if (r < 0.8) entries.push(deposit(u.l1Address, 2 + Math.floor(rand() * 10), token, amount));
        else entries.push(forcedExit(pick(users).l1Address, 2 + Math.floor(rand() * 10)));
      }
      const withTree = new BatchExecutor(full, header, { domain, mode: "optimistic" });
      const without = new BatchExecutor(lean, header, { domain, mode: "optimistic", commitments: false });
      for (const e of entries) expect(strip(withTree.applyQueueEntry(e))).to.deep.equal(without.applyQueueEntry(e));
      for (let i = 0; i < 12; i++) {
        const from = 2 + Math.floor(rand() * (full.nextAccountIndex - 1));
        const to = pick([EXIT_INDEX, 0, 2 + Math.floor(rand() * (full.nextAccountIndex - 1))]);
        const signer = users.find((u) => u.Ax === full.account(from)?.Ax && rand() < 0.9) ?? pick(users);
        const op = signedOp(full, signer, { fromIdx: from, toIdx: to, amount: BigInt(Math.floor(rand() * 400)), fee: decodeFloat8(Math.floor(rand() * 4)) });
        const step = without.applyL2Op(op);
        expect(step).to.not.have.property("after");
        expect(strip(withTree.applyL2Op(op))).to.deep.equal(step);
        seen.add(step.outcome);
      }
      const result = withTree.finish();
      const outcome = without.finish();
      expect(outcome).to.have.all.keys("steps", "withdrawals");
      expect(result.steps.map(strip)).to.deep.equal(outcome.steps);
      expect(result.withdrawals).to.deep.equal(outcome.withdrawals);
      expect([...lean.entries()]).to.deep.equal([...full.entries()]);
      expect(lean.nextAccountIndex).to.equal(full.nextAccountIndex);
    }
    expect(seen).to.include.members(["Applied", "BadSignature", "UnknownReceiver", "InsufficientBalance"]);
  });

  it("applyL2OpIfValid_refusedOp_recordsNoStepAndChangesNothing", () => {
    const alice = user(1);
    const bob = user(2);
    const state = L2State.genesis(params, { tree: false });
    const exec = new BatchExecutor(state, header, { domain, mode: "optimistic", commitments: false });
    exec.applyQueueEntry(createAccount(alice, ETH, 100n));
    exec.applyQueueEntry(createAccount(bob, ETH, 0n));
    expect(exec.applyL2OpIfValid(signedOp(state, alice, { fromIdx: 2, toIdx: 3, amount: 500n }))).to.equal("InsufficientBalance");
    expect(exec.applyL2OpIfValid(signedOp(state, bob, { fromIdx: 2, toIdx: 3, amount: 5n }))).to.equal("BadSignature");
    expect(exec.opCount).to.equal(2);
    expect(state.account(2)).to.include({ balance: 100n, nonce: 0 });
    expect(exec.applyL2OpIfValid(signedOp(state, alice, { fromIdx: 2, toIdx: 3, amount: 5n, fee: 1n }))).to.equal("Applied");
    expect(exec.opCount).to.equal(3);
    expect(state.account(2)).to.include({ balance: 94n, nonce: 1 });
    expect(state.account(3)!.balance).to.equal(5n);
  });

  it("stateWithoutTree_rootsAndProofs_throwClearly", () => {
    const state = L2State.genesis(params, { tree: false });
    expect(state.hasTree).to.equal(false);
    expect(() => state.stateRoot).to.throw(InvalidParameterError, "stateRoot needs the account tree");
    expect(() => state.accountsRoot).to.throw(InvalidParameterError, "accountsRoot needs the account tree");
    expect(() => state.proof(2)).to.throw(InvalidParameterError, "proof needs the account tree");
    expect(() => state.clone().stateRoot).to.throw(InvalidParameterError);
    // Commitments need roots, so they need the tree.
    expect(() => new BatchExecutor(state, header, { domain, mode: "optimistic" })).to.throw(InvalidParameterError);
  });
});
