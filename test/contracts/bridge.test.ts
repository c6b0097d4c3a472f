import { expect } from "chai";
import { network } from "hardhat";
import { keccak_256 } from "@noble/hashes/sha3.js";
import {
  type Address,
  type QueueEntry,
  type Withdrawal,
  QueueKind,
  FIELD_MODULUS,
  MAX_BALANCE,
  buildWithdrawalTree,
  feePayoutPosition,
  nextQueueHash,
  publicKeyOf,
} from "../../core/index.js";
import { type TestERC20Contract, type TypedContract, deployRollup } from "../../scripts/lib/deploy-rollup.js";
import { submission } from "../helpers/batches.js";

const { ethers, networkHelpers } = await network.create();
const { time } = networkHelpers;

const ETH = 0;
const TOKEN = 1;
const INCLUSION_WINDOW = 24n * 3600n;
const CHALLENGE_WINDOW = 7n * 24n * 3600n;
const QUEUE_FEE = 10n ** 15n;
const key = publicKeyOf(keccak_256(new TextEncoder().encode("bridge test key")));

async function deployFixture() {
  const deployment = await deployRollup(ethers, { levels: 2 });
  const [deployer, alice, bob, relayer] = await ethers.getSigners();
  const { bridge, rollup, token } = deployment;
  await bridge.registerToken(await token.getAddress());
  await token.mint(alice!.address, 10n ** 24n);
  await token.connect(alice!).approve(await bridge.getAddress(), ethers.MaxUint256);
  await rollup.grantRole(await rollup.PROPOSER_ROLE(), deployer!.address);
  await rollup.depositBond({ value: ethers.parseEther("1") });
  return { ...deployment, deployer: deployer!, alice: alice!, bob: bob!, relayer: relayer! };
}

function entry(kind: QueueEntry["kind"], l1Address: string, fields: Partial<QueueEntry> = {}): QueueEntry {
  return { kind, l1Address: l1Address.toLowerCase() as Address, tokenId: 0, accountIdx: 0, amount: 0n, Ax: 0n, Ay: 0n, ...fields };
}

function claimArgs(w: Withdrawal, proof: readonly (readonly bigint[])[], batchIndex = 0) {
  return [batchIndex, w.position, w.ethAddr, w.tokenId, w.amount, proof] as const;
}

async function nextTimestamp(): Promise<bigint> {
  return BigInt(await time.latest()) + 1n;
}

