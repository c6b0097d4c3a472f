/**
 * The challenger / defender agent: follows the rollup through the derivation pipeline and
 * plays the dispute game (contracts/dispute/IDisputeGame.sol) honestly on both sides. Core's
 * solver (`nextMove`) decides each move from the game on L1 and the agent's own trace; the
 * agent sends it (`disputeCall`) and logs it.
 *
 * - As challenger (with `challengerKey`): challenges the earliest batch whose commitment
 *   disagrees with its derivation, then plays the batch with its derived trace: answers each
 *   midpoint by comparing the defender's step hash with its own, ends with `proveStep` (the
 *   witness built on its own state at step lo; `proveBlobStep` with KZG openings of the op's
 *   blob elements for a blob batch) and calls `timeout` when the defender stalls.
 * - As defender (for the proposers in `defendKeys`): when anyone challenges one of their
 *   batches that its derivation confirms, opens with step hashes 0 and n, reveals each
 *   midpoint, and calls `timeout` when the challenger stalls.
 *
 * It dismisses its games whose batch another game removed, claims what the games credit to
 * its keys, and reports every move as one log line.
 */
import {
  type Account,
  type Chain,
  type Hex,
  type PublicClient,
  type Transport,
  type WalletClient,
  createPublicClient,
  createWalletClient,
  defineChain,
  formatEther,
  http,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import {
  type Address,
  type BlobOpenings,
  type DisputeAction,
  type DisputeGameCall,
  type DisputeRole,
  type DisputeView,
  type DisputedBatch,
  type StepProof,
  BaseError,
  blobOpenings,
  loadKzg,
  opRecordSize,
  GameStatus,
  buildStepWitness,
  disputeCall,
  disputeGameAbi,
  disputeView,
  nextMove,
  rollupAbi,
} from "../../core/index.js";
import { type DerivationPipeline, createDerivationPipeline } from "../../derive/pipeline.js";
import type { DecodedBatch } from "../../derive/batch-decoder.js";
import type { DerivedBatch } from "../../derive/state-deriver.js";

/** Everything an agent process needs. JSON-serialisable, so it can be a config file. */
export interface ChallengerAgentConfig {
  readonly l1RpcUrl: string;
  readonly contracts: { readonly rollup: Address; readonly bridge: Address } & Record<string, Address>;
  /** First L1 block to derive from (default 0). */
  readonly fromBlock?: number;
  /** Key that challenges wrong batches and posts the bonds (omit to only defend). */
  readonly challengerKey?: Hex;
  /** Keys of proposers whose correct batches the agent defends. */
  readonly defendKeys?: readonly Hex[];
  /** How often to read L1 (default 200 ms). */
  readonly pollIntervalMs?: number;
  /** Beacon API serving the sidecars of blob batches (the devnet's `beacon.url`). */
  readonly beaconUrl?: string;
}

/** What the agent did; each is one log line (`formatAgentEvent`). */
export type AgentEvent =
  | { readonly kind: "derived"; readonly batchIndex: number; readonly agrees: boolean; readonly mismatches: readonly string[]; readonly proposer: Address }
  | { readonly kind: "rolledBack"; readonly fromIndex: number; readonly count: number }
  | { readonly kind: "challenged"; readonly gameId: number; readonly batchIndex: number; readonly bond: bigint; readonly stepCount: number; readonly gasUsed: bigint }
  | { readonly kind: "opened"; readonly gameId: number; readonly stepCount: number; readonly gasUsed: bigint }
  | { readonly kind: "midpointRevealed"; readonly gameId: number; readonly index: number; readonly lo: number; readonly hi: number; readonly gasUsed: bigint }
  | { readonly kind: "answered"; readonly gameId: number; readonly index: number; readonly agree: boolean; readonly lo: number; readonly hi: number; readonly gasUsed: bigint }
  | { readonly kind: "stepProven"; readonly gameId: number; readonly step: number; readonly stepKind: string; readonly outcome: string; readonly gasUsed: bigint }
  | { readonly kind: "timedOut"; readonly gameId: number; readonly against: "defender" | "challenger"; readonly gasUsed: bigint }
  | { readonly kind: "dismissed"; readonly gameId: number; readonly gasUsed: bigint }
  | { readonly kind: "resolved"; readonly gameId: number; readonly batchIndex: number; readonly status: "ChallengerWon" | "DefenderWon" | "Dismissed" }
  | { readonly kind: "creditClaimed"; readonly account: Address; readonly amount: bigint }
  | { readonly kind: "error"; readonly message: string };

/** Receives every agent event with its one-line rendering. */
export type AgentLogger = (line: string, event: AgentEvent) => void;

/**
 * One line per event, in plain words.
 *
 * @example
 * formatAgentEvent({ kind: "answered", gameId: 0, index: 8, agree: true, lo: 8, hi: 16, gasUsed: 40000n })
 * // "game 0: answered agree with step hash 8 -> range [8, 16] (40000 gas)"
 */
export function formatAgentEvent(e: AgentEvent): string {
  switch (e.kind) {
    case "derived":
      return e.agrees
        ? `batch ${e.batchIndex}: derivation agrees with the commitment`
        : `batch ${e.batchIndex}: derivation DISAGREES with the commitment of ${e.proposer} (${e.mismatches.join(", ")})`;
    case "rolledBack":
      return `batches ${e.fromIndex}..${e.fromIndex + e.count - 1} invalidated on L1: derivation rolled back to batch ${e.fromIndex}`;
    case "challenged":
      return `game ${e.gameId}: challenged batch ${e.batchIndex} (${e.stepCount} steps) with a bond of ${formatEther(e.bond)} ETH (${e.gasUsed} gas)`;
    case "opened":
      return `game ${e.gameId}: defender opened with step hashes 0 and ${e.stepCount} and midpoint ${e.stepCount >> 1} (${e.gasUsed} gas)`;
    case "midpointRevealed":
      return `game ${e.gameId}: defender revealed step hash ${e.index} of range [${e.lo}, ${e.hi}] (${e.gasUsed} gas)`;
    case "answered":
      return `game ${e.gameId}: answered ${e.agree ? "agree" : "disagree"} with step hash ${e.index} -> range [${e.lo}, ${e.hi}] (${e.gasUsed} gas)`;
    case "stepProven":
      return `game ${e.gameId}: one-step proof of step ${e.step} (${e.stepKind}, ${e.outcome}) on L1 (${e.gasUsed} gas)`;
    case "timedOut":
      return `game ${e.gameId}: the ${e.against}'s clock ran out; called timeout (${e.gasUsed} gas)`;
    case "dismissed":
      return `game ${e.gameId}: its batch was invalidated by another game; dismissed (${e.gasUsed} gas)`;
    case "resolved":
      return `game ${e.gameId} on batch ${e.batchIndex}: ${e.status}`;
    case "creditClaimed":
      return `claimed ${formatEther(e.amount)} ETH of game credit for ${e.account}`;
    case "error":
      return `error: ${e.message}`;
  }
}

/**
 * The `blobs` argument of `proveBlobStep` for step `step` of a blob batch: openings of the
 * stream header and of the op's elements when the step is an L2 op, else none.
 *
 * @example
 * blobStepOpenings(batch, 7, 76) // { blobHashes, header, elements: [3 or 4 openings] }
 */
export function blobStepOpenings(d: DecodedBatch, step: number, recordSize: number): BlobOpenings {
  const opIndex = step - d.queueEntries.length;
  const isOp = opIndex >= 0 && opIndex < d.ops.length;
  return blobOpenings(loadKzg(), d.blobs!.data, d.blobs!.versionedHashes, isOp ? opIndex : undefined, recordSize);
}

/** A running agent. */
export interface ChallengerAgent {
  readonly pipeline: DerivationPipeline;
  /** One round: derive, challenge, move, claim. The loop calls it every poll interval. */
  tick(): Promise<void>;
  stop(): Promise<void>;
}

/** A game as the agent reads it: who plays it, over which batch, and what the solver sees. */
interface GameRead {
  readonly challenger: Address;
  readonly defender: Address;
  readonly status: number;
  readonly commitment: Hex;
  readonly batchIndex: number;
  readonly view: DisputeView;
}

type Wallet = WalletClient<Transport, Chain, Account>;

/**
 * The agent could not make a move it must make (its transaction reverted).
 *
 * @example
 * agent.tick().catch((e) => { if (e instanceof AgentMoveError) console.error(e.shortMessage) })
 */
export class AgentMoveError extends BaseError {
  override name = "AgentMoveError";
}

const STATUS_NAMES = { [GameStatus.ChallengerWon]: "ChallengerWon", [GameStatus.DefenderWon]: "DefenderWon", [GameStatus.Dismissed]: "Dismissed" } as const;

/**
 * Starts the agent's loop.
 *
 * @example
 * const agent = await startChallengerAgent({ l1RpcUrl, contracts, challengerKey, defendKeys: [operatorKey] }, console.log)
 * await agent.stop()
 */
export async function startChallengerAgent(
  config: ChallengerAgentConfig,
  logger: AgentLogger = (line) => console.log(`[challenger] ${line}`),
): Promise<ChallengerAgent> {
  const transport = http(config.l1RpcUrl, { batch: false, retryCount: 2 });
  const probe = createPublicClient({ transport });
  const chain: Chain = defineChain({
    id: await probe.getChainId(),
    name: "L1",
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [config.l1RpcUrl] } },
  });
  const client = createPublicClient({ chain, transport, pollingInterval: 50 }) as PublicClient;
  const pipeline = await createDerivationPipeline({
    l1RpcUrl: config.l1RpcUrl,
    contracts: config.contracts,
    fromBlock: BigInt(config.fromBlock ?? 0),
    beaconUrl: config.beaconUrl,
    client,
  });
  const rollup = config.contracts.rollup;
  const game =
    config.contracts.disputeGame ?? ((await client.readContract({ address: rollup, abi: rollupAbi, functionName: "disputeGame" })).toLowerCase() as Address);
  const wallet = (key: Hex): Wallet => createWalletClient({ chain, transport, account: privateKeyToAccount(key) });
  const challenger = config.challengerKey ? wallet(config.challengerKey) : undefined;
  const defenders = new Map((config.defendKeys ?? []).map((k) => {
    const w = wallet(k);
    return [w.account.address.toLowerCase(), w] as const;
  }));
  const me = challenger?.account.address.toLowerCase();
  const log = (event: AgentEvent) => logger(formatAgentEvent(event), event);

  let knownGames = 0;
  const tracked = new Set<number>();
  const challengedCommitments = new Set<Hex>();
  const claimers = new Map<string, Wallet>([...defenders, ...(challenger ? [[me!, challenger] as const] : [])]);
  let owed = true;

  const send = async (w: Wallet, call: DisputeGameCall, value?: bigint): Promise<bigint> => {
    for (let attempt = 0; ; attempt++) {
      try {
        const { request } = await client.simulateContract({ address: game, abi: disputeGameAbi, ...call, value, account: w.account });
        const hash = await w.writeContract(request);
        const receipt = await client.waitForTransactionReceipt({ hash });
        if (receipt.status !== "success") {
          throw new AgentMoveError(`${call.functionName} reverted in ${hash}`, { details: "another party moved first; the agent reads the game again next round" });
        }
        return receipt.gasUsed;
      } catch (e) {
        // Another process (the sequencer) may send from the same proposer key: retry on nonce clashes.
        if (attempt < 5 && /nonce/i.test((e as Error).message)) continue;
        throw e;
      }
    }
  };

  const readGame = async (gameId: number): Promise<GameRead> => {
    const [g, clocks, batchCount] = await Promise.all([
      client.readContract({ address: game, abi: disputeGameAbi, functionName: "game", args: [BigInt(gameId)] }),
      client.readContract({ address: game, abi: disputeGameAbi, functionName: "clocks", args: [BigInt(gameId)] }),
      client.readContract({ address: rollup, abi: rollupAbi, functionName: "batchCount" }),
    ]);
    const held =
      g.batchIndex < batchCount
        ? {
            commitment: (await client.readContract({ address: rollup, abi: rollupAbi, functionName: "batches", args: [g.batchIndex] }))[0],
            instance: await client.readContract({ address: rollup, abi: rollupAbi, functionName: "batchInstance", args: [g.batchIndex] }),
          }
        : undefined;
    return {
      challenger: g.challenger.toLowerCase() as Address,
      defender: g.defender.toLowerCase() as Address,
      status: g.status,
      commitment: g.commitment,
      batchIndex: Number(g.batchIndex),
      view: disputeView(g, clocks, held),
    };
  };

  /** The derived batch a game is about, if the rollup still holds that very batch. */
  const disputed = (g: GameRead): DerivedBatch | undefined => {
    const b = pipeline.deriver.batch(g.batchIndex);
    return b && b.report.commitment === g.commitment ? b : undefined;
  };

  /**
   * The trace the agent plays a game with: as defender, the derived step hashes if they are
   * the batch's (an honest defender holds none for a batch it disputes); as challenger, its
   * own step hashes with one-step proofs from its own pre-state.
   */
  const traceOf = (role: DisputeRole, b: DerivedBatch | undefined) => {
    if (role === "defender") return b?.report.agrees ? b.trace : undefined;
    const preState = b?.preState;
    return preState && b.trace?.proving((step) => buildStepWitness(preState, b.decoded.batch, pipeline.domain, step));
  };

  /** The disputed batch as the moves send it: the header, and the payload or blob openings. */
  const batchData = ({ decoded: d }: DerivedBatch): DisputedBatch => ({
    header: d.header,
    data: d.blobs ? { blobOpenings: (step) => blobStepOpenings(d, step, opRecordSize(pipeline.params, "optimistic")) } : d.payload,
  });

  /** Sends `move` and logs it. */
  const respond = async (gameId: number, g: GameRead, w: Wallet, move: DisputeAction<StepProof>, b: DerivedBatch | undefined) => {
    const call = disputeCall(BigInt(gameId), move, b && batchData(b));
    if (move.kind === "timeout") {
      try {
        log({ kind: "timedOut", gameId, against: move.against, gasUsed: await send(w, call) });
      } catch {
        // The clock reads zero one second before timeout accepts: try again next round.
      }
      return;
    }
    const gasUsed = await send(w, call);
    const { lo, hi } = g.view;
    switch (move.kind) {
      case "open":
        return log({ kind: "opened", gameId, stepCount: move.stepCount, gasUsed });
      case "revealMidpoint":
        return log({ kind: "midpointRevealed", gameId, index: move.index, lo, hi, gasUsed });
      case "answer":
        return log({ kind: "answered", gameId, index: move.index, agree: move.agree, lo: move.agree ? move.index : lo, hi: move.agree ? hi : move.index, gasUsed });
      case "proveStep":
        return log({ kind: "stepProven", gameId, step: move.step, stepKind: move.proof.kind, outcome: move.proof.outcome, gasUsed });
      case "dismiss":
        return log({ kind: "dismissed", gameId, gasUsed });
    }
  };

  const playGames = async () => {
    const count = Number(await client.readContract({ address: game, abi: disputeGameAbi, functionName: "gameCount" }));
    for (; knownGames < count; knownGames++) {
      const g = await client.readContract({ address: game, abi: disputeGameAbi, functionName: "game", args: [BigInt(knownGames)] });
      if (g.challenger.toLowerCase() === me || defenders.has(g.defender.toLowerCase())) tracked.add(knownGames);
    }
    for (const gameId of [...tracked].sort((x, y) => x - y)) {
      const g = await readGame(gameId);
      const role: DisputeRole = g.challenger === me ? "challenger" : "defender";
      const b = disputed(g);
      // Without a trace (the rollup no longer holds the batch, or the derivation has not read
      // it yet) the solver only dismisses or times out.
      const move = nextMove(g.view, traceOf(role, b), role);
      if (move.kind === "ended") {
        tracked.delete(gameId);
        owed = true;
        log({ kind: "resolved", gameId, batchIndex: g.batchIndex, status: STATUS_NAMES[g.status as 5 | 6 | 7] });
        continue;
      }
      // An honest defender does not help a batch of ours that the derivation disputes, not
      // even by a timeout.
      if (move.kind === "wait" || (role === "defender" && b && !b.report.agrees)) continue;
      await respond(gameId, g, role === "challenger" ? challenger! : defenders.get(g.defender)!, move, b);
    }
  };

  const challengeFirstWrong = async () => {
    if (!challenger) return;
    const deriver = pipeline.deriver;
    for (let i = 0; i < deriver.batchCount; i++) {
      const b = deriver.batch(i)!;
      if (b.report.agrees) continue;
      // Only the earliest wrong batch: winning there invalidates every later one.
      if (challengedCommitments.has(b.report.commitment) || !b.preState) return;
      const [leastBond, clockPrice, clockBudget, windowEnd, block] = await Promise.all([
        client.readContract({ address: game, abi: disputeGameAbi, functionName: "challengeBond" }),
        client.readContract({ address: game, abi: disputeGameAbi, functionName: "clockPrice" }),
        client.readContract({ address: game, abi: disputeGameAbi, functionName: "clockBudget" }),
        client.readContract({ address: rollup, abi: rollupAbi, functionName: "finalizableAt", args: [BigInt(i)] }),
        client.getBlock(),
      ]);
      if (block.timestamp >= windowEnd) return;
      // The bond buys the challenger's clock (docs/disputes.md): an honest challenger buys the
      // whole budget, so a slow L1 never makes it lose on time; it gets the bond back when it wins.
      const fullClock = clockPrice * clockBudget;
      const bond = fullClock > leastBond ? fullClock : leastBond;
      const gasUsed = await send(challenger, { functionName: "challenge", args: [BigInt(i), b.decoded.header] }, bond);
      challengedCommitments.add(b.report.commitment);
      const gameId = Number(await client.readContract({ address: game, abi: disputeGameAbi, functionName: "gameCount" })) - 1;
      log({ kind: "challenged", gameId, batchIndex: i, bond, stepCount: b.report.stepCount, gasUsed });
      return;
    }
  };

  const claimCredits = async () => {
    if (!owed) return;
    owed = false;
    for (const [address, w] of claimers) {
      const amount = await client.readContract({ address: game, abi: disputeGameAbi, functionName: "credits", args: [address as Address] });
      if (amount === 0n) continue;
      await send(w, { functionName: "claimCredit", args: [] });
      log({ kind: "creditClaimed", account: address as Address, amount });
    }
  };

  // Final batches can no longer be disputed or invalidated: their states can go.
  let firstOpen = 0;
  const forgetFinal = async () => {
    const deriver = pipeline.deriver;
    firstOpen = Math.min(firstOpen, deriver.batchCount);
    while (firstOpen < deriver.batchCount && (await client.readContract({ address: rollup, abi: rollupAbi, functionName: "isFinal", args: [BigInt(firstOpen)] }))) firstOpen++;
    deriver.forgetBefore(firstOpen);
  };

  let ticks = 0;
  const tick = async () => {
    for (const event of await pipeline.sync()) {
      if (event.kind === "derived") {
        const r = event.report;
        log({ kind: "derived", batchIndex: r.index, agrees: r.agrees, mismatches: r.mismatches, proposer: r.proposer });
      } else {
        log({ kind: "rolledBack", fromIndex: event.fromIndex, count: event.count });
      }
    }
    await challengeFirstWrong();
    await playGames();
    await claimCredits();
    if (++ticks % 50 === 0) await forgetFinal();
  };

  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const loop = () => {
    timer = setTimeout(() => {
      running = tick()
        .catch((e) => log({ kind: "error", message: e instanceof BaseError ? e.shortMessage : (e as Error).message.split("\n")[0]! }))
        .finally(() => {
          if (!stopped) loop();
        });
    }, config.pollIntervalMs ?? 200);
  };
  loop();

  return {
    pipeline,
    tick,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
