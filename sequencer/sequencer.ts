import {
  type Address,
  type BatchResult,
  type DataAvailability,
  type L2Op,
  type OpStatus,
  type Outcome,
  type QueueEntry,
  type Rejection,
  type ResolvedParams,
  BatchExecutor,
  L2State,
  bytesToHex,
  decodeFloat40,
  decodeFloat8,
  encodeL2Op,
  hexToBytes,
  decodeL2Op,
  keccak256,
  EXIT_INDEX,
  MAX_BATCH_OPS,
} from "../core/index.js";
import { type PostedRecord, type WalRecord, WriteAheadLog } from "./store.js";
import { OpRejectedError, WriteAheadLogError } from "./errors.js";
import { CommitmentBuilder, type ZkBatchData } from "./builder.js";

/** What the sequencer knows about one accepted op. */
export interface OpInfo {
  readonly hash: `0x${string}`;
  readonly seq: number;
  readonly op: L2Op;
  readonly nonce: number;
  readonly acceptedAt: number;
  batch?: number;
}

/** A closed batch whose commitments are built, with everything needed to post it and to answer queries about it. */
export interface SealedBatch {
  readonly index: number;
  readonly queueStart: number;
  readonly queueEnd: number;
  readonly ops: readonly OpInfo[];
  readonly feeRecipient: Address;
  readonly feeTokens: readonly number[];
  readonly result: BatchResult;
  /** ZK settlement: the batch's circuit input and L1 payload. */
  readonly zk?: ZkBatchData;
  l1Tx?: `0x${string}`;
  l1Block?: number;
  /** Where its data went on L1 (unknown for a batch found on L1 after a crash). */
  da?: DataAvailability;
  final?: boolean;
}

interface OpenBatch {
  readonly index: number;
  /** Decides outcomes on the tree-less state; the commitments are the builder's. */
  readonly executor: BatchExecutor<false>;
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
  /**
   * ZK settlement: the circuit's step slots. A batch then never holds more than `maxBatchOps`
   * queue entries + ops (a full batch is closed before an op would join it), and the builder
   * also builds each closed batch's circuit input.
   */
  readonly zkSlots?: number;
}

/** Supplies L1 queue entries by index (the L1 follower). */
export interface QueueSource {
  /** Number of queue entries known so far. */
  readonly length: number;
  entry(index: number): QueueEntry;
}

/** The identifier of an op: keccak256 of its optimistic L1 bytes (the signature makes it unique). */
export function opHash(op: L2Op, params: ResolvedParams): `0x${string}` {
  return encodedOpHash(encodeL2Op(op, params, "optimistic"));
}

// `opHash` of an op's encoding: acceptance encodes each op once, for its hash, the WAL and the builder.
function encodedOpHash(encoded: Uint8Array): `0x${string}` {
  return bytesToHex(keccak256(encoded));
}

