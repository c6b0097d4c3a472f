import { expect } from "chai";
import {
  BatchExecutor,
  L2State,
  MAX_BALANCE,
  MAX_NONCE,
  NO_TOKEN,
  EXIT_INDEX,
  applyBatch,
  decodeFloat8,
  domainSeparator,
  feePayoutPosition,
  resolveParams,
  stepHash,
  stepsRoot,
  buildWithdrawalTree,
  emptyWithdrawalsRoot,
  type BatchResult,
  type QueueEntry,
  type StepResult,
} from "../../core/index.js";
import {
  ETH,
  TOKEN,
  createAccount,
  deposit,
  domain,
  feeRecipient,
  forcedExit,
  header,
  params,
  signedOp,
  stateWith,
  user,
  domainFields,
} from "./fixtures.js";

const alice = user(1);
const bob = user(2);
const carol = user(3);
const A = 2;
const B = 3;
const C = 4;

function funded(): L2State {
  return stateWith([createAccount(alice, ETH, 1000n), createAccount(bob, ETH, 500n), createAccount(carol, TOKEN, 700n)]);
}

function executor(state: L2State, mode: "optimistic" | "zk" = "optimistic"): BatchExecutor {
  return new BatchExecutor(state, header, { domain, mode });
}

/** Asserts the step changed nothing but wrote the given refund (or nothing). */
function expectUnchanged(state: L2State, rootBefore: bigint, step: StepResult): void {
  expect(state.stateRoot).to.equal(rootBefore);
  expect(step.after.accountsRoot).to.equal(state.accountsRoot);
}

