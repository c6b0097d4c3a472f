import { expect } from "chai";
import { network } from "hardhat";
import { ContractFactory, keccak256 } from "ethers";
import {
  type Address,
  type Batch,
  L2State,
  QueueKind,
  buildWithdrawalTree,
  evaluateChunks,
  resolveParams,
  zkDataCommitment,
  zkPublicInput,
} from "../../core/index.js";
import { ProverQueue, proofCalldata } from "../../prover/prover.js";
import { compileVerifier, generateVerifierSource, verifierName } from "../../prover/verifier.js";
import { type BuildCircuitInputReturnType, buildCircuitInput } from "../../core/zk-witness.js";
import { type BatchHeader, submission } from "../helpers/batches.js";
import { deployRollup } from "../../scripts/lib/deploy-rollup.js";
import { anyValue } from "@nomicfoundation/hardhat-ethers-chai-matchers/withArgs";
import { ETH } from "../core/fixtures.js";
import { ZK_LEVELS, ZK_SLOTS, signedBatch, users, zkTestKeys } from "../prover/zk-fixture.js";

const { ethers, networkHelpers } = await network.create();

const [aliceKey] = users;
const DEPOSIT = ethers.parseEther("3");
const WITHDRAW = ethers.parseEther("1");

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

  /** Rollup at levels 2 with the generated verifier; alice created her account on L1 (3 ETH). */
  async function deployFixture() {
    const deployment = await deployRollup(ethers, { levels: ZK_LEVELS });
    const [deployer, proposer, alice, feeTaker, relayer] = await ethers.getSigners();
    const { bridge, rollup } = deployment;
    const verifier = await new ContractFactory(verifierArtifact.abi as never, verifierArtifact.bytecode, deployer).deploy();
    await verifier.waitForDeployment();
    await rollup.setZkVerifier(await verifier.getAddress(), ZK_LEVELS, ZK_SLOTS);
    await rollup.grantRole(await rollup.PROPOSER_ROLE(), proposer!.address);
    await bridge.connect(alice!).createAccount(ETH, DEPOSIT, aliceKey!.Ax, aliceKey!.Ay, { value: DEPOSIT });
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

  function publicInputWith(built: BuildCircuitInputReturnType, batch: Batch, domain: bigint, changes: { postStateRoot?: bigint; z?: bigint; y?: bigint }) {
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
    });
  }

  it("submitZkBatch_validProof_finalAtOnceAndWithdrawalClaimableWithExactBalances", async () => {
    const f = await networkHelpers.loadFixture(deployFixture);
    const { built, batch, proof } = await provenBatch(f);
    expect(built.payload.length).to.equal(2 * 1 + 6);
    const tx = f.rollup.connect(f.proposer).submitZkBatch(zkSubmission(built, batch), built.payload, built.commitment.z, proof);
    await expect(tx)
      .to.emit(f.rollup, "ZkBatchProven")
      .withArgs(0, anyValue, 0, built.commitment.z, built.commitment.y, built.publicInput);
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
    await expect(f.rollup.connect(f.proposer).submitZkBatch(zkSubmission(built, batch), built.payload, built.commitment.z, tampered))
      .to.be.revertedWithCustomError(f.rollup, "InvalidZkProof")
      .withArgs(0, built.publicInput);
  });

  it("submitZkBatch_tamperedPayloadByte_revertsInvalidZkProof", async () => {
    const f = await networkHelpers.loadFixture(deployFixture);
    const { built, batch, proof } = await provenBatch(f);
    const payload = Uint8Array.from(built.payload);
    payload[3] = payload[3]! ^ 0x01;
    const y = evaluateChunks(zkDataCommitment(payload).chunks, built.commitment.z);
    await expect(f.rollup.connect(f.proposer).submitZkBatch(zkSubmission(built, batch), payload, built.commitment.z, proof))
      .to.be.revertedWithCustomError(f.rollup, "InvalidZkProof")
      .withArgs(0, publicInputWith(built, batch, BigInt(await f.rollup.domain()), { y }));
  });

  it("submitZkBatch_wrongPostRoot_revertsInvalidZkProof", async () => {
    const f = await networkHelpers.loadFixture(deployFixture);
    const { built, batch, proof } = await provenBatch(f);
    const postStateRoot = built.result.postStateRoot + 1n;
    await expect(f.rollup.connect(f.proposer).submitZkBatch(zkSubmission(built, batch, { postStateRoot }), built.payload, built.commitment.z, proof))
      .to.be.revertedWithCustomError(f.rollup, "InvalidZkProof")
      .withArgs(0, publicInputWith(built, batch, BigInt(await f.rollup.domain()), { postStateRoot }));
  });

  it("submitZkBatch_wrongZ_revertsInvalidZkProof", async () => {
    const f = await networkHelpers.loadFixture(deployFixture);
    const { built, batch, proof } = await provenBatch(f);
    const z = built.commitment.z + 1n;
    const y = evaluateChunks(built.commitment.chunks, z);
    await expect(f.rollup.connect(f.proposer).submitZkBatch(zkSubmission(built, batch), built.payload, z, proof))
      .to.be.revertedWithCustomError(f.rollup, "InvalidZkProof")
      .withArgs(0, publicInputWith(built, batch, BigInt(await f.rollup.domain()), { z, y }));
  });

  it("submitZkBatch_afterUnfinalOptimisticBatch_revertsZkParentNotFinal", async () => {
    const f = await networkHelpers.loadFixture(deployFixture);
    const { built, batch, proof } = await provenBatch(f);
    await f.rollup.connect(f.proposer).depositBond({ value: ethers.parseEther("1") });
    await f.rollup.connect(f.proposer).submitBatch(submission({ queueEnd: 0n }), "0x");
    await expect(f.rollup.connect(f.proposer).submitZkBatch(zkSubmission(built, batch), built.payload, built.commitment.z, proof))
      .to.be.revertedWithCustomError(f.rollup, "ZkParentNotFinal")
      .withArgs(0);
  });

  it("challenge_provenZkBatch_revertsBatchAlreadyFinalized", async () => {
    const f = await networkHelpers.loadFixture(deployFixture);
    const { built, batch, proof } = await provenBatch(f);
    await f.rollup.connect(f.proposer).submitZkBatch(zkSubmission(built, batch), built.payload, built.commitment.z, proof);
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

  it("setZkVerifier_secondCallOrWrongLevels_reverts", async () => {
    const f = await networkHelpers.loadFixture(deployFixture);
    await expect(f.rollup.setZkVerifier(f.alice.address, ZK_LEVELS, ZK_SLOTS))
      .to.be.revertedWithCustomError(f.rollup, "ZkVerifierAlreadySet")
      .withArgs(await f.verifier.getAddress());
    const other = await deployRollup(ethers, { levels: ZK_LEVELS });
    await expect(other.rollup.setZkVerifier(f.alice.address, 8, ZK_SLOTS))
      .to.be.revertedWithCustomError(other.rollup, "ZkLevelsMismatch")
      .withArgs(8, ZK_LEVELS);
  });

  it("submitZkBatch_moreOpsThanSlots_revertsTooManyZkOps", async () => {
    const f = await networkHelpers.loadFixture(deployFixture);
    const payload = new Uint8Array(8 * 4);
    const { built, batch } = await provenBatch(f);
    await expect(f.rollup.connect(f.proposer).submitZkBatch(zkSubmission(built, batch), payload, 1n, new Array(8).fill(0n)))
      .to.be.revertedWithCustomError(f.rollup, "TooManyZkOps")
      .withArgs(5, ZK_SLOTS);
  });
});
