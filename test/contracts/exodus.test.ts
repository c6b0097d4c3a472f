import { expect } from "chai";
import { network } from "hardhat";
import {
  type Address,
  type BatchResult,
  type QueueEntry,
  L2State,
  NO_TOKEN,
  accountLeaf,
  buildWithdrawalTree,
  computeMerkleRoot,
  nextQueueHash,
  poseidon2,
  resolveParams,
} from "../../core/index.js";
import { submission } from "../helpers/batches.js";
import {
  buildBatch,
  createEntry,
  depositEntry,
  forcedExitEntry,
  l2User,
  signedTransfer,
  submitBuilt,
} from "../helpers/chain.js";
import { deployRollup } from "../../scripts/lib/deploy-rollup.js";
import { GameEndReason, honestDefender, playMove } from "../helpers/dispute.js";

// The exodus (docs/protocol.md §11): when the operator stops, anyone switches the rollup into
// exodus, which keeps the final batches; every account then takes its balance out of the last
// final state, every unconsumed deposit is refunded and every final withdrawal claimed, and the
// bridge ends up holding nothing but the queue fees.

const { ethers, networkHelpers } = await network.create();
const { time } = networkHelpers;

const LEVELS = 8;
const params = resolveParams({ levels: LEVELS });
const ETH = 0;
const TOKEN = 1;
const ETHER = 10n ** 18n;
const MIN_BOND = ETHER;
const QUEUE_FEE = 10n ** 15n;
const CHALLENGE_BOND = 10n ** 17n;
const DAY = 24n * 3600n;
const CHALLENGE_WINDOW = 7n * DAY;

/**
 * A rollup at levels 8 (inclusion window and exodus delay of a day) with this history:
 *
 *   queue 0..3   alice creates (10 ETH), bob creates (5 ETH), carol creates (1000 TOKEN), alice deposits 1 ETH
 *   batch 0      takes them; alice pays bob 2 ETH, bob withdraws 1 ETH, carol withdraws 100 TOKEN (fees to dave)
 *   queue 4..6   bob deposits 2 ETH, carol deposits 50 TOKEN, erin creates an empty TOKEN account
 *   batch 1      takes them; bob pays alice 0.5 ETH                              (final after a week)
 *   queue 7..8   alice deposits 3 ETH, carol deposits 20 TOKEN
 *   batch 2      takes them; alice withdraws 1 ETH                               (never final; a game on it)
 *   queue 9..10  bob's forced exit, frank creates (4 ETH)                        (no batch ever takes them)
 *
 * Batches are core's honest execution, appended with submitBatch. The fixture ends before the
 * exodus is due.
 */