describe("STF: queue entries", () => {
  it("createAccount_free_createsLeafAndAdvancesIndex", () => {
    const state = L2State.genesis(params);
    const step = executor(state).applyQueueEntry(createAccount(alice, ETH, 1000n));
    expect(step.outcome).to.equal("Applied");
    expect(state.nextAccountIndex).to.equal(3);
    expect(state.account(2)).to.deep.equal({ tokenId: ETH, nonce: 0, balance: 1000n, Ax: alice.Ax, Ay: alice.Ay, ethAddr: alice.l1Address });
    expect(step.after.nextAccountIndex).to.equal(3);
  });

  it("createAccount_treeFull_refundsToOwner", () => {
    const small = resolveParams({ levels: 1 }); // 8 leaves: indices 2..7 hold accounts
    const state = L2State.genesis(small);
    const exec = new BatchExecutor(state, header, { domain, mode: "optimistic" });
    for (let i = 0; i < 6; i++) expect(exec.applyQueueEntry(createAccount(user(10 + i), ETH, 1n)).outcome).to.equal("Applied");
    const root = state.stateRoot;
    const step = exec.applyQueueEntry(createAccount(alice, TOKEN, 77n));
    expect(step.outcome).to.equal("TreeFull");
    expectUnchanged(state, root, step);
    expect(step.withdrawal).to.deep.equal({ position: 6, ethAddr: alice.l1Address, tokenId: TOKEN, amount: 77n });
  });

  it("deposit_existingAccount_creditsExactAmount", () => {
    const state = funded();
    const step = executor(state).applyQueueEntry(deposit(bob.l1Address, A, ETH, 250n));
    expect(step.outcome).to.equal("Applied");
    expect(state.account(A)!.balance).to.equal(1250n);
    expect(step.withdrawal).to.equal(undefined);
  });

  for (const [name, idx] of [["null index", 0], ["exit index", 1], ["empty leaf", 9]] as const) {
    it(`deposit_unknownAccount_${name.replace(" ", "")}_refunds`, () => {
      const state = funded();
      const root = state.stateRoot;
      const step = executor(state).applyQueueEntry(deposit(bob.l1Address, idx, ETH, 42n));
      expect(step.outcome).to.equal("UnknownAccount");
      expectUnchanged(state, root, step);
      expect(step.withdrawal).to.deep.equal({ position: 0, ethAddr: bob.l1Address, tokenId: ETH, amount: 42n });
    });
  }

  it("deposit_indexBeyondCapacity_refunds", () => {
    const state = funded();
    const step = executor(state).applyQueueEntry(deposit(bob.l1Address, params.capacity + 5, ETH, 1n));
    expect(step.outcome).to.equal("UnknownAccount");
    expect(step.withdrawal?.amount).to.equal(1n);
  });

  it("deposit_tokenMismatch_refunds", () => {
    const state = funded();
    const root = state.stateRoot;
    const step = executor(state).applyQueueEntry(deposit(bob.l1Address, C, ETH, 5n));
    expect(step.outcome).to.equal("TokenMismatch");
    expectUnchanged(state, root, step);
    expect(step.withdrawal).to.deep.equal({ position: 0, ethAddr: bob.l1Address, tokenId: ETH, amount: 5n });
  });

  it("deposit_overflow_refunds", () => {
    const state = funded();
    const root = state.stateRoot;
    const step = executor(state).applyQueueEntry(deposit(bob.l1Address, A, ETH, MAX_BALANCE - 999n));
    expect(step.outcome).to.equal("BalanceOverflow");
    expectUnchanged(state, root, step);
    expect(step.withdrawal?.amount).to.equal(MAX_BALANCE - 999n);
    expect(executor(state).applyQueueEntry(deposit(bob.l1Address, A, ETH, MAX_BALANCE - 1000n)).outcome).to.equal("Applied");
    expect(state.account(A)!.balance).to.equal(MAX_BALANCE);
  });

  it("forcedExit_owner_withdrawsWholeBalance", () => {
    const state = funded();
    const step = executor(state).applyQueueEntry(forcedExit(alice.l1Address, A));
    expect(step.outcome).to.equal("Applied");
    expect(state.account(A)).to.include({ balance: 0n, nonce: 0 });
    expect(step.withdrawal).to.deep.equal({ position: 0, ethAddr: alice.l1Address, tokenId: ETH, amount: 1000n });
  });

  it("forcedExit_notOwner_changesNothing", () => {
    const state = funded();
    const root = state.stateRoot;
    const step = executor(state).applyQueueEntry(forcedExit(bob.l1Address, A));
    expect(step.outcome).to.equal("NotOwner");
    expectUnchanged(state, root, step);
    expect(step.withdrawal).to.equal(undefined);
  });

  it("forcedExit_unknownAccount_changesNothing", () => {
    const state = funded();
    const step = executor(state).applyQueueEntry(forcedExit(bob.l1Address, 11));
    expect(step.outcome).to.equal("UnknownAccount");
    expect(step.withdrawal).to.equal(undefined);
  });

  it("queueEntry_afterL2Op_throws", () => {
    const state = funded();
    const exec = executor(state);
    exec.applyL2Op(signedOp(state, alice, { fromIdx: A, toIdx: B, amount: 1n }));
    expect(() => exec.applyQueueEntry(deposit(bob.l1Address, A, ETH, 1n))).to.throw("queue entries must come before");
  });
});

