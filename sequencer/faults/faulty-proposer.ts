/**
 * Fault injection for learners and test suites: a proposer that posts one wrong batch
 * commitment on purpose, so that the challenger agent has something to prove wrong.
 *
 * The sequencer stays honest: it accepts, executes and seals as always, and its RPC serves
 * the honest state. Only in the posting path, for one batch, this computes a faulty
 * execution on a clone of the batch's pre-state (kept here on a shadow state with the
 * account tree) and posts that commitment instead. The faulty trace is self-consistent: its
 * step hashes, post root and withdrawals root all follow from the fault, so only a dispute
 * game over the steps can find it. Core is never touched: the faults are written here, on
 * top of core's `BatchExecutor`.
 */
import { type Hex } from "viem";
import {
  type Account,
  type Address,
  type Batch,
  type L2Op,
  type MachineState,
  type QueueEntry,
  type ResolvedParams,
  BatchExecutor,
  EXIT_INDEX,
  FEE_SLOTS,
  InvalidParameterError,
  InvariantViolationError,
  L2State,
  QueueKind,
  StepTrace,
  emptyWithdrawalsRoot,
  encodeBatchPayload,
  encodeFloat40,
  keccak256,
} from "../../core/index.js";

/** The faults a proposer can be told to commit. */
export const FAULT_KINDS = ["wrong-root", "bad-signature", "skip-deposit", "pay-proposer"] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/**
 * Which fault, in which batch, at which op.
 * - `wrong-root`: L2 op `step` (default: the transfer nearest the middle) credits its
 *   receiver one more unit; the trace goes on honestly from there.
 * - `bad-signature`: a forged transfer from another user's account to the proposer's, with a
 *   garbage signature, is inserted before L2 op `step` (default: the first) and treated as
 *   Applied.
 * - `skip-deposit`: queue entry `step` of the batch (default: its first Deposit) is consumed
 *   but changes nothing.
 * - `pay-proposer`: the withdrawal at L2 op `step` (default: the first) pays the proposer's
 *   L1 address instead of the sender's.
 */
export interface FaultSpec {
  readonly kind: FaultKind;
  /** The batch to corrupt (default: the first batch where the fault applies). */
  readonly batch?: number;
  /** The op or queue entry the fault hits, as described per kind. */
  readonly step?: number;
}

/**
 * Parses the devnet's `--fault <kind>[:<batch>]`.
 *
 * @example
 * parseFaultSpec("wrong-root:3") // { kind: "wrong-root", batch: 3 }
 */
export function parseFaultSpec(text: string): FaultSpec {
  const [kind, batch] = text.split(":");
  if (!FAULT_KINDS.includes(kind as FaultKind)) {
    throw new InvalidParameterError(`unknown fault "${kind}"`, { details: `use one of ${FAULT_KINDS.join(", ")}, optionally followed by :<batch index>` });
  }
  if (batch !== undefined && !/^\d+$/.test(batch)) throw new InvalidParameterError(`"${batch}" is not a batch index`);
  return batch === undefined ? { kind: kind as FaultKind } : { kind: kind as FaultKind, batch: Number(batch) };
}

/** What the proposer posts for a batch in place of the honest commitment. */
export interface FaultyCommitment {
  readonly kind: FaultKind;
  /** A plain description of the fault (for logs). */
  readonly description: string;
  /** The L2 ops posted (the honest ones, plus a forged one for `bad-signature`). */
  readonly ops: readonly L2Op[];
  readonly payload: Uint8Array;
  readonly postStateRoot: bigint;
  readonly withdrawalsRoot: bigint;
  readonly stepsRoot: Hex;
  /** The faulty machine states s_0 … s_n: what the faulty proposer reveals in a game. */
  readonly trace: StepTrace;
}

/** An honest batch as the sequencer sealed it. */
export interface HonestBatch {
  readonly index: number;
  readonly queueEntries: readonly QueueEntry[];
  readonly ops: readonly L2Op[];
  readonly feeRecipient: Address;
  readonly feeTokens: readonly number[];
}

/** How the faulty execution deviates: hooks around single steps. */
interface Deviation {
  readonly description: string;
  /** Ops to execute (the honest ones, or with a forged op). */
  readonly ops: readonly L2Op[];
  /** Called before queue step `i` / L2 op `i`; returns what to do after it, if anything. */
  beforeQueueEntry?(i: number, state: L2State): ((state: L2State) => void) | undefined;
  beforeOp?(i: number, state: L2State): ((state: L2State) => void) | undefined;
}