describe("Bridge", () => {
  describe("registerToken", () => {
    it("registerToken_newToken_assignsNextIdAndEmits", async () => {
      const { bridge, token } = await networkHelpers.loadFixture(deployFixture);
      const other = await ethers.deployContract("TestERC20", ["Other", "OTH"]);
      await expect(bridge.registerToken(await other.getAddress()))
        .to.emit(bridge, "TokenRegistered")
        .withArgs(2, await other.getAddress());
      expect(await bridge.tokenCount()).to.equal(3n);
      expect(await bridge.tokenAddress(TOKEN)).to.equal(await token.getAddress());
      expect(await bridge.tokenIdOf(await other.getAddress())).to.deep.equal([true, 2n]);
      expect(await bridge.tokenIdOf(ethers.ZeroAddress)).to.deep.equal([false, 0n]);
    });

    it("registerToken_twice_reverts", async () => {
      const { bridge, token } = await networkHelpers.loadFixture(deployFixture);
      await expect(bridge.registerToken(await token.getAddress()))
        .to.be.revertedWithCustomError(bridge, "TokenAlreadyRegistered")
        .withArgs(await token.getAddress(), TOKEN);
    });

    it("registerToken_accountWithoutCode_reverts", async () => {
      const { bridge, alice } = await networkHelpers.loadFixture(deployFixture);
      await expect(bridge.registerToken(alice.address))
        .to.be.revertedWithCustomError(bridge, "TokenNotContract")
        .withArgs(alice.address);
    });
  });

  describe("queue", () => {
    it("queue_initially_emptyWithZeroHash", async () => {
      const { bridge } = await networkHelpers.loadFixture(deployFixture);
      expect(await bridge.queueLength()).to.equal(0n);
      expect(await bridge.queueHash(0)).to.equal(0n);
    });

    it("createAccount_eth_enqueuesEntryWithCoreHashAndTakesValue", async () => {
      const { bridge, alice } = await networkHelpers.loadFixture(deployFixture);
      const amount = ethers.parseEther("2");
      const expected = entry(QueueKind.CreateAccount, alice.address, { amount, Ax: key.x, Ay: key.y });
      const hash = nextQueueHash(0n, expected);
      const deadline = (await nextTimestamp()) + INCLUSION_WINDOW;
      await time.setNextBlockTimestamp(deadline - INCLUSION_WINDOW);
      const tx = bridge.connect(alice).createAccount(ETH, amount, key.x, key.y, { value: amount + QUEUE_FEE });
      await expect(tx)
        .to.emit(bridge, "QueueEntryAdded")
        .withArgs(0, QueueKind.CreateAccount, alice.address, ETH, 0, amount, key.x, key.y, hash, deadline);
      await expect(tx).to.changeEtherBalances(ethers, [alice, bridge], [-(amount + QUEUE_FEE), amount + QUEUE_FEE]);
      expect(await bridge.queueLength()).to.equal(1n);
      expect(await bridge.queueHash(1)).to.equal(hash);
      expect(await bridge.queueDeadline(0)).to.equal(deadline);
      expect(await bridge.totalLocked(ETH)).to.equal(amount);
      expect(await bridge.queueFeesHeld()).to.equal(QUEUE_FEE);
    });

    it("createAccount_zeroAmount_enqueuesPayingOnlyTheQueueFee", async () => {
      const { bridge, alice } = await networkHelpers.loadFixture(deployFixture);
      await expect(bridge.connect(alice).createAccount(TOKEN, 0, key.x, key.y, { value: QUEUE_FEE })).to.changeEtherBalances(
        ethers,
        [alice, bridge],
        [-QUEUE_FEE, QUEUE_FEE],
      );
      const expected = entry(QueueKind.CreateAccount, alice.address, { tokenId: TOKEN, Ax: key.x, Ay: key.y });
      expect(await bridge.queueHash(1)).to.equal(nextQueueHash(0n, expected));
      expect(await bridge.totalLocked(TOKEN)).to.equal(0n);
    });

    it("deposit_erc20_movesExactBalancesAndChainsHash", async () => {
      const { bridge, token, alice } = await networkHelpers.loadFixture(deployFixture);
      await bridge.connect(alice).createAccount(TOKEN, 500n, key.x, key.y, { value: QUEUE_FEE });
      const first = nextQueueHash(0n, entry(QueueKind.CreateAccount, alice.address, { tokenId: TOKEN, amount: 500n, Ax: key.x, Ay: key.y }));
      const amount = 12_345n;
      const second = nextQueueHash(first, entry(QueueKind.Deposit, alice.address, { tokenId: TOKEN, accountIdx: 2, amount }));
      const deadline = (await nextTimestamp()) + INCLUSION_WINDOW;
      const tx = bridge.connect(alice).deposit(2, TOKEN, amount, { value: QUEUE_FEE });
      await expect(tx)
        .to.emit(bridge, "QueueEntryAdded")
        .withArgs(1, QueueKind.Deposit, alice.address, TOKEN, 2, amount, 0, 0, second, deadline);
      await expect(tx).to.changeTokenBalances(ethers, token, [alice, bridge], [-amount, amount]);
      await expect(tx).to.changeEtherBalances(ethers, [alice, bridge], [-QUEUE_FEE, QUEUE_FEE]);
      expect(await bridge.queueHash(2)).to.equal(second);
      expect(await bridge.totalLocked(TOKEN)).to.equal(500n + amount);
      expect(await bridge.queueFeesHeld()).to.equal(2n * QUEUE_FEE);
    });

    it("forcedExit_enqueuesZeroAmountEntry", async () => {
      const { bridge, alice, bob } = await networkHelpers.loadFixture(deployFixture);
      await bridge.connect(alice).deposit(7, ETH, 5n, { value: 5n + QUEUE_FEE });
      const first = nextQueueHash(0n, entry(QueueKind.Deposit, alice.address, { accountIdx: 7, amount: 5n }));
      const second = nextQueueHash(first, entry(QueueKind.ForcedExit, bob.address, { accountIdx: 7 }));
      const deadline = (await nextTimestamp()) + INCLUSION_WINDOW;
      const tx = bridge.connect(bob).forcedExit(7, { value: QUEUE_FEE });
      await expect(tx)
        .to.emit(bridge, "QueueEntryAdded")
        .withArgs(1, QueueKind.ForcedExit, bob.address, 0, 7, 0, 0, 0, second, deadline);
      await expect(tx).to.changeEtherBalances(ethers, [bob, bridge], [-QUEUE_FEE, QUEUE_FEE]);
      expect(await bridge.queueHash(2)).to.equal(second);
      expect(await bridge.queueFeesHeld()).to.equal(2n * QUEUE_FEE);
    });

    it("createAccount_keyNotOnCurve_reverts", async () => {
      const { bridge, alice } = await networkHelpers.loadFixture(deployFixture);
      await expect(bridge.connect(alice).createAccount(ETH, 0, key.x, key.y + 1n))
        .to.be.revertedWithCustomError(bridge, "PublicKeyNotOnCurve")
        .withArgs(key.x, key.y + 1n);
    });

    it("createAccount_nonCanonicalCoordinate_reverts", async () => {
      const { bridge, alice } = await networkHelpers.loadFixture(deployFixture);
      await expect(bridge.connect(alice).createAccount(ETH, 0, key.x + FIELD_MODULUS, key.y))
        .to.be.revertedWithCustomError(bridge, "PublicKeyNotOnCurve")
        .withArgs(key.x + FIELD_MODULUS, key.y);
    });

    it("deposit_unknownToken_reverts", async () => {
      const { bridge, alice } = await networkHelpers.loadFixture(deployFixture);
      await expect(bridge.connect(alice).deposit(2, 5, 1n))
        .to.be.revertedWithCustomError(bridge, "UnknownToken")
        .withArgs(5);
    });

    it("deposit_ethWithWrongValue_reverts", async () => {
      const { bridge, alice } = await networkHelpers.loadFixture(deployFixture);
      await expect(bridge.connect(alice).deposit(2, ETH, 100n, { value: 100n }))
        .to.be.revertedWithCustomError(bridge, "IncorrectEthValue")
        .withArgs(100n, 100n + QUEUE_FEE);
    });

    it("deposit_erc20WithValue_reverts", async () => {
      const { bridge, alice } = await networkHelpers.loadFixture(deployFixture);
      await expect(bridge.connect(alice).deposit(2, TOKEN, 100n, { value: QUEUE_FEE + 1n }))
        .to.be.revertedWithCustomError(bridge, "IncorrectEthValue")
        .withArgs(QUEUE_FEE + 1n, QUEUE_FEE);
    });

    it("deposit_erc20AboveCap_reverts", async () => {
      const { bridge, token, alice } = await networkHelpers.loadFixture(deployFixture);
      await token.mint(alice.address, MAX_BALANCE);
      await bridge.connect(alice).deposit(2, TOKEN, 10n, { value: QUEUE_FEE });
      const tooMuch = MAX_BALANCE - 9n;
      await expect(bridge.connect(alice).deposit(2, TOKEN, tooMuch, { value: QUEUE_FEE }))
        .to.be.revertedWithCustomError(bridge, "LockedAmountExceedsCap")
        .withArgs(TOKEN, 10n, tooMuch);
      await bridge.connect(alice).deposit(2, TOKEN, MAX_BALANCE - 10n, { value: QUEUE_FEE });
      expect(await bridge.totalLocked(TOKEN)).to.equal(MAX_BALANCE);
    });

    it("deposit_ethAboveCap_reverts", async () => {
      const { bridge, alice } = await networkHelpers.loadFixture(deployFixture);
      await networkHelpers.setBalance(alice.address, 2n ** 130n);
      await bridge.connect(alice).deposit(2, ETH, MAX_BALANCE, { value: MAX_BALANCE + QUEUE_FEE });
      await expect(bridge.connect(alice).deposit(2, ETH, 1n, { value: 1n + QUEUE_FEE }))
        .to.be.revertedWithCustomError(bridge, "LockedAmountExceedsCap")
        .withArgs(ETH, MAX_BALANCE, 1n);
    });

    it("deposit_feeOnTransferToken_reverts", async () => {
      const { bridge, alice } = await networkHelpers.loadFixture(deployFixture);
      const feeToken = (await ethers.deployContract("FeeOnTransferERC20")) as unknown as TestERC20Contract;
      await bridge.registerToken(await feeToken.getAddress());
      await feeToken.mint(alice.address, 1000n);
      await feeToken.connect(alice).approve(await bridge.getAddress(), 1000n);
      await expect(bridge.connect(alice).deposit(2, 2, 1000n, { value: QUEUE_FEE }))
        .to.be.revertedWithCustomError(bridge, "TransferAmountMismatch")
        .withArgs(await feeToken.getAddress(), 1000n, 990n);
    });
  });

  describe("queue fee", () => {
    it("queueEntries_withoutQueueFee_revertIncorrectEthValue", async () => {
      const { bridge, alice } = await networkHelpers.loadFixture(deployFixture);
      await expect(bridge.connect(alice).createAccount(ETH, 100n, key.x, key.y, { value: 100n }))
        .to.be.revertedWithCustomError(bridge, "IncorrectEthValue")
        .withArgs(100n, 100n + QUEUE_FEE);
      await expect(bridge.connect(alice).createAccount(TOKEN, 100n, key.x, key.y))
        .to.be.revertedWithCustomError(bridge, "IncorrectEthValue")
        .withArgs(0n, QUEUE_FEE);
      await expect(bridge.connect(alice).deposit(2, ETH, 100n, { value: 100n + QUEUE_FEE - 1n }))
        .to.be.revertedWithCustomError(bridge, "IncorrectEthValue")
        .withArgs(100n + QUEUE_FEE - 1n, 100n + QUEUE_FEE);
      await expect(bridge.connect(alice).deposit(2, TOKEN, 100n))
        .to.be.revertedWithCustomError(bridge, "IncorrectEthValue")
        .withArgs(0n, QUEUE_FEE);
      await expect(bridge.connect(alice).forcedExit(2))
        .to.be.revertedWithCustomError(bridge, "IncorrectEthValue")
        .withArgs(0n, QUEUE_FEE);
      await expect(bridge.connect(alice).forcedExit(2, { value: QUEUE_FEE + 1n }))
        .to.be.revertedWithCustomError(bridge, "IncorrectEthValue")
        .withArgs(QUEUE_FEE + 1n, QUEUE_FEE);
      expect(await bridge.queueLength()).to.equal(0n);
      expect(await bridge.queueFeesHeld()).to.equal(0n);
    });

    it("collectQueueFees_afterThreeEntries_paysCollectorExactlyAndKeepsDeposits", async () => {
      const { bridge, alice, deployer, relayer } = await networkHelpers.loadFixture(deployFixture);
      expect(await bridge.queueFee()).to.equal(QUEUE_FEE);
      expect(await bridge.feeCollector()).to.equal(deployer.address);
      await bridge.connect(alice).createAccount(ETH, 100n, key.x, key.y, { value: 100n + QUEUE_FEE });
      await bridge.connect(alice).deposit(2, TOKEN, 7n, { value: QUEUE_FEE });
      await bridge.connect(alice).forcedExit(2, { value: QUEUE_FEE });
      expect(await bridge.queueFeesHeld()).to.equal(3n * QUEUE_FEE);
      expect(await ethers.provider.getBalance(await bridge.getAddress())).to.equal(100n + 3n * QUEUE_FEE);
      const tx = bridge.connect(relayer).collectQueueFees();
      await expect(tx).to.emit(bridge, "QueueFeesCollected").withArgs(deployer.address, 3n * QUEUE_FEE);
      await expect(tx).to.changeEtherBalances(ethers, [deployer, bridge], [3n * QUEUE_FEE, -3n * QUEUE_FEE]);
      expect(await bridge.queueFeesHeld()).to.equal(0n);
      expect(await ethers.provider.getBalance(await bridge.getAddress())).to.equal(100n);
      expect(await bridge.totalLocked(ETH)).to.equal(100n);
      await expect(bridge.connect(relayer).collectQueueFees()).to.changeEtherBalances(ethers, [deployer, bridge], [0n, 0n]);
    });
  });

  describe("claimWithdrawal", () => {
    /** Funds the bridge, then submits one batch whose withdrawal tree pays alice and bob. */
    async function batchFixture() {
      const base = await deployFixture();
      const { bridge, rollup, alice, bob } = base;
      await bridge.connect(alice).createAccount(ETH, ethers.parseEther("3"), key.x, key.y, { value: ethers.parseEther("3") + QUEUE_FEE });
      await bridge.connect(alice).createAccount(TOKEN, 5000n, key.x, key.y, { value: QUEUE_FEE });
      const withdrawals: Withdrawal[] = [
        { position: 0, ethAddr: alice.address as Address, tokenId: ETH, amount: ethers.parseEther("1") },
        { position: 9, ethAddr: bob.address as Address, tokenId: TOKEN, amount: 1234n },
        { position: feePayoutPosition(3), ethAddr: bob.address as Address, tokenId: ETH, amount: 77n },
      ];
      const tree = buildWithdrawalTree(withdrawals);
      await rollup.submitBatch(submission({ queueEnd: 2n, withdrawalsRoot: tree.root }), "0x");
      return { ...base, withdrawals, tree };
    }


    it("claimWithdrawal_beforeWindow_reverts", async () => {
      const { bridge, relayer, withdrawals, tree } = await networkHelpers.loadFixture(batchFixture);
      const w = withdrawals[0]!;
      await expect(bridge.connect(relayer).claimWithdrawal(...claimArgs(w, tree.proof(w.position))))
        .to.be.revertedWithCustomError(bridge, "BatchNotFinal")
        .withArgs(0);
    });

    it("claimWithdrawal_unknownBatch_reverts", async () => {
      const { bridge, withdrawals, tree } = await networkHelpers.loadFixture(batchFixture);
      const w = withdrawals[0]!;
      await time.increase(CHALLENGE_WINDOW);
      await expect(bridge.claimWithdrawal(...claimArgs(w, tree.proof(w.position), 1)))
        .to.be.revertedWithCustomError(bridge, "BatchNotFinal")
        .withArgs(1);
    });

    it("claimWithdrawal_ethAfterWindow_paysRecipientExactly", async () => {
      const { bridge, alice, relayer, withdrawals, tree } = await networkHelpers.loadFixture(batchFixture);
      const w = withdrawals[0]!;
      await time.increase(CHALLENGE_WINDOW);
      const tx = bridge.connect(relayer).claimWithdrawal(...claimArgs(w, tree.proof(w.position)));
      await expect(tx).to.emit(bridge, "WithdrawalClaimed").withArgs(0, w.position, alice.address, ETH, w.amount);
      await expect(tx).to.changeEtherBalances(ethers, [alice, bridge], [w.amount, -w.amount]);
      expect(await bridge.isClaimed(0, w.position)).to.equal(true);
      expect(await bridge.totalLocked(ETH)).to.equal(ethers.parseEther("2"));
    });

    it("claimWithdrawal_erc20AfterWindow_paysRecipientExactly", async () => {
      const { bridge, token, bob, relayer, withdrawals, tree } = await networkHelpers.loadFixture(batchFixture);
      const w = withdrawals[1]!;
      await time.increase(CHALLENGE_WINDOW);
      const tx = bridge.connect(relayer).claimWithdrawal(...claimArgs(w, tree.proof(w.position)));
      await expect(tx).to.emit(bridge, "WithdrawalClaimed").withArgs(0, w.position, bob.address, TOKEN, 1234n);
      await expect(tx).to.changeTokenBalances(ethers, token, [bob, bridge], [1234n, -1234n]);
      expect(await bridge.totalLocked(TOKEN)).to.equal(5000n - 1234n);
    });

    it("claimWithdrawal_feePayoutPosition_pays", async () => {
      const { bridge, bob, withdrawals, tree } = await networkHelpers.loadFixture(batchFixture);
      const w = withdrawals[2]!;
      await time.increase(CHALLENGE_WINDOW);
      await expect(bridge.claimWithdrawal(...claimArgs(w, tree.proof(w.position)))).to.changeEtherBalance(ethers, bob, 77n);
    });

    it("claimWithdrawal_atWindowEnd_paysWithoutFinalize", async () => {
      const { bridge, rollup, withdrawals, tree } = await networkHelpers.loadFixture(batchFixture);
      const w = withdrawals[0]!;
      const readyAt = await rollup.finalizableAt(0);
      await time.setNextBlockTimestamp(readyAt - 1n);
      await expect(bridge.claimWithdrawal(...claimArgs(w, tree.proof(w.position))))
        .to.be.revertedWithCustomError(bridge, "BatchNotFinal")
        .withArgs(0);
      await time.setNextBlockTimestamp(readyAt);
      await expect(bridge.claimWithdrawal(...claimArgs(w, tree.proof(w.position)))).to.emit(bridge, "WithdrawalClaimed");
      expect(await rollup.finalizedCount()).to.equal(0n);
    });

    it("claimWithdrawal_twice_reverts", async () => {
      const { bridge, withdrawals, tree } = await networkHelpers.loadFixture(batchFixture);
      const w = withdrawals[0]!;
      await time.increase(CHALLENGE_WINDOW);
      await bridge.claimWithdrawal(...claimArgs(w, tree.proof(w.position)));
      await expect(bridge.claimWithdrawal(...claimArgs(w, tree.proof(w.position))))
        .to.be.revertedWithCustomError(bridge, "WithdrawalAlreadyClaimed")
        .withArgs(0, w.position);
    });

    it("claimWithdrawal_tamperedProof_reverts", async () => {
      const { bridge, withdrawals, tree } = await networkHelpers.loadFixture(batchFixture);
      const w = withdrawals[1]!;
      await time.increase(CHALLENGE_WINDOW);
      const proof = tree.proof(w.position).map((level) => level.slice());
      proof[2]![4]! += 1n;
      await expect(bridge.claimWithdrawal(...claimArgs(w, proof)))
        .to.be.revertedWithCustomError(bridge, "InvalidWithdrawalProof")
        .withArgs(0, w.position);
    });

    it("claimWithdrawal_inflatedAmount_reverts", async () => {
      const { bridge, withdrawals, tree } = await networkHelpers.loadFixture(batchFixture);
      const w = withdrawals[0]!;
      await time.increase(CHALLENGE_WINDOW);
      await expect(bridge.claimWithdrawal(...claimArgs({ ...w, amount: w.amount + 1n }, tree.proof(w.position))))
        .to.be.revertedWithCustomError(bridge, "InvalidWithdrawalProof")
        .withArgs(0, w.position);
    });

    it("claimWithdrawal_otherRecipient_reverts", async () => {
      const { bridge, relayer, withdrawals, tree } = await networkHelpers.loadFixture(batchFixture);
      const w = withdrawals[0]!;
      await time.increase(CHALLENGE_WINDOW);
      await expect(bridge.claimWithdrawal(...claimArgs({ ...w, ethAddr: relayer.address as Address }, tree.proof(w.position))))
        .to.be.revertedWithCustomError(bridge, "InvalidWithdrawalProof")
        .withArgs(0, w.position);
    });

    it("claimWithdrawal_recipientReenters_reentryBlocked", async () => {
      const { bridge, rollup, alice } = await networkHelpers.loadFixture(deployFixture);
      const claimer = (await ethers.deployContract("ReentrantClaimer", [
        await bridge.getAddress(),
      ])) as unknown as TypedContract<"arm" | "reentrySucceeded" | "reentryRevertData">;
      const recipient = (await claimer.getAddress()) as Address;
      await bridge.connect(alice).deposit(2, ETH, 100n, { value: 100n + QUEUE_FEE });
      const withdrawals: Withdrawal[] = [
        { position: 0, ethAddr: recipient, tokenId: ETH, amount: 40n },
        { position: 1, ethAddr: recipient, tokenId: ETH, amount: 60n },
      ];
      const tree = buildWithdrawalTree(withdrawals);
      await rollup.submitBatch(submission({ queueEnd: 1n, withdrawalsRoot: tree.root }), "0x");
      await time.increase(CHALLENGE_WINDOW);
      const second = withdrawals[1]!;
      await claimer.arm(bridge.interface.encodeFunctionData("claimWithdrawal", claimArgs(second, tree.proof(1))));
      const first = withdrawals[0]!;
      await expect(bridge.claimWithdrawal(...claimArgs(first, tree.proof(0)))).to.changeEtherBalance(ethers, recipient, 40n);
      expect(await claimer.reentrySucceeded()).to.equal(false);
      expect(await claimer.reentryRevertData()).to.equal(bridge.interface.getError("ReentrancyGuardReentrantCall")!.selector);
      expect(await bridge.isClaimed(0, 1)).to.equal(false);
    });

    it("claimWithdrawal_positionOutOfRange_reverts", async () => {
      const { bridge, withdrawals, tree } = await networkHelpers.loadFixture(batchFixture);
      const w = withdrawals[0]!;
      await time.increase(CHALLENGE_WINDOW);
      await expect(bridge.claimWithdrawal(...claimArgs({ ...w, position: 32768 }, tree.proof(w.position))))
        .to.be.revertedWithCustomError(bridge, "PositionOutOfRange")
        .withArgs(32768);
    });

    it("claimWithdrawal_amountAboveMaxBalance_reverts", async () => {
      const { bridge, withdrawals, tree } = await networkHelpers.loadFixture(batchFixture);
      const w = withdrawals[0]!;
      const amount = w.amount + FIELD_MODULUS;
      await time.increase(CHALLENGE_WINDOW);
      await expect(bridge.claimWithdrawal(...claimArgs({ ...w, amount }, tree.proof(w.position))))
        .to.be.revertedWithCustomError(bridge, "WithdrawalAmountOutOfRange")
        .withArgs(amount);
    });
  });
});
