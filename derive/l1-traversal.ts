/**
 * Stage 1 of the derivation: walks L1 blocks in order and yields the rollup's logs from
 * them, oldest first: the bridge's `QueueEntryAdded`, the rollup's `BatchSubmitted` (with
 * the `BatchDataPosted` that follows it for a blob batch) and `BatchesInvalidated`. Like
 * op-node's `l1_traversal`, it knows nothing of what comes after.
 */
import { type Hex, type PublicClient, parseEventLogs } from "viem";
import { type Address, type QueueEntry, bigIntToAddress, bridgeAbi, rollupAbi } from "../core/index.js";
import { DerivationError } from "./errors.js";

/** A queue entry the bridge appended. */
export interface QueueEntryLog {
  readonly kind: "queueEntry";
  readonly index: number;
  readonly entry: QueueEntry;
  /** The bridge's rolling hash after this entry (`queueHash_{index+1}`). */
  readonly queueHash: bigint;
  readonly l1Block: bigint;
}

/** A batch the rollup appended: every header field but those the decoder derives. */
export interface BatchSubmittedLog {
  readonly kind: "batchSubmitted";
  readonly index: number;
  readonly commitment: Hex;
  readonly proposer: Address;
  readonly preStateRoot: bigint;
  readonly postStateRoot: bigint;
  readonly withdrawalsRoot: bigint;
  readonly stepsRoot: Hex;
  readonly dataHash: Hex;
  readonly queueStart: number;
  readonly queueEnd: number;
  readonly feeRecipient: Address;
  readonly feeTokens: readonly [number, number, number, number];
  /** The submitting transaction: its input carries the payload of a calldata batch. */
  readonly txHash: Hex;
  readonly l1Block: bigint;
  /** The L1 block's hash: the Beacon API's block root for the blobs of a blob batch. */
  readonly l1BlockHash: Hex;
  /** Set for a blob batch (`submitBlobBatch`): its blobs' versioned hashes and payload length. */
  readonly blobs?: { readonly versionedHashes: readonly Hex[]; readonly payloadLength: number };
}

/** Batches [fromIndex, fromIndex + count) were removed by a lost dispute. */
export interface BatchesInvalidatedLog {
  readonly kind: "batchesInvalidated";
  readonly fromIndex: number;
  readonly count: number;
  readonly l1Block: bigint;
}

/** What the traversal yields. */
export type RollupLog = QueueEntryLog | BatchSubmittedLog | BatchesInvalidatedLog;

/** What the next stage sees of the traversal. */
export interface RollupLogSource {
  /** The next log in L1 order, or `undefined` once caught up with the L1 head (call again later). */
  next(): Promise<RollupLog | undefined>;
}

const EVENTS = [
  ...bridgeAbi.filter((i) => i.type === "event" && i.name === "QueueEntryAdded"),
  ...rollupAbi.filter((i) => i.type === "event" && (i.name === "BatchSubmitted" || i.name === "BatchesInvalidated" || i.name === "BatchDataPosted")),
];

/**
 * Reads the rollup's logs block range by block range, up to the L1 head.
 *
 * @example
 * const traversal = new L1Traversal(client, { rollup, bridge }, 0n)
 * for (let log = await traversal.next(); log; log = await traversal.next()) console.log(log.kind)
 */
export class L1Traversal implements RollupLogSource {
  private readonly buffered: RollupLog[] = [];
  private nextBlock: bigint;

  constructor(
    private readonly client: PublicClient,
    private readonly contracts: { readonly rollup: Address; readonly bridge: Address },
    fromBlock: bigint,
    /** Most blocks per `eth_getLogs` call. */
    private readonly maxRange = 5_000n,
  ) {
    this.nextBlock = fromBlock;
  }

  /** The first L1 block not read yet. */
  get origin(): bigint {
    return this.nextBlock;
  }

  async next(): Promise<RollupLog | undefined> {
    if (this.buffered.length === 0) await this.advance();
    return this.buffered.shift();
  }

  private async advance(): Promise<void> {
    const head = await this.client.getBlockNumber();
    while (this.buffered.length === 0 && this.nextBlock <= head) {
      const toBlock = this.nextBlock + this.maxRange - 1n < head ? this.nextBlock + this.maxRange - 1n : head;
      const raw = await this.client.getLogs({
        address: [this.contracts.rollup, this.contracts.bridge],
        fromBlock: this.nextBlock,
        toBlock,
      });
      const logs = parseEventLogs({ abi: EVENTS, logs: raw, strict: true })
        .filter((l) => l.address.toLowerCase() === (l.eventName === "QueueEntryAdded" ? this.contracts.bridge : this.contracts.rollup).toLowerCase())
        .sort((a, b) => (a.blockNumber === b.blockNumber ? a.logIndex - b.logIndex : a.blockNumber < b.blockNumber ? -1 : 1));
      for (const log of logs) {
        if (log.eventName === "QueueEntryAdded") {
          const a = log.args;
          this.buffered.push({
            kind: "queueEntry",
            index: Number(a.index),
            entry: {
              kind: a.kind as QueueEntry["kind"],
              l1Address: bigIntToAddress(BigInt(a.l1Address)),
              tokenId: a.tokenId,
              accountIdx: a.accountIdx,
              amount: a.amount,
              Ax: a.ax,
              Ay: a.ay,
            },
            queueHash: a.queueHash,
            l1Block: log.blockNumber,
          });
        } else if (log.eventName === "BatchSubmitted") {
          const a = log.args;
          this.buffered.push({
            kind: "batchSubmitted",
            index: Number(a.index),
            commitment: a.commitment,
            proposer: a.proposer.toLowerCase() as Address,
            preStateRoot: a.preStateRoot,
            postStateRoot: a.postStateRoot,
            withdrawalsRoot: a.withdrawalsRoot,
            stepsRoot: a.stepsRoot,
            dataHash: a.dataHash,
            queueStart: Number(a.queueStart),
            queueEnd: Number(a.queueEnd),
            feeRecipient: a.feeRecipient.toLowerCase() as Address,
            feeTokens: [...a.feeTokens] as unknown as [number, number, number, number],
            txHash: log.transactionHash,
            l1Block: log.blockNumber,
            l1BlockHash: log.blockHash,
          });
        } else if (log.eventName === "BatchDataPosted") {
          // Emitted right after its BatchSubmitted, in the same transaction.
          const at = this.buffered.findLastIndex((l) => l.kind === "batchSubmitted" && l.txHash === log.transactionHash);
          const submitted = this.buffered[at];
          if (submitted?.kind !== "batchSubmitted" || submitted.index !== Number(log.args.index)) {
            throw new DerivationError(`BatchDataPosted for batch ${log.args.index} in ${log.transactionHash} follows no BatchSubmitted of that batch`);
          }
          this.buffered[at] = {
            ...submitted,
            blobs: { versionedHashes: [...log.args.blobHashes], payloadLength: Number(log.args.payloadLength) },
          };
        } else {
          this.buffered.push({ kind: "batchesInvalidated", fromIndex: Number(log.args.fromIndex), count: Number(log.args.count), l1Block: log.blockNumber });
        }
      }
      this.nextBlock = toBlock + 1n;
    }
  }
}
