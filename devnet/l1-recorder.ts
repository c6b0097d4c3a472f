/**
 * Keeps the devnet L1's journal (devnet/l1-journal.ts) and replays it. The recorder sits in
 * Hardhat's network hook `onRequest`, in front of every JSON-RPC request the L1 serves: a
 * request that can change the chain runs alone (requests that only read run beside it), and
 * before it is answered every block it mined is journaled with its transactions' signed bytes,
 * an edit it made is journaled as it was sent, and a snapshot or revert marks or cuts the
 * journal. On the next start, `replayJournal` sends the same transactions to a fresh EDR with
 * the same genesis, mines each block at its journaled timestamp and checks its hash.
 *
 * Not journaled: transactions still in the mempool (with automine off) at a stop, and forks.
 */
import {
  type Hex,
  type RpcTransaction,
  formatTransaction,
  keccak256,
  parseTransaction,
  recoverTransactionAddress,
  serializeTransaction,
  toHex,
} from "viem";
import { type Address } from "../core/index.js";
import { type BlockEntry, type JournalMark, type JournalTransaction, type L1Journal } from "./l1-journal.js";
import { L1JournalError } from "./errors.js";

/** What the recorder and the replay need of a provider: EIP-1193's `request`. */
export interface RequestProvider {
  request(args: { method: string; params?: unknown[] | object }): Promise<unknown>;
}

/** Requests that may mine blocks. */
const BLOCK_MAKERS = new Set(["eth_sendRawTransaction", "eth_sendTransaction", "evm_mine", "hardhat_mine"]);
/** Requests that change the state or who may send, replayed in place. */
const STATE_EDITS = new Set([
  "hardhat_setBalance",
  "hardhat_setCode",
  "hardhat_setNonce",
  "hardhat_setStorageAt",
  "hardhat_setCoinbase",
  "hardhat_setPrevRandao",
  "hardhat_setNextBlockBaseFeePerGas",
  "hardhat_setMinGasPrice",
  "evm_setBlockGasLimit",
  "hardhat_impersonateAccount",
  "hardhat_stopImpersonatingAccount",
]);
/** Requests that move the clock: a journaled block has its own timestamp, so only those after the last block count. */
const CLOCK_EDITS = new Set(["evm_increaseTime", "evm_setNextBlockTimestamp"]);
/** Requests that set how blocks are mined: the last of each is applied after the replay. */
const MODE_EDITS = new Set(["evm_setAutomine", "evm_setIntervalMining"]);
const SNAPSHOTS = new Set(["evm_snapshot", "evm_revert", "hardhat_reset"]);

/**
 * Whether a JSON-RPC method can change the chain (and so is journaled).
 *
 * @example
 * changesChain("eth_call") // false
 * changesChain("eth_sendRawTransaction") // true
 */
export function changesChain(method: string): boolean {
  return BLOCK_MAKERS.has(method) || STATE_EDITS.has(method) || CLOCK_EDITS.has(method) || MODE_EDITS.has(method) || SNAPSHOTS.has(method);
}

interface RpcBlock {
  readonly number: Hex;
  readonly hash: Hex;
  readonly parentHash: Hex;
  readonly timestamp: Hex;
  readonly transactions: readonly RpcTransaction[];
}

/**
 * The journaling side of the devnet L1: `handle` wraps each request (the `onRequest` hook),
 * `start` turns it on once a replay is done, `sync` journals blocks mined outside a request
 * (interval mining) before a stop.
 *
 * @example
 * const recorder = new L1Recorder(journal)
 * hre.hooks.registerHandlers("network", { onRequest: (context, connection, request, next) => recorder.handle(connection.provider, request, () => next(context, connection, request)) })
 */
export class L1Recorder {
  private recording = false;
  private queue: Promise<unknown> = Promise.resolve();
  /** Snapshot id (as the L1 returned it) → where the journal was. */
  private readonly marks = new Map<string, JournalMark>();
  /** Signed bytes of the transactions sent with eth_sendRawTransaction, by hash, until journaled. */
  private readonly sent = new Map<Hex, Hex>();

  constructor(private readonly journal: L1Journal) {}

  /** Journals every request that changes the chain from now on. */
  start(): void {
    this.recording = true;
  }

  /**
   * Runs one request (`run` sends it on), journaling what it changed before its answer is
   * returned. Requests that change the chain run one at a time.
   */
  handle<T>(provider: RequestProvider, request: { readonly method: string; readonly params?: unknown[] | object }, run: () => Promise<T>): Promise<T> {
    if (!this.recording || !changesChain(request.method)) return run();
    return this.serialized(async () => {
      let result: unknown;
      try {
        const response = await run();
        result = (response as { result?: unknown }).result;
        return response;
      } finally {
        await this.record(provider, request.method, Array.isArray(request.params) ? request.params : [], result);
      }
    });
  }

