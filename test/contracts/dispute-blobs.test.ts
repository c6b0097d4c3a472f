import { expect } from "chai";
import { network } from "hardhat";
import { keccak_256 } from "@noble/hashes/sha3.js";
import type { Signer } from "ethers";
import { concatHex, encodeFunctionData, keccak256 } from "viem";
import {
  type Address,
  type Batch,
  type BatchResult,
  type L2Op,
  type QueueEntry,
  BLOB_HEADER_BYTES,
  L2State,
  NO_TOKEN,
  QueueKind,
  StepTrace,
  applyBatch,
  bytesToHex,
  decodeBatchPayload,
  encodeBlobPayload,
  encodeFloat40,
  encodeFloat8,
  l2OpMessage,
  opElementRange,
  opRecordSize,
  publicKeyOf,
  resolveParams,
  rollupAbi,
  signMessage,
} from "../../core/index.js";
import { deployRollup } from "../../scripts/lib/deploy-rollup.js";
import { type BatchHeader, batchCommitment, calldataDataHash, submission } from "../helpers/batches.js";
import { rawSender, stepOpenings, submitBlobBatchData, versionedHashes } from "../helpers/blob-tx.js";
import { batchPayload, buildStepWitness, stepOpProof } from "../helpers/one-step.js";
import {
  type Party,
  type StepData,
  type StepProver,
  GameEndReason,
  GameStatus,
  bisect,
  claimedRoots,
  faultySteps,
  faults,
  honestChallenger,
  honestDefender,
  honestSteps,
  playGame,
  readGame,
} from "../helpers/dispute.js";

// Fraud proofs over blob batches (docs/protocol.md §9, contracts/libraries/BlobReader.sol):
// the disputed op is read on L1 through KZG openings checked by the point-evaluation
// precompile, from real type-3 transactions with real commitments.

const { ethers, provider, networkHelpers } = await network.create();

const LEVELS = 2;
const params = resolveParams({ levels: LEVELS });
const RECORD_SIZE = opRecordSize(params, "optimistic");
const ETH = 0;
const ETHER = 10n ** 18n;
const MIN_BOND = 10n ** 18n;
const CHALLENGE_BOND = 10n ** 17n;
const QUEUE_FEE = 10n ** 15n;
const FEE_RECIPIENT = "0x000000000000000000000000000000000000fee5" as Address;
const FEE_TOKENS = [ETH, NO_TOKEN, NO_TOKEN, NO_TOKEN];
// The blob proposer signs locally (Hardhat takes type-3 transactions raw only).
const proposer = rawSender({ provider, ethers }, bytesToHex(keccak_256(new TextEncoder().encode("blob dispute proposer"))));

interface L2User {
  readonly address: Address;
  readonly privateKey: Uint8Array;
  readonly x: bigint;
  readonly y: bigint;
}

function l2User(address: string, seed: string): L2User {
  const privateKey = keccak_256(new TextEncoder().encode(seed));
  const { x, y } = publicKeyOf(privateKey);
  return { address: address.toLowerCase() as Address, privateKey, x, y };
}

function signedOp(from: L2User, op: { fromIdx: number; toIdx: number; amount: bigint; fee: bigint }, nonce: number, domain: bigint): L2Op {
  const unsigned: L2Op = { fromIdx: op.fromIdx, toIdx: op.toIdx, amountFloat40: encodeFloat40(op.amount), feeFloat8: encodeFloat8(op.fee) };
  return { ...unsigned, signature: signMessage(from.privateKey, l2OpMessage(unsigned, { tokenId: ETH, nonce }, domain)) };
}

/** An all-zero op record: fromIdx 0 holds no account, so it is skipped (UnknownSender). */
const ZERO_OP = decodeBatchPayload(new Uint8Array(RECORD_SIZE), params, "optimistic")[0]!;

