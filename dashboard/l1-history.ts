/**
 * What the L1 contracts' events say, folded into the history a learner watches: every batch
 * posting (with its transaction's bytes, gas and fee), every dispute move, every queue entry
 * and every exit. Read from the L1 JSON-RPC only (eth_getLogs, receipts, blocks).
 */
import { type Hex, type PublicClient, decodeFunctionData, parseEventLogs } from "viem";
import { type Address, bridgeAbi, disputeGameAbi, rollupAbi } from "../core/index.js";

const historyAbi = [...rollupAbi, ...bridgeAbi, ...disputeGameAbi];
/** eth_getLogs ranges stay below what public nodes accept. */
const LOG_RANGE = 5_000n;

/**
 * The L1 contracts the dashboard watches.
 *
 * @example
 * const watched: WatchedContracts = { rollup, bridge, disputeGame }
 */
export interface WatchedContracts {
  readonly rollup: Address;
  readonly bridge: Address;
  readonly disputeGame: Address;
}

/**
 * One posting of a batch on L1 (an index is posted again after an invalidation).
 *
 * @example
 * const fee: bigint = posting.feeWei
 */
export interface BatchPosting {
  readonly index: number;
  /** 0 for the first posting of this index, 1 for the re-posting after an invalidation, … */
  readonly instance: number;
  readonly txHash: Hex;
  readonly block: number;
  /** L1 block timestamp, seconds. */
  readonly submittedAt: number;
  readonly proposer: Address;
  readonly queueStart: number;
  readonly queueEnd: number;
  readonly postStateRoot: Hex;
  readonly withdrawalsRoot: Hex;
  readonly stepsRoot: Hex;
  readonly dataHash: Hex;
  /** Where the data is: calldata (optimistic), blobs, or a ZK batch's calldata. */
  da: "calldata" | "blobs" | "zk";
  payloadLength: number | null;
  blobHashes: Hex[];
  /** The transaction's input bytes (the payload travels there for calldata and ZK batches). */
  readonly calldataBytes: number;
  readonly gasUsed: bigint;
  readonly effectiveGasPrice: bigint;
  readonly blobGasUsed: bigint;
  readonly blobGasPrice: bigint;
  /** gasUsed · effectiveGasPrice + blobGasUsed · blobGasPrice. */
  readonly feeWei: bigint;
  invalidated: boolean;
}

/**
 * A move (or the resolution) of a dispute game, from its event.
 *
 * @example
 * if (move.kind === "Bisected") console.log(move.lo, move.hi)
 */
export interface GameMove {
  readonly kind: "GameStarted" | "LeavesRevealed" | "MidpointRevealed" | "Bisected" | "StepProven" | "GameResolved" | "SlashBurned";
  readonly txHash: Hex;
  readonly block: number;
  readonly at: number;
  readonly from: Address;
  readonly gasUsed: bigint;
  /** The range [lo, hi] after this move (the range the game still disputes). */
  readonly lo: number;
  readonly hi: number;
  /** Event details, as strings and numbers. */
  readonly detail: Readonly<Record<string, string | number | boolean>>;
}

/**
 * A queue entry (Bridge.QueueEntryAdded).
 *
 * @example
 * const overdue = entry.deadline < l1Time
 */
export interface QueueEntryView {
  readonly index: number;
  readonly kind: number;
  readonly l1Address: Address;
  readonly tokenId: number;
  readonly accountIdx: number;
  readonly amount: bigint;
  readonly deadline: number;
  readonly txHash: Hex;
  readonly at: number;
}

/**
 * An exit paid on L1: a withdrawal claim, an exodus withdrawal or a deposit refund.
 *
 * @example
 * console.log(`${exit.kind}: ${exit.amount} to ${exit.recipient}`)
 */
export interface ExitView {
  readonly kind: "WithdrawalClaimed" | "ExodusWithdrawal" | "DepositRefunded";
  readonly recipient: Address;
  readonly tokenId: number;
  readonly amount: bigint;
  readonly txHash: Hex;
  readonly at: number;
  readonly ref: number;
}

/**
 * The whole L1 history of a rollup, folded from its events incrementally (`sync`).
 *
 * @example
 * const history = new L1History(l1, contracts, 0n)
 * await history.sync(await l1.getBlockNumber())
 * history.postings.length
 */