// Signatures of the sequencer's accepted ops were checked at acceptance; the forged op's is
// garbage on purpose. The faulty proposer treats every op as signed.
const alwaysValid = () => true;

/**
 * Keeps a shadow of the L2 state with the account tree and, for the one batch the fault
 * hits, computes the faulty commitment on a clone of its pre-state.
 *
 * @example
 * const faulty = new FaultyProposer({ kind: "wrong-root" }, { params, domain, proposer })
 * for (const batch of sealed) const commitment = faulty.observe(batch) // undefined: post honestly
 */
export class FaultyProposer {
  private readonly state: L2State;
  private observed = 0;
  private injectedAt: number | undefined;

  constructor(
    readonly spec: FaultSpec,
    private readonly ctx: { readonly params: ResolvedParams; readonly domain: bigint; readonly proposer: Address },
  ) {
    this.state = L2State.genesis(ctx.params);
  }

  /** The index of the next batch `observe` expects. */
  get nextIndex(): number {
    return this.observed;
  }

  /** The batch the fault went into, once it did. */
  get faultyBatch(): number | undefined {
    return this.injectedAt;
  }

  /**
   * Takes the next honest batch (in index order) and returns the faulty commitment to post
   * for it, or `undefined` to post the honest one.
   */
  observe(batch: HonestBatch): FaultyCommitment | undefined {
    if (batch.index !== this.observed) {
      throw new InvariantViolationError(`the faulty proposer expected batch ${this.observed}, got ${batch.index}`, {
        details: "the posting loop hands it every sealed batch once, in index order: a bug in sequencer/fault-injection.ts",
      });
    }
    this.observed++;
    let faulty: FaultyCommitment | undefined;
    const wanted = this.spec.batch === undefined || this.spec.batch === batch.index;
    if (this.injectedAt === undefined && wanted) {
      const deviation = this.deviation(batch, this.state);
      if (deviation) {
        faulty = this.execute(batch, deviation);
        this.injectedAt = batch.index;
      }
    }
    const header = { feeRecipient: batch.feeRecipient, feeTokens: batch.feeTokens };
    const exec = new BatchExecutor(this.state, header, { domain: this.ctx.domain, mode: "optimistic", verifySignature: alwaysValid, commitments: false });
    for (const entry of batch.queueEntries) exec.applyQueueEntry(entry);
    for (const op of batch.ops) exec.applyL2Op(op);
    exec.finish();
    return faulty;
  }

  // Runs the batch with the deviation on a clone of the pre-state and commits to the result.
  private execute(batch: HonestBatch, deviation: Deviation): FaultyCommitment {
    const state = this.state.clone();
    const exec = new BatchExecutor(state, batch, { domain: this.ctx.domain, mode: "optimistic", verifySignature: alwaysValid });
    const states: MachineState[] = [
      { accountsRoot: state.accountsRoot, nextAccountIndex: state.nextAccountIndex, withdrawalsRoot: emptyWithdrawalsRoot(), feeTotals: new Array<bigint>(FEE_SLOTS).fill(0n) },
    ];
    const step = (after: MachineState, tweak: ((s: L2State) => void) | undefined) => {
      if (!tweak) return states.push(after);
      tweak(state);
      states.push({ ...after, accountsRoot: state.accountsRoot, nextAccountIndex: state.nextAccountIndex });
    };
    batch.queueEntries.forEach((entry, i) => {
      const tweak = deviation.beforeQueueEntry?.(i, state);
      step(exec.applyQueueEntry(entry).after, tweak);
    });
    deviation.ops.forEach((op, i) => {
      const tweak = deviation.beforeOp?.(i, state);
      step(exec.applyL2Op(op).after, tweak);
    });
    const result = exec.finish();
    for (const fee of result.steps.slice(-FEE_SLOTS)) states.push(fee.after);
    const trace = new StepTrace(states);
    return {
      kind: this.spec.kind,
      description: deviation.description,
      ops: deviation.ops,
      payload: encodeBatchPayload(deviation.ops, this.ctx.params, "optimistic"),
      postStateRoot: state.stateRoot,
      withdrawalsRoot: result.withdrawalsRoot,
      stepsRoot: trace.root,
      trace,
    };
  }