describe("STF: L2 ops", () => {
  it("transfer_valid_movesAmountChargesFeeBumpsNonce", () => {
    const state = funded();
    const exec = executor(state);
    const step = exec.applyL2Op(signedOp(state, alice, { fromIdx: A, toIdx: B, amount: 300n, fee: 7n }));
    expect(step.outcome).to.equal("Applied");
    expect(state.account(A)).to.include({ balance: 693n, nonce: 1 });
    expect(state.account(B)).to.include({ balance: 800n, nonce: 0 });
    expect(step.after.feeTotals).to.deep.equal([7n, 0n, 0n, 0n]);
    const result = exec.finish();
    expect(result.withdrawals).to.deep.equal([{ position: feePayoutPosition(0), ethAddr: feeRecipient, tokenId: ETH, amount: 7n }]);
  });

  it("transfer_tokenWithoutFeeSlot_paysNoFee", () => {
    const state = funded();
    const exec = new BatchExecutor(state, { feeRecipient, feeTokens: [TOKEN, NO_TOKEN, NO_TOKEN, NO_TOKEN] }, { domain, mode: "optimistic" });
    const step = exec.applyL2Op(signedOp(state, alice, { fromIdx: A, toIdx: B, amount: 300n, fee: 7n }));
    expect(step.outcome).to.equal("Applied");
    expect(state.account(A)!.balance).to.equal(700n);
    expect(exec.finish().withdrawals).to.deep.equal([]);
  });

  it("withdraw_valid_writesLeafForSenderL1Address", () => {
    const state = funded();
    const exec = executor(state);
    exec.applyQueueEntry(deposit(bob.l1Address, B, ETH, 1n));
    const step = exec.applyL2Op(signedOp(state, alice, { fromIdx: A, toIdx: EXIT_INDEX, amount: 400n, fee: 2n }));
    expect(step.kind).to.equal("withdraw");
    expect(step.outcome).to.equal("Applied");
    expect(state.account(A)).to.include({ balance: 598n, nonce: 1 });
    expect(step.withdrawal).to.deep.equal({ position: 1, ethAddr: alice.l1Address, tokenId: ETH, amount: 400n });
    const result = exec.finish();
    expect(result.withdrawalsRoot).to.equal(buildWithdrawalTree(result.withdrawals).root);
  });

  it("transfer_toSelf_paysOnlyFee", () => {
    const state = funded();
    const step = executor(state).applyL2Op(signedOp(state, alice, { fromIdx: A, toIdx: A, amount: 1000n - 3n, fee: 3n }));
    expect(step.outcome).to.equal("Applied");
    expect(state.account(A)).to.include({ balance: 997n, nonce: 1 });
  });

  it("transfer_exactBalance_applied_oneMore_insufficient", () => {
    const state = funded();
    const exec = executor(state);
    const root = state.stateRoot;
    const tooMuch = exec.applyL2Op(signedOp(state, alice, { fromIdx: A, toIdx: B, amount: 995n, fee: 6n }));
    expect(tooMuch.outcome).to.equal("InsufficientBalance");
    expectUnchanged(state, root, tooMuch);
    const exact = exec.applyL2Op(signedOp(state, alice, { fromIdx: A, toIdx: B, amount: 995n, fee: 5n }));
    expect(exact.outcome).to.equal("Applied");
    expect(state.account(A)!.balance).to.equal(0n);
    expect(state.account(B)!.balance).to.equal(1495n);
  });

  const invalid: [string, (s: L2State) => ReturnType<typeof signedOp>, string][] = [
    ["unknownSender_nullIndex", (s) => signedOp(s, alice, { fromIdx: 0, toIdx: B, amount: 1n }), "UnknownSender"],
    ["unknownSender_exitIndex", (s) => signedOp(s, alice, { fromIdx: 1, toIdx: B, amount: 1n }), "UnknownSender"],
    ["unknownSender_emptyLeaf", (s) => signedOp(s, alice, { fromIdx: 20, toIdx: B, amount: 1n }), "UnknownSender"],
    ["badSignature_otherKey", (s) => signedOp(s, bob, { fromIdx: A, toIdx: B, amount: 1n }), "BadSignature"],
    ["badSignature_staleNonce", (s) => signedOp(s, alice, { fromIdx: A, toIdx: B, amount: 1n }, { nonce: 5 }), "BadSignature"],
    [
      "badSignature_otherChainId",
      (s) => signedOp(s, alice, { fromIdx: A, toIdx: B, amount: 1n }, { domain: domainSeparator({ ...domainFields, l2ChainId: 1 }) }),
      "BadSignature",
    ],
    [
      "badSignature_otherRollupContract",
      (s) =>
        signedOp(s, alice, { fromIdx: A, toIdx: B, amount: 1n }, {
          domain: domainSeparator({ ...domainFields, rollupAddress: "0x0000000000000000000000000000000000000001" }),
        }),
      "BadSignature",
    ],
    ["badSignature_missing", (s) => ({ ...signedOp(s, alice, { fromIdx: A, toIdx: B, amount: 1n }), signature: undefined }), "BadSignature"],
    ["badSignature_garbageR8", (s) => ({ ...signedOp(s, alice, { fromIdx: A, toIdx: B, amount: 1n }), signature: new Uint8Array(64).fill(0xff) }), "BadSignature"],
    ["unknownReceiver_nullIndex", (s) => signedOp(s, alice, { fromIdx: A, toIdx: 0, amount: 1n }), "UnknownReceiver"],
    ["unknownReceiver_emptyLeaf", (s) => signedOp(s, alice, { fromIdx: A, toIdx: 30, amount: 1n }), "UnknownReceiver"],
    ["tokenMismatch", (s) => signedOp(s, alice, { fromIdx: A, toIdx: C, amount: 1n }), "TokenMismatch"],
    ["insufficientBalance_hugeFloat", (s) => signedOp(s, alice, { fromIdx: A, toIdx: B, amount: 10n ** 40n }), "InsufficientBalance"],
  ];
  for (const [name, build, outcome] of invalid) {
    it(`l2Op_${name}_isNoOp`, () => {
      const state = funded();
      const exec = executor(state);
      const root = state.stateRoot;
      const op = build(state);
      const step = exec.applyL2Op(op);
      expect(step.outcome).to.equal(outcome);
      expectUnchanged(state, root, step);
      expect(state.account(A)!.nonce).to.equal(0);
      expect(step.after.feeTotals).to.deep.equal([0n, 0n, 0n, 0n]);
    });
  }

  it("l2Op_senderAtMaxNonce_nonceOverflow", () => {
    const state = funded();
    state.writeAccount(A, { ...state.account(A)!, nonce: MAX_NONCE });
    const root = state.stateRoot;
    const step = executor(state).applyL2Op(signedOp(state, alice, { fromIdx: A, toIdx: B, amount: 1n }));
    expect(step.outcome).to.equal("NonceOverflow");
    expectUnchanged(state, root, step);
  });

  it("l2Op_receiverWouldOverflow_balanceOverflow", () => {
    const state = funded();
    state.writeAccount(B, { ...state.account(B)!, balance: MAX_BALANCE });
    const root = state.stateRoot;
    const step = executor(state).applyL2Op(signedOp(state, alice, { fromIdx: A, toIdx: B, amount: 1n }));
    expect(step.outcome).to.equal("BalanceOverflow");
    expectUnchanged(state, root, step);
  });

  it("l2Op_sameSignatureTwice_secondIsBadSignature", () => {
    const state = funded();
    const exec = executor(state);
    const op = signedOp(state, alice, { fromIdx: A, toIdx: B, amount: 10n });
    expect(exec.applyL2Op(op).outcome).to.equal("Applied");
    expect(exec.applyL2Op(op).outcome).to.equal("BadSignature");
    expect(state.account(B)!.balance).to.equal(510n);
  });

  it("zkMode_opWithoutSignature_isApplied", () => {
    const state = funded();
    const { signature: _, ...op } = signedOp(state, alice, { fromIdx: A, toIdx: B, amount: 10n });
    expect(executor(state, "zk").applyL2Op(op).outcome).to.equal("Applied");
  });
});