  /** Journals the blocks mined since the last journaled one (interval mining mines without a request). */
  sync(provider: RequestProvider): Promise<void> {
    return this.serialized(() => this.journalNewBlocks(provider));
  }

  private serialized<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async record(provider: RequestProvider, method: string, params: unknown[], result: unknown): Promise<void> {
    if (method === "eth_sendRawTransaction" && typeof result === "string") this.sent.set(result.toLowerCase() as Hex, params[0] as Hex);
    if (result === undefined && !BLOCK_MAKERS.has(method)) return; // refused: nothing changed
    if (STATE_EDITS.has(method) || CLOCK_EDITS.has(method) || MODE_EDITS.has(method)) {
      // Blocks first: an edit applies after the blocks mined before it.
      await this.journalNewBlocks(provider);
      this.journal.append({ t: "edit", method, params });
    } else if (method === "evm_snapshot") {
      await this.journalNewBlocks(provider);
      this.marks.set(String(result), this.journal.mark());
    } else if (method === "evm_revert") {
      this.revertTo(String(params[0]), result === true);
    } else if (method === "hardhat_reset") {
      this.marks.clear();
      const genesis = (await provider.request({ method: "eth_getBlockByNumber", params: ["0x0", false] })) as RpcBlock;
      this.journal.begin({ ...this.journal.genesis!, genesisTime: Number(genesis.timestamp), genesisHash: genesis.hash });
    }
    await this.journalNewBlocks(provider);
  }

  private revertTo(id: string, reverted: boolean): void {
    const mark = this.marks.get(id);
    if (!reverted || !mark) return;
    this.journal.truncate(mark);
    // The L1 forgets the snapshot reverted to and every later one.
    for (const key of [...this.marks.keys()]) if (BigInt(key) >= BigInt(id)) this.marks.delete(key);
  }

  private async journalNewBlocks(provider: RequestProvider): Promise<void> {
    const head = Number(await provider.request({ method: "eth_blockNumber", params: [] }));
    for (let number = this.journal.lastBlock.number + 1; number <= head; number++) {
      const block = (await provider.request({ method: "eth_getBlockByNumber", params: [toHex(number), true] })) as RpcBlock;
      if (block.parentHash !== this.journal.lastBlock.hash) {
        throw new L1JournalError(`L1 block ${number} does not follow the journaled block ${this.journal.lastBlock.number}`, {
          details: "the chain changed under the journal (a revert or reset it did not see): restart the devnet; the journal holds the chain up to the last block it saw",
        });
      }
      const entry: BlockEntry = {
        t: "block",
        number,
        hash: block.hash,
        timestamp: Number(block.timestamp),
        wall: Date.now() / 1000,
        txs: await Promise.all(block.transactions.map((tx) => this.journalTransaction(tx))),
      };
      this.journal.append(entry);
    }
  }

  private async journalTransaction(rpc: RpcTransaction): Promise<JournalTransaction> {
    const hash = rpc.hash.toLowerCase() as Hex;
    const from = rpc.from.toLowerCase() as Address;
    const sent = this.sent.get(hash);
    if (sent) {
      this.sent.delete(hash);
      return { raw: sent, from };
    }
    // Signed by the L1 itself (eth_sendTransaction from one of its accounts, or impersonated).
    const tx = formatTransaction(rpc);
    const raw = serializeTransaction(tx as never, { r: tx.r!, s: tx.s!, yParity: tx.yParity! });
    if (keccak256(raw) !== hash) {
      throw new L1JournalError(`cannot journal L1 transaction ${hash}: its fields do not serialize to its hash`, {
        details: `a transaction type the journal does not know (${rpc.type}); the devnet cannot be restarted with this transaction in its chain`,
      });
    }
    const signer = await recoverTransactionAddress({ serializedTransaction: raw as never }).catch(() => undefined);
    return signer?.toLowerCase() === from ? { raw, from } : { raw, from, impersonated: true };
  }
}

/**
 * What a replay did: blocks and transactions replayed, and how long it took.
 *
 * @example
 * const { blocks, transactions, ms }: ReplayReport = await replayJournal(provider, journal)
 */
export interface ReplayReport {
  readonly blocks: number;
  readonly transactions: number;
  readonly ms: number;
}

/**
 * Replays a journal into a fresh L1 started with its genesis: edits in place, each block's
 * transactions sent and mined at its timestamp, its hash checked against the journal's. Then
 * sets the clock so that L1 time has run on while the devnet was stopped (as a real chain's
 * would) with every warp kept, and restores the mining mode.
 *
 * @example
 * const { blocks, ms } = await replayJournal(connection.provider, journal)
 */
