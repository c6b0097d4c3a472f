/**
 * The input of the ZK batch circuit (`circuits/zk-batch.circom`) from a core pre-state and a
 * batch, replaying the batch with core's `BatchExecutor` step by step so that every Merkle
 * path and every account read is the one core's state has at that step. Pure: the sequencer's
 * commitment builder builds each ZK batch's input with it, the prover proves it.
 */
import { type Account, accountLeaf } from "./account.js";
import { addressToBigInt } from "./bytes.js";
import { type ZkDataCommitment, zkDataCommitment, zkPublicInput } from "./commitments.js";
import { InvalidParameterError } from "./errors.js";
import { decodeFloat40 } from "./float.js";
import { poseidon8 } from "./hash.js";
import { type MerkleProof } from "./merkle.js";
import { type L2Op, encodeBatchPayload } from "./ops.js";
import { EXIT_INDEX, FEE_SLOTS } from "./params.js";
import { type QueueEntry, QueueKind, nextQueueHash } from "./queue.js";
import { decodeWireSignature } from "./signature.js";
import { type L2State } from "./state.js";
import { type Batch, type BatchResult, BatchExecutor } from "./stf.js";

/**
 * A circuit input value: a decimal field element, or nested arrays of them.
 *
 * @example
 * const feeTokens: CircuitValue = ["0", "1", "4294967295", "4294967295"]
 */
export type CircuitValue = string | CircuitValue[];

/**
 * The JSON input of the circuit, signal name to value.
 *
 * @example
 * const { input }: { input: CircuitInput } = buildCircuitInput({ state, batch, domain, queueHashStart: 0n, nOps: 4 })
 */
export type CircuitInput = Record<string, CircuitValue>;

/**
 * Parameters of `buildCircuitInput`.
 *
 * @example
 * const parameters: BuildCircuitInputParameters = { state, batch, domain, queueHashStart: 0n, nOps: 4 }
 */
export interface BuildCircuitInputParameters {
  /** The pre-state; it is cloned, not mutated. */
  readonly state: L2State;
  /** Queue entries, ZK ops with the signatures the prover holds, and the header. */
  readonly batch: Batch;
  /** `domainSeparator(...)` of the deployment. */
  readonly domain: bigint;
  /** Rolling queue hash before the batch's first queue entry. */
  readonly queueHashStart: bigint;
  /** Step slots of the circuit; the batch's queue entries and ops must fit. */
  readonly nOps: number;
}

/**
 * What `buildCircuitInput` returns.
 *
 * @example
 * const { input, publicInput, payload, commitment }: BuildCircuitInputReturnType = buildCircuitInput(parameters)
 */
export interface BuildCircuitInputReturnType {
  /** The circuit input, ready for the witness calculator. */
  readonly input: CircuitInput;
  /** The public input as core computes it (`zkPublicInput`). */
  readonly publicInput: bigint;
  /** core's result for the batch (ZK mode). */
  readonly result: BatchResult;
  /** The batch payload posted on L1 (`encodeBatchPayload(ops, params, "zk")`). */
  readonly payload: Uint8Array;
  /** The payload's ZK data commitment. */
  readonly commitment: ZkDataCommitment;
  readonly queueHashEnd: bigint;
}

/** A point on BabyJubJub used where no signature is checked (the identity). */
const NO_POINT = { x: 0n, y: 1n };

interface SlotInput {
  isCreate: bigint;
  isDeposit: bigint;
  isExit: bigint;
  isL2: bigint;
  qTokenId: bigint;
  qAccountIdx: bigint;
  qL1Address: bigint;
  qAmount: bigint;
  qAx: bigint;
  qAy: bigint;
  fromIdx: bigint;
  toIdx: bigint;
  amountF: bigint;
  feeF: bigint;
  R8x: bigint;
  R8y: bigint;
  S: bigint;
  a: AccountRead;
  b: AccountRead;
}

interface AccountRead {
  tokenNonce: bigint;
  balance: bigint;
  Ax: bigint;
  Ay: bigint;
  ethAddr: bigint;
  present: bigint;
  children: bigint[][];
}

