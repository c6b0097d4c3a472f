import { type Address } from "./bytes.js";
import { type Account } from "./account.js";
import { L2State } from "./state.js";
import { type L2Op, type Mode, l2OpMessage } from "./ops.js";
import { type QueueEntry, QueueKind } from "./queue.js";
import { type SignatureVerifier, verifyWireSignature } from "./signature.js";
import { type Withdrawal, feePayoutPosition, withdrawalLeaf } from "./withdrawals.js";
import { decodeFloat40, decodeFloat8 } from "./float.js";
import { MerkleTree } from "./merkle.js";
import { stepHash, stepsRoot } from "./commitments.js";
import {
  EXIT_INDEX,
  FEE_SLOTS,
  FIRST_ACCOUNT_INDEX,
  MAX_BALANCE,
  MAX_BATCH_OPS,
  MAX_NONCE,
  NO_TOKEN,
  WITHDRAWAL_LEVELS,
} from "./params.js";
import { InvalidParameterError } from "./errors.js";

/** What a step did (docs/protocol.md §7). Every outcome but `Applied` left the accounts as they were, except refunds. */
export type Outcome =
  | "Applied"
  | "TreeFull"
  | "UnknownAccount"
  | "TokenMismatch"
  | "BalanceOverflow"
  | "NotOwner"
  | "UnknownSender"
  | "BadSignature"
  | "NonceOverflow"
  | "UnknownReceiver"
  | "InsufficientBalance";

/** The kind of a step. */
export type StepKind = "createAccount" | "deposit" | "forcedExit" | "transfer" | "withdraw" | "feePayout";

/** Everything a step commitment covers, after one step. */
export interface MachineState {
  readonly accountsRoot: bigint;
  readonly nextAccountIndex: number;
  readonly withdrawalsRoot: bigint;
  readonly feeTotals: readonly bigint[];
}

/** What one step did, without its commitment (all an executor without commitments reports). */
export interface StepOutcome {
  readonly kind: StepKind;
  readonly outcome: Outcome;
  /** The withdrawal leaf the step wrote, if any (withdrawals, forced exits, refunds, fee payouts). */
  readonly withdrawal?: Withdrawal;
}

/** The result of one step, with its commitment. */
export interface StepResult extends StepOutcome {
  /** The machine state after the step. */
  readonly after: MachineState;
  /** keccak step commitment of `after`. */
  readonly stepHash: Uint8Array;
}

/** The per-batch inputs that are not ops: who collects fees, in which tokens. */
export interface BatchHeader {
  /** L1 address paid the batch's fees. */
  readonly feeRecipient: Address;
  /** Four token ids (`NO_TOKEN` for unused slots); an op in another token pays no fee. */
  readonly feeTokens: readonly number[];
}

/**
 * Per-deployment context of the STF. `C` is whether the executor computes commitments
 * (`commitments`; `true` when omitted).
 */
export interface StfContext<C extends boolean = boolean> {
  /** `domainSeparator(...)` of the deployment. */
  readonly domain: bigint;
  /** Optimistic payloads carry signatures that the STF checks; ZK payloads do not (the proof does). */
  readonly mode: Mode;
  /**
   * Signature check; defaults to `verifyWireSignature`. Callers that already know the
   * verdicts (checked in parallel, or when the sequencer accepted the op) answer from them.
   */
  readonly verifySignature?: SignatureVerifier;
  /**
   * Compute the commitments (default `true`): the machine state and step hash after every
   * step, the withdrawal tree, and the batch's roots. With `false` the executor decides the
   * same outcomes, balances, nonces, withdrawal leaves and fee totals, hashes nothing, reads
   * no root (so the state may be one without a tree), and returns `StepOutcome`s and a
   * `BatchOutcome`. The sequencer accepts ops this way and builds commitments elsewhere.
   */
  readonly commitments?: C;
}

/** What a whole batch did, without commitments: its steps and the withdrawal leaves they wrote. */
export interface BatchOutcome {
  /** Every withdrawal leaf written, by position. */
  readonly withdrawals: readonly Withdrawal[];
  /** One outcome per step: queue entries, L2 ops, fee payouts. */
  readonly steps: readonly StepOutcome[];
}

/** The result of a whole batch, with its commitments. */
export interface BatchResult extends BatchOutcome {
  readonly preStateRoot: bigint;
  readonly postStateRoot: bigint;
  readonly withdrawalsRoot: bigint;
  /** One result per step: queue entries, L2 ops, fee payouts. */
  readonly steps: readonly StepResult[];
  /** Machine state before the first step. */
  readonly initial: MachineState;
  /** The step commitments: before the first step, then after each. */
  readonly stepHashes: readonly Uint8Array[];
  /** keccak Merkle root of `stepHashes`. */
  readonly stepsRoot: Uint8Array;
}

