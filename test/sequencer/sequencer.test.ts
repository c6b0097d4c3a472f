import { expect } from "chai";
import { mkdtempSync, appendFileSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type QueueEntry, EXIT_INDEX, L2State, applyBatch, encodeL2Op } from "../../core/index.js";
import { Sequencer, type QueueSource } from "../../sequencer/sequencer.js";
import { CommitmentBuilder } from "../../sequencer/builder.js";
import { WriteAheadLog } from "../../sequencer/store.js";
import { OpRejectedError } from "../../sequencer/errors.js";
import { ETH, TOKEN, createAccount, domain, header, params, signedOp, user } from "../core/fixtures.js";

const alice = user(1);
const bob = user(2);
const carol = user(3);

class ArrayQueue implements QueueSource {
  readonly entries: QueueEntry[] = [];
  get length(): number {
    return this.entries.length;
  }
  entry(i: number): QueueEntry {
    return this.entries[i]!;
  }
}

const running: Sequencer[] = [];

async function setup(dir = mkdtempSync(join(tmpdir(), "seq-")), laterEntries: QueueEntry[] = []) {
  const queue = new ArrayQueue();
  queue.entries.push(createAccount(alice, ETH, 1000n), createAccount(bob, ETH, 500n), createAccount(carol, TOKEN, 10n), ...laterEntries);
  const wal = WriteAheadLog.open(dir);
  const seq = new Sequencer({ params, domain, feeRecipient: header.feeRecipient, feeTokens: header.feeTokens, maxBatchOps: 100 }, queue, wal);
  running.push(seq);
  await seq.replay(wal.records);
  return { dir, queue, wal, seq };
}

async function rejection(p: Promise<unknown>): Promise<OpRejectedError> {
  try {
    await p;
  } catch (e) {
    expect(e).to.be.instanceOf(OpRejectedError);
    return e as OpRejectedError;
  }
  throw new Error("expected the op to be rejected");
}

