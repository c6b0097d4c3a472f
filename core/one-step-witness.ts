/**
 * Witnesses for the one-step prover (contracts/dispute/OneStepProver.sol): the TypeScript
 * mirror of `StepWitness` in contracts/dispute/IOneStepProver.sol, built from the STF. A pure
 * codec: the challenger uses `buildStepWitness` for the step a dispute narrowed down to;
 * tests and benchmarks use `buildBatchWitnesses` for every step of a batch.
 */
import { type Hex, bytesToHex, encodeAbiParameters, keccak256, sliceHex } from "viem";
import { type Address, readUint } from "./bytes.js";
import { InvariantViolationError, ValueOutOfRangeError } from "./errors.js";
import { type Account } from "./account.js";
import { type L2State } from "./state.js";
import { type QueueEntry, QueueKind } from "./queue.js";
import { type Batch, type MachineState, type Outcome, type StepKind, BatchExecutor } from "./stf.js";
import { EXIT_INDEX, FEE_SLOTS, FIRST_ACCOUNT_INDEX, WITHDRAWAL_LEVELS } from "./params.js";
import { MerkleTree } from "./merkle.js";
import { emptyWithdrawalsRoot, feePayoutPosition, withdrawalLeaf } from "./withdrawals.js";
import { encodeBatchPayload } from "./ops.js";
import { CURVE_A, CURVE_D, FIELD_MODULUS, inv, mod, sqrt } from "./crypto/index.js";

const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000" as Address;

/** The non-residue the contract's certificate uses (BabyJubJub.NON_RESIDUE). */
export const SQRT_NON_RESIDUE = 5n;

/** Mirror of `AccountLeaf`: the preimage of an account leaf. */
export interface AccountLeafWitness {
  readonly tokenId: number;
  readonly nonce: number;
  readonly balance: bigint;
  readonly ax: bigint;
  readonly ay: bigint;
  readonly ethAddr: Address;
}

/** Mirror of `AccountWitness`: one slot of the account tree and its Merkle siblings. */
export interface AccountWitness {
  /** True iff the slot holds an account (false proves a zero leaf). */
  readonly exists: boolean;
  readonly account: AccountLeafWitness;
  /** Per level from the bottom, 7 siblings; empty when the step does not read the slot. */
  readonly siblings: readonly (readonly bigint[])[];
}

/** Mirror of `QueueEntryPreimage`. */
export interface QueueEntryWitness {
  readonly kind: number;
  readonly l1Address: Address;
  readonly tokenId: number;
  readonly accountIdx: number;
  readonly amount: bigint;
  readonly ax: bigint;
  readonly ay: bigint;
}

/** Mirror of `StepWitness` (see its table in IOneStepProver.sol for who reads what). */
export interface StepWitness {
  readonly entry: QueueEntryWitness;
  readonly first: AccountWitness;
  readonly second: AccountWitness;
  readonly r8Hint: bigint;
  /** 5 levels × 7 siblings of the withdrawal position the step may write. */
  readonly withdrawalSiblings: readonly (readonly bigint[])[];
}

/** Mirror of `MachineState` as the contract takes it. */
export interface MachineStateWords {
  readonly accountsRoot: bigint;
  readonly nextAccountIndex: bigint;
  readonly withdrawalsRoot: bigint;
  readonly feeTotals: readonly [bigint, bigint, bigint, bigint];
}

/** Mirror of `StepContext`. */
export interface StepContextWords {
  readonly levels: bigint;
  readonly domain: bigint;
  readonly queueStart: bigint;
  readonly queueEnd: bigint;
  /** L2 ops in the batch. */
  readonly l2Ops: bigint;
  readonly feeRecipient: Address;
  readonly feeTokens: readonly [number, number, number, number];
}

/** Everything needed to call `proveStep` for one step, plus what core says it yields. */
export interface StepProof {
  readonly step: number;
  readonly kind: StepKind;
  /** Core's outcome of the step. */
  readonly outcome: Outcome;
  readonly pre: MachineStateWords;
  readonly witness: StepWitness;
  /** `abi.encode(StepWitness)`: the `proof` argument. */
  readonly proof: Hex;
  /** Core's step hash after the step (`result.stepHashes[step + 1]`). */
  readonly postStepHash: Hex;
}