async function fixture() {
  const deployment = await deployRollup(ethers, { levels: LEVELS, challengeBond: CHALLENGE_BOND, inclusionWindow: 30n * 24n * 3600n });
  const [deployer, aliceSigner, bobSigner, challenger, keeper] = await ethers.getSigners();
  const { rollup, bridge, game } = deployment;
  await (await deployer!.sendTransaction({ to: proposer.account.address, value: 10n * ETHER })).wait();
  await rollup.grantRole(await rollup.PROPOSER_ROLE(), proposer.account.address);
  const rollupAddress = (await rollup.getAddress()) as Address;
  await proposer.send(rollupAddress, encodeFunctionData({ abi: rollupAbi, functionName: "depositBond" }), [], MIN_BOND);
  const alice = l2User(aliceSigner!.address, "blob dispute alice");
  const bob = l2User(bobSigner!.address, "blob dispute bob");
  await bridge.connect(aliceSigner!).createAccount(ETH, 10n * ETHER, alice.x, alice.y, { value: 10n * ETHER + QUEUE_FEE });
  await bridge.connect(bobSigner!).createAccount(ETH, 5n * ETHER, bob.x, bob.y, { value: 5n * ETHER + QUEUE_FEE });
  const domain: bigint = await rollup.domain();
  const create = (u: L2User, amount: bigint): QueueEntry => ({
    kind: QueueKind.CreateAccount, l1Address: u.address, tokenId: ETH, accountIdx: 0, amount, Ax: u.x, Ay: u.y,
  });
  const queueEntries = [create(alice, 10n * ETHER), create(bob, 5n * ETHER)];
  // 2 queue steps, 3 L2 ops (steps 2–4: a transfer, a withdrawal, a skipped overdraft), 4 fee payouts.
  const ops = [
    signedOp(alice, { fromIdx: 2, toIdx: 3, amount: ETHER, fee: 10n ** 16n }, 0, domain),
    signedOp(bob, { fromIdx: 3, toIdx: 1, amount: 2n * ETHER, fee: 10n ** 16n }, 0, domain),
    signedOp(alice, { fromIdx: 2, toIdx: 3, amount: 100n * ETHER, fee: 0n }, 1, domain),
  ];
  return { ...deployment, game, rollupAddress, challenger: challenger!, keeper: keeper!, alice, bob, domain, queueEntries, ops };
}

type Fixture = Awaited<ReturnType<typeof fixture>>;

/** A batch as executed off chain from a given pre-state. */
interface Executed {
  readonly batch: Batch;
  readonly result: BatchResult;
  readonly honest: StepTrace;
  readonly prove: StepProver;
}

function execute(f: Fixture, ops: readonly L2Op[]): Executed {
  const batch: Batch = { queueEntries: f.queueEntries, ops, feeRecipient: FEE_RECIPIENT, feeTokens: FEE_TOKENS };
  const result = applyBatch(L2State.genesis(params), batch, { domain: f.domain, mode: "optimistic" });
  return {
    batch,
    result,
    honest: honestSteps(result),
    prove: (step) => {
      const w = buildStepWitness(L2State.genesis(params), batch, f.domain, step);
      return { pre: w.pre, proof: w.proof };
    },
  };
}

/** Posts `blobs` as batch 0 (the proposer's roots from `list`) and returns the header. */
async function submitBlobs(f: Fixture, blobs: readonly Uint8Array[], payloadLength: number, list: StepTrace): Promise<BatchHeader> {
  const queueEnd = BigInt(f.queueEntries.length);
  const roots = claimedRoots(list);
  const s = submission({ queueEnd, ...roots, stepsRoot: list.root, feeRecipient: FEE_RECIPIENT, feeTokens: FEE_TOKENS });
  const receipt = await proposer.send(f.rollupAddress, submitBlobBatchData(s, payloadLength, blobs.length), blobs);
  expect(receipt.status).to.equal(1);
  const header: BatchHeader = {
    index: 0n,
    parentCommitment: `0x${"00".repeat(32)}`,
    dataHash: keccak256(concatHex(versionedHashes(blobs))),
    queueStart: 0n,
    queueEnd,
    queueHashEnd: await f.bridge.queueHash(queueEnd),
    preStateRoot: await f.rollup.genesisStateRoot(),
    postStateRoot: roots.postStateRoot,
    withdrawalsRoot: roots.withdrawalsRoot,
    stepsRoot: list.root,
    stepCount: BigInt(list.leaves.length - 1),
    feeRecipient: ethers.getAddress(FEE_RECIPIENT),
    feeTokens: FEE_TOKENS,
  };
  expect((await f.rollup.batches(0)).commitment).to.equal(batchCommitment(header));
  return header;
}

