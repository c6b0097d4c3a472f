/**
 * Watches a rollup through its three public endpoints only (the L1 JSON-RPC, the L2 JSON-RPC,
 * the Beacon API) and builds the dashboard's snapshot. Works against any devnet, also one
 * started elsewhere: the contracts are found through `rollup_getInfo` and the rollup itself.
 */
import { type Chain, type Hex, type PublicClient, createPublicClient, decodeFunctionData, defineChain, http } from "viem";
import { createL2Client, type L2Client } from "../client/index.js";
import {
  type AccountInfo,
  type Address,
  type BatchInfo,
  GameStatus,
  QueueKind,
  type RollupInfo,
  type StatusInfo,
  disputeGameAbi,
  isDefenderToMove,
  isGameOpen,
  opElementRange,
  rollupAbi,
} from "../core/index.js";
import { L1History, type BatchPosting, type WatchedContracts } from "./l1-history.js";
import { type BatchView, type GameView, type Snapshot } from "./snapshot.js";

/** The batches a snapshot lists, newest first (older ones are found by index). */
const RECENT_BATCHES = 64;
/** Accounts a snapshot lists. */
const LISTED_ACCOUNTS = 64;

const STATUS_NAMES = Object.fromEntries(Object.entries(GameStatus).map(([name, value]) => [value, name]));
const QUEUE_KINDS = Object.fromEntries(Object.entries(QueueKind).map(([name, value]) => [value, name]));

/**
 * Where the observer reads from.
 *
 * @example
 * const sources: ObserverSources = { l1RpcUrl: "http://127.0.0.1:8545", l2RpcUrl: "http://127.0.0.1:8546", beaconUrl: "http://127.0.0.1:5052" }
 */
export interface ObserverSources {
  readonly l1RpcUrl: string;
  readonly l2RpcUrl: string;
  /** The Beacon API serving blob sidecars; without it the blob view says so. */
  readonly beaconUrl?: string;
  /** First L1 block to read events from (default 0). */
  readonly fromBlock?: bigint;
}

/**
 * Reads the rollup and folds it into snapshots; `refresh` is cheap when nothing changed.
 *
 * @example
 * const observer = await RollupObserver.connect({ l1RpcUrl, l2RpcUrl, beaconUrl })
 * const snapshot = await observer.refresh()
 */
export class RollupObserver {
  private latest: Snapshot | undefined;
  private accounts: (AccountInfo & { l1Balance: string })[] = [];
  private accountsKey = "";
  private readonly l2Batches = new Map<number, BatchInfo>();
  private readonly ended = new Map<number, GameView>();
  /** The L1 head and when this process first saw it: the page counts L1 time on from there. */
  private head = { number: -1n, seenAt: 0 };

  private constructor(
    readonly sources: ObserverSources,
    readonly l1: PublicClient,
    readonly l2: L2Client,
    readonly chainId: number,
    readonly info: RollupInfo,
    readonly contracts: WatchedContracts,
    readonly history: L1History,
    private readonly constants: { challengeWindow: number; recordSize: number; levels: number; exodusDelay: number },
  ) {}

  /** Connects to the three endpoints and finds the contracts. */
  static async connect(sources: ObserverSources): Promise<RollupObserver> {
    const l2 = createL2Client(sources.l2RpcUrl, { timeout: 10_000 });
    const info = await l2.request({ method: "rollup_getInfo" });
    const chain: Chain = defineChain({
      id: info.l1ChainId,
      name: "L1",
      nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
      rpcUrls: { default: { http: [sources.l1RpcUrl] } },
    });
    const l1 = createPublicClient({ chain, transport: http(sources.l1RpcUrl, { batch: false }) }) as PublicClient;
    const rollup = info.contracts.rollup;
    const read = <T>(functionName: string) => l1.readContract({ address: rollup, abi: rollupAbi, functionName: functionName as never }) as Promise<T>;
    const [disputeGame, challengeWindow, recordSize, levels, exodusDelay] = await Promise.all([
      read<Address>("disputeGame"),
      read<bigint>("challengeWindow"),
      read<bigint>("recordSize"),
      read<bigint>("levels"),
      read<bigint>("exodusDelay"),
    ]);
    const contracts = { rollup, bridge: info.contracts.bridge, disputeGame };
    const history = new L1History(l1, contracts, sources.fromBlock ?? 0n);
    return new RollupObserver(sources, l1, l2, info.l1ChainId, info, contracts, history, {
      challengeWindow: Number(challengeWindow),
      recordSize: Number(recordSize),
      levels: Number(levels),
      exodusDelay: Number(exodusDelay),
    });
  }

