import { expect } from "chai";
import { network } from "hardhat";
import { type FunctionFragment, type Signer, Wallet } from "ethers";
import {
  type Address,
  type Withdrawal,
  L2State,
  MAX_BATCH_OPS,
  NO_TOKEN,
  QueueKind,
  buildWithdrawalTree,
  feePayoutPosition,
  resolveParams,
} from "../../core/index.js";
import { type BatchHeader, submission } from "../helpers/batches.js";
import { type BuiltBatch, type L2User, buildBatch, createEntry, l2User, signedTransfer, stepProver, submitBuilt } from "../helpers/chain.js";
import { type DeployRollupOptions, type TypedContract, deployRollup } from "../../scripts/lib/deploy-rollup.js";
import { headerOpProof } from "../helpers/one-step.js";
import { ONE_STEP_PROOF_GAS_LIMIT, TX_GAS_CAP, calldataFloor, largestCalldataBatch, queueOnlyBatch } from "../../scripts/lib/largest-batch.js";
import {
  GameEndReason,
  GameStatus,
  agreeingChallenger,
  bisect,
  faultySteps,
  faults,
  honestChallenger,
  honestDefender,
  playGame,
  playMove,
  readGame,
  stallingChallenger,
  stallingDefender,
} from "../helpers/dispute.js";

// Each finding of the security review, played as an attack against the real contracts, and
// seen to fail with the exact custom error and arguments (docs/protocol.md §6, §8, §10).

const { ethers, networkHelpers } = await network.create();
const { time } = networkHelpers;

const LEVELS = 2;
const params = resolveParams({ levels: LEVELS });
const RECORD_SIZE = params.optimisticOpBytes;
const ETH = 0;
const ETHER = 10n ** 18n;
const MIN_BOND = ETHER;
const QUEUE_FEE = 10n ** 15n;
const CHALLENGE_BOND = 10n ** 17n;
const CLOCK = 24n * 3600n;
const FEE_RECIPIENT = "0x000000000000000000000000000000000000fee5" as Address;
const FEE_TOKENS = [ETH, NO_TOKEN, NO_TOKEN, NO_TOKEN];

/**
 * A rollup at levels 2 (with `options`), a proposer with its bond, alice and bob with L2
 * accounts queued (10 and 5 ETH), and batch `first` built on genesis: their two
 * CreateAccounts, a transfer from alice to bob and a withdrawal of bob's.
 */
async function world(options: DeployRollupOptions = {}) {
  const deployment = await deployRollup(ethers, { levels: LEVELS, inclusionWindow: 30n * 24n * 3600n, ...options });
  const [deployer, proposer, aliceSigner, bobSigner, watcher, sybil, keeper] = await ethers.getSigners();
  const { rollup, bridge } = deployment;
  const minBond: bigint = await rollup.minBond();
  await rollup.grantRole(await rollup.PROPOSER_ROLE(), proposer!.address);
  await rollup.connect(proposer!).depositBond({ value: minBond });
  const alice = l2User(aliceSigner!, "security alice");
  const bob = l2User(bobSigner!, "security bob");
  await bridge.connect(alice.signer).createAccount(ETH, 10n * ETHER, alice.x, alice.y, { value: 10n * ETHER + QUEUE_FEE });
  await bridge.connect(bob.signer).createAccount(ETH, 5n * ETHER, bob.x, bob.y, { value: 5n * ETHER + QUEUE_FEE });
  const domain: bigint = await rollup.domain();
  const state = L2State.genesis(resolveParams({ levels: options.levels ?? LEVELS }));
  const first = buildBatch(
    state,
    {
      queueEntries: [createEntry(alice, 10n * ETHER), createEntry(bob, 5n * ETHER)],
      ops: [
        signedTransfer(alice, { fromIdx: 2, toIdx: 3, amount: ETHER, fee: 10n ** 16n }, 0, domain),
        signedTransfer(bob, { fromIdx: 3, toIdx: 1, amount: 2n * ETHER, fee: 10n ** 16n }, 0, domain),
      ],
      feeRecipient: FEE_RECIPIENT,
      feeTokens: FEE_TOKENS,
    },
    domain,
  );
  return {
    ...deployment,
    minBond,
    deployer: deployer!,
    proposer: proposer!,
    alice,
    bob,
    watcher: watcher!,
    sybil: sybil!,
    keeper: keeper!,
    domain,
    first,
    queueEntries: first.batch.queueEntries,
  };
}

type World = Awaited<ReturnType<typeof world>>;

const defaultWorld = () => world();

async function challenge(f: World, header: BatchHeader, who: Signer, bond = CHALLENGE_BOND): Promise<bigint> {
  const gameId: bigint = await f.game.gameCount();
  await (await f.game.connect(who).challenge(header.index, header, { value: bond })).wait();
  return gameId;
}

/** Plays `gameId` with the proposer defending `list` and `who` challenging honestly, to the end. */
async function disprove(f: World, gameId: bigint, header: BatchHeader, built: BuiltBatch, list: BuiltBatch["honest"], who: Signer) {
  return playGame({
    game: f.game,
    gameId,
    header,
    defender: honestDefender(f.proposer, list),
    challenger: honestChallenger(who, built.honest, built.payload, stepProver(built, f.domain)),
    keeper: f.keeper,
    increaseTime: (s) => time.increase(s),
  });
}

