/**
 * The dashboard's snapshot: everything a view draws, as plain JSON (amounts as decimal
 * strings), built from the L1 history, a few L1 reads and the L2 JSON-RPC.
 */
import { type Hex } from "viem";
import { type AccountInfo, type Address, type BatchInfo, type RollupInfo, type StatusInfo } from "../core/index.js";

/**
 * A batch in the pipeline: L2's view (sealed, its ops) joined with its L1 posting.
 *
 * @example
 * if (batch.stage === "onL1") console.log(batch.finalizableAt - snapshot.l1.timestamp, "s left")
 */
export interface BatchView {
  readonly index: number;
  /** sealed (built, not on L1) → onL1 → final; invalidated postings are listed apart. */
  readonly stage: "sealed" | "onL1" | "final";
  readonly opCount: number | null;
  readonly queueEntries: number;
  readonly stepCount: number | null;
  readonly da: "calldata" | "blobs" | "zk" | null;
  readonly payloadBytes: number | null;
  readonly l1: {
    readonly txHash: Hex;
    readonly block: number;
    readonly submittedAt: number;
    readonly calldataBytes: number;
    readonly blobs: number;
    readonly gasUsed: string;
    readonly blobGasUsed: string;
    readonly feeWei: string;
    readonly instance: number;
  } | null;
  /** Optimistic: the L1 time the challenge window ends. */
  readonly finalizableAt: number | null;
  /** A game is open on this batch or an earlier one. */
  readonly contested: boolean;
  readonly proof: { readonly status: string; readonly seconds: number | null } | null;
  readonly postStateRoot: Hex | null;
}

/**
 * A dispute game: its L1 state, both clocks and every move so far.
 *
 * @example
 * const narrowing = game.moves.map((m) => [m.lo, m.hi])
 */
export interface GameView {
  readonly id: number;
  readonly batchIndex: number;
  readonly status: string;
  readonly open: boolean;
  readonly challenger: Address;
  readonly defender: Address;
  readonly stepCount: number;
  readonly lo: number;
  readonly hi: number;
  readonly bond: string;
  /** The defender's (proposer's) bond on the rollup now. */
  readonly defenderBond: string;
  readonly clocks: { readonly defender: number; readonly challenger: number };
  readonly defenderToMove: boolean;
  readonly moves: readonly {
    readonly kind: string;
    readonly txHash: Hex;
    readonly at: number;
    readonly from: Address;
    readonly gasUsed: string;
    readonly lo: number;
    readonly hi: number;
    readonly detail: Readonly<Record<string, string | number | boolean>>;
  }[];
  /** Blob batch: the stream elements the one-step proof opened. */
  readonly openedElements: readonly number[];
  readonly da: "calldata" | "blobs" | "zk" | null;
}

/**
 * Everything the page shows at one moment.
 *
 * @example
 * const snapshot: Snapshot = await observer.snapshot()
 */
export interface Snapshot {
  readonly at: number;
  readonly sources: { readonly l1: string; readonly l2: string; readonly beacon: string | null };
  /** `timestamp` is the head block's; `seenAt` (ms) when the dashboard first saw it, so L1 time now ≈ timestamp + (Date.now() − seenAt) / 1000. */
  readonly l1: { readonly chainId: number; readonly head: number; readonly timestamp: number; readonly seenAt: number };
  readonly l2: { readonly info: RollupInfo; readonly status: StatusInfo } | { readonly error: string };
  readonly rollup: {
    readonly address: Address;
    readonly challengeWindow: number;
    readonly batchCount: number;
    readonly finalBatchCount: number;
    readonly recordSize: number;
    readonly levels: number;
    readonly exodus: boolean;
    readonly exodusDelay: number;
  };
  readonly batches: readonly BatchView[];
  readonly invalidated: readonly { readonly index: number; readonly instance: number; readonly txHash: Hex; readonly postStateRoot: Hex }[];
  readonly games: readonly GameView[];
  readonly queue: {
    readonly length: number;
    readonly consumed: number;
    readonly pending: readonly { readonly index: number; readonly kind: string; readonly l1Address: Address; readonly amount: string; readonly deadline: number; readonly overdue: boolean }[];
  };
  readonly exits: {
    readonly exodus: boolean;
    readonly activation: { readonly queueIndex: number; readonly finalBatches: number; readonly txHash: Hex; readonly at: number } | null;
    /** The first overdue queue entry and when anyone may activate the exodus with it. */
    readonly overdue: { readonly queueIndex: number; readonly dueAt: number } | null;
    readonly paid: readonly { readonly kind: string; readonly recipient: Address; readonly tokenId: number; readonly amount: string; readonly txHash: Hex; readonly at: number; readonly ref: number }[];
  };
  readonly accounts: readonly (AccountInfo & { readonly l1Balance: string })[];
  readonly prover: { readonly mode: string; readonly queue: number | null; readonly batches: readonly { readonly index: number; readonly status: string; readonly seconds: number | null }[] };
}

/** L2 batch views keyed by index. */
export type L2Batches = ReadonlyMap<number, BatchInfo>;