  /** The last snapshot built. */
  get snapshot(): Snapshot | undefined {
    return this.latest;
  }

  /** Reads what changed since the last call and returns a fresh snapshot. */
  async refresh(): Promise<Snapshot> {
    const head = await this.l1.getBlock();
    if (head.number !== this.head.number) this.head = { number: head.number, seenAt: Date.now() };
    await this.history.sync(head.number);
    const rollup = this.contracts.rollup;
    const readRollup = <T>(functionName: string, args?: readonly unknown[]) =>
      this.l1.readContract({ address: rollup, abi: rollupAbi, functionName: functionName as never, args: args as never }) as Promise<T>;
    const [batchCount, finalBatchCount, exodus, lastQueueEnd] = await Promise.all([
      readRollup<bigint>("batchCount"),
      readRollup<bigint>("finalBatchCount"),
      readRollup<boolean>("exodus"),
      readRollup<bigint>("lastQueueEnd"),
    ]);
    let l2: Snapshot["l2"];
    let status: StatusInfo | undefined;
    try {
      status = await this.l2.request({ method: "rollup_getStatus" });
      l2 = { info: this.info, status };
      await this.readL2Batches(status);
    } catch (e) {
      l2 = { error: e instanceof Error ? e.message : String(e) };
    }
    const timestamp = Number(head.timestamp);
    const games = await this.readGames();
    const contestedFrom = Math.min(...games.filter((g) => g.open).map((g) => g.batchIndex), Number.POSITIVE_INFINITY);
    const batches = this.batchViews(Number(batchCount), Number(finalBatchCount), contestedFrom);
    const queue = await this.queueView(Number(lastQueueEnd), timestamp);
    const firstOverdue = queue.pending.find((e) => e.overdue);
    const overdue = firstOverdue && !exodus ? { queueIndex: firstOverdue.index, dueAt: Number(await readRollup<bigint>("exodusDueAt", [BigInt(firstOverdue.index)])) } : null;
    if (status) await this.readAccounts(status);

    this.latest = {
      at: Date.now(),
      sources: { l1: this.sources.l1RpcUrl, l2: this.sources.l2RpcUrl, beacon: this.sources.beaconUrl ?? null },
      l1: { chainId: this.chainId, head: Number(head.number), timestamp, seenAt: this.head.seenAt },
      l2,
      rollup: {
        address: rollup,
        challengeWindow: this.constants.challengeWindow,
        batchCount: Number(batchCount),
        finalBatchCount: Number(finalBatchCount),
        recordSize: this.constants.recordSize,
        levels: this.constants.levels,
        exodus,
        exodusDelay: this.constants.exodusDelay,
      },
      batches,
      invalidated: this.history.postings.filter((p) => p.invalidated).map((p) => ({ index: p.index, instance: p.instance, txHash: p.txHash, postStateRoot: p.postStateRoot })),
      games,
      queue,
      exits: {
        exodus,
        activation: this.history.exodus,
        overdue,
        paid: this.history.exits.map((x) => ({ ...x, amount: x.amount.toString() })),
      },
      accounts: this.accounts,
      prover: {
        mode: this.info.mode,
        queue: status?.proverQueue ?? null,
        batches: [...this.l2Batches.values()]
          .filter((b) => b.proof)
          .slice(-RECENT_BATCHES)
          .map((b) => ({ index: b.index, status: b.proof!.status, seconds: b.proof!.seconds })),
      },
    };
    return this.latest;
  }

  private async readL2Batches(status: StatusInfo): Promise<void> {
    // Re-read from the oldest listed batch that can still change (not final, or its proof pending).
    const settled = (b: BatchInfo | undefined) => b !== undefined && b.status === "final" && (!b.proof || b.proof.status === "proven");
    let from = Math.max(0, status.batches - RECENT_BATCHES);
    while (from < status.batches && settled(this.l2Batches.get(from))) from++;
    for (let start = from; start < status.batches; start += 1000) {
      const list = await this.l2.request({ method: "rollup_getBatches", params: [start, Math.min(1000, status.batches - start)] });
      for (const b of list) this.l2Batches.set(b.index, b);
    }
    for (const index of [...this.l2Batches.keys()]) if (index >= status.batches) this.l2Batches.delete(index);
  }

