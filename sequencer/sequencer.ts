import {
  type Address,
  type BatchResult,
  type L2Op,
  type Outcome,
  type QueueEntry,
  type ResolvedParams,
  type SignatureVerifier,
  BatchExecutor,
  L2State,
  bytesToHex,
  decodeFloat40,
  decodeFloat8,
  encodeL2Op,
  hexToBytes,
  decodeL2Op,
  keccak256,
  verifyWireSignature,
  EXIT_INDEX,
} from "../core/index.js";
import { type WalRecord, WriteAheadLog } from "./store.js";
import { OpRejectedError } from "./errors.js";

/** Where an op is in its life: accepted, in a batch on L1, final on L1. */
export type OpStatus = "pending" | "sealed" | "batched" | "final";

/** What the sequencer knows about one accepted op. */
export interface OpInfo {
  readonly hash: `0x${string}`;
  readonly seq: number;
  readonly op: L2Op;
  readonly nonce: number;
  readonly acceptedAt: number;
  batch?: number;
}

/** A closed batch, with everything needed to post it and to answer queries about it. */
export interface SealedBatch {
  readonly index: number;
  readonly queueStart: number;
  readonly queueEnd: number;
  readonly ops: readonly OpInfo[];
  readonly feeRecipient: Address;
  readonly feeTokens: readonly number[];
  readonly result: BatchResult;
  l1Tx?: `0x${string}`;
  l1Block?: number;
  final?: boolean;
}

interface OpenBatch {
  readonly index: number;
  readonly executor: BatchExecutor;
  readonly queueStart: number;
  readonly queueEnd: number;
  readonly ops: OpInfo[];
  readonly openedAt: number;
  readonly feeRecipient: Address;
  readonly feeTokens: readonly number[];
}

/** Static configuration of a sequencer. */
export interface SequencerConfig {
  readonly params: ResolvedParams;
  readonly domain: bigint;
  /** L1 address paid the fees of the batches this sequencer builds. */
  readonly feeRecipient: Address;
  /** Fee tokens named in each batch (4, `NO_TOKEN` for unused). */
  readonly feeTokens: readonly number[];
  /** Close a batch when it holds this many queue entries + ops. */
  readonly maxBatchOps: number;
}

/** Supplies L1 queue entries by index (the L1 follower). */
export interface QueueSource {
  /** Number of queue entries known so far. */
  readonly length: number;
  entry(index: number): QueueEntry;
}

/** The identifier of an op: keccak256 of its optimistic L1 bytes (the signature makes it unique). */
export function opHash(op: L2Op, params: ResolvedParams): `0x${string}` {
  return bytesToHex(keccak256(encodeL2Op(op, params, "optimistic")));
}

const REJECTIONS: Record<Exclude<Outcome, "Applied">, string> = {
  UnknownSender: "unknown sender account",
  BadSignature: "invalid signature",
  NonceOverflow: "sender nonce is at its maximum",
  UnknownReceiver: "unknown receiver account",
  TokenMismatch: "sender and receiver hold different tokens",
  InsufficientBalance: "insufficient balance",
  BalanceOverflow: "receiver balance would exceed 2^128 - 1",
  TreeFull: "account tree is full",
  UnknownAccount: "unknown account",
  NotOwner: "not the account owner",
};

/**
 * The sequencer: orders L2 ops, applies them at once to the open batch (so every accepted
 * op is valid and its effects are visible immediately), and closes batches for the batcher.
 * Every acknowledged op is in the write-ahead log first; `replay` rebuilds the exact same
 * state and batches after a crash.
 *
 * @example
 * const seq = new Sequencer(config, queue, wal)
 * const info = await seq.submit(op, nonce)
 * const batch = seq.seal()
 */
export class Sequencer {
  readonly config: SequencerConfig;
  readonly state: L2State;
  readonly sealed: SealedBatch[] = [];
  private readonly queue: QueueSource;
  private readonly wal: WriteAheadLog;
  private readonly opsByHash = new Map<string, OpInfo>();
  private open: OpenBatch | undefined;
  private nextSeq = 0;
  private queueConsumed = 0;
  private readonly lastVerdict: { key: string; value: boolean } = { key: "", value: false };
  /** Called when the open batch reaches `maxBatchOps`; the node seals and posts it. */
  onFull: (() => void) | undefined;

  constructor(config: SequencerConfig, queue: QueueSource, wal: WriteAheadLog) {
    this.config = config;
    this.queue = queue;
    this.wal = wal;
    this.state = L2State.genesis(config.params);
  }