const ACCOUNT_LEAF_COMPONENTS = [
  { name: "tokenId", type: "uint32" },
  { name: "nonce", type: "uint40" },
  { name: "balance", type: "uint128" },
  { name: "ax", type: "uint256" },
  { name: "ay", type: "uint256" },
  { name: "ethAddr", type: "address" },
] as const;

const ACCOUNT_WITNESS_COMPONENTS = [
  { name: "exists", type: "bool" },
  { name: "account", type: "tuple", components: ACCOUNT_LEAF_COMPONENTS },
  { name: "siblings", type: "uint256[7][]" },
] as const;

/** ABI of `StepWitness`, the one parameter `proof` encodes. */
export const STEP_WITNESS_ABI = [
  {
    name: "witness",
    type: "tuple",
    components: [
      {
        name: "entry",
        type: "tuple",
        components: [
          { name: "kind", type: "uint8" },
          { name: "l1Address", type: "address" },
          { name: "tokenId", type: "uint32" },
          { name: "accountIdx", type: "uint32" },
          { name: "amount", type: "uint128" },
          { name: "ax", type: "uint256" },
          { name: "ay", type: "uint256" },
        ],
      },
      { name: "first", type: "tuple", components: ACCOUNT_WITNESS_COMPONENTS },
      { name: "second", type: "tuple", components: ACCOUNT_WITNESS_COMPONENTS },
      { name: "r8Hint", type: "uint256" },
      { name: "withdrawalSiblings", type: "uint256[7][5]" },
    ],
  },
] as const;

type Word7 = readonly [bigint, bigint, bigint, bigint, bigint, bigint, bigint];

function word7(siblings: readonly bigint[]): Word7 {
  if (siblings.length !== 7) throw new ValueOutOfRangeError(`a proof level has 7 siblings, got ${siblings.length}`);
  return siblings as unknown as Word7;
}

function accountAbi(a: AccountWitness) {
  return {
    exists: a.exists,
    account: {
      tokenId: a.account.tokenId,
      nonce: a.account.nonce,
      balance: a.account.balance,
      ax: a.account.ax,
      ay: a.account.ay,
      ethAddr: a.account.ethAddr,
    },
    siblings: a.siblings.map(word7),
  };
}

/**
 * `abi.encode(StepWitness)`.
 *
 * @example
 * const proof = encodeStepWitness(witness)
 */
export function encodeStepWitness(w: StepWitness): Hex {
  if (w.withdrawalSiblings.length !== WITHDRAWAL_LEVELS) {
    throw new ValueOutOfRangeError(`withdrawalSiblings has ${WITHDRAWAL_LEVELS} levels, got ${w.withdrawalSiblings.length}`);
  }
  return encodeAbiParameters(STEP_WITNESS_ABI, [
    {
      entry: w.entry,
      first: accountAbi(w.first),
      second: accountAbi(w.second),
      r8Hint: w.r8Hint,
      withdrawalSiblings: w.withdrawalSiblings.map(word7) as unknown as readonly [Word7, Word7, Word7, Word7, Word7],
    },
  ]);
}

/**
 * The square-root hint for a packed R8 (BabyJubJub.decompress): a root of
 * `x² = (1 − y²)/(a − d·y²)` when one exists, else a root of `5·x²` (the non-residue
 * certificate), and 0 when the encoding needs no hint (y ≥ r, x² = 0, a − d·y² = 0).
 *
 * @example
 * const hint = r8SqrtHint(readUint(signature, 0, 32))
 */
export function r8SqrtHint(packedR8: bigint): bigint {
  const y = packedR8 & ((1n << 255n) - 1n);
  if (y >= FIELD_MODULUS) return 0n;
  const y2 = (y * y) % FIELD_MODULUS;
  const num = mod(1n - y2);
  const den = mod(CURVE_A - CURVE_D * y2);
  if (num === 0n || den === 0n) return 0n;
  const x2 = (num * inv(den)) % FIELD_MODULUS;
  const root = sqrt(x2) ?? sqrt((SQRT_NON_RESIDUE * x2) % FIELD_MODULUS);
  if (root === null) throw new InvariantViolationError("5 is a non-residue mod r, so one of x², 5·x² has a root");
  return root;
}

const EMPTY_LEAF: AccountLeafWitness = { tokenId: 0, nonce: 0, balance: 0n, ax: 0n, ay: 0n, ethAddr: ZERO_ADDRESS };
const NO_ACCOUNT: AccountWitness = { exists: false, account: EMPTY_LEAF, siblings: [] };
const NO_ENTRY: QueueEntryWitness = { kind: 0, l1Address: ZERO_ADDRESS, tokenId: 0, accountIdx: 0, amount: 0n, ax: 0n, ay: 0n };

