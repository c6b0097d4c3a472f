import { expect } from "chai";
import { network } from "hardhat";
import { ContractFactory, keccak256 } from "ethers";
import {
  type Address,
  type Batch,
  type QueueEntry,
  FIELD_MODULUS,
  L2State,
  QueueKind,
  buildWithdrawalTree,
  evaluateChunks,
  poseidon2,
  resolveParams,
  zkDataCommitment,
  zkPublicInput,
} from "../../core/index.js";
import { ProverQueue, proofCalldata } from "../../prover/prover.js";
import { compileVerifier, generateVerifierSource, verifierName } from "../../prover/verifier.js";
import { type BuildCircuitInputReturnType, buildCircuitInput } from "../../core/zk-witness.js";
import { type BatchHeader, batchCommitment, submission } from "../helpers/batches.js";
import { deployRollup } from "../../scripts/lib/deploy-rollup.js";
import { anyValue } from "@nomicfoundation/hardhat-ethers-chai-matchers/withArgs";
import { ETH } from "../core/fixtures.js";
import { ZK_LEVELS, ZK_SLOTS, signedBatch, users, zkTestKeys } from "../prover/zk-fixture.js";

const { ethers, networkHelpers } = await network.create();

const [aliceKey] = users;
const DEPOSIT = ethers.parseEther("3");
const WITHDRAW = ethers.parseEther("1");
const QUEUE_FEE = ethers.parseEther("0.001");
const DAY = 24n * 3600n;

/** The evaluation point the contract computes from the circuit's `c` and the payload it receives. */
function contractPoint(c: bigint, payload: Uint8Array): { z: bigint; y: bigint } {
  const z = poseidon2(c, BigInt(keccak256(payload)) % FIELD_MODULUS);
  return { z, y: evaluateChunks(zkDataCommitment(payload).chunks, z) };
}