  /** Number of batches closed so far (the index the next batch gets). */
  get batchCount(): number {
    return this.sealed.length;
  }

  /** The open batch's op count and age, if a batch is open. */
  get openBatch(): { index: number; size: number; openedAt: number } | undefined {
    const o = this.open;
    return o && { index: o.index, size: o.executor.opCount, openedAt: o.openedAt };
  }

  /** Queue entries known but not yet in any batch. */
  get unconsumedQueueEntries(): number {
    return this.queue.length - (this.open ? this.open.queueEnd : this.queueConsumed);
  }

  /** An accepted op by hash. */
  op(hash: string): OpInfo | undefined {
    return this.opsByHash.get(hash.toLowerCase());
  }

  /**
   * Validates an op against the current state and, if it would apply, applies it to the
   * open batch and makes it durable. Rejections throw `OpRejectedError` saying why.
   */
  async submit(op: L2Op, nonce: number): Promise<OpInfo> {
    const hash = opHash(op, this.config.params);
    const known = this.opsByHash.get(hash);
    if (known) return known;
    const sender = op.fromIdx > EXIT_INDEX ? this.state.account(op.fromIdx) : undefined;
    if (sender && nonce !== sender.nonce) {
      throw new OpRejectedError(
        `nonce too ${nonce < sender.nonce ? "low" : "high"}: account ${op.fromIdx} is at nonce ${sender.nonce}, op has ${nonce}`,
        { reason: nonce < sender.nonce ? "NonceTooLow" : "NonceTooHigh" },
      );
    }
    const batch = this.ensureOpen();
    const outcome = batch.executor.checkL2Op(op);
    if (outcome !== "Applied") throw this.rejection(op, outcome);
    const info = this.accept(op, nonce, Date.now());
    if (batch.executor.opCount >= this.config.maxBatchOps) this.onFull?.();
    await this.wal.append({ t: "op", seq: info.seq, op: bytesToHex(encodeL2Op(op, this.config.params, "optimistic")), nonce, at: info.acceptedAt });
    return info;
  }

  /**
   * Opens a batch if none is open and there is something to put in it (queue entries, or
   * `force`). Returns whether a batch is open.
   */
  openIfWork(force = false): boolean {
    if (this.open) return true;
    if (!force && this.queue.length <= this.queueConsumed) return false;
    this.ensureOpen();
    return true;
  }

  /** Closes the open batch (if any) and returns it once the seal is durable; the batcher posts it. */
  async seal(): Promise<SealedBatch | undefined> {
    const batch = this.open;
    if (!batch) return undefined;
    this.open = undefined;
    const sealed = this.closeBatch(batch);
    await this.wal.append({ t: "seal", batch: sealed.index });
    return sealed;
  }

  /** Records that a batch is on L1. */
  async markPosted(index: number, tx: `0x${string}`, l1Block: number): Promise<void> {
    const batch = this.sealed[index]!;
    batch.l1Tx = tx;
    batch.l1Block = l1Block;
    await this.wal.append({ t: "posted", batch: index, tx, l1Block });
  }

  /** Marks batches up to `index` final on L1. */
  markFinal(index: number): void {
    for (let i = 0; i <= index && i < this.sealed.length; i++) this.sealed[i]!.final = true;
  }

  /** Status of an accepted op. */
  status(info: OpInfo): OpStatus {
    if (info.batch === undefined) return "pending";
    const batch = this.sealed[info.batch];
    if (!batch) return "pending";
    if (batch.final) return "final";
    return batch.l1Tx ? "batched" : "sealed";
  }

  /** Rebuilds state, batches and op statuses from the write-ahead log. */
  replay(records: readonly WalRecord[]): void {
    for (const r of records) {
      if (r.t === "open") {
        if (r.batch !== this.sealed.length || r.queueStart !== this.queueConsumed) {
          throw new Error(`write-ahead log is inconsistent at the opening of batch ${r.batch}`);
        }
        this.startBatch(r.queueEnd, r.at, r.feeRecipient as Address, r.feeTokens);
      } else if (r.t === "op") {
        const op = decodeL2Op(hexToBytes(r.op), this.config.params, "optimistic");
        const batch = this.open;
        if (!batch || r.seq !== this.nextSeq) throw new Error(`write-ahead log is inconsistent at op ${r.seq}`);
        const outcome = batch.executor.checkL2Op(op);
        if (outcome !== "Applied") throw new Error(`replayed op ${r.seq} no longer applies (${outcome})`);
        this.accept(op, r.nonce, r.at);
      } else if (r.t === "seal") {
        const batch = this.open;
        if (!batch || batch.index !== r.batch) throw new Error(`write-ahead log is inconsistent at the seal of batch ${r.batch}`);
        this.open = undefined;
        this.closeBatch(batch);
      } else {
        const batch = this.sealed[r.batch];
        if (batch) {
          batch.l1Tx = r.tx as `0x${string}`;
          batch.l1Block = r.l1Block;
        }
      }
    }
  }