  // The deviation for this batch, or undefined when the fault has nothing to hit in it.
  private deviation(batch: HonestBatch, pre: L2State): Deviation | undefined {
    const { kind, step } = this.spec;
    const ops = batch.ops;
    const k = batch.queueEntries.length;
    if (kind === "wrong-root") {
      const transfers = ops.flatMap((op, i) => (op.toIdx !== EXIT_INDEX && op.toIdx !== op.fromIdx ? [i] : []));
      const target = step ?? transfers.sort((a, b) => Math.abs(a - ops.length / 2) - Math.abs(b - ops.length / 2))[0];
      if (target === undefined || !transfers.includes(target)) return undefined;
      const to = ops[target]!.toIdx;
      return {
        description: `L2 op ${target} (step ${k + target}) credits account ${to} one unit more than it should`,
        ops,
        beforeOp: (i) => (i === target ? (s) => credit(s, to, 1n) : undefined),
      };
    }
    if (kind === "pay-proposer") {
      const withdrawals = ops.flatMap((op, i) => (op.toIdx === EXIT_INDEX ? [i] : []));
      const target = step ?? withdrawals[0];
      if (target === undefined || !withdrawals.includes(target)) return undefined;
      const from = ops[target]!.fromIdx;
      const proposer = this.ctx.proposer;
      let owner: Address | undefined;
      return {
        description: `the withdrawal at L2 op ${target} (step ${k + target}) pays the proposer ${proposer} instead of the owner of account ${from}`,
        ops,
        beforeOp: (i, s) => {
          if (i !== target) return undefined;
          const sender = s.account(from)!;
          owner = sender.ethAddr;
          s.writeAccount(from, { ...sender, ethAddr: proposer });
          return (after) => after.writeAccount(from, { ...after.account(from)!, ethAddr: owner! });
        },
      };
    }
    if (kind === "skip-deposit") {
      const deposits = batch.queueEntries.flatMap((e, i) => (e.kind === QueueKind.Deposit && e.amount > 0n && pre.account(e.accountIdx)?.tokenId === e.tokenId ? [i] : []));
      const target = step ?? deposits[0];
      if (target === undefined || !deposits.includes(target)) return undefined;
      const entry = batch.queueEntries[target]!;
      let before: Account | undefined;
      return {
        description: `the deposit of ${entry.amount} to account ${entry.accountIdx} (queue step ${target}) is consumed but not credited`,
        ops,
        beforeQueueEntry: (i, s) => {
          if (i !== target) return undefined;
          before = s.account(entry.accountIdx);
          return (after) => after.writeAccount(entry.accountIdx, before!);
        },
      };
    }
    // bad-signature: needs the proposer's own L2 account and a victim in the same token.
    if (ops.length === 0 && step === undefined) return undefined;
    // First by default: the victim's balance is then the one checked below.
    const at = Math.min(step ?? 0, ops.length);
    const proposer = this.ctx.proposer.toLowerCase();
    const accounts = [...pre.entries()];
    const mine = accounts.find(([, a]) => a.ethAddr.toLowerCase() === proposer);
    if (!mine) return undefined;
    const victim = accounts.find(([i, a]) => i !== mine[0] && a.tokenId === mine[1].tokenId && a.ethAddr.toLowerCase() !== proposer && a.balance > 0n);
    if (!victim) return undefined;
    const amount = 10n ** BigInt(victim[1].balance.toString().length - 1);
    const forged: L2Op = {
      fromIdx: victim[0],
      toIdx: mine[0],
      amountFloat40: encodeFloat40(amount),
      feeFloat8: 0,
      signature: new Uint8Array([...keccak256(new TextEncoder().encode("forged R8")), ...keccak256(new TextEncoder().encode("forged S"))]),
    };
    return {
      description: `a forged transfer of ${amount} from account ${victim[0]} to the proposer's account ${mine[0]}, with a garbage signature, is L2 op ${at} (step ${k + at}) and treated as applied`,
      ops: [...ops.slice(0, at), forged, ...ops.slice(at)],
    };
  }
}

function credit(state: L2State, index: number, amount: bigint): void {
  const account = state.account(index)!;
  state.writeAccount(index, { ...account, balance: account.balance + amount });
}