/**
 * A challenger that narrows the game to [target, target + 1] against a defender whose step
 * hashes up to `target` are the honest ones of `x`: its own trace agrees with those and
 * differs from every later one.
 */
function targetChallenger(signer: Signer, x: Executed, target: number, data: StepData, prove?: StepProver): Party {
  return honestChallenger(signer, faultySteps(x.result, target + 1, faults.feeTotals), data, prove, `challenger aiming at step ${target}`);
}

async function play(f: Fixture, header: BatchHeader, defenderList: StepTrace, challenger: Party) {
  const gameId: bigint = await f.game.gameCount();
  await f.game.connect(f.challenger).challenge(header.index, header, { value: CHALLENGE_BOND });
  const record = await playGame({
    game: f.game,
    gameId,
    header,
    // Defender moves reveal committed data only: anyone may make them.
    defender: honestDefender(f.keeper, defenderList),
    challenger,
    keeper: f.keeper,
    increaseTime: (s) => networkHelpers.time.increase(s),
  });
  const proven = record.resolution.logs.map((l) => f.game.interface.parseLog(l)).find((l) => l?.name === "StepProven");
  const resolved = record.resolution.logs.map((l) => f.game.interface.parseLog(l)).find((l) => l?.name === "GameResolved");
  return { gameId, record, proven: proven?.args.toArray(), resolved: resolved?.args.toArray() };
}

/** Plays the bisection until the game awaits the one-step proof at `target`. */
async function bisectTo(f: Fixture, x: Executed, header: BatchHeader, defenderList: StepTrace, target: number): Promise<bigint> {
  const gameId: bigint = await f.game.gameCount();
  await f.game.connect(f.challenger).challenge(header.index, header, { value: CHALLENGE_BOND });
  await bisect(f.game, gameId, header, honestDefender(f.keeper, defenderList), targetChallenger(f.challenger, x, target, "0x"));
  expect((await readGame(f.game, gameId)).lo).to.equal(target);
  return gameId;
}