function leafWitness(account: Account): AccountLeafWitness {
  const { tokenId, nonce, balance, Ax, Ay, ethAddr } = account;
  return { tokenId, nonce, balance, ax: Ax, ay: Ay, ethAddr };
}

/** The slot at `index` of `state` (which must be inside the tree) with its proof. */
function slotWitness(state: L2State, index: number): AccountWitness {
  const account = state.account(index);
  return {
    exists: account !== undefined,
    account: account ? leafWitness(account) : EMPTY_LEAF,
    siblings: state.proof(index),
  };
}

function entryWitness(e: QueueEntry): QueueEntryWitness {
  return { kind: e.kind, l1Address: e.l1Address, tokenId: e.tokenId, accountIdx: e.accountIdx, amount: e.amount, ax: e.Ax, ay: e.Ay };
}

/**
 * A machine state as the contracts take it (`MachineState`).
 *
 * @example
 * const pre = machineStateWords(result.initial)
 */
export function machineStateWords(m: MachineState): MachineStateWords {
  const [a, b, c, d] = m.feeTotals;
  return {
    accountsRoot: m.accountsRoot,
    nextAccountIndex: BigInt(m.nextAccountIndex),
    withdrawalsRoot: m.withdrawalsRoot,
    feeTotals: [a!, b!, c!, d!],
  };
}

/** Outcomes decided before the receiver is looked at: the contract reads no receiver then. */
const DECIDED_BY_SENDER: ReadonlySet<Outcome> = new Set(["UnknownSender", "BadSignature", "NonceOverflow"]);

/**
 * Witnesses of every step of `batch` applied to `state` (not mutated): queue entries, L2
 * ops, then the fee payouts, in step order.
 *
 * @example
 * const proofs = buildBatchWitnesses(state, batch, domain)
 * await prover.proveStep(ctx, payload, 3, proofs[3].pre, proofs[3].proof)
 */
export function buildBatchWitnesses(state: L2State, batch: Batch, domain: bigint, lastStep = Infinity): StepProof[] {
  const exec = new BatchExecutor(state.clone(), batch, { domain, mode: "optimistic" });
  const work = exec.state;
  const capacity = work.params.capacity;
  const inTree = (index: number) => index >= FIRST_ACCOUNT_INDEX && index < capacity;
  const withdrawals = new MerkleTree(WITHDRAWAL_LEVELS);
  const proofs: StepProof[] = [];
  let machine: MachineState = {
    accountsRoot: work.accountsRoot,
    nextAccountIndex: work.nextAccountIndex,
    withdrawalsRoot: emptyWithdrawalsRoot(),
    feeTotals: new Array<bigint>(FEE_SLOTS).fill(0n),
  };
  const record = (
    step: number,
    result: { kind: StepKind; outcome: Outcome; after: MachineState; stepHash: Uint8Array; withdrawal?: { position: number; ethAddr: Address; tokenId: number; amount: bigint } },
    witness: StepWitness,
  ) => {
    proofs.push({
      step,
      kind: result.kind,
      outcome: result.outcome,
      pre: machineStateWords(machine),
      witness,
      proof: encodeStepWitness(witness),
      postStepHash: bytesToHex(result.stepHash),
    });
    if (result.withdrawal) withdrawals.set(result.withdrawal.position, withdrawalLeaf(result.withdrawal));
    machine = result.after;
  };

  for (const entry of batch.queueEntries) {
    const step = proofs.length;
    if (step > lastStep) return proofs;
    const index = entry.kind === QueueKind.CreateAccount ? work.nextAccountIndex : entry.accountIdx;
    const readable = entry.kind === QueueKind.CreateAccount ? index < capacity : inTree(index);
    const witness: StepWitness = {
      entry: entryWitness(entry),
      first: readable ? slotWitness(work, index) : NO_ACCOUNT,
      second: NO_ACCOUNT,
      r8Hint: 0n,
      withdrawalSiblings: withdrawals.proof(step),
    };
    record(step, exec.applyQueueEntry(entry), witness);
  }

  for (const op of batch.ops) {
    const step = proofs.length;
    if (step > lastStep) return proofs;
    const first = inTree(op.fromIdx) ? slotWitness(work, op.fromIdx) : NO_ACCOUNT;
    const outcome = exec.checkL2Op(op);
    const readsReceiver =
      op.toIdx !== EXIT_INDEX && op.toIdx !== op.fromIdx && inTree(op.toIdx) && !DECIDED_BY_SENDER.has(outcome);
    const receiver = readsReceiver ? slotWitness(work, op.toIdx) : NO_ACCOUNT;
    const result = exec.applyL2Op(op);
    // An Applied transfer's receiver proof is against the root after the sender's write; a
    // leaf's own write does not change its siblings, so the post-op tree gives them.
    const second = readsReceiver && result.outcome === "Applied" ? { ...receiver, siblings: work.proof(op.toIdx) } : receiver;
    const witness: StepWitness = {
      entry: NO_ENTRY,
      first,
      second,
      r8Hint: op.signature && op.signature.length === 64 ? r8SqrtHint(readUint(op.signature, 0, 32)) : 0n,
      withdrawalSiblings: withdrawals.proof(step),
    };
    record(step, result, witness);
  }

  const base = proofs.length;
  if (base > lastStep) return proofs;
  const result = exec.finish();
  for (let slot = 0; slot < FEE_SLOTS; slot++) {
    const step = base + slot;
    if (step > lastStep) return proofs;
    const witness: StepWitness = {
      entry: NO_ENTRY,
      first: NO_ACCOUNT,
      second: NO_ACCOUNT,
      r8Hint: 0n,
      withdrawalSiblings: withdrawals.proof(feePayoutPosition(slot)),
    };
    record(step, result.steps[step]!, witness);
  }
  return proofs;
}