const REJECTIONS: Record<Rejection, string> = {
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
 * The sequencer: orders L2 ops, decides each one's outcome at once on the accepted state
 * (so every accepted op is valid and its effects are visible immediately), and closes
 * batches for the batcher.
 *
 * Acceptance runs the STF without commitments on a state without the account tree, so the
 * thread that serves the RPC never hashes the tree. A `CommitmentBuilder` worker replays the
 * same batches and ops, in the same order, through the STF with the tree and supplies each
 * closed batch's `BatchResult`. Every acknowledged op is in the write-ahead log first;
 * `replay` rebuilds both sides after a crash.
 *
 * @example
 * const seq = new Sequencer(config, queue, wal)
 * await seq.replay(wal.records)
 * const info = await seq.submit(op, nonce)
 * const batch = await seq.seal()
 * await seq.close()
 */
export class Sequencer {
  readonly config: SequencerConfig;
  /** The accepted state: every accepted op is applied. It has no account tree: see `stateRoot()`. */
  readonly state: L2State;
  /** The closed batches whose commitments are built, by index. */
  readonly sealed: SealedBatch[] = [];
  private readonly queue: QueueSource;
  private readonly wal: WriteAheadLog;
  private readonly builder: CommitmentBuilder;
  private readonly opsByHash = new Map<string, OpInfo>();
  private open: OpenBatch | undefined;
  private closed = 0;
  private nextSeq = 0;
  private queueConsumed = 0;
  // The last closed batch's way into `sealed`. Each waits for the one before, so `sealed`
  // stays in index order whatever order the WAL and the builder answer in.
  private lastSeal: Promise<unknown> = Promise.resolve();
  /** Called when the open batch reaches `maxBatchOps`; the node seals and posts it. */
  onFull: (() => void) | undefined;

  constructor(config: SequencerConfig, queue: QueueSource, wal: WriteAheadLog) {
    this.config = config;
    this.queue = queue;
    this.wal = wal;
    this.state = L2State.genesis(config.params, { tree: false });
    this.builder = new CommitmentBuilder(config.params, config.domain, { zkSlots: config.zkSlots });
  }

  /** Number of batches closed so far, commitments built or not (the index the next batch gets). */
  get batchCount(): number {
    return this.closed;
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

  /** The state root after every accepted op; resolves once the commitment builder has caught up. */
  stateRoot(): Promise<bigint> {
    return this.builder.stateRoot();
  }

  /**
   * Validates an op against the current state and, if it would apply, applies it to the
   * open batch and makes it durable. Rejections throw `OpRejectedError` saying why.
   */
  async submit(op: L2Op, nonce: number): Promise<OpInfo> {
    // Ops accepted after the builder died could never be sealed: refuse them, loudly.
    const failure = this.builder.failure;
    if (failure) throw failure;
    const encoded = encodeL2Op(op, this.config.params, "optimistic");
    const hash = encodedOpHash(encoded);
    const known = this.opsByHash.get(hash);
    if (known) return known;
    const sender = op.fromIdx > EXIT_INDEX ? this.state.account(op.fromIdx) : undefined;
    if (sender && nonce !== sender.nonce) {
      throw new OpRejectedError(
        `nonce too ${nonce < sender.nonce ? "low" : "high"}: account ${op.fromIdx} is at nonce ${sender.nonce}, op has ${nonce}`,
        { reason: nonce < sender.nonce ? "NonceTooLow" : "NonceTooHigh" },
      );
    }
    if (this.config.zkSlots && this.open && this.open.executor.opCount >= this.config.maxBatchOps) {
      // ZK: the circuit has no slot left in the open batch (say, queue entries filled it).
      if (this.onFull) this.onFull();
      if (this.open) void this.seal();
    }
    const batch = this.ensureOpen();
    const outcome = batch.executor.applyL2OpIfValid(op);
    if (outcome !== "Applied") throw this.rejection(op, outcome);
    const info = this.accepted(batch, op, encoded, hash, nonce, Date.now());
    if (batch.executor.opCount >= this.config.maxBatchOps) this.onFull?.();
    await this.wal.append({ t: "op", seq: info.seq, op: bytesToHex(encoded), nonce, at: info.acceptedAt });
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

  /**
   * Closes the open batch (if any) and returns it once the seal is durable and its
   * commitments are built; the batcher posts it. Ops go on into the next batch meanwhile.
   */
  async seal(): Promise<SealedBatch | undefined> {
    const batch = this.open;
    if (!batch) return undefined;
    this.open = undefined;
    return this.closeBatch(batch, this.wal.append({ t: "seal", batch: batch.index }));
  }

  /** Records that a batch is on L1. */
  async markPosted(index: number, tx: `0x${string}`, l1Block: number, da?: DataAvailability): Promise<void> {
    const batch = this.sealed[index]!;
    batch.l1Tx = tx;
    batch.l1Block = l1Block;
    batch.da = da;
    await this.wal.append({ t: "posted", batch: index, tx, l1Block, ...(da ? { da } : {}) });
  }

  /**
   * Records that the rollup removed batches `fromIndex` and later (a lost dispute): they are
   * no longer on L1, and the batcher posts them again. Their sealed results are the honest
   * ones, so the re-posted commitments are too.
   */
  markInvalidated(fromIndex: number): void {
    for (const batch of this.sealed.slice(fromIndex)) {
      batch.l1Tx = undefined;
      batch.l1Block = undefined;
      batch.da = undefined;
      batch.final = undefined;
    }
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

  /**
   * Rebuilds state, batches and op statuses from the write-ahead log; resolves once the
   * commitments of every closed batch are rebuilt too.
   */
  async replay(records: readonly WalRecord[]): Promise<void> {
    const inconsistent = (at: string): WriteAheadLogError =>
      new WriteAheadLogError(`write-ahead log is inconsistent at ${at}`, {
        details: "the log was edited, or its records are not in the order the sequencer writes them; start from an empty data folder",
      });
    const posted: PostedRecord[] = [];
    for (const r of records) {
      if (r.t === "open") {
        if (this.open || r.batch !== this.closed || r.queueStart !== this.queueConsumed) {
          throw inconsistent(`the opening of batch ${r.batch}`);
        }
        this.startBatch(r.queueEnd, r.at, r.feeRecipient as Address, r.feeTokens);
      } else if (r.t === "op") {
        const encoded = hexToBytes(r.op);
        const op = decodeL2Op(encoded, this.config.params, "optimistic");
        const batch = this.open;
        if (!batch || r.seq !== this.nextSeq) throw inconsistent(`op ${r.seq}`);
        const outcome = batch.executor.applyL2OpIfValid(op);
        if (outcome !== "Applied") {
          throw new WriteAheadLogError(`replayed op ${r.seq} no longer applies (${outcome})`, {
            details: "the log belongs to another deployment or L1 queue (or was edited); start from an empty data folder",
          });
        }
        this.accepted(batch, op, encoded, encodedOpHash(encoded), r.nonce, r.at);
      } else if (r.t === "seal") {
        const batch = this.open;
        if (!batch || batch.index !== r.batch) throw inconsistent(`the seal of batch ${r.batch}`);
        this.open = undefined;
        // Not awaited one by one: the builder works through the whole log while this loop
        // runs; `lastSeal` below waits for all of it.
        void this.closeBatch(batch, Promise.resolve());
      } else {
        posted.push(r);
      }
    }
    await this.lastSeal;
    for (const r of posted) {
      const batch = this.sealed[r.batch];
      if (batch) {
        batch.l1Tx = r.tx as `0x${string}`;
        batch.l1Block = r.l1Block;
        batch.da = r.da;
      }
    }
  }

  /** Stops the commitment builder; the sequencer cannot seal batches afterwards. */
  close(): Promise<void> {
    return this.builder.close();
  }

  private ensureOpen(): OpenBatch {
    if (this.open) return this.open;
    // Every known queue entry, up to what a batch of this kind may hold: the rollup refuses a
    // batch that leaves an overdue entry behind unless it is full of queue entries
    // (docs/protocol.md §6), so a backlog is worked off a full batch at a time.
    const capacity = this.config.zkSlots ?? MAX_BATCH_OPS;
    const queueEnd = Math.min(this.queue.length, this.queueConsumed + capacity);
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
    const header = { feeRecipient, feeTokens };
    const entries: QueueEntry[] = [];
    for (let i = this.queueConsumed; i < queueEnd; i++) entries.push(this.queue.entry(i));
    const executor = new BatchExecutor(this.state, header, { domain: this.config.domain, mode: "optimistic", commitments: false });
    for (const entry of entries) executor.applyQueueEntry(entry);
    this.builder.open(this.closed, header, entries);
    this.open = {
      index: this.closed,
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

  // Records an op the open batch has just applied, and hands it to the builder.
  private accepted(batch: OpenBatch, op: L2Op, encoded: Uint8Array, hash: `0x${string}`, nonce: number, acceptedAt: number): OpInfo {
    this.builder.apply(encoded);
    const info: OpInfo = { hash, seq: this.nextSeq++, op, nonce, acceptedAt, batch: batch.index };
    batch.ops.push(info);
    this.opsByHash.set(hash, info);
    return info;
  }

  // Closes `batch` at once (the next batch may open) and resolves when it is in `sealed`:
  // after its seal record is durable and the builder has built its commitments.
  private closeBatch(batch: OpenBatch, durable: Promise<void>): Promise<SealedBatch> {
    this.closed = batch.index + 1;
    this.queueConsumed = batch.queueEnd;
    const sealed = Promise.all([this.builder.seal(batch.index), durable, this.lastSeal]).then(([{ result, zk }]) => {
      const closed: SealedBatch = {
        index: batch.index,
        queueStart: batch.queueStart,
        queueEnd: batch.queueEnd,
        ops: batch.ops,
        feeRecipient: batch.feeRecipient,
        feeTokens: batch.feeTokens,
        result,
        ...(zk ? { zk } : {}),
      };
      this.sealed.push(closed);
      return closed;
    });
    this.lastSeal = sealed;
    return sealed;
  }

  private rejection(op: L2Op, outcome: Rejection): OpRejectedError {
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