export class L1History {
  readonly postings: BatchPosting[] = [];
  readonly games = new Map<number, { batchIndex: number; moves: GameMove[] }>();
  readonly queue: QueueEntryView[] = [];
  readonly exits: ExitView[] = [];
  exodus: { queueIndex: number; finalBatches: number; txHash: Hex; at: number } | null = null;
  private nextBlock: bigint;
  private readonly timestamps = new Map<bigint, number>();

  constructor(
    private readonly l1: PublicClient,
    private readonly contracts: WatchedContracts,
    fromBlock: bigint,
  ) {
    this.nextBlock = fromBlock;
  }

  /** The current posting of batch `index` (not invalidated), if any. */
  current(index: number): BatchPosting | undefined {
    for (let i = this.postings.length - 1; i >= 0; i--) {
      const p = this.postings[i]!;
      if (p.index === index && !p.invalidated) return p;
    }
    return undefined;
  }

  /** Reads the events of the blocks up to `head` not read yet. */
  async sync(head: bigint): Promise<boolean> {
    if (head < this.nextBlock) return false;
    let changed = false;
    for (let from = this.nextBlock; from <= head; from += LOG_RANGE) {
      const to = from + LOG_RANGE - 1n < head ? from + LOG_RANGE - 1n : head;
      const raw = await this.l1.getLogs({ address: [this.contracts.rollup, this.contracts.bridge, this.contracts.disputeGame], fromBlock: from, toBlock: to });
      const events = parseEventLogs({ abi: historyAbi, logs: raw });
      for (const e of events) {
        changed = true;
        await this.apply(e);
      }
    }
    this.nextBlock = head + 1n;
    return changed;
  }

  private async timestampOf(block: bigint): Promise<number> {
    let t = this.timestamps.get(block);
    if (t === undefined) {
      t = Number((await this.l1.getBlock({ blockNumber: block })).timestamp);
      this.timestamps.set(block, t);
    }
    return t;
  }

  private async apply(e: ReturnType<typeof parseEventLogs<typeof historyAbi>>[number]): Promise<void> {
    const at = await this.timestampOf(e.blockNumber);
    const txHash = e.transactionHash;
    switch (e.eventName) {
      case "BatchSubmitted": {
        const a = e.args;
        const index = Number(a.index);
        const [tx, receipt] = await Promise.all([this.l1.getTransaction({ hash: txHash }), this.l1.getTransactionReceipt({ hash: txHash })]);
        const blobGasUsed = receipt.blobGasUsed ?? 0n;
        const blobGasPrice = receipt.blobGasPrice ?? 0n;
        const isZk = tx.input.length >= 10 && safeFunctionName(tx.input) === "submitZkBatch";
        this.postings.push({
          index,
          instance: this.postings.filter((p) => p.index === index).length,
          txHash,
          block: Number(e.blockNumber),
          submittedAt: at,
          proposer: a.proposer,
          queueStart: Number(a.queueStart),
          queueEnd: Number(a.queueEnd),
          postStateRoot: toHex32(a.postStateRoot),
          withdrawalsRoot: toHex32(a.withdrawalsRoot),
          stepsRoot: a.stepsRoot,
          dataHash: a.dataHash,
          da: isZk ? "zk" : tx.type === "eip4844" ? "blobs" : "calldata",
          payloadLength: null,
          blobHashes: [...(tx.blobVersionedHashes ?? [])],
          calldataBytes: (tx.input.length - 2) / 2,
          gasUsed: receipt.gasUsed,
          effectiveGasPrice: receipt.effectiveGasPrice,
          blobGasUsed,
          blobGasPrice,
          feeWei: receipt.gasUsed * receipt.effectiveGasPrice + blobGasUsed * blobGasPrice,
          invalidated: false,
        });
        break;
      }
      case "BatchDataPosted": {
        const p = this.current(Number(e.args.index));
        if (p) {
          p.da = "blobs";
          p.payloadLength = Number(e.args.payloadLength);
          p.blobHashes = [...e.args.blobHashes];
        }
        break;
      }
      case "BatchesInvalidated": {
        const from = Number(e.args.fromIndex);
        for (const p of this.postings) if (p.index >= from) p.invalidated = true;
        break;
      }
      case "QueueEntryAdded": {
        const a = e.args;
        this.queue.push({
          index: Number(a.index),
          kind: Number(a.kind),
          l1Address: a.l1Address,
          tokenId: Number(a.tokenId),
          accountIdx: Number(a.accountIdx),
          amount: a.amount,
          deadline: Number(a.deadline),
          txHash,
          at,
        });
        break;
      }
      case "ExodusActivated":
        this.exodus = { queueIndex: Number(e.args.queueIndex), finalBatches: Number(e.args.finalBatches), txHash, at };
        break;
      case "WithdrawalClaimed":
        this.exits.push({ kind: e.eventName, recipient: e.args.recipient, tokenId: Number(e.args.tokenId), amount: e.args.amount, txHash, at, ref: Number(e.args.batchIndex) });
        break;
      case "ExodusWithdrawal":
        this.exits.push({ kind: e.eventName, recipient: e.args.recipient, tokenId: Number(e.args.tokenId), amount: e.args.amount, txHash, at, ref: Number(e.args.accountIdx) });
        break;
      case "DepositRefunded":
        this.exits.push({ kind: e.eventName, recipient: e.args.recipient, tokenId: Number(e.args.tokenId), amount: e.args.amount, txHash, at, ref: Number(e.args.queueIndex) });
        break;
      case "GameStarted":
      case "LeavesRevealed":
      case "MidpointRevealed":
      case "Bisected":
      case "StepProven":
      case "GameResolved":
      case "SlashBurned":
        await this.applyMove(e, at);
        break;
      default:
        break;
    }
  }