describe("ZK settlement (levels 2, 4 slots, INSECURE dev setup)", function () {
  this.timeout(300_000);
  let verifierArtifact: { abi: unknown[]; bytecode: string };
  let queue: ProverQueue;
  /** The proven batch of the fixture, proved once (the fixture's chain is deterministic). */
  let proven: { built: BuildCircuitInputReturnType; batch: Batch; proof: bigint[] } | undefined;

  before(async () => {
    const { build, keys } = await zkTestKeys();
    const name = verifierName({ levels: ZK_LEVELS, nOps: ZK_SLOTS });
    verifierArtifact = compileVerifier(await generateVerifierSource(keys.zkey, name), name);
    queue = new ProverQueue({ wasm: build.wasm, zkey: keys.zkey });
  });

  after(async () => {
    await queue?.close();
  });

  /**
   * Rollup at levels 2 deployed with the generated verifier and its 4 slots (and a dispute
   * game, an exodus delay of a day); alice created her account on L1 (3 ETH).
   */
  async function deployFixture() {
    const [deployer, proposer, alice, feeTaker, relayer] = await ethers.getSigners();
    const verifier = await new ContractFactory(verifierArtifact.abi as never, verifierArtifact.bytecode, deployer).deploy();
    await verifier.waitForDeployment();
    const deployment = await deployRollup(ethers, { levels: ZK_LEVELS, zkVerifier: await verifier.getAddress(), zkSlots: ZK_SLOTS, exodusDelay: DAY });
    const { bridge, rollup } = deployment;
    await rollup.grantRole(await rollup.PROPOSER_ROLE(), proposer!.address);
    await bridge.connect(alice!).createAccount(ETH, DEPOSIT, aliceKey!.Ax, aliceKey!.Ay, { value: DEPOSIT + QUEUE_FEE });
    return { ...deployment, verifier, deployer: deployer!, proposer: proposer!, alice: alice!, feeTaker: feeTaker!, relayer: relayer! };
  }

  /** The batch: alice's account creation, then her withdrawal of 1 ETH with a fee, proved. */
  async function provenBatch(f: Awaited<ReturnType<typeof deployFixture>>) {
    if (proven) return proven;
    const domain = BigInt(await f.rollup.domain());
    const state = L2State.genesis(resolveParams({ levels: ZK_LEVELS }));
    const create = {
      kind: QueueKind.CreateAccount,
      l1Address: f.alice.address.toLowerCase() as Address,
      tokenId: ETH,
      accountIdx: 0,
      amount: DEPOSIT,
      Ax: aliceKey!.Ax,
      Ay: aliceKey!.Ay,
    };
    const holders = new Map([[2, aliceKey!]]);
    const batch = signedBatch(state, domain, holders, [create], [{ fromIdx: 2, toIdx: 1, amount: WITHDRAW, fee: 3n }], f.feeTaker.address.toLowerCase() as Address);
    const built = buildCircuitInput({ state, batch, domain, queueHashStart: 0n, nOps: ZK_SLOTS });
    const { proof } = await queue.submit(built.input);
    proven = { built, batch, proof: proofCalldata(proof) };
    return proven;
  }

  function zkSubmission(built: BuildCircuitInputReturnType, batch: Batch, overrides: { postStateRoot?: bigint } = {}) {
    return {
      queueEnd: 1n,
      postStateRoot: overrides.postStateRoot ?? built.result.postStateRoot,
      withdrawalsRoot: built.result.withdrawalsRoot,
      feeRecipient: batch.feeRecipient,
      feeTokens: batch.feeTokens,
    };
  }

  function publicInputWith(
    built: BuildCircuitInputReturnType,
    batch: Batch,
    domain: bigint,
    changes: { postStateRoot?: bigint; z?: bigint; y?: bigint; payloadLength?: number },
  ) {
    return zkPublicInput({
      domain,
      preStateRoot: built.result.preStateRoot,
      postStateRoot: changes.postStateRoot ?? built.result.postStateRoot,
      withdrawalsRoot: built.result.withdrawalsRoot,
      queueHashStart: 0n,
      queueHashEnd: built.queueHashEnd,
      z: changes.z ?? built.commitment.z,
      y: changes.y ?? built.commitment.y,
      feeRecipient: batch.feeRecipient,
      feeTokens: batch.feeTokens,
      payloadLength: changes.payloadLength ?? built.payload.length,
    });
  }

  it("submitZkBatch_validProof_finalAtOnceAndWithdrawalClaimableWithExactBalances", async () => {
    const f = await networkHelpers.loadFixture(deployFixture);
    const { built, batch, proof } = await provenBatch(f);
    expect(built.payload.length).to.equal(2 * 1 + 6);
    const tx = f.rollup.connect(f.proposer).submitZkBatch(zkSubmission(built, batch), built.payload, built.commitment.c, proof);
    await expect(tx)
      .to.emit(f.rollup, "ZkBatchProven")
      .withArgs(0, anyValue, 0, built.commitment.c, built.commitment.z, built.commitment.y, built.publicInput);
    // The evaluation point binds the circuit's commitment c and the payload the rollup received.
    expect(contractPoint(built.commitment.c, built.payload)).to.deep.equal({ z: built.commitment.z, y: built.commitment.y });
    await expect(tx).to.emit(f.rollup, "BatchFinalized").withArgs(0);
    expect(await f.rollup.isFinal(0)).to.equal(true);
    expect(await f.rollup.finalizedCount()).to.equal(1n);
    expect(await f.rollup.lastStateRoot()).to.equal(built.result.postStateRoot);

    const tree = buildWithdrawalTree(built.result.withdrawals);
    const mine = built.result.withdrawals.find((w) => w.ethAddr === f.alice.address.toLowerCase())!;
    expect(mine.amount).to.equal(WITHDRAW);
    const fee = built.result.withdrawals.find((w) => w.ethAddr === f.feeTaker.address.toLowerCase())!;
    expect(fee.amount).to.equal(3n);
    for (const [w, who] of [
      [mine, f.alice],
      [fee, f.feeTaker],
    ] as const) {
      const before = await ethers.provider.getBalance(who.address);
      await f.bridge.connect(f.relayer).claimWithdrawal(0, w.position, w.ethAddr, w.tokenId, w.amount, tree.proof(w.position));
      expect((await ethers.provider.getBalance(who.address)) - before).to.equal(w.amount);
    }
  });

  it("submitZkBatch_tamperedProof_revertsInvalidZkProof", async () => {
    const f = await networkHelpers.loadFixture(deployFixture);
    const { built, batch, proof } = await provenBatch(f);
    const tampered = [...proof];
    tampered[6] = proof[6]! ^ 1n;
    await expect(f.rollup.connect(f.proposer).submitZkBatch(zkSubmission(built, batch), built.payload, built.commitment.c, tampered))
      .to.be.revertedWithCustomError(f.rollup, "InvalidZkProof")
      .withArgs(0, built.publicInput);
  });

  it("submitZkBatch_tamperedPayloadByte_revertsInvalidZkProof", async () => {
    const f = await networkHelpers.loadFixture(deployFixture);
    const { built, batch, proof } = await provenBatch(f);
    const payload = Uint8Array.from(built.payload);
    payload[3] = payload[3]! ^ 0x01;
    // Another payload moves the evaluation point too (z depends on keccak256 of the posted data).
    const { z, y } = contractPoint(built.commitment.c, payload);
    expect(z).to.not.equal(built.commitment.z);
    await expect(f.rollup.connect(f.proposer).submitZkBatch(zkSubmission(built, batch), payload, built.commitment.c, proof))
      .to.be.revertedWithCustomError(f.rollup, "InvalidZkProof")
      .withArgs(0, publicInputWith(built, batch, BigInt(await f.rollup.domain()), { z, y }));
  });

  it("submitZkBatch_provenPayloadPlusZeroRecord_revertsInvalidZkProof", async () => {
    const f = await networkHelpers.loadFixture(deployFixture);
    const { built, batch, proof } = await provenBatch(f);
    // A trailing zero record leaves the chunk polynomial as it is; the length in the public input does not.
    const payload = Uint8Array.from([...built.payload, ...new Uint8Array(built.payload.length)]);
    const { z, y } = contractPoint(built.commitment.c, payload);
    await expect(f.rollup.connect(f.proposer).submitZkBatch(zkSubmission(built, batch), payload, built.commitment.c, proof))
      .to.be.revertedWithCustomError(f.rollup, "InvalidZkProof")
      .withArgs(0, publicInputWith(built, batch, BigInt(await f.rollup.domain()), { z, y, payloadLength: payload.length }));
  });

  it("submitZkBatch_wrongPostRoot_revertsInvalidZkProof", async () => {
    const f = await networkHelpers.loadFixture(deployFixture);
    const { built, batch, proof } = await provenBatch(f);
    const postStateRoot = built.result.postStateRoot + 1n;
    await expect(f.rollup.connect(f.proposer).submitZkBatch(zkSubmission(built, batch, { postStateRoot }), built.payload, built.commitment.c, proof))
      .to.be.revertedWithCustomError(f.rollup, "InvalidZkProof")
      .withArgs(0, publicInputWith(built, batch, BigInt(await f.rollup.domain()), { postStateRoot }));
  });

  it("submitZkBatch_wrongC_revertsInvalidZkProof", async () => {
    const f = await networkHelpers.loadFixture(deployFixture);
    const { built, batch, proof } = await provenBatch(f);
    const { z, y } = contractPoint(built.commitment.c + 1n, built.payload);
    await expect(f.rollup.connect(f.proposer).submitZkBatch(zkSubmission(built, batch), built.payload, built.commitment.c + 1n, proof))
      .to.be.revertedWithCustomError(f.rollup, "InvalidZkProof")
      .withArgs(0, publicInputWith(built, batch, BigInt(await f.rollup.domain()), { z, y }));
  });

  it("submitZkBatch_cOutOfField_revertsZkDataCommitmentOutOfField", async () => {
    const f = await networkHelpers.loadFixture(deployFixture);
    const { built, batch, proof } = await provenBatch(f);
    await expect(f.rollup.connect(f.proposer).submitZkBatch(zkSubmission(built, batch), built.payload, built.commitment.c + FIELD_MODULUS, proof))
      .to.be.revertedWithCustomError(f.rollup, "ZkDataCommitmentOutOfField")
      .withArgs(built.commitment.c + FIELD_MODULUS);
  });

  it("submitZkBatch_afterUnfinalOptimisticBatch_revertsZkParentNotFinal", async () => {
    const f = await networkHelpers.loadFixture(deployFixture);
    const { built, batch, proof } = await provenBatch(f);
    await f.rollup.connect(f.proposer).depositBond({ value: ethers.parseEther("1") });
    await f.rollup.connect(f.proposer).submitBatch(submission({ queueEnd: 0n }), "0x");
    await expect(f.rollup.connect(f.proposer).submitZkBatch(zkSubmission(built, batch), built.payload, built.commitment.c, proof))
      .to.be.revertedWithCustomError(f.rollup, "ZkParentNotFinal")
      .withArgs(0);
  });

  it("challenge_provenZkBatch_revertsBatchAlreadyFinalized", async () => {
    const f = await networkHelpers.loadFixture(deployFixture);
    const { built, batch, proof } = await provenBatch(f);
    await f.rollup.connect(f.proposer).submitZkBatch(zkSubmission(built, batch), built.payload, built.commitment.c, proof);
    const header: BatchHeader = {
      index: 0n,
      parentCommitment: ethers.ZeroHash,
      dataHash: keccak256(built.payload),
      queueStart: 0n,
      queueEnd: 1n,
      queueHashEnd: built.queueHashEnd,
      preStateRoot: built.result.preStateRoot,
      postStateRoot: built.result.postStateRoot,
      withdrawalsRoot: built.result.withdrawalsRoot,
      stepsRoot: ethers.ZeroHash,
      stepCount: 2n + 4n,
      feeRecipient: batch.feeRecipient,
      feeTokens: batch.feeTokens,
    };
    await expect(f.game.challenge(0, header, { value: await f.game.challengeBond() }))
      .to.be.revertedWithCustomError(f.rollup, "BatchAlreadyFinalized")
      .withArgs(0, 1);
  });

  it("constructor_verifierAndSlots_fixedAtDeployment", async () => {
    const f = await networkHelpers.loadFixture(deployFixture);
    expect(await f.rollup.zkVerifier()).to.equal(await f.verifier.getAddress());
    expect(await f.rollup.zkSlots()).to.equal(BigInt(ZK_SLOTS));
  });

  it("submitZkBatch_rollupWithoutVerifier_revertsZkVerifierNotSet", async () => {
    const f = await networkHelpers.loadFixture(deployFixture);
    const { built, batch, proof } = await provenBatch(f);
    const other = await deployRollup(ethers, { levels: ZK_LEVELS });
    await other.rollup.grantRole(await other.rollup.PROPOSER_ROLE(), f.proposer.address);
    await expect(other.rollup.connect(f.proposer).submitZkBatch(zkSubmission(built, batch), built.payload, built.commitment.c, proof)).to.be.revertedWithCustomError(
      other.rollup,
      "ZkVerifierNotSet",
    );
  });

  it("submitZkBatch_moreOpsThanSlots_revertsTooManyZkOps", async () => {
    const f = await networkHelpers.loadFixture(deployFixture);
    const payload = new Uint8Array(8 * 4);
    const { built, batch } = await provenBatch(f);
    await expect(f.rollup.connect(f.proposer).submitZkBatch(zkSubmission(built, batch), payload, 1n, new Array(8).fill(0n)))
      .to.be.revertedWithCustomError(f.rollup, "TooManyZkOps")
      .withArgs(5, ZK_SLOTS);
  });

  /** Proves a batch of `entries` (queue entries only) on genesis. */
  async function provenQueueBatch(f: Awaited<ReturnType<typeof deployFixture>>, entries: QueueEntry[]) {
    const domain = BigInt(await f.rollup.domain());
    const state = L2State.genesis(resolveParams({ levels: ZK_LEVELS }));
    const batch = signedBatch(state, domain, new Map(), entries, [], f.feeTaker.address.toLowerCase() as Address);
    const built = buildCircuitInput({ state, batch, domain, queueHashStart: 0n, nOps: ZK_SLOTS });
    const { proof } = await queue.submit(built.input);
    return { built, batch, proof: proofCalldata(proof) };
  }

  it("submitZkBatch_fullOfQueueEntries_acceptedPastAnOverdueEntryAndFewerRefused", async () => {
    const f = await networkHelpers.loadFixture(deployFixture);
    // Queue: alice's CreateAccount, three deposits to her account and a forced exit (5 > 4 slots).
    const alice = f.alice.address.toLowerCase() as Address;
    const entries: QueueEntry[] = [
      { kind: QueueKind.CreateAccount, l1Address: alice, tokenId: ETH, accountIdx: 0, amount: DEPOSIT, Ax: aliceKey!.Ax, Ay: aliceKey!.Ay },
    ];
    for (const amount of [1n, 2n, 3n]) {
      await f.bridge.connect(f.alice).deposit(2, ETH, amount, { value: amount + QUEUE_FEE });
      entries.push({ kind: QueueKind.Deposit, l1Address: alice, tokenId: ETH, accountIdx: 2, amount, Ax: 0n, Ay: 0n });
    }
    await f.bridge.connect(f.alice).forcedExit(2, { value: QUEUE_FEE });
    const full = await provenQueueBatch(f, entries.slice(0, ZK_SLOTS));
    const short = await provenQueueBatch(f, entries.slice(0, ZK_SLOTS - 1));
    await networkHelpers.time.increaseTo((await f.bridge.queueDeadline(4)) + 1n);
    // Three entries leave the overdue entry 3 behind, with a valid proof.
    await expect(f.rollup.connect(f.proposer).submitZkBatch({ ...zkSubmission(short.built, short.batch), queueEnd: 3n }, short.built.payload, short.built.commitment.c, short.proof))
      .to.be.revertedWithCustomError(f.rollup, "QueueEntryOverdue")
      .withArgs(3, await f.bridge.queueDeadline(3));
    // A batch of zkSlots queue entries is always valid: it leaves overdue entry 4 behind.
    expect(await f.rollup.effectiveDeadline(4)).to.be.lessThan(BigInt(await networkHelpers.time.latest()));
    await expect(f.rollup.connect(f.proposer).submitZkBatch({ ...zkSubmission(full.built, full.batch), queueEnd: 4n }, full.built.payload, full.built.commitment.c, full.proof))
      .to.emit(f.rollup, "BatchFinalized")
      .withArgs(0);
    expect(await f.rollup.lastQueueEnd()).to.equal(4n);
    expect(await f.rollup.lastStateRoot()).to.equal(full.built.result.postStateRoot);
  });

  it("submitZkBatch_inExodus_revertsExodusActiveEvenWithAValidProof", async () => {
    const f = await networkHelpers.loadFixture(deployFixture);
    const { built, batch, proof } = await provenBatch(f);
    const dueAt = await f.rollup.exodusDueAt(0);
    expect(dueAt).to.equal((await f.bridge.queueDeadline(0)) + DAY);
    await networkHelpers.time.increaseTo(dueAt + 1n);
    await expect(f.rollup.activateExodus(0)).to.emit(f.rollup, "ExodusActivated").withArgs(0, 0, await f.rollup.genesisStateRoot(), 0);
    await expect(f.rollup.connect(f.proposer).submitZkBatch(zkSubmission(built, batch), built.payload, built.commitment.c, proof)).to.be.revertedWithCustomError(
      f.rollup,
      "ExodusActive",
    );
  });

  it("challenge_zkBatchKeptByExodus_revertsExodusActive", async () => {
    const f = await networkHelpers.loadFixture(deployFixture);
    const { built, batch, proof } = await provenBatch(f);
    await f.rollup.connect(f.proposer).submitZkBatch(zkSubmission(built, batch), built.payload, built.commitment.c, proof);
    await f.bridge.connect(f.alice).forcedExit(2, { value: QUEUE_FEE });
    const dueAt = await f.rollup.exodusDueAt(1);
    await networkHelpers.time.increaseTo(dueAt + 1n);
    await expect(f.rollup.activateExodus(1)).to.emit(f.rollup, "ExodusActivated").withArgs(1, 1, built.result.postStateRoot, 1);
    const header: BatchHeader = {
      index: 0n,
      parentCommitment: ethers.ZeroHash,
      dataHash: keccak256(built.payload),
      queueStart: 0n,
      queueEnd: 1n,
      queueHashEnd: built.queueHashEnd,
      preStateRoot: built.result.preStateRoot,
      postStateRoot: built.result.postStateRoot,
      withdrawalsRoot: built.result.withdrawalsRoot,
      stepsRoot: ethers.ZeroHash,
      stepCount: 2n + 4n,
      feeRecipient: batch.feeRecipient,
      feeTokens: batch.feeTokens,
    };
    expect((await f.rollup.batches(0)).commitment).to.equal(batchCommitment(header));
    // The proven batch is still in its challenge window: only the exodus refuses the game.
    expect(await f.rollup.finalizableAt(0)).to.be.greaterThan(BigInt(await networkHelpers.time.latest()) + 1n);
    await expect(f.game.challenge(0, header, { value: await f.game.challengeBond() })).to.be.revertedWithCustomError(f.rollup, "ExodusActive");
  });

});
