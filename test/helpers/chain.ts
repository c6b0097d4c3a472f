/**
 * An L2 chain driven through the real contracts in tests: L2 users with keys, signed ops,
 * batches executed by core's STF (the reference model) and appended with `Rollup.submitBatch`
 * with the roots core computed, and the step provers of their dispute games.
 */
import { keccak_256 } from "@noble/hashes/sha3.js";
import type { Signer } from "ethers";
import {
  type Address,
  type Batch,
  type BatchResult,
  type Hex,
  type L2Op,
  type QueueEntry,
  type L2State,
  QueueKind,
  applyBatch,
  encodeFloat40,
  encodeFloat8,
  l2OpMessage,
  opRecordSize,
  publicKeyOf,
  signMessage,
} from "../../core/index.js";
import { type BatchHeader, batchCommitment, calldataDataHash, submission } from "./batches.js";
import type { BridgeContract, RollupContract } from "../../scripts/lib/deploy-rollup.js";
import { type StepTrace } from "../../core/index.js";
import { type StepProver, claimedRoots, honestSteps } from "./dispute.js";
import { batchPayload, buildStepWitness } from "./one-step.js";

/** An L1 signer with an L2 key derived from a seed. */
export interface L2User {
  readonly signer: Signer;
  /** The L1 address, lowercase (as core writes it into leaves). */
  readonly address: Address;
  readonly privateKey: Uint8Array;
  readonly x: bigint;
  readonly y: bigint;
}

/**
 * An L2 user for `signer`, its key derived from `seed`.
 *
 * @example
 * const alice = l2User(aliceSigner, "alice")
 */
export function l2User(signer: Signer & { readonly address: string }, seed: string): L2User {
  const privateKey = keccak_256(new TextEncoder().encode(seed));
  const { x, y } = publicKeyOf(privateKey);
  return { signer, address: signer.address.toLowerCase() as Address, privateKey, x, y };
}

/** The queue entry of `user`'s `Bridge.createAccount(tokenId, amount, x, y)`. */
export function createEntry(user: L2User, amount: bigint, tokenId = 0): QueueEntry {
  return { kind: QueueKind.CreateAccount, l1Address: user.address, tokenId, accountIdx: 0, amount, Ax: user.x, Ay: user.y };
}

/** The queue entry of `user`'s `Bridge.deposit(accountIdx, tokenId, amount)`. */
export function depositEntry(user: L2User, accountIdx: number, amount: bigint, tokenId = 0): QueueEntry {
  return { kind: QueueKind.Deposit, l1Address: user.address, tokenId, accountIdx, amount, Ax: 0n, Ay: 0n };
}

/** The queue entry of `user`'s `Bridge.forcedExit(accountIdx)`. */
export function forcedExitEntry(user: L2User, accountIdx: number): QueueEntry {
  return { kind: QueueKind.ForcedExit, l1Address: user.address, tokenId: 0, accountIdx, amount: 0n, Ax: 0n, Ay: 0n };
}

/**
 * A transfer (to index 1: a withdrawal) signed by `from` for its nonce `nonce` and token `tokenId`.
 *
 * @example
 * const op = signedTransfer(alice, { fromIdx: 2, toIdx: 3, amount: 10n, fee: 1n }, 0, domain)
 */
export function signedTransfer(
  from: L2User,
  op: { readonly fromIdx: number; readonly toIdx: number; readonly amount: bigint; readonly fee: bigint },
  nonce: number,
  domain: bigint,
  tokenId = 0,
): L2Op {
  const unsigned: L2Op = { fromIdx: op.fromIdx, toIdx: op.toIdx, amountFloat40: encodeFloat40(op.amount), feeFloat8: encodeFloat8(op.fee) };
  return { ...unsigned, signature: signMessage(from.privateKey, l2OpMessage(unsigned, { tokenId, nonce }, domain)) };
}

/** A batch executed off chain: its ops, core's result, the state it started from. */
export interface BuiltBatch {
  readonly batch: Batch;
  /** The state before the batch (a copy). */
  readonly before: L2State;
  readonly result: BatchResult;
  /** The honest step list (core's states). */
  readonly honest: StepTrace;
  /** The calldata payload of its L2 ops. */
  readonly payload: Hex;
}

/**
 * Executes `batch` on `state` (mutated) with core's STF, optimistic mode.
 *
 * @example
 * const first = buildBatch(state, { queueEntries, ops, feeRecipient, feeTokens }, domain)
 */
export function buildBatch(state: L2State, batch: Batch, domain: bigint): BuiltBatch {
  const before = state.clone();
  const result = applyBatch(state, batch, { domain, mode: "optimistic" });
  return { batch, before, result, honest: honestSteps(result), payload: batchPayload(batch, state.params) };
}

/**
 * The one-step prover of a built batch: the pre-state and witness of any of its steps.
 *
 * @example
 * honestChallenger(watcher, built.honest, built.payload, stepProver(built, domain))
 */
export function stepProver(built: BuiltBatch, domain: bigint): StepProver {
  return (step) => {
    const w = buildStepWitness(built.before, built.batch, domain, step);
    return { pre: w.pre, proof: w.proof };
  };
}

/**
 * Appends `built` with `Rollup.submitBatch` from `proposer`, claiming the roots of `list`
 * (core's honest list by default, or a faulty one), and returns the header it committed to
 * (checked against the stored commitment). The queue range starts at the rollup's last
 * queue end and takes the batch's queue entries. `overrides` go to the transaction.
 *
 * @example
 * const header = await submitBuilt({ rollup, bridge }, proposer, built)
 */
export async function submitBuilt(
  contracts: { readonly rollup: RollupContract; readonly bridge: BridgeContract },
  proposer: Signer,
  built: BuiltBatch,
  list: StepTrace = built.honest,
  overrides: { readonly gasLimit?: bigint } = {},
): Promise<BatchHeader> {
  const { rollup, bridge } = contracts;
  const queueStart: bigint = await rollup.lastQueueEnd();
  const queueEnd = queueStart + BigInt(built.batch.queueEntries.length);
  const roots = claimedRoots(list);
  const feeTokens = built.batch.feeTokens;
  const s = submission({ queueEnd, ...roots, stepsRoot: list.root, feeRecipient: built.batch.feeRecipient, feeTokens });
  const recordSize = opRecordSize(built.before.params, "optimistic");
  const header: BatchHeader = {
    index: await rollup.batchCount(),
    parentCommitment: await rollup.lastCommitment(),
    dataHash: calldataDataHash(built.payload, recordSize),
    queueStart,
    queueEnd,
    queueHashEnd: await bridge.queueHash(queueEnd),
    preStateRoot: await rollup.lastStateRoot(),
    postStateRoot: roots.postStateRoot,
    withdrawalsRoot: roots.withdrawalsRoot,
    stepsRoot: list.root,
    stepCount: BigInt(list.leaves.length - 1),
    feeRecipient: s.feeRecipient,
    feeTokens,
  };
  await (await rollup.connect(proposer).submitBatch(s, built.payload, overrides)).wait();
  const stored = (await rollup.batches(header.index)).commitment;
  if (stored !== batchCommitment(header)) throw new Error(`batch ${header.index}: stored commitment ${stored} is not the header's`);
  return header;
}