const EMPTY_SLOT: Omit<SlotInput, "a" | "b"> = {
  isCreate: 0n,
  isDeposit: 0n,
  isExit: 0n,
  isL2: 0n,
  qTokenId: 0n,
  qAccountIdx: 0n,
  qL1Address: 0n,
  qAmount: 0n,
  qAx: 0n,
  qAy: 0n,
  fromIdx: 0n,
  toIdx: 0n,
  amountF: 0n,
  feeF: 0n,
  R8x: NO_POINT.x,
  R8y: NO_POINT.y,
  S: 0n,
};

/** Per level, the 8 children of the path node with the path's own value in place. */
function pathChildren(index: number, leaf: bigint, proof: MerkleProof): bigint[][] {
  const children: bigint[][] = [];
  let value = leaf;
  let position = index;
  for (const siblings of proof) {
    const digit = position % 8;
    const node = [...siblings.slice(0, digit), value, ...siblings.slice(digit)];
    children.push(node);
    value = poseidon8(node);
    position = Math.floor(position / 8);
  }
  return children;
}

/**
 * Reads an account as the circuit does: at the index's low 3·levels bits (an index beyond the
 * tree reads a real leaf but counts as no account), with the Merkle path from `proofState`
 * (a tree whose siblings on that path equal those of the tree the account is read from).
 */
function readAccount(account: Account | undefined, index: number, proofState: L2State): AccountRead {
  const leaf = account ? accountLeaf(account) : 0n;
  return {
    tokenNonce: account ? BigInt(account.tokenId) + (BigInt(account.nonce) << 32n) : 0n,
    balance: account?.balance ?? 0n,
    Ax: account?.Ax ?? 0n,
    Ay: account?.Ay ?? 0n,
    ethAddr: account ? addressToBigInt(account.ethAddr) : 0n,
    present: account ? 1n : 0n,
    children: pathChildren(index, leaf, proofState.proof(index)),
  };
}

function queueSlot(entry: QueueEntry, state: L2State, exec: BatchExecutor): SlotInput {
  const capacity = state.params.capacity;
  const aIdx = entry.kind === QueueKind.CreateAccount ? state.nextAccountIndex : entry.accountIdx;
  const aPath = aIdx % capacity;
  const aRead = readAccount(state.account(aPath), aPath, state);
  exec.applyQueueEntry(entry);
  return {
    ...EMPTY_SLOT,
    isCreate: entry.kind === QueueKind.CreateAccount ? 1n : 0n,
    isDeposit: entry.kind === QueueKind.Deposit ? 1n : 0n,
    isExit: entry.kind === QueueKind.ForcedExit ? 1n : 0n,
    qTokenId: BigInt(entry.tokenId),
    qAccountIdx: BigInt(entry.accountIdx),
    qL1Address: addressToBigInt(entry.l1Address),
    qAmount: entry.amount,
    qAx: entry.Ax,
    qAy: entry.Ay,
    a: aRead,
    b: readAccount(undefined, 0, state),
  };
}

function l2Slot(op: L2Op, state: L2State, exec: BatchExecutor): SlotInput {
  const capacity = state.params.capacity;
  const aPath = op.fromIdx % capacity;
  const bPath = op.toIdx % capacity;
  const senderBefore = state.account(aPath);
  const receiverBefore = state.account(bPath);
  const senderExists = op.fromIdx < capacity && senderBefore !== undefined;
  const aRead = readAccount(senderBefore, aPath, state);

  let signature = { R8: NO_POINT, S: 0n };
  if (senderExists) {
    if (!op.signature) {
      throw new InvalidParameterError(`the op from ${op.fromIdx} has no signature: the circuit checks every op whose sender exists`);
    }
    signature = decodeWireSignature(op.signature);
  }

  const step = exec.applyL2Op(op);
  // The sender as written by the first of the two updates.
  let senderAfter = senderBefore;
  if (step.outcome === "Applied") {
    const written = state.account(aPath)!;
    const selfTransfer = op.toIdx === op.fromIdx && op.toIdx !== EXIT_INDEX;
    senderAfter = selfTransfer ? { ...written, balance: written.balance - decodeFloat40(op.amountFloat40) } : written;
  }
  const receiverRead = bPath === aPath ? senderAfter : receiverBefore;
  return {
    ...EMPTY_SLOT,
    isL2: 1n,
    fromIdx: BigInt(op.fromIdx),
    toIdx: BigInt(op.toIdx),
    amountF: BigInt(op.amountFloat40),
    feeF: BigInt(op.feeFloat8),
    R8x: signature.R8.x,
    R8y: signature.R8.y,
    S: signature.S,
    a: aRead,
    // Only B's own leaf changes between the intermediate tree and the tree after the step,
    // so B's siblings are read from the latter.
    b: readAccount(receiverRead, bPath, state),
  };
}