  private batchViews(batchCount: number, finalCount: number, contestedFrom: number): BatchView[] {
    const views: BatchView[] = [];
    const last = Math.max(batchCount, ...[...this.l2Batches.keys()].map((i) => i + 1));
    for (let index = Math.max(0, last - RECENT_BATCHES); index < last; index++) {
      const posting = index < batchCount ? this.history.current(index) : undefined;
      const l2 = this.l2Batches.get(index);
      if (!posting && !l2) continue;
      views.push(this.batchView(index, posting, l2, index < finalCount, index >= contestedFrom));
    }
    return views.reverse();
  }

  /** One batch, also one older than the snapshot lists. */
  batchView(index: number, posting: BatchPosting | undefined, l2: BatchInfo | undefined, final: boolean, contested: boolean): BatchView {
    const queueEntries = posting ? posting.queueEnd - posting.queueStart : l2 ? l2.queueEnd - l2.queueStart : 0;
    return {
      index,
      stage: final ? "final" : posting ? "onL1" : "sealed",
      opCount: l2?.opCount ?? (posting?.payloadLength != null ? posting.payloadLength / this.constants.recordSize : null),
      queueEntries,
      stepCount: l2?.stepCount ?? null,
      da: posting?.da ?? l2?.da ?? null,
      payloadBytes: l2?.payloadBytes ?? posting?.payloadLength ?? null,
      l1: posting
        ? {
            txHash: posting.txHash,
            block: posting.block,
            submittedAt: posting.submittedAt,
            calldataBytes: posting.calldataBytes,
            blobs: posting.blobHashes.length,
            gasUsed: posting.gasUsed.toString(),
            blobGasUsed: posting.blobGasUsed.toString(),
            feeWei: posting.feeWei.toString(),
            instance: posting.instance,
          }
        : null,
      finalizableAt: posting && posting.da !== "zk" ? posting.submittedAt + this.constants.challengeWindow : null,
      contested,
      proof: l2?.proof ? { status: l2.proof.status, seconds: l2.proof.seconds } : null,
      postStateRoot: posting?.postStateRoot ?? l2?.postStateRoot ?? null,
    };
  }

  /** Batch `index` with its L2 record and L1 posting, whatever its age. */
  async batch(index: number): Promise<(BatchView & { l2: BatchInfo | null; postings: BatchPosting[] }) | undefined> {
    const l2 = await this.l2.request({ method: "rollup_getBatch", params: [index] }).catch(() => undefined);
    const posting = this.history.current(index);
    if (!l2 && !posting) return undefined;
    const snap = this.latest;
    const final = snap ? index < snap.rollup.finalBatchCount : false;
    const contested = snap ? snap.games.some((g) => g.open && g.batchIndex <= index) : false;
    return { ...this.batchView(index, posting, l2, final, contested), l2: l2 ?? null, postings: this.history.postings.filter((p) => p.index === index) };
  }

  private async readGames(): Promise<GameView[]> {
    const game = this.contracts.disputeGame;
    const count = Number(await this.l1.readContract({ address: game, abi: disputeGameAbi, functionName: "gameCount" }));
    const views: GameView[] = [];
    for (let id = 0; id < count; id++) {
      const done = this.ended.get(id);
      if (done && done.moves.length === (this.history.games.get(id)?.moves.length ?? 0)) {
        views.push(done);
        continue;
      }
      const [g, clocks] = await Promise.all([
        this.l1.readContract({ address: game, abi: disputeGameAbi, functionName: "game", args: [BigInt(id)] }),
        this.l1.readContract({ address: game, abi: disputeGameAbi, functionName: "clocks", args: [BigInt(id)] }),
      ]);
      const defenderBond = await this.l1.readContract({ address: this.contracts.rollup, abi: rollupAbi, functionName: "bonds", args: [g.defender] });
      const history = this.history.games.get(id);
      const posting = this.gamePosting(id);
      const view: GameView = {
        id,
        batchIndex: Number(g.batchIndex),
        status: STATUS_NAMES[g.status] ?? String(g.status),
        open: isGameOpen(g.status),
        challenger: g.challenger,
        defender: g.defender,
        stepCount: g.stepCount,
        lo: g.lo,
        hi: g.hi,
        bond: g.bond.toString(),
        defenderBond: defenderBond.toString(),
        clocks: { defender: Number(clocks[0]), challenger: Number(clocks[1]) },
        defenderToMove: isDefenderToMove(g.status),
        moves: (history?.moves ?? []).map((m) => ({ ...m, gasUsed: m.gasUsed.toString() })),
        openedElements: this.openedElements(history?.moves ?? [], posting),
        da: posting?.da ?? null,
      };
      if (!view.open) this.ended.set(id, view);
      views.push(view);
    }
    return views;
  }