/** What `BatchExecutor<C>` reports per step: a `StepResult` unless `C` is `false`. */
export type StepOf<C extends boolean> = C extends false ? StepOutcome : StepResult;

/** What `BatchExecutor<C>.finish` returns: a `BatchResult` unless `C` is `false`. */
export type BatchOf<C extends boolean> = C extends false ? BatchOutcome : BatchResult;

/** An L2 op outcome other than `Applied`: why an op would be skipped. */
export type Rejection = Exclude<Outcome, "Applied">;

// What only an executor with commitments tracks.
interface Commitments {
  readonly preStateRoot: bigint;
  readonly initial: MachineState;
  readonly withdrawalTree: MerkleTree;
}

/**
 * Executes one batch step by step over an `L2State` that it mutates. The sequencer uses it
 * incrementally (queue entries, then L2 ops as they arrive, then `finish`); `applyBatch`
 * runs a whole batch at once. `C` says whether it computes commitments (see
 * `StfContext.commitments`); both kinds run the same checks and state changes.
 *
 * @example
 * const exec = new BatchExecutor(state, header, { domain, mode: "optimistic" })
 * exec.applyQueueEntry(entry)
 * exec.applyL2Op(op)
 * const result = exec.finish()
 * // Outcomes only, on a state without the account tree:
 * const lean = new BatchExecutor(L2State.genesis(params, { tree: false }), header, { domain, mode: "optimistic", commitments: false })
 */
export class BatchExecutor<C extends boolean = true> {
  readonly state: L2State;
  private readonly header: BatchHeader;
  private readonly ctx: StfContext<C>;
  private readonly verify: SignatureVerifier;
  private readonly commitments: Commitments | undefined;
  private readonly feeTotals: bigint[] = new Array<bigint>(FEE_SLOTS).fill(0n);
  private readonly steps: StepOf<C>[] = [];
  private readonly withdrawals: Withdrawal[] = [];
  private l2OpsSeen = false;
  private finished = false;

  constructor(state: L2State, header: BatchHeader, ctx: StfContext<C>) {
    if (header.feeTokens.length !== FEE_SLOTS) {
      throw new InvalidParameterError(`a batch names ${FEE_SLOTS} fee tokens, got ${header.feeTokens.length}`);
    }
    this.state = state;
    this.header = header;
    this.ctx = ctx;
    this.verify = ctx.verifySignature ?? verifyWireSignature;
    if (ctx.commitments !== false) {
      const withdrawalTree = new MerkleTree(WITHDRAWAL_LEVELS);
      this.commitments = {
        preStateRoot: state.stateRoot,
        initial: this.machineState(withdrawalTree),
        withdrawalTree,
      };
    }
  }

  /** Number of queue entries and L2 ops applied so far. */
  get opCount(): number {
    return this.steps.length;
  }

  /** Applies the next L1 queue entry. All queue entries of a batch come before its L2 ops. */
  applyQueueEntry(entry: QueueEntry): StepOf<C> {
    this.checkRoom();
    if (this.l2OpsSeen) throw new InvalidParameterError("queue entries must come before the batch's L2 ops");
    switch (entry.kind) {
      case QueueKind.CreateAccount:
        return this.createAccount(entry);
      case QueueKind.Deposit:
        return this.deposit(entry);
      case QueueKind.ForcedExit:
        return this.forcedExit(entry);
      default:
        throw new InvalidParameterError(`unknown queue entry kind ${(entry as QueueEntry).kind}`);
    }
  }

  /** Applies the next L2 op (transfer, or withdrawal when `toIdx` is 1). */
  applyL2Op(op: L2Op): StepOf<C> {
    this.checkRoom();
    this.l2OpsSeen = true;
    const outcome = this.checkL2Op(op);
    return outcome === "Applied" ? this.commitL2Op(op) : this.record(l2OpKind(op), outcome);
  }

  /**
   * Applies `op` as the next step only if its outcome is `Applied`; otherwise records no
   * step, changes nothing and returns why. This is how a sequencer admits ops: one check
   * (one signature verification) per op, and a refused op never becomes a step.
   */
  applyL2OpIfValid(op: L2Op): Outcome {
    this.checkRoom();
    const outcome = this.checkL2Op(op);
    if (outcome !== "Applied") return outcome;
    this.l2OpsSeen = true;
    this.commitL2Op(op);
    return outcome;
  }