  private async applyMove(e: ReturnType<typeof parseEventLogs<typeof disputeGameAbi>>[number], at: number): Promise<void> {
    if (!("gameId" in e.args)) return;
    const gameId = Number(e.args.gameId);
    const [tx, receipt] = await Promise.all([this.l1.getTransaction({ hash: e.transactionHash }), this.l1.getTransactionReceipt({ hash: e.transactionHash })]);
    const game = this.games.get(gameId) ?? { batchIndex: -1, moves: [] };
    this.games.set(gameId, game);
    const last = game.moves[game.moves.length - 1];
    let lo = last?.lo ?? 0;
    let hi = last?.hi ?? 0;
    const detail: Record<string, string | number | boolean> = {};
    switch (e.eventName) {
      case "GameStarted":
        game.batchIndex = Number(e.args.batchIndex);
        hi = Number(e.args.stepCount);
        Object.assign(detail, { batchIndex: game.batchIndex, stepCount: hi, challenger: e.args.challenger, defender: e.args.defender, bond: tx.value.toString() });
        break;
      case "LeavesRevealed":
        Object.assign(detail, { firstLeaf: e.args.firstLeaf, lastLeaf: e.args.lastLeaf });
        break;
      case "MidpointRevealed":
        Object.assign(detail, { index: Number(e.args.index), leaf: e.args.leaf });
        break;
      case "Bisected":
        lo = Number(e.args.lo);
        hi = Number(e.args.hi);
        Object.assign(detail, { agreed: e.args.agreed });
        break;
      case "StepProven": {
        Object.assign(detail, { step: Number(e.args.step), postStepHash: e.args.postStepHash, claimed: e.args.claimed, fraud: e.args.postStepHash !== e.args.claimed });
        const call = decodeFunctionData({ abi: disputeGameAbi, data: tx.input });
        if (call.functionName === "proveBlobStep") {
          detail.call = "proveBlobStep";
          detail.openings = call.args[2].elements.length + (call.args[2].elements.length > 0 ? 1 : 0);
        } else if (call.functionName === "proveStep") {
          detail.call = "proveStep";
          detail.opBytes = (call.args[2].record.length - 2) / 2;
          detail.opsRootSiblings = call.args[2].path.length;
        }
        break;
      }
      case "GameResolved":
        Object.assign(detail, { winner: e.args.winner, reason: Number(e.args.reason), payout: e.args.payout.toString() });
        break;
      case "SlashBurned":
        Object.assign(detail, { amount: e.args.amount.toString() });
        break;
      default:
        break;
    }
    game.moves.push({ kind: e.eventName as GameMove["kind"], txHash: e.transactionHash, block: Number(e.blockNumber), at, from: tx.from, gasUsed: receipt.gasUsed, lo, hi, detail });
  }
}

function safeFunctionName(input: Hex): string | undefined {
  try {
    return decodeFunctionData({ abi: rollupAbi, data: input }).functionName;
  } catch {
    return undefined;
  }
}

function toHex32(x: bigint): Hex {
  return `0x${x.toString(16).padStart(64, "0")}`;
}
