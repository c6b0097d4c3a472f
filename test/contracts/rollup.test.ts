import { expect } from "chai";
import { network } from "hardhat";
import { keccak_256 } from "@noble/hashes/sha3.js";
import {
  type Address,
  type Withdrawal,
  L2State,
  MAX_BATCH_OPS,
  buildWithdrawalTree,
  domainSeparator,
  publicKeyOf,
  resolveParams,
} from "../../core/index.js";
import { anyValue } from "@nomicfoundation/hardhat-ethers-chai-matchers/withArgs";
import { deployRollup } from "../../scripts/lib/deploy-rollup.js";
import { type BatchHeader, batchCommitment, calldataDataHash, submission } from "../helpers/batches.js";

const { ethers, networkHelpers } = await network.create();
const { time } = networkHelpers;

const ETH = 0;
const INCLUSION_WINDOW = 24n * 3600n;
const CHALLENGE_WINDOW = 7n * 24n * 3600n;
const MIN_BOND = 10n ** 18n;
const QUEUE_FEE = 10n ** 15n;
const RECORD_SIZE_L2 = 72; // 2·ceil(3·2/8) + 70
const key = publicKeyOf(keccak_256(new TextEncoder().encode("rollup test key")));

async function deployFixture() {
  const deployment = await deployRollup(ethers, { levels: 2 });
  const [deployer, proposer, alice, outsider] = await ethers.getSigners();
  const { rollup } = deployment;
  await rollup.grantRole(await rollup.PROPOSER_ROLE(), proposer!.address);
  await rollup.connect(proposer!).depositBond({ value: MIN_BOND });
  return { ...deployment, deployer: deployer!, proposer: proposer!, alice: alice!, outsider: outsider! };
}

/** The fixture plus two queue entries from alice. */
async function queuedFixture() {
  const base = await deployFixture();
  const { bridge, alice } = base;
  await bridge.connect(alice).createAccount(ETH, 100n, key.x, key.y, { value: 100n + QUEUE_FEE });
  await bridge.connect(alice).deposit(2, ETH, 50n, { value: 50n + QUEUE_FEE });
  return base;
}

function payload(records: number, recordSize = RECORD_SIZE_L2): string {
  return ethers.hexlify(Uint8Array.from({ length: records * recordSize }, (_, i) => (i * 7 + 1) & 0xff));
}