  /** Would `op` be applied if it were the next step? (No state change.) */
  checkL2Op(op: L2Op): Outcome {
    const sender = this.existing(op.fromIdx);
    if (!sender) return "UnknownSender";
    if (this.ctx.mode === "optimistic") {
      const message = l2OpMessage(op, sender, this.ctx.domain);
      if (!op.signature || !this.verify(message, op.signature, { x: sender.Ax, y: sender.Ay })) return "BadSignature";
    }
    if (sender.nonce >= MAX_NONCE) return "NonceOverflow";
    const withdraw = op.toIdx === EXIT_INDEX;
    const receiver = withdraw ? undefined : this.existing(op.toIdx);
    if (!withdraw && !receiver) return "UnknownReceiver";
    if (receiver && receiver.tokenId !== sender.tokenId) return "TokenMismatch";
    const amount = decodeFloat40(op.amountFloat40);
    const { charged } = this.fee(sender.tokenId, op.feeFloat8);
    if (amount + charged > sender.balance) return "InsufficientBalance";
    if (receiver) {
      const receiverBalance = op.toIdx === op.fromIdx ? sender.balance - amount - charged : receiver.balance;
      if (receiverBalance + amount > MAX_BALANCE) return "BalanceOverflow";
    }
    return "Applied";
  }

  /**
   * Applies the fee payouts and returns the batch result (a `BatchOutcome` without
   * commitments); the executor is spent afterwards.
   */
  finish(): BatchOf<C> {
    if (this.finished) throw new InvalidParameterError("this batch is already finished");
    this.finished = true;
    for (let slot = 0; slot < FEE_SLOTS; slot++) {
      const total = this.feeTotals[slot]!;
      const token = this.header.feeTokens[slot]!;
      const withdrawal =
        total > 0n ? this.writeWithdrawal(this.header.feeRecipient, token, total, feePayoutPosition(slot)) : undefined;
      this.record("feePayout", "Applied", withdrawal);
    }
    const c = this.commitments;
    // As in `record`: the casts hold because `commitments` is set exactly when C is not `false`.
    if (!c) {
      const outcome: BatchOutcome = { withdrawals: this.withdrawals, steps: this.steps };
      return outcome as BatchOf<C>;
    }
    const steps = this.steps as StepResult[];
    const stepHashes = [stepHash(c.initial), ...steps.map((s) => s.stepHash)];
    const result: BatchResult = {
      preStateRoot: c.preStateRoot,
      postStateRoot: this.state.stateRoot,
      withdrawalsRoot: c.withdrawalTree.root,
      withdrawals: this.withdrawals,
      steps,
      initial: c.initial,
      stepHashes,
      stepsRoot: stepsRoot(stepHashes),
    };
    return result as BatchOf<C>;
  }

  // Applies an op whose outcome is `Applied` (the caller checked it).
  private commitL2Op(op: L2Op): StepOf<C> {
    const kind = l2OpKind(op);
    const sender = this.state.account(op.fromIdx)!;
    const amount = decodeFloat40(op.amountFloat40);
    const { slot, charged } = this.fee(sender.tokenId, op.feeFloat8);
    const debited: Account = { ...sender, balance: sender.balance - amount - charged, nonce: sender.nonce + 1 };
    if (slot >= 0) this.feeTotals[slot] = this.feeTotals[slot]! + charged;
    if (kind === "withdraw") {
      this.state.writeAccount(op.fromIdx, debited);
      return this.record(kind, "Applied", this.writeWithdrawal(sender.ethAddr, sender.tokenId, amount));
    }
    const receiver = op.toIdx === op.fromIdx ? debited : this.state.account(op.toIdx)!;
    this.state.writeAccounts([
      [op.fromIdx, debited],
      [op.toIdx, { ...receiver, balance: receiver.balance + amount }],
    ]);
    return this.record(kind, "Applied");
  }

  private createAccount(entry: QueueEntry): StepOf<C> {
    if (this.state.nextAccountIndex >= this.state.params.capacity) {
      return this.refund("createAccount", "TreeFull", entry);
    }
    this.state.createAccount({
      tokenId: entry.tokenId,
      nonce: 0,
      balance: entry.amount,
      Ax: entry.Ax,
      Ay: entry.Ay,
      ethAddr: entry.l1Address,
    });
    return this.record("createAccount", "Applied");
  }