describe("Sequencer", () => {
  afterEach(async () => {
    await Promise.all(running.splice(0).map((seq) => seq.close()));
  });

  it("submit_validOp_appliesAtOnceAndIsPending", async () => {
    const { seq } = await setup();
    seq.openIfWork();
    const info = await seq.submit(signedOp(seq.state, alice, { fromIdx: 2, toIdx: 3, amount: 100n, fee: 1n }), 0);
    expect(seq.status(info)).to.equal("pending");
    expect(seq.state.account(2)).to.include({ balance: 899n, nonce: 1 });
    expect(seq.state.account(3)!.balance).to.equal(600n);
  });

  it("submit_badOps_rejectedWithReasonAndNothingChanges", async () => {
    const { seq } = await setup();
    seq.openIfWork();
    const root = await seq.stateRoot();
    const stale = await rejection(seq.submit(signedOp(seq.state, alice, { fromIdx: 2, toIdx: 3, amount: 1n }), 5));
    expect(stale.shortMessage).to.equal("nonce too high: account 2 is at nonce 0, op has 5");
    expect(stale.reason).to.equal("NonceTooHigh");
    const badSig = await rejection(seq.submit(signedOp(seq.state, bob, { fromIdx: 2, toIdx: 3, amount: 1n }), 0));
    expect(badSig.reason).to.equal("BadSignature");
    const poor = await rejection(seq.submit(signedOp(seq.state, alice, { fromIdx: 2, toIdx: 3, amount: 1000n, fee: 1n }), 0));
    expect(poor.reason).to.equal("InsufficientBalance");
    expect(poor.details).to.equal("account 2 has 1000, the op needs 1000 + fee 1");
    const mismatch = await rejection(seq.submit(signedOp(seq.state, alice, { fromIdx: 2, toIdx: 4, amount: 1n }), 0));
    expect(mismatch.details).to.equal("sender holds token 0, receiver holds token 1");
    const nobody = await rejection(seq.submit(signedOp(seq.state, alice, { fromIdx: 2, toIdx: 40, amount: 1n }), 0));
    expect(nobody.reason).to.equal("UnknownReceiver");
    expect(await seq.stateRoot()).to.equal(root);
    expect(seq.openBatch!.size).to.equal(3);
  });

  it("submit_nonceTooLow_afterAcceptedOp", async () => {
    const { seq } = await setup();
    seq.openIfWork();
    await seq.submit(signedOp(seq.state, alice, { fromIdx: 2, toIdx: 3, amount: 1n }), 0);
    const e = await rejection(seq.submit(signedOp(seq.state, alice, { fromIdx: 2, toIdx: 3, amount: 2n }, { nonce: 0 }), 0));
    expect(e.shortMessage).to.equal("nonce too low: account 2 is at nonce 1, op has 0");
  });

  it("seal_closesBatchWithQueueEntriesThenOps", async () => {
    const { seq } = await setup();
    seq.openIfWork();
    await seq.submit(signedOp(seq.state, alice, { fromIdx: 2, toIdx: EXIT_INDEX, amount: 300n }), 0);
    const batch = (await seq.seal())!;
    expect(batch.index).to.equal(0);
    expect([batch.queueStart, batch.queueEnd]).to.deep.equal([0, 3]);
    expect(batch.result.steps.map((s) => s.kind)).to.deep.equal([
      "createAccount", "createAccount", "createAccount", "withdraw", "feePayout", "feePayout", "feePayout", "feePayout",
    ]);
    expect(batch.result.withdrawals).to.deep.equal([{ position: 3, ethAddr: alice.l1Address, tokenId: ETH, amount: 300n }]);
    expect(seq.status(batch.ops[0]!)).to.equal("sealed");
    expect(await seq.seal()).to.equal(undefined);
  });

  it("replay_afterCrash_restoresStateBatchesAndStatuses", async () => {
    const first = await setup();
    first.seq.openIfWork();
    const a = await first.seq.submit(signedOp(first.seq.state, alice, { fromIdx: 2, toIdx: 3, amount: 10n, fee: 1n }), 0);
    await first.seq.seal();
    await first.seq.markPosted(0, "0xabc", 7);
    first.queue.entries.push(createAccount(user(9), ETH, 5n));
    first.seq.openIfWork();
    const b = await first.seq.submit(signedOp(first.seq.state, bob, { fromIdx: 3, toIdx: 2, amount: 20n }), 0);
    const rootBefore = await first.seq.stateRoot();
    // No close(): the process dies here. A torn half-written record follows the last one.
    appendFileSync(join(first.dir, "sequencer.wal"), '{"t":"op","seq":99,');

    const second = await setup(first.dir, [createAccount(user(9), ETH, 5n)]);
    const again = WriteAheadLog.open(first.dir);
    expect(again.records).to.have.length(readFileSync(join(first.dir, "sequencer.wal"), "utf8").trim().split("\n").length);
    expect(await second.seq.stateRoot()).to.equal(rootBefore);
    expect(second.seq.batchCount).to.equal(1);
    expect(second.seq.sealed[0]!.l1Tx).to.equal("0xabc");
    expect(second.seq.status(second.seq.op(a.hash)!)).to.equal("batched");
    expect(second.seq.status(second.seq.op(b.hash)!)).to.equal("pending");
    expect(second.seq.openBatch).to.include({ index: 1, size: 2 });
  });

  it("seal_builderResult_equalsFullStfOnAReplica", async () => {
    const { seq, queue } = await setup();
    seq.openIfWork();
    const replica = L2State.genesis(params);
    const ops = [];
    for (let i = 0; i < 3; i++) {
      const op = signedOp(seq.state, alice, { fromIdx: 2, toIdx: 3, amount: 10n + BigInt(i), fee: 1n });
      await seq.submit(op, i);
      ops.push(op);
    }
    ops.push(signedOp(seq.state, bob, { fromIdx: 3, toIdx: EXIT_INDEX, amount: 7n }));
    await seq.submit(ops[3]!, 0);
    const root = await seq.stateRoot();
    const batch = (await seq.seal())!;
    const expected = applyBatch(replica, { ...header, queueEntries: queue.entries, ops }, { domain, mode: "optimistic" });
    expect(batch.result).to.deep.equal(expected);
    expect(root).to.equal(replica.stateRoot);
    expect(await seq.stateRoot()).to.equal(replica.stateRoot);
  });

  it("seal_acceptanceGoesOnInTheNextBatch_sealedStaysInOrder", async () => {
    const { seq } = await setup();
    seq.openIfWork();
    await seq.submit(signedOp(seq.state, alice, { fromIdx: 2, toIdx: 3, amount: 1n }), 0);
    const first = seq.seal();
    seq.openIfWork(true);
    const op = await seq.submit(signedOp(seq.state, alice, { fromIdx: 2, toIdx: 3, amount: 2n }), 1);
    expect(op.batch).to.equal(1);
    const second = seq.seal();
    expect(seq.batchCount).to.equal(2);
    const [a, b] = await Promise.all([first, second]);
    expect([a!.index, b!.index]).to.deep.equal([0, 1]);
    expect(seq.sealed.map((s) => s.index)).to.deep.equal([0, 1]);
    expect(b!.result.preStateRoot).to.equal(a!.result.postStateRoot);
    expect(seq.status(op)).to.equal("sealed");
  });

  it("builder_opThatDoesNotApply_failsEveryLaterRequestLoudly", async () => {
    const builder = new CommitmentBuilder(params, domain);
    try {
      builder.open(0, header, [createAccount(alice, ETH, 10n)]);
      // Acceptance would never send this op (account 7 does not exist): an STF disagreement.
      builder.apply(encodeL2Op(signedOp(L2State.genesis(params), alice, { fromIdx: 7, toIdx: 2, amount: 1n }), params, "optimistic"));
      const sealing = builder.seal(0);
      let error: unknown;
      await sealing.catch((e: unknown) => (error = e));
      expect(String(error)).to.match(/is UnknownSender here: acceptance and the STF disagree/);
      expect(builder.failure).to.equal(error);
      let again: unknown;
      await builder.stateRoot().catch((e: unknown) => (again = e));
      expect(again).to.equal(error);
    } finally {
      await builder.close();
    }
  });
});
