/**
 * Stage 3 of the derivation: turns a batch's data into ops and its event into the full
 * header the rollup committed to. It follows the queue (to attach each batch's queue entries
 * and `queueHashEnd`) and the chain of commitments (for `parentCommitment`), and checks that
 * the header it rebuilds hashes to the commitment on L1.
 */
import { type Hex, hexToBytes } from "viem";
import {
  type Address,
  type Batch,
  type BatchHeaderWords,
  type L2Op,
  type QueueEntry,
  type ResolvedParams,
  FEE_SLOTS,
  batchHeaderCommitment,
  decodeBatchPayload,
} from "../core/index.js";
import { DerivationError } from "./errors.js";
import type { BatchDataSource } from "./calldata-source.js";

/** A batch as the rollup holds it, ready to execute. */
export interface DecodedBatch {
  readonly header: BatchHeaderWords;
  readonly commitment: Hex;
  readonly proposer: Address;
  /** Queue entries, L2 ops and fee header: what the STF executes. */
  readonly batch: Batch;
  readonly ops: readonly L2Op[];
  readonly queueEntries: readonly QueueEntry[];
  /** The payload as posted (the one-step proof re-sends it; for blobs, what they state). */
  readonly payload: Hex;
  /** Where the payload was posted. */
  readonly da: "calldata" | "blobs";
  /** "optimistic" (signed records, disputable) or "zk" (proven, records without signatures). */
  readonly settlement: "optimistic" | "zk";
  /** For a blob batch: its versioned hashes and blobs, in order (what `proveBlobStep` opens). */
  readonly blobs?: { readonly versionedHashes: readonly Hex[]; readonly data: readonly Uint8Array[] };
  /** For a blob batch whose blobs do not state its payload: why (it executes as zero bytes). */
  readonly malformed?: string;
  readonly txHash: Hex;
  readonly l1Block: bigint;
}

/** What the decoder yields. */
export type DecodedInput =
  | { readonly kind: "batch"; readonly batch: DecodedBatch }
  | { readonly kind: "invalidated"; readonly fromIndex: number; readonly count: number; readonly l1Block: bigint };

/** What the next stage sees of the decoder. */
export interface DecodedBatchSource {
  /** The next batch or invalidation, or `undefined` once caught up with L1. */
  next(): Promise<DecodedInput | undefined>;
}

/**
 * Decodes batches from their data and the queue.
 *
 * @example
 * const decoder = new BatchDecoder(source, params)
 * const input = await decoder.next() // { kind: "batch", batch: { header, ops, ... } }
 */
export class BatchDecoder implements DecodedBatchSource {
  private readonly entries: QueueEntry[] = [];
  /** queueHashes[i] = the bridge's rolling hash after i entries. */
  private readonly queueHashes: bigint[] = [0n];
  private readonly commitments: Hex[] = [];

  constructor(
    private readonly source: BatchDataSource,
    private readonly params: ResolvedParams,
  ) {}

  /** The queue entries read so far, by queue index (queue entries are never removed). */
  get queue(): readonly QueueEntry[] {
    return this.entries;
  }

  async next(): Promise<DecodedInput | undefined> {
    for (;;) {
      const log = await this.source.next();
      if (!log) return undefined;
      if (log.kind === "queueEntry") {
        if (log.index !== this.entries.length) {
          throw new DerivationError(`queue entry ${log.index} arrived after ${this.entries.length} entries`);
        }
        this.entries.push(log.entry);
        this.queueHashes.push(log.queueHash);
        continue;
      }
      if (log.kind === "batchesInvalidated") {
        this.commitments.length = log.fromIndex;
        return { kind: "invalidated", fromIndex: log.fromIndex, count: log.count, l1Block: log.l1Block };
      }
      if (log.index !== this.commitments.length) {
        throw new DerivationError(`batch ${log.index} arrived after ${this.commitments.length} batches`);
      }
      if (log.queueEnd > this.entries.length) {
        throw new DerivationError(`batch ${log.index} consumes queue entries up to ${log.queueEnd}, only ${this.entries.length} are known`);
      }
      const ops = decodeBatchPayload(hexToBytes(log.payload), this.params, log.settlement);
      const queueEntries = this.entries.slice(log.queueStart, log.queueEnd);
      const header: BatchHeaderWords = {
        index: BigInt(log.index),
        parentCommitment: this.commitments[log.index - 1] ?? `0x${"00".repeat(32)}`,
        dataHash: log.dataHash,
        queueStart: BigInt(log.queueStart),
        queueEnd: BigInt(log.queueEnd),
        queueHashEnd: this.queueHashes[log.queueEnd]!,
        preStateRoot: log.preStateRoot,
        postStateRoot: log.postStateRoot,
        withdrawalsRoot: log.withdrawalsRoot,
        stepsRoot: log.stepsRoot,
        stepCount: BigInt(queueEntries.length + ops.length + FEE_SLOTS),
        feeRecipient: log.feeRecipient,
        feeTokens: log.feeTokens,
      };
      const rebuilt = batchHeaderCommitment(header);
      if (rebuilt !== log.commitment) {
        throw new DerivationError(`batch ${log.index}: the rebuilt header hashes to ${rebuilt}, the rollup holds ${log.commitment}`, {
          details: "core/dispute.ts BatchHeaderWords no longer mirrors Types.BatchHeader, or the queue was misread",
        });
      }
      this.commitments.push(log.commitment);
      return {
        kind: "batch",
        batch: {
          header,
          commitment: log.commitment,
          proposer: log.proposer,
          batch: { queueEntries, ops, feeRecipient: log.feeRecipient, feeTokens: log.feeTokens },
          ops,
          queueEntries,
          payload: log.payload,
          da: log.da,
          settlement: log.settlement,
          ...(log.blobs && log.blobData ? { blobs: { versionedHashes: log.blobs.versionedHashes, data: log.blobData } } : {}),
          ...(log.malformed ? { malformed: log.malformed } : {}),
          txHash: log.txHash,
          l1Block: log.l1Block,
        },
      };
    }
  }
}