export async function replayJournal(provider: RequestProvider, journal: L1Journal): Promise<ReplayReport> {
  const started = Date.now();
  const request = (method: string, params: unknown[] = []): Promise<unknown> => provider.request({ method, params });
  await request("evm_setAutomine", [true]);
  let last: BlockEntry | undefined;
  let transactions = 0;
  // Clock and mode edits after the last block, and the last mining mode set.
  let pendingIncrease = 0;
  let pendingNextTimestamp: unknown;
  const modes = new Map<string, readonly unknown[]>();
  for (const entry of journal.entries) {
    if (entry.t === "edit") {
      if (entry.method === "evm_increaseTime") pendingIncrease += Number(entry.params[0]);
      else if (entry.method === "evm_setNextBlockTimestamp") pendingNextTimestamp = entry.params[0];
      else if (MODE_EDITS.has(entry.method)) modes.set(entry.method, entry.params);
      else await request(entry.method, [...entry.params]);
      continue;
    }
    await replayBlock(request, entry);
    last = entry;
    transactions += entry.txs.length;
    pendingIncrease = 0;
    pendingNextTimestamp = undefined;
  }
  // SAFETY: after a block mined at an explicit timestamp EDR's clock runs on from it, so the
  // clock now stands at last.timestamp; the time since the last block was journaled, plus the
  // warps made after it, bring it to where it would be had the L1 never stopped.
  const since = last ? Math.max(0, Math.floor(Date.now() / 1000 - last.wall)) : 0;
  if (since + pendingIncrease > 0) await request("evm_increaseTime", [since + pendingIncrease]);
  if (pendingNextTimestamp !== undefined) await request("evm_setNextBlockTimestamp", [pendingNextTimestamp]);
  const automine = modes.get("evm_setAutomine");
  if (automine) await request("evm_setAutomine", [...automine]);
  const interval = modes.get("evm_setIntervalMining");
  if (interval) await request("evm_setIntervalMining", [...interval]);
  return { blocks: last?.number ?? 0, transactions, ms: Date.now() - started };
}

/**
 * Mines one journaled block again, at its timestamp, and checks its hash. A block of one
 * transaction is mined by automine as it was (EDR takes blob transactions only that way); a
 * block of several is mined with automine off. A transaction that reverted reverts again: its
 * error is kept for the report if the block then does not hash the same.
 */
async function replayBlock(request: (method: string, params?: unknown[]) => Promise<unknown>, entry: BlockEntry): Promise<void> {
  let failure: unknown;
  const send = (tx: JournalTransaction) => sendAgain(request, tx).catch((e: unknown) => void (failure ??= e));
  if (entry.txs.length === 1) {
    await request("evm_setNextBlockTimestamp", [entry.timestamp]);
    await send(entry.txs[0]!);
  } else {
    await request("evm_setAutomine", [false]);
    for (const tx of entry.txs) await send(tx);
    await request("evm_mine", [entry.timestamp]);
    await request("evm_setAutomine", [true]);
  }
  const block = (await request("eth_getBlockByNumber", [toHex(entry.number), false])) as RpcBlock | null;
  if (block?.hash !== entry.hash) {
    throw new L1JournalError(`replaying L1 block ${entry.number} gave ${block?.hash ?? "no block"}, the journal has ${entry.hash}`, {
      details: "the journal was written by another Hardhat, or damaged: start over with --fresh (fresh: true)",
      cause: failure,
    });
  }
}

/** Sends a journaled transaction again: its signed bytes, or, if it was impersonated, its fields from the same sender. */
async function sendAgain(request: (method: string, params?: unknown[]) => Promise<unknown>, tx: JournalTransaction): Promise<void> {
  if (!tx.impersonated) {
    await request("eth_sendRawTransaction", [tx.raw]);
    return;
  }
  const parsed = parseTransaction(tx.raw);
  await request("eth_sendTransaction", [
    {
      from: tx.from,
      to: parsed.to ?? undefined,
      data: parsed.data,
      value: toHex(parsed.value ?? 0n),
      gas: toHex(parsed.gas ?? 0n),
      nonce: toHex(parsed.nonce ?? 0),
      ...(parsed.maxFeePerGas !== undefined
        ? { maxFeePerGas: toHex(parsed.maxFeePerGas), maxPriorityFeePerGas: toHex(parsed.maxPriorityFeePerGas ?? 0n) }
        : { gasPrice: toHex(parsed.gasPrice ?? 0n) }),
      ...(parsed.accessList ? { accessList: parsed.accessList } : {}),
    },
  ]);
}