  /** The posting game `id` disputes: the last posting of its batch before the challenge. */
  gamePosting(id: number): BatchPosting | undefined {
    const game = this.history.games.get(id);
    const started = game?.moves.find((m) => m.kind === "GameStarted");
    if (!game || !started) return undefined;
    return this.history.postings.filter((p) => p.index === game.batchIndex && p.block <= started.block).pop();
  }

  /** The blob stream elements a blob one-step proof opened: the header and the op's elements. */
  private openedElements(moves: readonly { kind: string; detail: Readonly<Record<string, string | number | boolean>> }[], posting: BatchPosting | undefined): number[] {
    const proven = moves.find((m) => m.kind === "StepProven" && m.detail.call === "proveBlobStep");
    if (!proven || !posting) return [];
    const opIndex = Number(proven.detail.step) - (posting.queueEnd - posting.queueStart);
    const ops = posting.payloadLength === null ? 0 : posting.payloadLength / this.constants.recordSize;
    if (opIndex < 0 || opIndex >= ops) return [];
    const { first, count } = opElementRange(opIndex, this.constants.recordSize);
    return [0, ...Array.from({ length: count }, (_, k) => first + k)];
  }

  private async queueView(consumed: number, now: number): Promise<Snapshot["queue"]> {
    const pending = this.history.queue.filter((e) => e.index >= consumed).slice(0, 64);
    const deadlines = await Promise.all(
      pending.map((e) => this.l1.readContract({ address: this.contracts.rollup, abi: rollupAbi, functionName: "effectiveDeadline", args: [BigInt(e.index)] })),
    );
    return {
      length: this.history.queue.length,
      consumed,
      pending: pending.map((e, i) => ({
        index: e.index,
        kind: QUEUE_KINDS[e.kind] ?? String(e.kind),
        l1Address: e.l1Address,
        amount: e.amount.toString(),
        deadline: Number(deadlines[i]),
        overdue: Number(deadlines[i]) < now,
      })),
    };
  }

  private async readAccounts(status: StatusInfo): Promise<void> {
    const key = `${status.stateRoot}:${status.accounts}:${this.latest?.l1.head ?? 0}`;
    if (key === this.accountsKey) return;
    this.accountsKey = key;
    const count = Math.min(status.accounts, LISTED_ACCOUNTS);
    const list = await Promise.all(Array.from({ length: count }, (_, i) => this.l2.request({ method: "rollup_getAccount", params: [i] })));
    const accounts = list.filter((a): a is AccountInfo => a !== null);
    const owners = [...new Set(accounts.map((a) => a.ethAddr))];
    const balances = new Map(await Promise.all(owners.map(async (o) => [o, (await this.l1.getBalance({ address: o })).toString()] as const)));
    this.accounts = accounts.map((a) => ({ ...a, l1Balance: balances.get(a.ethAddr) ?? "0" }));
  }

  /** An L1 transaction, decoded when it calls the rollup, the bridge or the game. */
  async transaction(hash: Hex): Promise<Record<string, unknown> | undefined> {
    const tx = await this.l1.getTransaction({ hash }).catch(() => undefined);
    if (!tx) return undefined;
    const receipt = await this.l1.getTransactionReceipt({ hash }).catch(() => undefined);
    const to = tx.to?.toLowerCase();
    const abi = to === this.contracts.rollup.toLowerCase() ? rollupAbi : to === this.contracts.disputeGame.toLowerCase() ? disputeGameAbi : undefined;
    let call: string | undefined;
    if (abi) {
      try {
        call = decodeFunctionData({ abi, data: tx.input }).functionName;
      } catch {
        call = undefined;
      }
    }
    return {
      hash,
      from: tx.from,
      to: tx.to,
      type: tx.type,
      block: tx.blockNumber === null ? null : Number(tx.blockNumber),
      call: call ?? null,
      inputBytes: (tx.input.length - 2) / 2,
      value: tx.value.toString(),
      blobVersionedHashes: tx.blobVersionedHashes ?? [],
      status: receipt?.status ?? null,
      gasUsed: receipt?.gasUsed.toString() ?? null,
      effectiveGasPrice: receipt?.effectiveGasPrice.toString() ?? null,
      blobGasUsed: receipt?.blobGasUsed?.toString() ?? null,
      blobGasPrice: receipt?.blobGasPrice?.toString() ?? null,
      batches: this.history.postings.filter((p) => p.txHash === hash).map((p) => p.index),
    };
  }
}