function emptySlot(state: L2State): SlotInput {
  const empty = readAccount(undefined, 0, state);
  return { ...EMPTY_SLOT, a: empty, b: empty };
}

const dec = (v: bigint): string => v.toString();

function toCircuitInput(slots: SlotInput[], header: Record<string, CircuitValue>): CircuitInput {
  const input: CircuitInput = { ...header };
  const scalar = Object.keys(EMPTY_SLOT) as (keyof typeof EMPTY_SLOT)[];
  for (const key of scalar) input[key] = slots.map((s) => dec(s[key]));
  for (const side of ["a", "b"] as const) {
    for (const field of ["tokenNonce", "balance", "Ax", "Ay", "ethAddr", "present"] as const) {
      input[`${side}${field[0]!.toUpperCase()}${field.slice(1)}`] = slots.map((s) => dec(s[side][field]));
    }
    input[`${side}Children`] = slots.map((s) => s[side].children.map((level) => level.map(dec)));
  }
  return input;
}

/**
 * The circuit input for one ZK batch, and what core says its public input is.
 *
 * @example
 * const { input, publicInput } = buildCircuitInput({ state, batch, domain, queueHashStart: 0n, nOps: 4 })
 * input.publicInput === publicInput.toString() // true; prove `input` with the circuit (prover/)
 */
export function buildCircuitInput(parameters: BuildCircuitInputParameters): BuildCircuitInputReturnType {
  const { batch, domain, queueHashStart, nOps } = parameters;
  const steps = batch.queueEntries.length + batch.ops.length;
  if (steps > nOps) throw new InvalidParameterError(`the batch has ${steps} steps, the circuit ${nOps} slots`);
  if (batch.feeTokens.length !== FEE_SLOTS) throw new InvalidParameterError(`a batch names ${FEE_SLOTS} fee tokens`);

  const state = parameters.state.clone();
  const preAccountsRoot = state.accountsRoot;
  const preNextIndex = state.nextAccountIndex;
  const exec = new BatchExecutor(state, batch, { domain, mode: "zk" });
  const slots: SlotInput[] = [];
  for (const entry of batch.queueEntries) slots.push(queueSlot(entry, state, exec));
  for (const op of batch.ops) slots.push(l2Slot(op, state, exec));
  while (slots.length < nOps) slots.push(emptySlot(state));
  const result = exec.finish();

  const queueHashEnd = batch.queueEntries.reduce(nextQueueHash, queueHashStart);
  const payload = encodeBatchPayload(batch.ops, state.params, "zk");
  const commitment = zkDataCommitment(payload);
  const publicInput = zkPublicInput({
    domain,
    preStateRoot: result.preStateRoot,
    postStateRoot: result.postStateRoot,
    withdrawalsRoot: result.withdrawalsRoot,
    queueHashStart,
    queueHashEnd,
    z: commitment.z,
    y: commitment.y,
    feeRecipient: batch.feeRecipient,
    feeTokens: batch.feeTokens,
    payloadLength: payload.length,
  });

  const input = toCircuitInput(slots, {
    publicInput: dec(publicInput),
    domain: dec(domain),
    accountsRoot: dec(preAccountsRoot),
    nextAccountIndex: dec(BigInt(preNextIndex)),
    queueHashStart: dec(queueHashStart),
    feeRecipient: dec(addressToBigInt(batch.feeRecipient)),
    feeTokens: batch.feeTokens.map((t) => dec(BigInt(t))),
    dataHash: dec(commitment.e),
  });
  return { input, publicInput, result, payload, commitment, queueHashEnd };
}