async function beforeExodus() {
  const deployment = await deployRollup(ethers, { levels: LEVELS, inclusionWindow: DAY, exodusDelay: DAY, challengeBond: CHALLENGE_BOND });
  const { rollup, bridge, token } = deployment;
  const [deployer, proposer, aliceSigner, bobSigner, carolSigner, dave, erinSigner, frankSigner, watcher, relayer] = await ethers.getSigners();
  await rollup.grantRole(await rollup.PROPOSER_ROLE(), proposer!.address);
  await rollup.connect(proposer!).depositBond({ value: MIN_BOND });
  await bridge.registerToken(await token.getAddress());
  await token.mint(carolSigner!.address, 10_000n);
  await token.connect(carolSigner!).approve(await bridge.getAddress(), ethers.MaxUint256);
  const [alice, bob, carol, erin, frank] = [aliceSigner!, bobSigner!, carolSigner!, erinSigner!, frankSigner!].map((s, i) => l2User(s, `exodus user ${i}`)) as [
    ReturnType<typeof l2User>,
    ReturnType<typeof l2User>,
    ReturnType<typeof l2User>,
    ReturnType<typeof l2User>,
    ReturnType<typeof l2User>,
  ];
  const domain: bigint = await rollup.domain();
  const feeRecipient = dave!.address.toLowerCase() as Address;
  const feeTokens = [ETH, TOKEN, NO_TOKEN, NO_TOKEN];
  const entries: QueueEntry[] = [];
  /** Sends a queue entry through the bridge (paying the fee) and records it. */
  async function enqueue(entry: QueueEntry) {
    const from = [alice, bob, carol, erin, frank].find((u) => u.address === entry.l1Address)!.signer;
    const eth = entry.tokenId === ETH && entry.kind !== 3 ? entry.amount : 0n;
    const value = eth + QUEUE_FEE;
    if (entry.kind === 1) await (await bridge.connect(from).createAccount(entry.tokenId, entry.amount, entry.Ax, entry.Ay, { value })).wait();
    else if (entry.kind === 2) await (await bridge.connect(from).deposit(entry.accountIdx, entry.tokenId, entry.amount, { value })).wait();
    else await (await bridge.connect(from).forcedExit(entry.accountIdx, { value })).wait();
    entries.push(entry);
  }

  const state = L2State.genesis(params);
  const q0 = [createEntry(alice, 10n * ETHER), createEntry(bob, 5n * ETHER), createEntry(carol, 1000n, TOKEN), depositEntry(alice, 2, ETHER)];
  for (const e of q0) await enqueue(e);
  const batch0 = buildBatch(
    state,
    {
      queueEntries: q0,
      ops: [
        signedTransfer(alice, { fromIdx: 2, toIdx: 3, amount: 2n * ETHER, fee: 10n ** 16n }, 0, domain),
        signedTransfer(bob, { fromIdx: 3, toIdx: 1, amount: ETHER, fee: 10n ** 16n }, 0, domain),
        signedTransfer(carol, { fromIdx: 4, toIdx: 1, amount: 100n, fee: 1n }, 0, domain, TOKEN),
      ],
      feeRecipient,
      feeTokens,
    },
    domain,
  );
  const header0 = await submitBuilt(deployment, proposer!, batch0);

  const q1 = [depositEntry(bob, 3, 2n * ETHER), depositEntry(carol, 4, 50n, TOKEN), createEntry(erin, 0n, TOKEN)];
  for (const e of q1) await enqueue(e);
  const batch1 = buildBatch(
    state,
    { queueEntries: q1, ops: [signedTransfer(bob, { fromIdx: 3, toIdx: 2, amount: ETHER / 2n, fee: 0n }, 1, domain)], feeRecipient, feeTokens },
    domain,
  );
  const header1 = await submitBuilt(deployment, proposer!, batch1);
  const finalState = state.clone();
  await time.increase(CHALLENGE_WINDOW);

  const q2 = [depositEntry(alice, 2, 3n * ETHER), depositEntry(carol, 4, 20n, TOKEN)];
  for (const e of q2) await enqueue(e);
  const batch2 = buildBatch(
    state,
    { queueEntries: q2, ops: [signedTransfer(alice, { fromIdx: 2, toIdx: 1, amount: ETHER, fee: 0n }, 1, domain)], feeRecipient, feeTokens },
    domain,
  );
  const header2 = await submitBuilt(deployment, proposer!, batch2);
  const removedState = state.clone();
  // A watcher disputes batch 2; the proposer opens the game.
  const gameId: bigint = await deployment.game.gameCount();
  await deployment.game.connect(watcher!).challenge(2, header2, { value: CHALLENGE_BOND });
  await playMove(deployment.game, gameId, header2, honestDefender(proposer!, batch2.honest));

  await enqueue(forcedExitEntry(bob, 3));
  await enqueue(createEntry(frank, 4n * ETHER));
  return {
    ...deployment,
    deployer: deployer!,
    proposer: proposer!,
    alice,
    bob,
    carol,
    dave: dave!,
    erin,
    frank,
    watcher: watcher!,
    relayer: relayer!,
    domain,
    entries,
    batches: [batch0, batch1, batch2] as const,
    headers: [header0, header1, header2] as const,
    finalState,
    removedState,
    gameId,
  };
}

type World = Awaited<ReturnType<typeof beforeExodus>>;

/** The fixture with the exodus activated on bob's forced exit (entry 9) as soon as it is due. */
async function inExodus() {
  const f = await beforeExodus();
  await time.increaseTo((await f.rollup.exodusDueAt(9)) + 1n);
  const receipt = await (await f.rollup.connect(f.relayer).activateExodus(9)).wait();
  return { ...f, activation: receipt! };
}

/** `Bridge.exodusWithdraw` arguments for account `idx` of `state`. */
function exitArgs(state: L2State, idx: number) {
  const a = state.account(idx)!;
  const account = { tokenId: a.tokenId, nonce: a.nonce, balance: a.balance, ax: a.Ax, ay: a.Ay, ethAddr: a.ethAddr };
  return [idx, account, state.accountsRoot, BigInt(state.nextAccountIndex), state.proof(idx)] as const;
}