/**
 * The witness of step `step` of `batch` applied to `state` (the state before the batch; not
 * mutated): the `pre` machine state and the `proof` bytes for `OneStepProver.proveStep`.
 *
 * @example
 * const { pre, proof, postStepHash } = buildStepWitness(state, batch, domain, disputedStep)
 */
export function buildStepWitness(state: L2State, batch: Batch, domain: bigint, step: number): StepProof {
  const proof = buildBatchWitnesses(state, batch, domain, step)[step];
  if (!proof) throw new ValueOutOfRangeError(`step ${step} is not a step of the batch`);
  return proof;
}

/**
 * The `StepContext` of a batch.
 *
 * @example
 * const ctx = stepContext(batch, { levels: 8, domain, queueStart: 0n })
 */
export function stepContext(
  batch: Batch,
  args: { readonly levels: number; readonly domain: bigint; readonly queueStart: bigint },
): StepContextWords {
  const [a, b, c, d] = batch.feeTokens;
  return {
    levels: BigInt(args.levels),
    domain: args.domain,
    queueStart: args.queueStart,
    queueEnd: args.queueStart + BigInt(batch.queueEntries.length),
    l2Ops: BigInt(batch.ops.length),
    feeRecipient: batch.feeRecipient,
    feeTokens: [a!, b!, c!, d!],
  };
}

/**
 * The calldata payload of a batch's L2 ops (optimistic layout).
 *
 * @example
 * const payload = batchPayload(batch, state.params)
 */
export function batchPayload(batch: Batch, params: L2State["params"]): Hex {
  return bytesToHex(encodeBatchPayload(batch.ops, params, "optimistic"));
}

/**
 * The `op` argument of `OneStepProver.proveStep` for step `step` of a batch: the step's
 * record in the calldata payload for an L2 op step, empty for queue and fee steps (what
 * `DisputeGame.proveStep` slices).
 *
 * @example
 * prover.proveStep(ctx, stepOp(payload, ctx, step, opRecordSize(params, "optimistic")), step, pre, proof)
 */
export function stepOp(payload: Hex, ctx: StepContextWords, step: number, recordSize: number): Hex {
  const opIndex = step - Number(ctx.queueEnd - ctx.queueStart);
  if (opIndex < 0 || opIndex >= Number(ctx.l2Ops)) return "0x";
  return sliceHex(payload, opIndex * recordSize, (opIndex + 1) * recordSize, { strict: true });
}

/** `keccak256(abi.encode(MachineState))`, the contract's view of core's `stepHash`. */
export function machineStateHash(m: MachineStateWords): Hex {
  return keccak256(
    encodeAbiParameters(
      [{ type: "uint256" }, { type: "uint256" }, { type: "uint256" }, { type: "uint256[4]" }],
      [m.accountsRoot, m.nextAccountIndex, m.withdrawalsRoot, m.feeTotals],
    ),
  );
}