  private deposit(entry: QueueEntry): StepOf<C> {
    const account = this.existing(entry.accountIdx);
    if (!account) return this.refund("deposit", "UnknownAccount", entry);
    if (account.tokenId !== entry.tokenId) return this.refund("deposit", "TokenMismatch", entry);
    if (account.balance + entry.amount > MAX_BALANCE) return this.refund("deposit", "BalanceOverflow", entry);
    this.state.writeAccount(entry.accountIdx, { ...account, balance: account.balance + entry.amount });
    return this.record("deposit", "Applied");
  }

  private forcedExit(entry: QueueEntry): StepOf<C> {
    const account = this.existing(entry.accountIdx);
    if (!account) return this.record("forcedExit", "UnknownAccount");
    if (account.ethAddr.toLowerCase() !== entry.l1Address.toLowerCase()) return this.record("forcedExit", "NotOwner");
    this.state.writeAccount(entry.accountIdx, { ...account, balance: 0n });
    return this.record("forcedExit", "Applied", this.writeWithdrawal(account.ethAddr, account.tokenId, account.balance));
  }

  private refund(kind: StepKind, outcome: Outcome, entry: QueueEntry): StepOf<C> {
    return this.record(kind, outcome, this.writeWithdrawal(entry.l1Address, entry.tokenId, entry.amount));
  }

  private existing(index: number): Account | undefined {
    return index >= FIRST_ACCOUNT_INDEX ? this.state.account(index) : undefined;
  }

  private fee(tokenId: number, feeFloat8: number): { slot: number; charged: bigint } {
    const slot = tokenId === NO_TOKEN ? -1 : this.header.feeTokens.indexOf(tokenId);
    return slot < 0 ? { slot, charged: 0n } : { slot, charged: decodeFloat8(feeFloat8) };
  }

  private writeWithdrawal(
    ethAddr: Address,
    tokenId: number,
    amount: bigint,
    position = this.steps.length,
  ): Withdrawal | undefined {
    if (amount === 0n) return undefined;
    const withdrawal: Withdrawal = { position, ethAddr: ethAddr.toLowerCase() as Address, tokenId, amount };
    this.commitments?.withdrawalTree.set(position, withdrawalLeaf(withdrawal));
    this.withdrawals.push(withdrawal);
    return withdrawal;
  }

  private record(kind: StepKind, outcome: Outcome, withdrawal?: Withdrawal): StepOf<C> {
    let step: StepOutcome | StepResult;
    if (this.commitments) {
      const after = this.machineState(this.commitments.withdrawalTree);
      step = { kind, outcome, after, stepHash: stepHash(after), withdrawal };
    } else {
      step = { kind, outcome, withdrawal };
    }
    // `this.commitments` is set exactly when C is not `false`, so `step` is a StepOf<C>.
    this.steps.push(step as StepOf<C>);
    return step as StepOf<C>;
  }

  private machineState(withdrawalTree: MerkleTree): MachineState {
    return {
      accountsRoot: this.state.accountsRoot,
      nextAccountIndex: this.state.nextAccountIndex,
      withdrawalsRoot: withdrawalTree.root,
      feeTotals: this.feeTotals.slice(),
    };
  }

  private checkRoom(): void {
    if (this.finished) throw new InvalidParameterError("this batch is already finished");
    if (this.steps.length >= MAX_BATCH_OPS) {
      throw new InvalidParameterError(`a batch holds at most ${MAX_BATCH_OPS} queue entries and L2 ops`);
    }
  }
}

function l2OpKind(op: L2Op): StepKind {
  return op.toIdx === EXIT_INDEX ? "withdraw" : "transfer";
}

/** A whole batch: its queue entries, L2 ops and header. */
export interface Batch extends BatchHeader {
  readonly queueEntries: readonly QueueEntry[];
  readonly ops: readonly L2Op[];
}

/**
 * Applies a whole batch to `state` (mutating it) and returns every intermediate result
 * (only the outcomes with `ctx.commitments: false`).
 *
 * @example
 * const result = applyBatch(state, { queueEntries, ops, feeRecipient, feeTokens }, { domain, mode: "optimistic" })
 * result.steps.map((s) => s.outcome)
 */
export function applyBatch<C extends boolean = true>(state: L2State, batch: Batch, ctx: StfContext<C>): BatchOf<C> {
  const exec = new BatchExecutor<C>(state, batch, ctx);
  for (const entry of batch.queueEntries) exec.applyQueueEntry(entry);
  for (const op of batch.ops) exec.applyL2Op(op);
  return exec.finish();
}