  private ensureOpen(): OpenBatch {
    if (this.open) return this.open;
    const queueEnd = Math.min(this.queue.length, this.queueConsumed + this.config.maxBatchOps);
    const at = Date.now();
    const batch = this.startBatch(queueEnd, at, this.config.feeRecipient, this.config.feeTokens);
    void this.wal
      .append({
        t: "open",
        batch: batch.index,
        queueStart: batch.queueStart,
        queueEnd,
        at,
        feeRecipient: batch.feeRecipient,
        feeTokens: batch.feeTokens,
      })
      .catch(() => undefined);
    return batch;
  }

  private startBatch(queueEnd: number, openedAt: number, feeRecipient: Address, feeTokens: readonly number[]): OpenBatch {
    const executor = new BatchExecutor(this.state, { feeRecipient, feeTokens }, {
      domain: this.config.domain,
      mode: "optimistic",
      verifySignature: this.memoizedVerifier,
    });
    for (let i = this.queueConsumed; i < queueEnd; i++) executor.applyQueueEntry(this.queue.entry(i));
    this.open = {
      index: this.sealed.length,
      executor,
      queueStart: this.queueConsumed,
      queueEnd,
      ops: [],
      openedAt,
      feeRecipient,
      feeTokens,
    };
    return this.open;
  }

  private accept(op: L2Op, nonce: number, acceptedAt: number): OpInfo {
    const batch = this.open!;
    batch.executor.applyL2Op(op);
    const info: OpInfo = { hash: opHash(op, this.config.params), seq: this.nextSeq++, op, nonce, acceptedAt, batch: batch.index };
    batch.ops.push(info);
    this.opsByHash.set(info.hash, info);
    return info;
  }

  private closeBatch(batch: OpenBatch): SealedBatch {
    const sealed: SealedBatch = {
      index: batch.index,
      queueStart: batch.queueStart,
      queueEnd: batch.queueEnd,
      ops: batch.ops,
      feeRecipient: batch.feeRecipient,
      feeTokens: batch.feeTokens,
      result: batch.executor.finish(),
    };
    this.sealed.push(sealed);
    this.queueConsumed = batch.queueEnd;
    return sealed;
  }

  // The acceptance path checks an op, then applies it: the second signature check of the
  // same (message, signature, key) is answered from this one-entry memo.
  private readonly memoizedVerifier: SignatureVerifier = (message, signature, publicKey) => {
    const key = `${message}:${bytesToHex(signature)}:${publicKey.x}`;
    if (this.lastVerdict.key === key) return this.lastVerdict.value;
    const value = verifyWireSignature(message, signature, publicKey);
    this.lastVerdict.key = key;
    this.lastVerdict.value = value;
    return value;
  };

  private rejection(op: L2Op, outcome: Exclude<Outcome, "Applied">): OpRejectedError {
    const details: Partial<Record<Outcome, string>> = {
      UnknownSender: `no account at index ${op.fromIdx}`,
      UnknownReceiver: `no account at index ${op.toIdx}`,
      BadSignature: "the signature does not verify for this op, the sender's key and current nonce, and this rollup's domain (chain ids and contract address)",
      InsufficientBalance: (() => {
        const sender = this.state.account(op.fromIdx);
        return sender
          ? `account ${op.fromIdx} has ${sender.balance}, the op needs ${decodeFloat40(op.amountFloat40)} + fee ${decodeFloat8(op.feeFloat8)}`
          : undefined;
      })(),
      TokenMismatch: (() => {
        const s = this.state.account(op.fromIdx);
        const r = this.state.account(op.toIdx);
        return s && r ? `sender holds token ${s.tokenId}, receiver holds token ${r.tokenId}` : undefined;
      })(),
    };
    return new OpRejectedError(`${REJECTIONS[outcome]}`, { reason: outcome, details: details[outcome] });
  }
}