describe("DisputeGame over blob batches", () => {
  it("proveBlobStep_faultyTransfer_challengerWinsReadingTheOpFromKzgOpenings", async () => {
    const f = await networkHelpers.loadFixture(fixture);
    const x = execute(f, f.ops);
    const payload = batchPayload(x.batch, params);
    const blobs = encodeBlobPayload(Buffer.from(payload.slice(2), "hex"));
    // The proposer's state is wrong from step hash 3 on: after the transfer (step 2).
    const faulty = faultySteps(x.result, 3, faults.accountsRoot);
    const header = await submitBlobs(f, blobs, (payload.length - 2) / 2, faulty);
    const openings = stepOpenings(blobs, 2, 3, RECORD_SIZE);
    const { gameId, record, proven, resolved } = await play(f, header, faulty, honestChallenger(f.challenger, x.honest, { blobOpenings: openings }, x.prove));

    expect(record.final.status).to.equal(GameStatus.ChallengerWon);
    expect(record.moves.at(-1)?.move).to.equal("proveStep");
    expect(proven).to.deep.equal([gameId, 2n, bytesToHex(x.honest.leaves[3]!), bytesToHex(faulty.leaves[3]!)]);
    expect(resolved).to.deep.equal([gameId, f.challenger.address, BigInt(GameEndReason.StepDisproved), CHALLENGE_BOND + MIN_BOND / 2n]);
    expect(await f.rollup.batchCount()).to.equal(0n);
    expect(await f.rollup.bonds(proposer.account.address)).to.equal(0n);
    // The op of step 2 sits in stream bytes 31..102: elements 1..3 of blob 0, plus the header.
    expect(opElementRange(0, RECORD_SIZE)).to.deep.equal({ first: 1, count: 3 });
    expect(openings(2).elements).to.have.length(3);
  });

  it("proveBlobStep_honestBatch_everyStepKindConfirmedForTheDefender", async () => {
    const f = await networkHelpers.loadFixture(fixture);
    const x = execute(f, f.ops);
    const payload = batchPayload(x.batch, params);
    const blobs = encodeBlobPayload(Buffer.from(payload.slice(2), "hex"));
    const header = await submitBlobs(f, blobs, (payload.length - 2) / 2, x.honest);
    const openings = stepOpenings(blobs, 2, 3, RECORD_SIZE);
    // Queue step 1, the three op steps (Applied transfer, Applied withdrawal, skipped overdraft), a fee payout.
    for (const target of [1, 2, 3, 4, 5]) {
      const { gameId, record, proven, resolved } = await play(f, header, x.honest, targetChallenger(f.challenger, x, target, { blobOpenings: openings }, x.prove));
      expect(record.final.status, `step ${target}`).to.equal(GameStatus.DefenderWon);
      const leaf = bytesToHex(x.honest.leaves[target + 1]!);
      expect(proven, `step ${target}`).to.deep.equal([gameId, BigInt(target), leaf, leaf]);
      expect(resolved![2], `step ${target}`).to.equal(BigInt(GameEndReason.StepConfirmed));
    }
    expect(await f.rollup.batchCount()).to.equal(1n);
  });

  it("proveBlobStep_wrongInputs_revertWithNamedErrors", async () => {
    const f = await networkHelpers.loadFixture(fixture);
    const x = execute(f, f.ops);
    const payload = batchPayload(x.batch, params);
    const blobs = encodeBlobPayload(Buffer.from(payload.slice(2), "hex"));
    const faulty = faultySteps(x.result, 4, faults.accountsRoot);
    const header = await submitBlobs(f, blobs, (payload.length - 2) / 2, faulty);
    const gameId = await bisectTo(f, x, header, faulty, 3);
    const game = f.game.connect(f.challenger);
    const { pre, proof } = x.prove(3);
    const good = stepOpenings(blobs, 2, 3, RECORD_SIZE)(3);
    const { first, count } = opElementRange(1, RECORD_SIZE);

    const otherHashes = [bytesToHex(keccak_256(new Uint8Array([1])))];
    await expect(game.proveBlobStep(gameId, header, { ...good, blobHashes: otherHashes }, pre, proof))
      .to.be.revertedWithCustomError(f.game, "BlobHashesMismatch")
      .withArgs(keccak256(concatHex(otherHashes)), header.dataHash);
    await expect(game.proveBlobStep(gameId, header, { ...good, elements: good.elements.slice(1) }, pre, proof))
      .to.be.revertedWithCustomError(f.game, "BlobOpeningCountMismatch")
      .withArgs(count - 1, count);
    const bumped = { ...good.elements[0]!, value: `0x${(BigInt(good.elements[0]!.value) + 1n).toString(16).padStart(64, "0")}` };
    await expect(game.proveBlobStep(gameId, header, { ...good, elements: [bumped, ...good.elements.slice(1)] }, pre, proof))
      .to.be.revertedWithCustomError(f.game, "BlobOpeningInvalid")
      .withArgs(0, first);
    // An opening of another element, offered as the header: its point is not element 0's.
    await expect(game.proveBlobStep(gameId, header, { ...good, header: good.elements[1]! }, pre, proof))
      .to.be.revertedWithCustomError(f.game, "BlobOpeningInvalid")
      .withArgs(0, 0);
    // A commitment to another blob: its versioned hash is not the batch's.
    const other = encodeBlobPayload(new Uint8Array(RECORD_SIZE * 3).fill(9));
    const foreign = stepOpenings(other, 2, 3, RECORD_SIZE)(3);
    await expect(game.proveBlobStep(gameId, header, { ...good, elements: foreign.elements }, pre, proof))
      .to.be.revertedWithCustomError(f.game, "BlobOpeningInvalid")
      .withArgs(0, first);
    // The calldata path cannot prove a blob batch: the op's path leads to the payload's
    // opsRoot, not to the blobs' dataHash.
    await expect(game.proveStep(gameId, header, stepOpProof(payload, 2, RECORD_SIZE, 3), pre, proof))
      .to.be.revertedWithCustomError(f.game, "OpNotInBatch")
      .withArgs(1, calldataDataHash(payload, RECORD_SIZE), header.dataHash);

    await expect(game.proveBlobStep(gameId, header, good, pre, proof))
      .to.emit(f.game, "StepProven")
      .withArgs(gameId, 3, bytesToHex(x.honest.leaves[4]!), bytesToHex(faulty.leaves[4]!));
  });

  it("proveBlobStep_blobsStateAnotherLength_opsReadAsZeroBytes", async () => {
    const f = await networkHelpers.loadFixture(fixture);
    const real = execute(f, f.ops);
    const payload = batchPayload(real.batch, params);
    const payloadLength = (payload.length - 2) / 2;
    const blobs = encodeBlobPayload(Buffer.from(payload.slice(2), "hex"));
    blobs[0]![5] = blobs[0]![5]! - 1; // the header's length field: one byte short of the committed length
    // docs/protocol.md §9: such a batch executes as payloadLength zero bytes, every op skipped.
    const zero = execute(f, [ZERO_OP, ZERO_OP, ZERO_OP]);
    expect(zero.result.steps.slice(2, 5).map((s) => s.outcome)).to.deep.equal(["UnknownSender", "UnknownSender", "UnknownSender"]);
    const openings = stepOpenings(blobs, 2, 3, RECORD_SIZE);

    // A proposer that executed the ops anyway loses on the first op step.
    const header = await submitBlobs(f, blobs, payloadLength, real.honest);
    const { record, resolved } = await play(f, header, real.honest, honestChallenger(f.challenger, zero.honest, { blobOpenings: openings }, zero.prove));
    expect(record.final.status).to.equal(GameStatus.ChallengerWon);
    expect(resolved![2]).to.equal(BigInt(GameEndReason.StepDisproved));
    expect((await readGame(f.game, 0n)).lo).to.equal(2);

    // A proposer that follows the rule keeps its batch, whatever bytes the elements hold.
    await proposer.send(f.rollupAddress, encodeFunctionData({ abi: rollupAbi, functionName: "depositBond" }), [], MIN_BOND);
    const honestHeader = await submitBlobs(f, blobs, payloadLength, zero.honest);
    const game = await play(f, honestHeader, zero.honest, targetChallenger(f.challenger, zero, 2, { blobOpenings: openings }, zero.prove));
    expect(game.record.final.status).to.equal(GameStatus.DefenderWon);
    expect(game.resolved![2]).to.equal(BigInt(GameEndReason.StepConfirmed));
  });

  it("proveStep_blobBatchsVersionedHashesAsOp_refused", async () => {
    // A 3-blob batch's dataHash is keccak256 of 96 bytes of versioned hashes. proveStep must
    // not take them for an op of a calldata batch, or a griefer could "prove" an honest blob
    // batch's Applied first op as garbage: a record has recordSize bytes and a path of the
    // opsRoot's depth (docs/protocol.md §8).
    const f = await networkHelpers.loadFixture(fixture);
    const ops = [f.ops[0]!, ...Array<L2Op>(3599).fill(ZERO_OP)];
    const x = execute(f, ops);
    const payload = batchPayload(x.batch, params);
    const blobs = encodeBlobPayload(Buffer.from(payload.slice(2), "hex"));
    expect(blobs).to.have.length(3);
    const header = await submitBlobs(f, blobs, ops.length * RECORD_SIZE, x.honest);
    const gameId = await bisectTo(f, x, header, x.honest, 2);
    const { pre, proof } = x.prove(2);
    const hashesAsPayload = concatHex(versionedHashes(blobs));
    expect(keccak256(hashesAsPayload)).to.equal(header.dataHash);
    const game = f.game.connect(f.challenger);
    await expect(game.proveStep(gameId, header, { record: hashesAsPayload, path: [] }, pre, proof))
      .to.be.revertedWithCustomError(f.game, "OpLengthMismatch")
      .withArgs(96, RECORD_SIZE);
    const asRecord = `0x${hashesAsPayload.slice(2, 2 + 2 * RECORD_SIZE)}` as const;
    await expect(game.proveStep(gameId, header, { record: asRecord, path: [] }, pre, proof))
      .to.be.revertedWithCustomError(f.game, "OpProofLengthMismatch")
      .withArgs(0, 12);
    const path = Array.from({ length: 12 }, (_, i) => versionedHashes(blobs)[i % 3]!);
    const root = path.reduce((node, sibling) => keccak256(concatHex([node, sibling])), keccak256(asRecord));
    await expect(game.proveStep(gameId, header, { record: asRecord, path }, pre, proof))
      .to.be.revertedWithCustomError(f.game, "OpNotInBatch")
      .withArgs(0, root, header.dataHash);
    await expect(f.game.connect(f.challenger).proveBlobStep(gameId, header, stepOpenings(blobs, 2, ops.length, RECORD_SIZE)(2), pre, proof))
      .to.emit(f.game, "GameResolved")
      .withArgs(gameId, ethers.getAddress(proposer.account.address), GameEndReason.StepConfirmed, CHALLENGE_BOND);
  });

  it("proveBlobStep_opAcrossTwoBlobs_readsElementsOfBoth", async () => {
    const f = await networkHelpers.loadFixture(fixture);
    // Op k starts at stream byte 31 + 72k; op 1763 spans bytes 126,967..127,038, across the
    // end of blob 0 (126,976 stream bytes).
    const k = Math.floor((4096 * 31 - BLOB_HEADER_BYTES) / RECORD_SIZE);
    const ops = [...Array<L2Op>(k).fill(ZERO_OP), f.ops[0]!];
    const x = execute(f, ops);
    const payload = batchPayload(x.batch, params);
    const blobs = encodeBlobPayload(Buffer.from(payload.slice(2), "hex"));
    expect(blobs).to.have.length(2);
    const step = 2 + k;
    const faulty = faultySteps(x.result, step + 1, faults.accountsRoot);
    const header = await submitBlobs(f, blobs, (payload.length - 2) / 2, faulty);
    const openings = stepOpenings(blobs, 2, ops.length, RECORD_SIZE);
    const { first, count } = opElementRange(k, RECORD_SIZE);
    expect(Math.floor(first / 4096)).to.equal(0);
    expect(Math.floor((first + count - 1) / 4096)).to.equal(1);
    const { gameId, record, proven } = await play(f, header, faulty, honestChallenger(f.challenger, x.honest, { blobOpenings: openings }, x.prove));
    expect(record.final.status).to.equal(GameStatus.ChallengerWon);
    expect(proven).to.deep.equal([gameId, BigInt(step), bytesToHex(x.honest.leaves[step + 1]!), bytesToHex(faulty.leaves[step + 1]!)]);
    expect(x.result.steps[step]!.outcome).to.equal("Applied");
  });
});