/** A queue entry as `Bridge.refundDeposit` takes it. */
function entryArg(e: QueueEntry) {
  return { kind: e.kind, l1Address: e.l1Address, tokenId: e.tokenId, accountIdx: e.accountIdx, amount: e.amount, ax: e.Ax, ay: e.Ay };
}

/** Claims every withdrawal leaf of final batch `index` (from the relayer). */
async function claimAll(f: World, index: number, result: BatchResult) {
  const tree = buildWithdrawalTree(result.withdrawals);
  for (const w of result.withdrawals) {
    await (await f.bridge.connect(f.relayer).claimWithdrawal(index, w.position, w.ethAddr, w.tokenId, w.amount, tree.proof(w.position))).wait();
  }
}

describe("Exodus", () => {
  describe("activateExodus", () => {
    it("activateExodus_entryOutOfRangeConsumedOrNotDue_reverts", async () => {
      const f = await networkHelpers.loadFixture(beforeExodus);
      await expect(f.rollup.activateExodus(11)).to.be.revertedWithCustomError(f.rollup, "QueueIndexOutOfRange").withArgs(11, 11);
      await expect(f.rollup.activateExodus(8)).to.be.revertedWithCustomError(f.rollup, "QueueEntryConsumed").withArgs(8, 9);
      // Batch 2 came before entry 9's deadline: the exodus is due a delay after that deadline.
      const dueAt = (await f.bridge.queueDeadline(9)) + DAY;
      expect((await f.rollup.batches(2)).submittedAt).to.be.lessThan(await f.bridge.queueDeadline(9));
      expect(await f.rollup.exodusDueAt(9)).to.equal(dueAt);
      await time.setNextBlockTimestamp(dueAt);
      await expect(f.rollup.activateExodus(9)).to.be.revertedWithCustomError(f.rollup, "ExodusNotDue").withArgs(9, dueAt);
      expect(await f.rollup.exodus()).to.equal(false);
    });

    it("activateExodus_due_keepsFinalBatchesRemovesTheRestOnce", async () => {
      const f = await networkHelpers.loadFixture(beforeExodus);
      await time.setNextBlockTimestamp((await f.rollup.exodusDueAt(9)) + 1n);
      const tx = f.rollup.connect(f.relayer).activateExodus(9);
      await expect(tx).to.emit(f.rollup, "BatchesInvalidated").withArgs(2, 1);
      await expect(tx).to.emit(f.rollup, "ExodusActivated").withArgs(9, 2, f.finalState.stateRoot, 7);
      console.log(`      activateExodus (2 final batches kept, 1 removed): ${(await (await tx).wait())!.gasUsed} gas`);
      expect(await f.rollup.exodus()).to.equal(true);
      expect(await f.rollup.batchCount()).to.equal(2n);
      expect(await f.rollup.finalizedCount()).to.equal(2n);
      expect(await f.rollup.lastStateRoot()).to.equal(f.finalState.stateRoot);
      expect(await f.rollup.lastQueueEnd()).to.equal(7n);
      expect([await f.rollup.isFinal(0), await f.rollup.isFinal(1), await f.rollup.isFinal(2)]).to.deep.equal([true, true, false]);
      await expect(f.rollup.activateExodus(10)).to.be.revertedWithCustomError(f.rollup, "ExodusActive");
    });
  });

  describe("in exodus", () => {
    it("inExodus_batchesAndQueueEntries_revertExodusActive", async () => {
      const f = await networkHelpers.loadFixture(inExodus);
      const rollup = f.rollup.connect(f.proposer);
      await expect(rollup.submitBatch(submission({ queueEnd: 7n }), "0x")).to.be.revertedWithCustomError(rollup, "ExodusActive");
      await expect(rollup.submitBlobBatch(submission({ queueEnd: 7n }), 0, 1)).to.be.revertedWithCustomError(rollup, "ExodusActive");
      const zk = { queueEnd: 7n, postStateRoot: 1n, withdrawalsRoot: 2n, feeRecipient: f.dave.address, feeTokens: [ETH, NO_TOKEN, NO_TOKEN, NO_TOKEN] };
      await expect(rollup.submitZkBatch(zk, "0x", 1n, Array<bigint>(8).fill(0n))).to.be.revertedWithCustomError(rollup, "ExodusActive");
      const bridge = f.bridge.connect(f.alice.signer);
      await expect(bridge.createAccount(ETH, 1n, f.alice.x, f.alice.y, { value: 1n + QUEUE_FEE })).to.be.revertedWithCustomError(bridge, "ExodusActive");
      await expect(bridge.deposit(2, ETH, 1n, { value: 1n + QUEUE_FEE })).to.be.revertedWithCustomError(bridge, "ExodusActive");
      await expect(bridge.forcedExit(2, { value: QUEUE_FEE })).to.be.revertedWithCustomError(bridge, "ExodusActive");
      expect(await f.bridge.queueLength()).to.equal(11n);
    });

    it("inExodus_challenges_refused", async () => {
      const f = await networkHelpers.loadFixture(inExodus);
      // Kept batches are past their window; removed ones are gone. (A kept ZK batch inside its
      // window is refused with ExodusActive: zk-settlement.test.ts.)
      await expect(f.game.connect(f.watcher).challenge(1, f.headers[1], { value: CHALLENGE_BOND }))
        .to.be.revertedWithCustomError(f.game, "ChallengeWindowClosed")
        .withArgs(1, await f.rollup.finalizableAt(1));
      await expect(f.game.connect(f.watcher).challenge(2, f.headers[2], { value: CHALLENGE_BOND }))
        .to.be.revertedWithCustomError(f.game, "BatchNotFound")
        .withArgs(2, 2);
    });

    it("inExodus_gameOnRemovedBatch_onlyDismissedWithItsBond", async () => {
      const f = await networkHelpers.loadFixture(inExodus);
      await time.increase(2n * DAY);
      await expect(f.game.timeout(f.gameId)).to.be.revertedWithCustomError(f.game, "GameBatchInvalidated").withArgs(f.gameId, 2);
      await expect(f.game.dismiss(f.gameId)).to.emit(f.game, "GameResolved").withArgs(f.gameId, ethers.ZeroAddress, GameEndReason.BatchInvalidated, CHALLENGE_BOND);
      await expect(f.game.connect(f.watcher).claimCredit()).to.changeEtherBalances(ethers, [f.watcher, f.game], [CHALLENGE_BOND, -CHALLENGE_BOND]);
      expect(await f.rollup.bonds(f.proposer.address)).to.equal(MIN_BOND);
    });

    it("claimWithdrawal_inExodus_finalBatchesPayRemovedBatchDoesNot", async () => {
      const f = await networkHelpers.loadFixture(inExodus);
      const bobWithdrawal = f.batches[0].result.withdrawals.find((w) => w.ethAddr === f.bob.address)!;
      const tree0 = buildWithdrawalTree(f.batches[0].result.withdrawals);
      await expect(f.bridge.connect(f.relayer).claimWithdrawal(0, bobWithdrawal.position, f.bob.address, ETH, ETHER, tree0.proof(bobWithdrawal.position))).to.changeEtherBalances(
        ethers,
        [f.bob.signer, f.bridge],
        [ETHER, -ETHER],
      );
      const aliceWithdrawal = f.batches[2].result.withdrawals.find((w) => w.ethAddr === f.alice.address)!;
      const tree2 = buildWithdrawalTree(f.batches[2].result.withdrawals);
      await expect(f.bridge.claimWithdrawal(2, aliceWithdrawal.position, f.alice.address, ETH, ETHER, tree2.proof(aliceWithdrawal.position)))
        .to.be.revertedWithCustomError(f.bridge, "BatchNotFinal")
        .withArgs(2);
    });
  });

  describe("exodusWithdraw", () => {
    it("exodusWithdraw_notInExodus_revertsExodusNotActive", async () => {
      const f = await networkHelpers.loadFixture(beforeExodus);
      await expect(f.bridge.connect(f.alice.signer).exodusWithdraw(...exitArgs(f.finalState, 2))).to.be.revertedWithCustomError(f.bridge, "ExodusNotActive");
    });

    it("exodusWithdraw_ethAccount_paysTheFinalBalanceOnce", async () => {
      const f = await networkHelpers.loadFixture(inExodus);
      const balance = f.finalState.account(2)!.balance;
      expect(balance).to.equal(10n * ETHER + ETHER - 2n * ETHER - 10n ** 16n + ETHER / 2n);
      const tx = f.bridge.connect(f.alice.signer).exodusWithdraw(...exitArgs(f.finalState, 2));
      await expect(tx).to.emit(f.bridge, "ExodusWithdrawal").withArgs(2, f.alice.signer, ETH, balance);
      await expect(tx).to.changeEtherBalances(ethers, [f.alice.signer, f.bridge], [balance, -balance]);
      console.log(`      exodusWithdraw at levels ${LEVELS}: ${(await (await tx).wait())!.gasUsed} gas`);
      expect(await f.bridge.isExited(2)).to.equal(true);
      await expect(f.bridge.connect(f.alice.signer).exodusWithdraw(...exitArgs(f.finalState, 2)))
        .to.be.revertedWithCustomError(f.bridge, "AccountAlreadyExited")
        .withArgs(2);
    });

    it("exodusWithdraw_erc20Account_paysTheFinalBalance", async () => {
      const f = await networkHelpers.loadFixture(inExodus);
      const balance = f.finalState.account(4)!.balance;
      expect(balance).to.equal(1000n - 100n - 1n + 50n);
      const tx = f.bridge.connect(f.carol.signer).exodusWithdraw(...exitArgs(f.finalState, 4));
      await expect(tx).to.emit(f.bridge, "ExodusWithdrawal").withArgs(4, f.carol.signer, TOKEN, balance);
      await expect(tx).to.changeTokenBalances(ethers, f.token, [f.carol.signer, f.bridge], [balance, -balance]);
    });

    it("exodusWithdraw_stateOfRemovedBatch_revertsExodusStateRootMismatch", async () => {
      const f = await networkHelpers.loadFixture(inExodus);
      // Batch 2 credited alice's 3 ETH deposit: its state was never final.
      expect(f.removedState.account(2)!.balance).to.be.greaterThan(f.finalState.account(2)!.balance);
      await expect(f.bridge.connect(f.alice.signer).exodusWithdraw(...exitArgs(f.removedState, 2)))
        .to.be.revertedWithCustomError(f.bridge, "ExodusStateRootMismatch")
        .withArgs(f.removedState.stateRoot, f.finalState.stateRoot);
    });

    it("exodusWithdraw_wrongSenderEmptyAccountOrBadProof_reverts", async () => {
      const f = await networkHelpers.loadFixture(inExodus);
      const [idx, account, root, next, siblings] = exitArgs(f.finalState, 3);
      await expect(f.bridge.connect(f.alice.signer).exodusWithdraw(idx, account, root, next, siblings))
        .to.be.revertedWithCustomError(f.bridge, "NotAccountOwner")
        .withArgs(3, f.alice.signer, f.bob.signer);
      // erin's account (index 5) was created empty.
      await expect(f.bridge.connect(f.erin.signer).exodusWithdraw(...exitArgs(f.finalState, 5)))
        .to.be.revertedWithCustomError(f.bridge, "NothingToWithdraw")
        .withArgs(5);
      const inflated = { ...account, balance: account.balance + 1n };
      const computed = computeMerkleRoot(
        3,
        accountLeaf({ tokenId: inflated.tokenId, nonce: inflated.nonce, balance: inflated.balance, Ax: inflated.ax, Ay: inflated.ay, ethAddr: inflated.ethAddr }),
        siblings,
      );
      await expect(f.bridge.connect(f.bob.signer).exodusWithdraw(idx, inflated, root, next, siblings))
        .to.be.revertedWithCustomError(f.bridge, "InvalidAccountProof")
        .withArgs(3, root, computed);
      await expect(f.bridge.connect(f.bob.signer).exodusWithdraw(idx, account, root, next, siblings.slice(1)))
        .to.be.revertedWithCustomError(f.bridge, "AccountProofLength")
        .withArgs(3, LEVELS, LEVELS - 1);
      expect(poseidon2(root, next)).to.equal(await f.rollup.lastStateRoot());
      await expect(f.bridge.connect(f.bob.signer).exodusWithdraw(idx, account, root, next, siblings)).to.emit(f.bridge, "ExodusWithdrawal");
    });
  });

  describe("refundDeposit", () => {
    it("refundDeposit_notInExodus_revertsExodusNotActive", async () => {
      const f = await networkHelpers.loadFixture(beforeExodus);
      await expect(f.bridge.refundDeposit(10, entryArg(f.entries[10]!))).to.be.revertedWithCustomError(f.bridge, "ExodusNotActive");
    });

    it("refundDeposit_unconsumedEthDeposit_paysSenderExactlyOnce", async () => {
      const f = await networkHelpers.loadFixture(inExodus);
      const entry = f.entries[10]!;
      const tx = f.bridge.connect(f.relayer).refundDeposit(10, entryArg(entry));
      await expect(tx).to.emit(f.bridge, "DepositRefunded").withArgs(10, f.frank.signer, ETH, 4n * ETHER);
      await expect(tx).to.changeEtherBalances(ethers, [f.frank.signer, f.bridge, f.relayer], [4n * ETHER, -4n * ETHER, 0n]);
      console.log(`      refundDeposit: ${(await (await tx).wait())!.gasUsed} gas`);
      expect(await f.bridge.isRefunded(10)).to.equal(true);
      await expect(f.bridge.refundDeposit(10, entryArg(entry))).to.be.revertedWithCustomError(f.bridge, "DepositAlreadyRefunded").withArgs(10);
    });

    it("refundDeposit_depositOfRemovedBatch_refundedInErc20", async () => {
      const f = await networkHelpers.loadFixture(inExodus);
      // Entry 8 was consumed by batch 2, which the exodus removed: it is refunded.
      await expect(f.bridge.refundDeposit(8, entryArg(f.entries[8]!))).to.changeTokenBalances(ethers, f.token, [f.carol.signer, f.bridge], [20n, -20n]);
    });

    it("refundDeposit_consumedMismatchedOrForcedExit_reverts", async () => {
      const f = await networkHelpers.loadFixture(inExodus);
      await expect(f.bridge.refundDeposit(11, entryArg(f.entries[10]!))).to.be.revertedWithCustomError(f.bridge, "QueueIndexOutOfRange").withArgs(11, 11);
      await expect(f.bridge.refundDeposit(3, entryArg(f.entries[3]!))).to.be.revertedWithCustomError(f.bridge, "QueueEntryConsumed").withArgs(3, 7);
      const inflated = { ...f.entries[7]!, amount: f.entries[7]!.amount + 1n };
      await expect(f.bridge.refundDeposit(7, entryArg(inflated)))
        .to.be.revertedWithCustomError(f.bridge, "QueueEntryMismatch")
        .withArgs(7, await f.bridge.queueHash(8), nextQueueHash(await f.bridge.queueHash(7), inflated));
      const otherSender = { ...f.entries[7]!, l1Address: f.relayer.address.toLowerCase() as Address };
      await expect(f.bridge.refundDeposit(7, entryArg(otherSender)))
        .to.be.revertedWithCustomError(f.bridge, "QueueEntryMismatch")
        .withArgs(7, await f.bridge.queueHash(8), nextQueueHash(await f.bridge.queueHash(7), otherSender));
      await expect(f.bridge.refundDeposit(9, entryArg(f.entries[9]!))).to.be.revertedWithCustomError(f.bridge, "NothingToRefund").withArgs(9);
    });
  });

  it("exodus_everyAccountExitsEveryDepositRefundedEveryWithdrawalClaimed_bridgeHoldsOnlyTheQueueFees", async () => {
    const f = await networkHelpers.loadFixture(inExodus);
    const bridgeAddress = await f.bridge.getAddress();
    expect(await f.bridge.totalLocked(ETH)).to.equal(25n * ETHER);
    expect(await f.bridge.totalLocked(TOKEN)).to.equal(1070n);
    const owners = new Map([2, 3, 4].map((idx) => [idx, [f.alice, f.bob, f.carol][idx - 2]!.signer]));
    for (const [idx, signer] of owners) await (await f.bridge.connect(signer).exodusWithdraw(...exitArgs(f.finalState, idx))).wait();
    for (let index = 7; index < f.entries.length; index++) {
      const entry = f.entries[index]!;
      if (entry.kind !== 3 && entry.amount > 0n) await (await f.bridge.refundDeposit(index, entryArg(entry))).wait();
    }
    await claimAll(f, 0, f.batches[0].result);
    await claimAll(f, 1, f.batches[1].result);
    expect(await f.bridge.totalLocked(ETH)).to.equal(0n);
    expect(await f.bridge.totalLocked(TOKEN)).to.equal(0n);
    const fees = await f.bridge.queueFeesHeld();
    expect(fees).to.equal(11n * QUEUE_FEE);
    expect(await ethers.provider.getBalance(bridgeAddress)).to.equal(fees);
    expect(await f.token.balanceOf(bridgeAddress)).to.equal(0n);
    await f.bridge.collectQueueFees();
    expect(await ethers.provider.getBalance(bridgeAddress)).to.equal(0n);
  });
});