describe("STF: batches and commitments", () => {
  function run(state: L2State): BatchResult {
    return applyBatch(state, {
      ...header,
      queueEntries: [deposit(carol.l1Address, C, TOKEN, 5n), forcedExit(bob.l1Address, B)],
      ops: [
        signedOp(state, alice, { fromIdx: A, toIdx: C, amount: 1n }),
        signedOp(state, alice, { fromIdx: A, toIdx: B, amount: 100n, fee: 1n }),
      ],
    }, { domain, mode: "optimistic" });
  }

  it("applyBatch_stepHashes_coverEveryStepAndFeePayouts", () => {
    const state = funded();
    const pre = state.stateRoot;
    const result = run(state);
    expect(result.steps.map((s) => `${s.kind}:${s.outcome}`)).to.deep.equal([
      "deposit:Applied",
      "forcedExit:Applied",
      "transfer:TokenMismatch",
      "transfer:Applied",
      "feePayout:Applied",
      "feePayout:Applied",
      "feePayout:Applied",
      "feePayout:Applied",
    ]);
    expect(result.preStateRoot).to.equal(pre);
    expect(result.postStateRoot).to.equal(state.stateRoot);
    expect(result.stepHashes).to.have.length(result.steps.length + 1);
    expect(result.stepHashes[0]).to.deep.equal(stepHash({ accountsRoot: funded().accountsRoot, nextAccountIndex: 5, withdrawalsRoot: emptyWithdrawalsRoot(), feeTotals: [0n, 0n, 0n, 0n] }));
    expect(result.stepsRoot).to.deep.equal(stepsRoot(result.stepHashes));
    expect(result.steps.at(-1)!.after.withdrawalsRoot).to.equal(result.withdrawalsRoot);
    expect(result.withdrawals.map((w) => [w.position, w.amount])).to.deep.equal([[1, 500n], [feePayoutPosition(0), 1n]]);
  });

  it("applyBatch_sameInputs_sameResults", () => {
    const a = funded();
    const b = a.clone();
    const ra = run(a);
    const rb = run(b);
    expect(ra.stepHashes).to.deep.equal(rb.stepHashes);
    expect(a.stateRoot).to.equal(b.stateRoot);
  });

  it("clone_isIndependent", () => {
    const a = funded();
    const b = a.clone();
    run(a);
    expect(b.stateRoot).to.equal(funded().stateRoot);
    expect(b.account(A)!.balance).to.equal(1000n);
  });

  it("finish_twice_throws", () => {
    const exec = executor(funded());
    exec.finish();
    expect(() => exec.finish()).to.throw("already finished");
  });
});