describe("Rollup", () => {
  describe("deployment", () => {
    it("constructor_levels2_genesisStateRootMatchesCore", async () => {
      const { rollup } = await networkHelpers.loadFixture(deployFixture);
      const genesis = L2State.genesis(resolveParams({ levels: 2 })).stateRoot;
      expect(await rollup.genesisStateRoot()).to.equal(genesis);
      expect(await rollup.lastStateRoot()).to.equal(genesis);
      expect(await rollup.recordSize()).to.equal(BigInt(resolveParams({ levels: 2 }).optimisticOpBytes));
      expect(await rollup.levels()).to.equal(2n);
    });

    it("constructor_wiring_bridgeAndRollupReferenceEachOther", async () => {
      const { bridge, rollup, hashers } = await networkHelpers.loadFixture(deployFixture);
      expect(await bridge.rollup()).to.equal(await rollup.getAddress());
      expect(await rollup.bridge()).to.equal(await bridge.getAddress());
      expect(await rollup.poseidonT9()).to.equal(hashers.t9);
      expect(await bridge.inclusionWindow()).to.equal(INCLUSION_WINDOW);
      expect(await rollup.challengeWindow()).to.equal(CHALLENGE_WINDOW);
      expect(await rollup.minBond()).to.equal(MIN_BOND);
    });

    it("domain_matchesCoreDomainSeparator", async () => {
      const { rollup } = await networkHelpers.loadFixture(deployFixture);
      const { chainId } = await ethers.provider.getNetwork();
      const expected = domainSeparator({
        l1ChainId: chainId,
        l2ChainId: 424242,
        rollupAddress: (await rollup.getAddress()) as Address,
      });
      expect(await rollup.domain()).to.equal(expected);
    });

    it("constructor_invalidLevels_reverts", async () => {
      const { config } = await networkHelpers.loadFixture(deployFixture);
      const factory = await ethers.getContractFactory("Rollup");
      for (const levels of [0, 11]) {
        await expect(factory.deploy({ ...config, levels }))
          .to.be.revertedWithCustomError(factory, "InvalidLevels")
          .withArgs(levels);
      }
    });

    it("constructor_bridgeOfOtherRollup_reverts", async () => {
      const { bridge, rollup, config } = await networkHelpers.loadFixture(deployFixture);
      const factory = await ethers.getContractFactory("Rollup");
      await expect(factory.deploy(config))
        .to.be.revertedWithCustomError(factory, "BridgeRollupMismatch")
        .withArgs(await bridge.getAddress(), await rollup.getAddress());
    });
  });

  describe("submitBatch", () => {
    it("submitBatch_first_derivesHeaderFromGenesisAndQueue", async () => {
      const { bridge, rollup, proposer } = await networkHelpers.loadFixture(queuedFixture);
      const s = submission({ queueEnd: 2n });
      const data = payload(3);
      const header: BatchHeader = {
        index: 0n,
        parentCommitment: ethers.ZeroHash,
        dataHash: calldataDataHash(data, RECORD_SIZE_L2),
        queueStart: 0n,
        queueEnd: 2n,
        queueHashEnd: await bridge.queueHash(2),
        preStateRoot: await rollup.genesisStateRoot(),
        postStateRoot: s.postStateRoot,
        withdrawalsRoot: s.withdrawalsRoot,
        stepsRoot: s.stepsRoot,
        stepCount: 2n + 3n + 4n,
        feeRecipient: s.feeRecipient,
        feeTokens: s.feeTokens,
      };
      const commitment = batchCommitment(header);
      const submittedAt = BigInt(await time.latest()) + 1n;
      await time.setNextBlockTimestamp(submittedAt);
      await expect(rollup.connect(proposer).submitBatch(s, data))
        .to.emit(rollup, "BatchSubmitted")
        .withArgs(
          0,
          commitment,
          proposer.address,
          header.preStateRoot,
          s.postStateRoot,
          s.withdrawalsRoot,
          s.stepsRoot,
          header.dataHash,
          0,
          2,
          s.feeRecipient,
          s.feeTokens,
        );
      const stored = await rollup.batches(0);
      expect(stored.commitment).to.equal(commitment);
      expect(stored.postStateRoot).to.equal(s.postStateRoot);
      expect(stored.withdrawalsRoot).to.equal(s.withdrawalsRoot);
      expect(stored.proposer).to.equal(proposer.address);
      expect(stored.submittedAt).to.equal(submittedAt);
      expect(stored.queueEnd).to.equal(2n);
      expect(await rollup.batchCount()).to.equal(1n);
      expect(await rollup.lastQueueEnd()).to.equal(2n);
      expect(await rollup.lastStateRoot()).to.equal(s.postStateRoot);
      expect(await rollup.lastCommitment()).to.equal(commitment);
      expect(await rollup.finalizableAt(0)).to.equal(submittedAt + CHALLENGE_WINDOW);
    });

    it("submitBatch_second_chainsPreStateRootQueueStartAndParent", async () => {
      const { bridge, rollup, proposer, alice } = await networkHelpers.loadFixture(queuedFixture);
      const first = submission({ queueEnd: 1n, postStateRoot: 777n });
      await rollup.connect(proposer).submitBatch(first, "0x");
      const parent = await rollup.lastCommitment();
      await bridge.connect(alice).forcedExit(2, { value: QUEUE_FEE });
      const s = submission({ queueEnd: 3n, postStateRoot: 888n, withdrawalsRoot: 999n });
      const header: BatchHeader = {
        index: 1n,
        parentCommitment: parent,
        dataHash: ethers.ZeroHash,
        queueStart: 1n,
        queueEnd: 3n,
        queueHashEnd: await bridge.queueHash(3),
        preStateRoot: 777n,
        postStateRoot: 888n,
        withdrawalsRoot: 999n,
        stepsRoot: s.stepsRoot,
        stepCount: 2n + 0n + 4n,
        feeRecipient: s.feeRecipient,
        feeTokens: s.feeTokens,
      };
      await expect(rollup.connect(proposer).submitBatch(s, "0x"))
        .to.emit(rollup, "BatchSubmitted")
        .withArgs(1, batchCommitment(header), proposer.address, 777n, 888n, 999n, s.stepsRoot, header.dataHash, 1, 3, s.feeRecipient, s.feeTokens);
      expect((await rollup.batches(1)).commitment).to.equal(batchCommitment(header));
      expect(await rollup.lastQueueEnd()).to.equal(3n);
    });

    it("submitBatch_oneToNineRecords_dataHashIsCoreOpsRoot", async () => {
      const { rollup, proposer } = await networkHelpers.loadFixture(deployFixture);
      for (const records of [1, 2, 3, 4, 5, 7, 8, 9]) {
        const data = payload(records);
        await expect(rollup.connect(proposer).submitBatch(submission(), data), `${records} records`)
          .to.emit(rollup, "BatchSubmitted")
          .withArgs(anyValue, anyValue, proposer.address, anyValue, anyValue, anyValue, anyValue, calldataDataHash(data, RECORD_SIZE_L2), 0, 0, anyValue, anyValue);
      }
      // A single record is its own root; an empty payload commits to zero.
      expect(calldataDataHash(payload(1), RECORD_SIZE_L2)).to.equal(ethers.keccak256(payload(1)));
      await expect(rollup.connect(proposer).submitBatch(submission(), "0x"))
        .to.emit(rollup, "BatchSubmitted")
        .withArgs(8, anyValue, proposer.address, anyValue, anyValue, anyValue, anyValue, ethers.ZeroHash, 0, 0, anyValue, anyValue);
    });

    it("submitBatch_emptyBatch_accepted", async () => {
      const { rollup, proposer } = await networkHelpers.loadFixture(deployFixture);
      await expect(rollup.connect(proposer).submitBatch(submission(), "0x")).to.emit(rollup, "BatchSubmitted");
      expect(await rollup.lastQueueEnd()).to.equal(0n);
    });

    it("submitBatch_payloadNotMultipleOfRecord_reverts", async () => {
      const { rollup, proposer } = await networkHelpers.loadFixture(deployFixture);
      await expect(rollup.connect(proposer).submitBatch(submission(), ethers.hexlify(new Uint8Array(RECORD_SIZE_L2 + 1))))
        .to.be.revertedWithCustomError(rollup, "PayloadLengthNotMultiple")
        .withArgs(RECORD_SIZE_L2 + 1, RECORD_SIZE_L2);
    });

    it("submitBatch_queueEndBeyondQueue_reverts", async () => {
      const { rollup, proposer } = await networkHelpers.loadFixture(queuedFixture);
      await expect(rollup.connect(proposer).submitBatch(submission({ queueEnd: 3n }), "0x"))
        .to.be.revertedWithCustomError(rollup, "QueueEndBeyondQueue")
        .withArgs(3, 2);
    });

    it("submitBatch_queueEndBeforeQueueStart_reverts", async () => {
      const { rollup, proposer } = await networkHelpers.loadFixture(queuedFixture);
      await rollup.connect(proposer).submitBatch(submission({ queueEnd: 2n }), "0x");
      await expect(rollup.connect(proposer).submitBatch(submission({ queueEnd: 1n }), "0x"))
        .to.be.revertedWithCustomError(rollup, "QueueEndBeforeQueueStart")
        .withArgs(1, 2);
    });

    /**
     * Makes the bridge report `length` queue entries by writing the lengths of its two queue
     * arrays (storage slots 5 and 6: `_queueHashes`, `_queueDeadlines`); the real flood of
     * 32,765 entries is in security.test.ts.
     */
    async function fakeQueueLength(bridge: { getAddress(): Promise<string>; queueLength(): Promise<bigint> }, length: number) {
      const address = await bridge.getAddress();
      expect(BigInt(await ethers.provider.getStorage(address, 6))).to.equal(await bridge.queueLength());
      await networkHelpers.setStorageAt(address, 5, length + 1);
      await networkHelpers.setStorageAt(address, 6, length);
      expect(await bridge.queueLength()).to.equal(BigInt(length));
    }

    it("submitBatch_moreThanMaxOps_reverts", async () => {
      const { bridge, rollup, proposer } = await networkHelpers.loadFixture(queuedFixture);
      // A max-size batch of L2 ops does not fit in one transaction (EIP-7623 calldata floor
      // above the 2^24 gas cap), so the queue supplies most of the ops.
      const records = 65;
      const queueEnd = MAX_BATCH_OPS + 1 - records;
      await fakeQueueLength(bridge, queueEnd);
      await expect(rollup.connect(proposer).submitBatch(submission({ queueEnd: BigInt(queueEnd) }), new Uint8Array(records * RECORD_SIZE_L2)))
        .to.be.revertedWithCustomError(rollup, "TooManyBatchOps")
        .withArgs(MAX_BATCH_OPS + 1, MAX_BATCH_OPS);
    });

    it("submitBatch_exactlyMaxOps_accepted", async () => {
      const { bridge, rollup, proposer } = await networkHelpers.loadFixture(queuedFixture);
      const records = 65;
      const queueEnd = MAX_BATCH_OPS - records;
      await fakeQueueLength(bridge, queueEnd);
      await expect(rollup.connect(proposer).submitBatch(submission({ queueEnd: BigInt(queueEnd) }), new Uint8Array(records * RECORD_SIZE_L2)))
        .to.emit(rollup, "BatchSubmitted");
      expect(await rollup.lastQueueEnd()).to.equal(BigInt(queueEnd));
    });

    it("submitBatch_overdueEntryLeftUnconsumed_reverts", async () => {
      const { bridge, rollup, proposer } = await networkHelpers.loadFixture(queuedFixture);
      const deadline = await bridge.queueDeadline(1);
      await time.setNextBlockTimestamp(deadline + 1n);
      await expect(rollup.connect(proposer).submitBatch(submission({ queueEnd: 1n }), "0x"))
        .to.be.revertedWithCustomError(rollup, "QueueEntryOverdue")
        .withArgs(1, deadline);
    });

    it("submitBatch_overdueEntryConsumed_accepted", async () => {
      const { bridge, rollup, proposer } = await networkHelpers.loadFixture(queuedFixture);
      await time.increase(INCLUSION_WINDOW + 10n);
      expect(await bridge.queueDeadline(0)).to.be.lessThan(BigInt(await time.latest()));
      await expect(rollup.connect(proposer).submitBatch(submission({ queueEnd: 2n }), "0x")).to.emit(rollup, "BatchSubmitted");
    });

    it("submitBatch_atDeadline_accepted", async () => {
      const { bridge, rollup, proposer } = await networkHelpers.loadFixture(queuedFixture);
      await time.setNextBlockTimestamp(await bridge.queueDeadline(0));
      await expect(rollup.connect(proposer).submitBatch(submission({ queueEnd: 0n }), "0x")).to.emit(rollup, "BatchSubmitted");
    });

    it("submitBatch_withoutRole_reverts", async () => {
      const { rollup, outsider } = await networkHelpers.loadFixture(deployFixture);
      await rollup.connect(outsider).depositBond({ value: MIN_BOND });
      await expect(rollup.connect(outsider).submitBatch(submission(), "0x"))
        .to.be.revertedWithCustomError(rollup, "AccessControlUnauthorizedAccount")
        .withArgs(outsider.address, await rollup.PROPOSER_ROLE());
    });

    it("submitBatch_bondBelowMinimum_reverts", async () => {
      const { rollup, deployer } = await networkHelpers.loadFixture(deployFixture);
      await rollup.grantRole(await rollup.PROPOSER_ROLE(), deployer.address);
      await rollup.depositBond({ value: MIN_BOND - 1n });
      await expect(rollup.submitBatch(submission(), "0x"))
        .to.be.revertedWithCustomError(rollup, "InsufficientBond")
        .withArgs(deployer.address, MIN_BOND - 1n, MIN_BOND);
    });
  });

  describe("bonds", () => {
    it("depositBond_adds_emitsTotal", async () => {
      const { rollup, proposer } = await networkHelpers.loadFixture(deployFixture);
      await expect(rollup.connect(proposer).depositBond({ value: 5n }))
        .to.emit(rollup, "BondDeposited")
        .withArgs(proposer.address, 5n, MIN_BOND + 5n);
      expect(await rollup.bonds(proposer.address)).to.equal(MIN_BOND + 5n);
    });

    it("withdrawBond_noBatches_paysBack", async () => {
      const { rollup, proposer } = await networkHelpers.loadFixture(deployFixture);
      const tx = rollup.connect(proposer).withdrawBond(MIN_BOND);
      await expect(tx).to.emit(rollup, "BondWithdrawn").withArgs(proposer.address, MIN_BOND, 0n);
      await expect(tx).to.changeEtherBalances(ethers, [rollup], [-MIN_BOND]);
      expect(await rollup.bonds(proposer.address)).to.equal(0n);
    });

    it("withdrawBond_unfinalizedBatch_reverts", async () => {
      const { rollup, proposer } = await networkHelpers.loadFixture(deployFixture);
      await rollup.connect(proposer).submitBatch(submission(), "0x");
      await rollup.connect(proposer).submitBatch(submission(), "0x");
      await expect(rollup.connect(proposer).withdrawBond(1n))
        .to.be.revertedWithCustomError(rollup, "BondLocked")
        .withArgs(proposer.address, 1);
    });

    it("withdrawBond_afterWindow_paysBack", async () => {
      const { rollup, proposer } = await networkHelpers.loadFixture(deployFixture);
      await rollup.connect(proposer).submitBatch(submission(), "0x");
      await time.increase(CHALLENGE_WINDOW);
      await expect(rollup.connect(proposer).withdrawBond(MIN_BOND)).to.changeEtherBalances(ethers, [rollup], [-MIN_BOND]);
    });

    it("withdrawBond_moreThanBond_reverts", async () => {
      const { rollup, proposer } = await networkHelpers.loadFixture(deployFixture);
      await expect(rollup.connect(proposer).withdrawBond(MIN_BOND + 1n))
        .to.be.revertedWithCustomError(rollup, "BondWithdrawalExceedsBalance")
        .withArgs(proposer.address, MIN_BOND, MIN_BOND + 1n);
    });
  });

  describe("finality", () => {
    async function twoBatchesFixture() {
      const base = await deployFixture();
      await base.rollup.connect(base.proposer).submitBatch(submission(), "0x");
      await time.increase(100n);
      await base.rollup.connect(base.proposer).submitBatch(submission(), "0x");
      return base;
    }

    it("isFinal_beforeWindow_false", async () => {
      const { rollup } = await networkHelpers.loadFixture(twoBatchesFixture);
      expect(await rollup.isFinal(0)).to.equal(false);
      expect(await rollup.isFinal(2)).to.equal(false);
    });

    it("isFinal_afterOwnWindow_trueForItAndEarlier", async () => {
      const { rollup } = await networkHelpers.loadFixture(twoBatchesFixture);
      await time.increaseTo(await rollup.finalizableAt(0));
      expect(await rollup.isFinal(0)).to.equal(true);
      expect(await rollup.isFinal(1)).to.equal(false);
      await time.increaseTo(await rollup.finalizableAt(1));
      expect(await rollup.isFinal(1)).to.equal(true);
      expect(await rollup.isFinal(2)).to.equal(false);
    });

    it("finalize_beforeWindow_reverts", async () => {
      const { rollup } = await networkHelpers.loadFixture(twoBatchesFixture);
      await expect(rollup.finalizeUpTo(0))
        .to.be.revertedWithCustomError(rollup, "ChallengeWindowOpen")
        .withArgs(0, await rollup.finalizableAt(0));
    });

    it("finalize_afterWindow_recordsAndEmitsEach", async () => {
      const { rollup } = await networkHelpers.loadFixture(twoBatchesFixture);
      await time.increaseTo(await rollup.finalizableAt(1));
      await expect(rollup.finalizeUpTo(1))
        .to.emit(rollup, "BatchFinalized")
        .withArgs(0)
        .and.to.emit(rollup, "BatchFinalized")
        .withArgs(1);
      expect(await rollup.finalizedCount()).to.equal(2n);
    });

    it("finalize_twice_reverts", async () => {
      const { rollup } = await networkHelpers.loadFixture(twoBatchesFixture);
      await time.increaseTo(await rollup.finalizableAt(1));
      await rollup.finalizeUpTo(1);
      await expect(rollup.finalizeUpTo(0))
        .to.be.revertedWithCustomError(rollup, "BatchAlreadyFinalized")
        .withArgs(0, 2);
    });

    it("finalize_unknownBatch_reverts", async () => {
      const { rollup } = await networkHelpers.loadFixture(twoBatchesFixture);
      await expect(rollup.finalizeUpTo(2))
        .to.be.revertedWithCustomError(rollup, "BatchNotFound")
        .withArgs(2, 2);
      await expect(rollup.withdrawalsRootOf(2))
        .to.be.revertedWithCustomError(rollup, "BatchNotFound")
        .withArgs(2, 2);
    });
  });

  describe("levels 8", () => {
    it("endToEnd_levels8_genesisRecordSizeAndClaim", async () => {
      const { bridge, rollup } = await deployRollup(ethers, {});
      const [deployer, alice, relayer] = await ethers.getSigners();
      const params = resolveParams({ levels: 8 });
      expect(await rollup.genesisStateRoot()).to.equal(L2State.genesis(params).stateRoot);
      expect(await rollup.recordSize()).to.equal(76n);

      const gas: Record<string, bigint> = {};
      const amount = ethers.parseEther("1");
      let receipt = await (await bridge.connect(alice!).createAccount(ETH, amount, key.x, key.y, { value: amount + QUEUE_FEE })).wait();
      gas.createAccount = receipt!.gasUsed;
      receipt = await (await bridge.connect(alice!).deposit(2, ETH, amount, { value: amount + QUEUE_FEE })).wait();
      gas.deposit = receipt!.gasUsed;

      await rollup.grantRole(await rollup.PROPOSER_ROLE(), deployer!.address);
      await rollup.depositBond({ value: MIN_BOND });
      const withdrawals: Withdrawal[] = [{ position: 2 + 5, ethAddr: alice!.address as Address, tokenId: ETH, amount: 3n * 10n ** 17n }];
      const tree = buildWithdrawalTree(withdrawals);
      const data = payload(10, 76);
      receipt = await (await rollup.submitBatch(submission({ queueEnd: 2n, withdrawalsRoot: tree.root }), data)).wait();
      gas.submitBatch10Ops = receipt!.gasUsed;

      await time.increase(CHALLENGE_WINDOW);
      const w = withdrawals[0]!;
      const claim = await bridge.connect(relayer!).claimWithdrawal(0, w.position, w.ethAddr, w.tokenId, w.amount, tree.proof(w.position));
      await expect(claim).to.changeEtherBalance(ethers, alice!, w.amount);
      gas.claimWithdrawal = (await claim.wait())!.gasUsed;
      if (process.env.REPORT_GAS) console.log("gas", gas);
    });
  });
});