/** Plays an honest batch's game to the one-step proof: the proposer reveals, the challenger always agrees. */
async function bisectGame(f: World, gameId: bigint, header: BatchHeader) {
  await bisect(f.game, gameId, header, honestDefender(f.proposer, f.first.honest), agreeingChallenger(f.watcher, f.first.honest, f.first.payload));
}

function events(receipt: { logs: readonly unknown[] }, contract: { interface: { parseLog(log: never): { name: string; args: { toArray(): unknown[] } } | null } }, name: string) {
  return receipt.logs.map((l) => contract.interface.parseLog(l as never)).filter((l) => l?.name === name).map((l) => l!.args.toArray());
}

describe("Security review: the attacks, played", () => {
  describe("Finding 1: a one-step proof costs the same whatever the batch", function () {
    this.timeout(900_000);
    const world8 = () => world({ levels: 8 });
    const params8 = resolveParams({ levels: 8 });
    const RECORD_SIZE_8 = params8.optimisticOpBytes;

    /**
     * The largest calldata batch one L1 transaction carries, wrong at its last op, a valid
     * signed transfer (an Applied transfer with a signature check: the costliest step):
     * `filler` records before it (scripts/lib/largest-batch.ts finds its size from the
     * EIP-7623 floor and the EIP-7825 cap). An honest watcher bisects to the last op and proves it.
     */
    async function largestBatchDispute(filler: Uint8Array, label: string) {
      const f = await networkHelpers.loadFixture(world8);
      const largest = largestCalldataBatch({
        state: L2State.genesis(params8),
        domain: f.domain,
        queueStart: 0n,
        queueEntries: f.queueEntries,
        lastOp: signedTransfer(f.alice, { fromIdx: 2, toIdx: 3, amount: ETHER, fee: 10n ** 16n }, 0, f.domain),
        filler,
        feeRecipient: FEE_RECIPIENT,
        feeTokens: FEE_TOKENS,
      });
      const m = largest.ops;
      expect(largest.floor, "the batch fits").to.be.at.most(TX_GAS_CAP);
      // The node refuses the transaction with one more op: its floor is above the cap.
      const floor = calldataFloor(largest.overfullCalldata);
      expect(floor, "one more op does not").to.be.greaterThan(TX_GAS_CAP);
      const refused = await f.proposer.sendTransaction({ to: await f.rollup.getAddress(), data: largest.overfullCalldata, gasLimit: TX_GAS_CAP }).then(
        () => undefined,
        (error: Error) => error,
      );
      expect(refused?.message).to.include(`Transaction requires gas floor of ${floor} but got limit of ${TX_GAS_CAP}`);

      const header = await submitBuilt(f, f.proposer, largest, largest.claimed, { gasLimit: TX_GAS_CAP });
      const submitGas = (await ethers.provider.getBlock("latest"))!.gasUsed;
      expect(submitGas).to.equal(largest.floor);
      const gameId = await challenge(f, header, f.watcher);
      const record = await disprove(f, gameId, header, largest, largest.claimed, f.watcher);
      const lastOp = largest.wrongStep;
      expect(lastOp).to.equal(2 + m - 1);
      expect(record.final).to.include({ status: GameStatus.ChallengerWon, lo: lastOp, hi: lastOp + 1 });
      expect(largest.result.steps[lastOp]).to.include({ kind: "transfer", outcome: "Applied" });
      const depth = Math.ceil(Math.log2(m));
      expect(largest.opsRootDepth).to.equal(depth);
      expect(headerOpProof(largest.payload, header, lastOp).path).to.have.length(depth);
      const proveGas = record.moves.at(-1)!;
      expect(proveGas.move).to.equal("proveStep");
      console.log(
        `      ${label}: ${m} ops (${m * RECORD_SIZE_8} bytes, opsRoot depth ${depth}); submitBatch ${submitGas} gas (the calldata floor); ` +
          `proveStep of the last op ${proveGas.gasUsed} gas (limit ${ONE_STEP_PROOF_GAS_LIMIT})`,
      );
      expect(proveGas.gasUsed).to.be.at.most(ONE_STEP_PROOF_GAS_LIMIT);
      return m;
    }

    it("proveStep_largestCalldataBatchOfZeroRecordsWrongAtLastOp_challengerWinsWithinHalfATransaction", async () => {
      // All-zero records cost the least calldata: the most ops, the deepest opsRoot path.
      const m = await largestBatchDispute(new Uint8Array(RECORD_SIZE_8), "zero-byte records");
      expect(m).to.be.greaterThan(20_000);
    });

    it("proveStep_largestCalldataBatchOfNonZeroRecordsWrongAtLastOp_challengerWinsWithinHalfATransaction", async () => {
      // Records of non-zero bytes (sender 0x7f7f7f, an empty slot): about 5,500 per transaction.
      const m = await largestBatchDispute(new Uint8Array(RECORD_SIZE_8).fill(0x7f), "non-zero records");
      expect(m).to.be.within(5_000, 6_000);
    });
  });

  describe("A flooded queue: 32,765 forced exits through a contract", function () {
    this.timeout(1_800_000);
    const DAY = 24n * 3600n;
    const FULL = MAX_BATCH_OPS;
    const FLOOD = FULL + 1;
    /** Forced exits per transaction: about 72,800 gas each, under the 2^24 cap. */
    const PER_TX = 220;

    /** A rollup (levels 2, inclusion window and exodus delay of a day) whose queue a flooder filled; every entry overdue. */
    async function floodWorld() {
      const deployment = await deployRollup(ethers, { levels: LEVELS, inclusionWindow: DAY, exodusDelay: DAY });
      const [, proposer, watcher, keeper] = await ethers.getSigners();
      const { rollup, bridge } = deployment;
      await rollup.grantRole(await rollup.PROPOSER_ROLE(), proposer!.address);
      await rollup.connect(proposer!).depositBond({ value: MIN_BOND });
      const flooder = (await ethers.deployContract("QueueFlooder", [await bridge.getAddress()])) as unknown as TypedContract<"flood">;
      for (let done = 0; done < FLOOD; done += PER_TX) {
        const count = Math.min(PER_TX, FLOOD - done);
        await (await flooder.flood(2, count, { value: QUEUE_FEE * BigInt(count), gasLimit: TX_GAS_CAP })).wait();
      }
      expect(await bridge.queueLength()).to.equal(BigInt(FLOOD));
      expect(await bridge.queueFeesHeld()).to.equal(BigInt(FLOOD) * QUEUE_FEE);
      await time.increaseTo((await bridge.queueDeadline(FLOOD - 1)) + 1n);
      const flooderAddress = (await flooder.getAddress()).toLowerCase() as Address;
      return { ...deployment, proposer: proposer!, watcher: watcher!, keeper: keeper!, flooderAddress, domain: (await rollup.domain()) as bigint };
    }

    it("submitBatch_floodedQueueAllOverdue_fullBatchOfQueueEntriesAcceptedFewerRefused", async () => {
      const { rollup, bridge, proposer } = await networkHelpers.loadFixture(floodWorld);
      const propose = (queueEnd: number) => rollup.connect(proposer).submitBatch(submission({ queueEnd: BigInt(queueEnd) }), "0x");
      await expect(propose(0)).to.be.revertedWithCustomError(rollup, "QueueEntryOverdue").withArgs(0, await bridge.queueDeadline(0));
      await expect(propose(FULL - 1))
        .to.be.revertedWithCustomError(rollup, "QueueEntryOverdue")
        .withArgs(FULL - 1, await bridge.queueDeadline(FULL - 1));
      // A batch full of queue entries is valid although entry 32,764 after it is overdue.
      expect(await rollup.effectiveDeadline(FULL)).to.be.lessThan(BigInt(await time.latest()));
      const receipt = await (await propose(FULL)).wait();
      console.log(`      submitBatch of ${FULL} queue entries: ${receipt!.gasUsed} gas`);
      expect(await rollup.lastQueueEnd()).to.equal(BigInt(FULL));
      // The next batch must take the overdue entry.
      await expect(propose(FULL)).to.be.revertedWithCustomError(rollup, "QueueEntryOverdue").withArgs(FULL, await bridge.queueDeadline(FULL));
      await expect(propose(FLOOD)).to.emit(rollup, "BatchSubmitted");
    });

    it("proveStep_queueOnlyBatchOf32764WrongAtLastQueueStep_challengerWinsWithinHalfATransaction", async () => {
      const f = await networkHelpers.loadFixture(floodWorld);
      const exit = { kind: QueueKind.ForcedExit, l1Address: f.flooderAddress, tokenId: 0, accountIdx: 2, amount: 0n, Ax: 0n, Ay: 0n } as const;
      const full = queueOnlyBatch({ state: L2State.genesis(params), domain: f.domain, queueStart: 0n, entry: exit, feeRecipient: FEE_RECIPIENT, feeTokens: FEE_TOKENS });
      const header = await submitBuilt(f, f.proposer, full, full.claimed);
      expect(header.stepCount).to.equal(BigInt(FULL + 4));
      const gameId: bigint = await f.game.gameCount();
      await f.game.connect(f.watcher).challenge(0, header, { value: CHALLENGE_BOND });
      const record = await playGame({
        game: f.game,
        gameId,
        header,
        defender: honestDefender(f.proposer, full.claimed),
        challenger: honestChallenger(f.watcher, full.honest, full.payload, stepProver(full, f.domain)),
        keeper: f.keeper,
        increaseTime: (seconds) => time.increase(seconds),
      });
      expect(full.wrongStep).to.equal(FULL - 1);
      expect(record.final).to.include({ status: GameStatus.ChallengerWon, lo: FULL - 1, hi: FULL });
      expect(full.result.steps[FULL - 1]).to.include({ kind: "forcedExit", outcome: "UnknownAccount" });
      const proveGas = record.moves.at(-1)!;
      expect(proveGas.move).to.equal("proveStep");
      console.log(`      proveStep of queue step ${FULL - 1} of ${FULL}: ${proveGas.gasUsed} gas (limit ${ONE_STEP_PROOF_GAS_LIMIT})`);
      expect(proveGas.gasUsed).to.be.at.most(ONE_STEP_PROOF_GAS_LIMIT);
      expect(await f.rollup.batchCount()).to.equal(0n);
    });

    it("activateExodus_fullBatchAfterTheDeadline_dueAtMovesToTheBatch", async () => {
      const { rollup, bridge, proposer } = await networkHelpers.loadFixture(floodWorld);
      expect(await rollup.exodusDueAt(FULL)).to.equal((await bridge.queueDeadline(FULL)) + DAY);
      await rollup.connect(proposer).submitBatch(submission({ queueEnd: BigInt(FULL) }), "0x");
      const postedAt = BigInt(await time.latest());
      expect(postedAt).to.be.greaterThan(await bridge.queueDeadline(FULL));
      // An operator that keeps posting full batches is never switched off.
      expect(await rollup.exodusDueAt(FULL)).to.equal(postedAt + DAY);
      await time.setNextBlockTimestamp(postedAt + DAY);
      await expect(rollup.activateExodus(FULL)).to.be.revertedWithCustomError(rollup, "ExodusNotDue").withArgs(FULL, postedAt + DAY);
      await time.setNextBlockTimestamp(postedAt + DAY + 1n);
      await expect(rollup.activateExodus(FULL))
        .to.emit(rollup, "ExodusActivated")
        .withArgs(FULL, 0, await rollup.genesisStateRoot(), 0)
        .and.to.emit(rollup, "BatchesInvalidated")
        .withArgs(0, 1);
    });
  });

  describe("Finding 2: only an EOA without code appends batches", () => {
    type ProposerContract = TypedContract<"depositBond" | "submit">;

    it("submitBatch_fromContractWithRoleAndBond_revertsProposerNotEOA", async () => {
      const f = await networkHelpers.loadFixture(defaultWorld);
      const attacker = (await ethers.deployContract("ContractProposer", [await f.rollup.getAddress()])) as unknown as ProposerContract;
      const attackerAddress = await attacker.getAddress();
      await f.rollup.grantRole(await f.rollup.PROPOSER_ROLE(), attackerAddress);
      await attacker.depositBond({ value: MIN_BOND });
      expect(await f.rollup.bonds(attackerAddress)).to.equal(MIN_BOND);
      // A payload built in memory is in no transaction's calldata: no node could read it back.
      await expect(attacker.submit(submission(), 3))
        .to.be.revertedWithCustomError(f.rollup, "ProposerNotEOA")
        .withArgs(attackerAddress);
      expect(await f.rollup.batchCount()).to.equal(0n);
      // The same claims from the bonded EOA proposer are accepted.
      await expect(f.rollup.connect(f.proposer).submitBatch(submission(), new Uint8Array(3 * RECORD_SIZE))).to.emit(f.rollup, "BatchSubmitted");
    });

    it("submitBatch_fromConstructor_revertsProposerNotEOA", async () => {
      const f = await networkHelpers.loadFixture(defaultWorld);
      const factory = await ethers.getContractFactory("ConstructorProposer");
      const predicted = ethers.getCreateAddress({ from: f.deployer.address, nonce: (await f.deployer.getNonce()) + 1 });
      await f.rollup.grantRole(await f.rollup.PROPOSER_ROLE(), predicted);
      // In its constructor a contract has no code yet: only msg.sender != tx.origin gives it away.
      await expect(factory.deploy(await f.rollup.getAddress(), submission(), 3, { value: MIN_BOND }))
        .to.be.revertedWithCustomError(f.rollup, "ProposerNotEOA")
        .withArgs(predicted);
      expect(await f.rollup.batchCount()).to.equal(0n);
    });

    it("submitBatch_eip7702DelegatedEoa_revertsProposerNotEOAUntilDelegationCleared", async () => {
      const f = await networkHelpers.loadFixture(defaultWorld);
      const eoa = new Wallet(ethers.hexlify(ethers.randomBytes(32)), ethers.provider);
      await (await f.deployer.sendTransaction({ to: eoa.address, value: 10n * ETHER })).wait();
      await f.rollup.grantRole(await f.rollup.PROPOSER_ROLE(), eoa.address);
      await (await f.rollup.connect(eoa).depositBond({ value: MIN_BOND })).wait();
      const delegate = (await ethers.deployContract("ContractProposer", [await f.rollup.getAddress()])) as unknown as ProposerContract;
      const delegateAddress = await delegate.getAddress();

      // A type-4 transaction delegates the EOA to the proposer contract and calls it on the
      // EOA: msg.sender = tx.origin = the EOA, but the EOA now has code.
      const nonce = await eoa.getNonce();
      const delegation = await eoa.authorize({ address: delegateAddress, nonce: nonce + 1 });
      const data = delegate.interface.encodeFunctionData("submit", [submission(), 3]);
      await expect(eoa.sendTransaction({ type: 4, to: eoa.address, data, authorizationList: [delegation], gasLimit: 1_000_000 }))
        .to.be.revertedWithCustomError(f.rollup, "ProposerNotEOA")
        .withArgs(eoa.address);
      expect(await ethers.provider.getCode(eoa.address)).to.equal(ethers.concat(["0xef0100", delegateAddress]).toLowerCase());
      // Called directly, the delegated EOA is refused too.
      await expect(f.rollup.connect(eoa).submitBatch(submission(), new Uint8Array(3 * RECORD_SIZE), { gasLimit: 1_000_000 }))
        .to.be.revertedWithCustomError(f.rollup, "ProposerNotEOA")
        .withArgs(eoa.address);

      // Delegating to the zero address clears the code; the EOA then appends as any proposer.
      const clear = await eoa.authorize({ address: ethers.ZeroAddress, nonce: (await eoa.getNonce()) + 1 });
      await (await eoa.sendTransaction({ type: 4, to: eoa.address, authorizationList: [clear], gasLimit: 100_000 })).wait();
      expect(await ethers.provider.getCode(eoa.address)).to.equal("0x");
      await expect(f.rollup.connect(eoa).submitBatch(submission(), new Uint8Array(3 * RECORD_SIZE))).to.emit(f.rollup, "BatchSubmitted");
      expect((await f.rollup.batches(0)).proposer).to.equal(eoa.address);
    });
  });

  describe("Finding 4: the admin grants roles and nothing else", () => {
    /**
     * Deploys a bridge and a dispute game for the deployer's next-but-two address (the game
     * for `gameRollup` if given) and returns the Rollup deployment with `overrides`, unsent.
     */
    async function rollupWith(f: World, overrides: Record<string, unknown>, gameRollup?: string) {
      const nonce = await f.deployer.getNonce();
      const predicted = ethers.getCreateAddress({ from: f.deployer.address, nonce: nonce + 2 });
      const bridge = await ethers.deployContract("Bridge", [predicted, f.hashers.t3, f.hashers.t6, f.hashers.t9, 3600, QUEUE_FEE, f.deployer.address]);
      const game = await ethers.deployContract("DisputeGame", [
        gameRollup ?? predicted,
        await f.prover.getAddress(),
        f.hashers.t3,
        f.hashers.t9,
        CHALLENGE_BOND,
        CHALLENGE_BOND / CLOCK,
        CLOCK,
      ]);
      const factory = await ethers.getContractFactory("Rollup");
      const config = { ...f.config, bridge: await bridge.getAddress(), disputeGame: await game.getAddress(), ...overrides };
      return { factory, predicted, game: await game.getAddress(), deploy: () => factory.deploy(config) };
    }

    it("rollup_noFunctionChangesVerifierOrGame_selectorsAbsentAndRawCallsRevert", async () => {
      const f = await networkHelpers.loadFixture(defaultWorld);
      const rollupAddress = await f.rollup.getAddress();
      const code = await ethers.provider.getCode(rollupAddress);
      const removed = ["setZkVerifier(address,uint256,uint256)", "setDisputeGame(address)"];
      for (const signature of removed) {
        const selector = ethers.id(signature).slice(0, 10);
        expect(f.rollup.interface.getFunction(selector), signature).to.equal(null);
        expect(code.includes(selector.slice(2)), `${signature} in the bytecode`).to.equal(false);
        const data = ethers.concat([selector, ethers.AbiCoder.defaultAbiCoder().encode(["address", "uint256", "uint256"], [f.keeper.address, LEVELS, 4])]);
        await expect(f.deployer.sendTransaction({ to: rollupAddress, data })).to.be.revertedWithoutReason(ethers);
      }
      // Every state-changing function there is: the admin's are AccessControl's role functions.
      const writes = f.rollup.interface.fragments
        .filter((fragment): fragment is FunctionFragment => fragment.type === "function")
        .filter((fragment) => !fragment.constant)
        .map((fragment) => fragment.name)
        .sort();
      expect(writes).to.deep.equal([
        "activateExodus",
        "depositBond",
        "finalizeUpTo",
        "gameClosed",
        "gameOpened",
        "grantRole",
        "invalidateFrom",
        "renounceRole",
        "revokeRole",
        "slash",
        "submitBatch",
        "submitBlobBatch",
        "submitZkBatch",
        "withdrawBond",
      ]);
      expect(await f.rollup.disputeGame()).to.equal(await f.game.getAddress());
      expect(await f.rollup.zkVerifier()).to.equal(ethers.ZeroAddress);
      expect(await f.rollup.zkSlots()).to.equal(0n);
    });

    it("constructor_gameOfAnotherRollup_revertsDisputeGameRollupMismatch", async () => {
      const f = await networkHelpers.loadFixture(defaultWorld);
      const other = await f.rollup.getAddress();
      const { factory, game, deploy } = await rollupWith(f, {}, other);
      await expect(deploy()).to.be.revertedWithCustomError(factory, "DisputeGameRollupMismatch").withArgs(game, other);
    });

    it("constructor_verifierWithoutSlotsOrSlotsWithoutVerifier_revertsInvalidZkSlots", async () => {
      const f = await networkHelpers.loadFixture(defaultWorld);
      const verifier = f.keeper.address;
      for (const [zkVerifier, zkSlots] of [
        [verifier, 0],
        [ethers.ZeroAddress, 4],
        [verifier, MAX_BATCH_OPS + 1],
      ] as const) {
        const { factory, deploy } = await rollupWith(f, { zkVerifier, zkSlots });
        await expect(deploy(), `${zkVerifier} ${zkSlots}`).to.be.revertedWithCustomError(factory, "InvalidZkSlots").withArgs(zkSlots);
      }
      const { predicted, deploy } = await rollupWith(f, { zkVerifier: verifier, zkSlots: MAX_BATCH_OPS });
      await (await deploy()).waitForDeployment();
      expect(await ethers.provider.getCode(predicted)).to.not.equal("0x");
    });

    it("optimisticBatches_rollupWithoutGame_revertOptimisticSettlementDisabled", async () => {
      const f = await networkHelpers.loadFixture(defaultWorld);
      const bare = await deployRollup(ethers, { levels: LEVELS, disputeGame: false });
      expect(await bare.rollup.disputeGame()).to.equal(ethers.ZeroAddress);
      await bare.rollup.grantRole(await bare.rollup.PROPOSER_ROLE(), f.proposer.address);
      await bare.rollup.connect(f.proposer).depositBond({ value: MIN_BOND });
      const rollup = bare.rollup.connect(f.proposer);
      await expect(rollup.submitBatch(submission(), new Uint8Array(RECORD_SIZE))).to.be.revertedWithCustomError(rollup, "OptimisticSettlementDisabled");
      await expect(rollup.submitBlobBatch(submission(), RECORD_SIZE, 1)).to.be.revertedWithCustomError(rollup, "OptimisticSettlementDisabled");
      // Nobody can play the game's part: the hooks answer to no one.
      await expect(bare.rollup.connect(f.keeper).gameOpened(0))
        .to.be.revertedWithCustomError(rollup, "CallerNotDisputeGame")
        .withArgs(f.keeper.address, ethers.ZeroAddress);
      await expect(bare.rollup.connect(f.keeper).invalidateFrom(0))
        .to.be.revertedWithCustomError(rollup, "CallerNotDisputeGame")
        .withArgs(f.keeper.address, ethers.ZeroAddress);
    });

    it("adminAsProposer_batchPayingItselfTheBridge_disprovenAndNeverClaimable", async () => {
      const f = await networkHelpers.loadFixture(defaultWorld);
      const admin = f.deployer;
      const bridgeAddress = await f.bridge.getAddress();
      const held = await ethers.provider.getBalance(bridgeAddress);
      expect(held).to.equal(15n * ETHER + 2n * QUEUE_FEE);
      await f.rollup.grantRole(await f.rollup.PROPOSER_ROLE(), admin.address);
      await f.rollup.connect(admin).depositBond({ value: MIN_BOND });
      // The admin's batch: the honest execution of the queue and ops, with a fee payout slot
      // that pays the admin every wei the bridge holds.
      const stolen: Withdrawal = { position: feePayoutPosition(3), ethAddr: admin.address.toLowerCase() as Address, tokenId: ETH, amount: held };
      const tree = buildWithdrawalTree([...f.first.result.withdrawals, stolen]);
      const n = f.first.honest.leaves.length - 1;
      const forged = faultySteps(f.first.result, n, (s) => ({ ...s, withdrawalsRoot: tree.root }));
      const header = await submitBuilt(f, admin, f.first, forged);
      expect(header.withdrawalsRoot).to.equal(tree.root);
      const claim = () => f.bridge.connect(admin).claimWithdrawal(0, stolen.position, admin.address, ETH, held, tree.proof(stolen.position));
      await expect(claim()).to.be.revertedWithCustomError(f.bridge, "BatchNotFinal").withArgs(0);

      const gameId = await challenge(f, header, f.watcher);
      const record = await playGame({
        game: f.game,
        gameId,
        header,
        defender: honestDefender(admin, forged),
        challenger: honestChallenger(f.watcher, f.first.honest, f.first.payload, stepProver(f.first, f.domain)),
        keeper: f.keeper,
        increaseTime: (s) => time.increase(s),
      });
      expect(record.final).to.include({ status: GameStatus.ChallengerWon, lo: n - 1, hi: n });
      expect(await f.rollup.batchCount()).to.equal(0n);
      expect(await f.rollup.bonds(admin.address)).to.equal(0n);
      await time.increase(7n * 24n * 3600n);
      await expect(claim()).to.be.revertedWithCustomError(f.bridge, "BatchNotFinal").withArgs(0);
      expect(await ethers.provider.getBalance(bridgeAddress)).to.equal(held);
    });
  });

  describe("Finding 5: a game belongs to one batch instance", () => {
    it("staleGame_batchRepostedIdentically_onlyDismissedAndNewBatchNotHeldBack", async () => {
      const f = await networkHelpers.loadFixture(defaultWorld);
      const header = await submitBuilt(f, f.proposer, f.first);
      const commitment = (await f.rollup.batches(0)).commitment;
      const g1 = await challenge(f, header, f.watcher);
      const g2 = await challenge(f, header, f.watcher);
      expect(await f.rollup.openGames(0)).to.equal(2n);
      // The defender answers game 2 (late in its clock) and lets game 1 run out.
      await time.increase(CLOCK - 300n);
      await bisectGame(f, g2, header);
      const lo = (await readGame(f.game, g2)).lo;
      await time.increaseTo((await f.game.game(g1)).lastMoveAt + CLOCK + 1n);
      const timeout = await (await f.game.connect(f.keeper).timeout(g1)).wait();
      const share = (f.minBond - f.minBond / 2n) / 2n;
      expect(events(timeout!, f.game, "InstanceDisproven")).to.deep.equal([[0n, 0n, 2n, share]]);
      expect(events(timeout!, f.rollup, "BatchesInvalidated")).to.deep.equal([[0n, 1n]]);

      // The proposer posts the very same batch again: same commitment, next instance.
      await f.rollup.connect(f.proposer).depositBond({ value: f.minBond });
      const again = await submitBuilt(f, f.proposer, f.first);
      expect(again).to.deep.equal(header);
      expect((await f.rollup.batches(0)).commitment).to.equal(commitment);
      expect(await f.rollup.batchInstance(0)).to.equal(1n);
      expect(await f.rollup.openGames(0)).to.equal(0n);

      // Game 2 disputed the removed instance: no step proof, no timeout, only a dismissal.
      const { pre, proof } = stepProver(f.first, f.domain)(lo);
      await expect(f.game.connect(f.watcher).proveStep(g2, header, headerOpProof(f.first.payload, header, lo), pre, proof))
        .to.be.revertedWithCustomError(f.game, "GameBatchInvalidated")
        .withArgs(g2, 0);
      await time.increaseTo(await f.rollup.finalizableAt(0));
      expect((await readGame(f.game, g2)).status).to.equal(GameStatus.AwaitingStep);
      expect(await f.rollup.isFinal(0)).to.equal(true);
      expect(await f.rollup.firstContested()).to.equal(ethers.MaxUint256);
      await expect(f.game.timeout(g2)).to.be.revertedWithCustomError(f.game, "GameBatchInvalidated").withArgs(g2, 0);
      await expect(f.game.dismiss(g2)).to.emit(f.game, "GameResolved").withArgs(g2, ethers.ZeroAddress, GameEndReason.BatchInvalidated, CHALLENGE_BOND + share);
      expect(await f.rollup.batchInstance(0)).to.equal(1n);
      expect(await f.rollup.isFinal(0)).to.equal(true);
    });
    it("staleGame_bisectionMovesAfterRemoval_revertGameBatchInvalidated", async () => {
      const f = await networkHelpers.loadFixture(defaultWorld);
      const header = await submitBuilt(f, f.proposer, f.first);
      const winner = await challenge(f, header, f.watcher);
      const opened = await challenge(f, header, f.watcher);
      const unopened = await challenge(f, header, f.watcher);
      // The defender opens one game; the batch is then disproven through another.
      await playMove(f.game, opened, header, honestDefender(f.proposer, f.first.honest));
      expect((await readGame(f.game, opened)).status).to.equal(GameStatus.AwaitingAnswer);
      await time.increaseTo((await f.game.game(winner)).lastMoveAt + CLOCK + 1n);
      await f.game.connect(f.keeper).timeout(winner);
      expect(await f.rollup.batchCount()).to.equal(0n);
      // Neither side may move in a game whose batch instance is gone: only dismiss ends it.
      await expect(f.game.connect(f.watcher).answer(opened, true)).to.be.revertedWithCustomError(f.game, "GameBatchInvalidated").withArgs(opened, 0);
      const trace = f.first.honest;
      const n = trace.stepCount;
      await expect(f.game.connect(f.proposer).open(unopened, header, trace.stateReveal(0), trace.stateReveal(n), trace.leafReveal(n >> 1)))
        .to.be.revertedWithCustomError(f.game, "GameBatchInvalidated")
        .withArgs(unopened, 0);
      await expect(f.game.dismiss(opened)).to.emit(f.game, "GameResolved");
      await expect(f.game.dismiss(unopened)).to.emit(f.game, "GameResolved");
    });
  });

  describe("Finding 6: delaying finality costs a bond per second", () => {
    const PRICE = 10n ** 13n;
    const MIN_CHALLENGE = 3600n * PRICE;
    const grieferWorld = () => world({ challengeBond: MIN_CHALLENGE, clockPrice: PRICE, clockBudget: CLOCK });

    for (const [multiple, bought] of [
      [1n, 3600n],
      [10n, 36_000n],
      [100n, CLOCK],
    ] as const) {
      it(`challenge_bond${multiple}xOneSecondBeforeWindowEnd_delaysFinalityByBoughtClockPlusDefenderTime_bondToDefender`, async () => {
        const f = await networkHelpers.loadFixture(grieferWorld);
        const header = await submitBuilt(f, f.proposer, f.first);
        const windowEnd: bigint = await f.rollup.finalizableAt(0);
        const bond = multiple * MIN_CHALLENGE;
        await time.setNextBlockTimestamp(windowEnd - 1n);
        const gameId = await challenge(f, header, f.watcher, bond);
        expect(await f.game.clocks(gameId)).to.deep.equal([CLOCK, bought]);
        expect((await f.game.game(gameId)).bond).to.equal(bond);
        // The defender takes 100 s to open; the griefer then stalls.
        const defenderTime = 100n;
        await time.setNextBlockTimestamp(windowEnd - 1n + defenderTime);
        await playMove(f.game, gameId, header, honestDefender(f.proposer, f.first.honest));
        const opened = await f.game.game(gameId);
        expect([opened.lastMoveAt, opened.defenderClock, opened.challengerClock]).to.deep.equal([windowEnd - 1n + defenderTime, CLOCK - defenderTime, bought]);
        await time.setNextBlockTimestamp(opened.lastMoveAt + bought);
        await expect(f.game.timeout(gameId)).to.be.revertedWithCustomError(f.game, "ClockNotExpired").withArgs(gameId, bought, bought);
        await time.increaseTo(opened.lastMoveAt + bought);
        expect(await f.game.clocks(gameId)).to.deep.equal([CLOCK - defenderTime, 0n]);
        expect(await f.rollup.isFinal(0)).to.equal(false);
        await time.setNextBlockTimestamp(opened.lastMoveAt + bought + 1n);
        await expect(f.game.connect(f.keeper).timeout(gameId))
          .to.emit(f.game, "GameResolved")
          .withArgs(gameId, f.proposer.address, GameEndReason.Timeout, bond);
        const finalAt = BigInt(await time.latest());
        expect(await f.rollup.isFinal(0)).to.equal(true);
        expect(finalAt - windowEnd).to.equal(bought + defenderTime);
        expect(bought).to.equal(bond / PRICE < CLOCK ? bond / PRICE : CLOCK);
        expect(await f.game.credits(f.proposer.address)).to.equal(bond);
        expect(await f.game.credits(f.watcher.address)).to.equal(0n);
      });
    }
  });

  describe("Finding 7: a proposer's sybil cannot take the honest watcher's reward", () => {
    // An odd pot, so that the split leaves a wei of dust.
    const sybilWorld = () => world({ minBond: ETHER + 2n });

    it("sybilFrontRunsWatcher_sybilWinsFirst_watcherDismissedWithEqualShareAndHalfSlashBurned", async () => {
      const f = await networkHelpers.loadFixture(sybilWorld);
      const faulty = faultySteps(f.first.result, 3, faults.accountsRoot);
      const header = await submitBuilt(f, f.proposer, f.first, faulty);
      const sybilGame = await challenge(f, header, f.sybil);
      const watcherGame = await challenge(f, header, f.watcher);
      const burnBefore = await ethers.provider.getBalance(ethers.ZeroAddress);
      const record = await disprove(f, sybilGame, header, f.first, faulty, f.sybil);
      expect(record.final.status).to.equal(GameStatus.ChallengerWon);

      const burned = f.minBond / 2n;
      const pot = f.minBond - burned;
      const share = (f.minBond - f.minBond / 2n) / 2n;
      const dust = pot - 2n * share;
      expect([burned, share, dust]).to.deep.equal([ETHER / 2n + 1n, ETHER / 4n, 1n]);
      expect(events(record.resolution, f.game, "InstanceDisproven")).to.deep.equal([[0n, 0n, 2n, share]]);
      expect(events(record.resolution, f.game, "SlashBurned")).to.deep.equal([[sybilGame, burned]]);
      expect(events(record.resolution, f.game, "GameResolved")).to.deep.equal([[sybilGame, f.sybil.address, BigInt(GameEndReason.StepDisproved), CHALLENGE_BOND + share + dust]]);
      expect((await ethers.provider.getBalance(ethers.ZeroAddress)) - burnBefore).to.equal(burned);
      expect(await f.rollup.bonds(f.proposer.address)).to.equal(0n);

      await expect(f.game.connect(f.keeper).dismiss(watcherGame))
        .to.emit(f.game, "GameResolved")
        .withArgs(watcherGame, ethers.ZeroAddress, GameEndReason.BatchInvalidated, CHALLENGE_BOND + share);
      expect(await f.game.credits(f.watcher.address)).to.equal(CHALLENGE_BOND + share);
      expect(await f.game.credits(f.sybil.address)).to.equal(CHALLENGE_BOND + share + dust);
      // The proposer and its sybil together lose the burned half and the watcher's share.
      expect(f.minBond - (share + dust)).to.equal(burned + share);
      expect(await ethers.provider.getBalance(await f.game.getAddress())).to.equal(2n * CHALLENGE_BOND + 2n * share + dust);
    });
  });

  describe("Queue rule (a): entries an invalidation puts back get a whole inclusion window", () => {
    const HOUR = 3600n;
    const shortWindowWorld = () => world({ inclusionWindow: HOUR });

    it("invalidation_afterTheDeadlines_reopensWithFreshDeadlineThenOverdue", async () => {
      const f = await networkHelpers.loadFixture(shortWindowWorld);
      const enqueuedDeadline = await f.bridge.queueDeadline(1);
      const faulty = faultySteps(f.first.result, 0, faults.accountsRoot);
      const header = await submitBuilt(f, f.proposer, f.first, faulty);
      const gameId = await challenge(f, header, f.watcher);
      // The defender stalls: the game is decided a day later, long past the entries' deadlines.
      const record = await playGame({
        game: f.game, gameId, header, defender: stallingDefender(), challenger: stallingChallenger(), keeper: f.keeper, increaseTime: (s) => time.increase(s),
      });
      const decidedAt = BigInt((await ethers.provider.getBlock(record.resolution.blockNumber))!.timestamp);
      expect(decidedAt).to.be.greaterThan(enqueuedDeadline + HOUR);
      const reopenedDeadline = decidedAt + HOUR;
      expect(events(record.resolution, f.rollup, "QueueReopened")).to.deep.equal([[2n, reopenedDeadline]]);
      expect([await f.rollup.reopenedEnd(), await f.rollup.reopenedDeadline()]).to.deep.equal([2n, reopenedDeadline]);
      expect(await f.bridge.queueDeadline(0)).to.be.lessThan(decidedAt);
      expect(await f.rollup.effectiveDeadline(0)).to.equal(reopenedDeadline);
      expect(await f.rollup.effectiveDeadline(1)).to.equal(reopenedDeadline);

      // Until the fresh deadline a batch may leave them for later; after it, none may.
      await f.rollup.connect(f.proposer).depositBond({ value: f.minBond });
      await time.setNextBlockTimestamp(reopenedDeadline);
      await expect(f.rollup.connect(f.proposer).submitBatch(submission(), "0x")).to.emit(f.rollup, "BatchSubmitted");
      await time.setNextBlockTimestamp(reopenedDeadline + 1n);
      await expect(f.rollup.connect(f.proposer).submitBatch(submission(), "0x"))
        .to.be.revertedWithCustomError(f.rollup, "QueueEntryOverdue")
        .withArgs(0, reopenedDeadline);
      await submitBuilt(f, f.proposer, f.first);
      expect(await f.rollup.lastQueueEnd()).to.equal(2n);
    });
  });
});