describe("STF: conservation of value (random batches)", () => {
  function rng(seed: number): () => number {
    let s = seed >>> 0;
    return () => {
      s = (s * 1664525 + 1013904223) >>> 0;
      return s / 2 ** 32;
    };
  }

  it("sumOfBalancesPlusWithdrawals_equalsDeposits_perToken", () => {
    const rand = rng(7);
    const users = Array.from({ length: 5 }, (_, i) => user(100 + i));
    const state = L2State.genesis(params);
    const deposited = [0n, 0n];
    const withdrawn = [0n, 0n];
    const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
    for (let batch = 0; batch < 6; batch++) {
      const entries: QueueEntry[] = [];
      for (let i = 0; i < 3; i++) {
        const u = pick(users);
        const token = pick([ETH, TOKEN]);
        const amount = BigInt(Math.floor(rand() * 1000));
        const r = rand();
        if (batch === 0 || r < 0.3) entries.push(createAccount(u, token, amount));
        else if (r < 0.8) entries.push(deposit(u.l1Address, 2 + Math.floor(rand() * 10), token, amount));
        else entries.push(forcedExit(u.l1Address, 2 + Math.floor(rand() * 10)));
        if (entries.at(-1)!.kind !== 3) deposited[token]! += amount;
      }
      const exec = new BatchExecutor(state, header, { domain, mode: "optimistic" });
      entries.forEach((e) => exec.applyQueueEntry(e));
      for (let i = 0; i < 12; i++) {
        const from = 2 + Math.floor(rand() * (state.nextAccountIndex - 2 + 1));
        const to = pick([EXIT_INDEX, 0, 2 + Math.floor(rand() * (state.nextAccountIndex - 2 + 1))]);
        const signer = users.find((u) => u.Ax === state.account(from)?.Ax) ?? pick(users);
        exec.applyL2Op(signedOp(state, signer, { fromIdx: from, toIdx: to, amount: BigInt(Math.floor(rand() * 400)), fee: decodeFloat8(Math.floor(rand() * 4)) }));
      }
      const result = exec.finish();
      for (const w of result.withdrawals) withdrawn[w.tokenId]! += w.amount;
      const outcomes = new Set(result.steps.map((s) => s.outcome));
      expect(outcomes.size).to.be.greaterThan(1);
    }
    for (const token of [ETH, TOKEN]) {
      let balances = 0n;
      for (const [, a] of state.entries()) if (a.tokenId === token) balances += a.balance;
      expect(balances + withdrawn[token]!, `token ${token}`).to.equal(deposited[token]);
    }
  });
});
