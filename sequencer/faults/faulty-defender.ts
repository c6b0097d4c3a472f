/**
 * The faulty proposer's side of the dispute game: when its wrong batch is challenged, it
 * defends it with the (wrong) step hashes it committed to, as a real cheater hoping for a
 * challenger's mistake would. Its moves are core's honest solver (`nextMove`) played with
 * that wrong trace; against an honest challenger the game then narrows to the step where its
 * trace went wrong, and the one-step proof settles it on L1.
 */
import { type Account, type Chain, type Hex, type PublicClient, type Transport, type WalletClient, parseEventLogs } from "viem";
import {
  type Address,
  type BatchHeaderWords,
  type DisputeAction,
  type DisputeGameCall,
  BaseError,
  batchHeaderCommitment,
  bridgeAbi,
  disputeCall,
  disputeGameAbi,
  disputeView,
  nextMove,
  rollupAbi,
} from "../../core/index.js";
import type { FaultyCommitment } from "./faulty-proposer.js";

/**
 * The faulty defender could not rebuild or defend one of its batches.
 *
 * @example
 * defender.tick().catch((e) => { if (e instanceof FaultyDefenderError) console.error(e.shortMessage, e.details) })
 */
export class FaultyDefenderError extends BaseError {
  override name = "FaultyDefenderError";
}

interface FaultyBatch {
  readonly header: BatchHeaderWords;
  readonly commitment: Hex;
  readonly faulty: FaultyCommitment;
}

/**
 * Plays the defender's moves on the games over the batches it posted faulty.
 *
 * @example
 * const defender = new FaultyDefender(publicClient, wallet, contracts, console.log)
 * await defender.posted(index, txHash, faulty)
 * await defender.tick() // each poll
 */
export class FaultyDefender {
  private readonly batches: FaultyBatch[] = [];
  private knownGames = 0;
  private readonly games = new Map<number, FaultyBatch>();

  constructor(
    private readonly client: PublicClient,
    private readonly wallet: WalletClient<Transport, Chain, Account>,
    private readonly contracts: { readonly rollup: Address; readonly bridge: Address; readonly disputeGame: Address },
    private readonly log: (line: string) => void,
  ) {}

  /** Records a faulty batch posted in `txHash`, with the full header it committed to. */
  async posted(txHash: Hex, faulty: FaultyCommitment): Promise<void> {
    const receipt = await this.client.getTransactionReceipt({ hash: txHash });
    const [event] = parseEventLogs({ abi: rollupAbi, eventName: "BatchSubmitted", logs: receipt.logs });
    const a = event!.args;
    const [parent] =
      a.index === 0n
        ? [`0x${"00".repeat(32)}` as Hex]
        : await this.client.readContract({ address: this.contracts.rollup, abi: rollupAbi, functionName: "batches", args: [a.index - 1n] });
    const queueHashEnd = await this.client.readContract({ address: this.contracts.bridge, abi: bridgeAbi, functionName: "queueHash", args: [a.queueEnd] });
    const header: BatchHeaderWords = {
      index: a.index,
      parentCommitment: parent,
      dataHash: a.dataHash,
      queueStart: a.queueStart,
      queueEnd: a.queueEnd,
      queueHashEnd,
      preStateRoot: a.preStateRoot,
      postStateRoot: a.postStateRoot,
      withdrawalsRoot: a.withdrawalsRoot,
      stepsRoot: a.stepsRoot,
      stepCount: BigInt(faulty.trace.stepCount),
      feeRecipient: a.feeRecipient,
      feeTokens: [...a.feeTokens] as unknown as [number, number, number, number],
    };
    if (batchHeaderCommitment(header) !== a.commitment) {
      throw new FaultyDefenderError(`batch ${a.index}: the rebuilt header does not hash to its commitment`, {
        details: "the header is rebuilt from the BatchSubmitted event and the queue hash at its end: check that the rollup and bridge addresses are this deployment's",
      });
    }
    this.batches.push({ header, commitment: a.commitment, faulty });
  }

  /** Makes the defender's move, if any, in every open game on a faulty batch. */
  async tick(): Promise<void> {
    if (this.batches.length === 0) return;
    const { disputeGame: game, rollup } = this.contracts;
    const count = Number(await this.client.readContract({ address: game, abi: disputeGameAbi, functionName: "gameCount" }));
    for (; this.knownGames < count; this.knownGames++) {
      const g = await this.client.readContract({ address: game, abi: disputeGameAbi, functionName: "game", args: [BigInt(this.knownGames)] });
      const batch = this.batches.find((b) => b.commitment === g.commitment);
      if (batch) this.games.set(this.knownGames, batch);
    }
    for (const [gameId, batch] of this.games) {
      const [g, clocks, batchCount] = await Promise.all([
        this.client.readContract({ address: game, abi: disputeGameAbi, functionName: "game", args: [BigInt(gameId)] }),
        this.client.readContract({ address: game, abi: disputeGameAbi, functionName: "clocks", args: [BigInt(gameId)] }),
        this.client.readContract({ address: rollup, abi: rollupAbi, functionName: "batchCount" }),
      ]);
      const held =
        g.batchIndex < batchCount
          ? {
              commitment: (await this.client.readContract({ address: rollup, abi: rollupAbi, functionName: "batches", args: [g.batchIndex] }))[0],
              instance: await this.client.readContract({ address: rollup, abi: rollupAbi, functionName: "batchInstance", args: [g.batchIndex] }),
            }
          : undefined;
      const move = nextMove(disputeView(g, clocks, held), batch.faulty.trace, "defender");
      if (move.kind === "ended") {
        this.games.delete(gameId);
        continue;
      }
      if (move.kind === "wait") continue;
      await this.send(disputeCall(BigInt(gameId), move, { header: batch.header }));
      this.log(`game ${gameId}: ${moveLine(move, g)}`);
    }
  }

  private async send(call: DisputeGameCall): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        const { request } = await this.client.simulateContract({ address: this.contracts.disputeGame, abi: disputeGameAbi, ...call, account: this.wallet.account });
        const receipt = await this.client.waitForTransactionReceipt({ hash: await this.wallet.writeContract(request) });
        if (receipt.status !== "success") {
          throw new FaultyDefenderError(`${call.functionName} reverted in ${receipt.transactionHash}`, { details: "another party moved first; the defender reads the game again next poll" });
        }
        return;
      } catch (e) {
        // The batch poster sends from the same key: retry on nonce clashes.
        if (attempt < 5 && /nonce/i.test((e as Error).message)) continue;
        throw e;
      }
    }
  }
}

/** The log line of a move on faulty batch `g.batchIndex` whose range was [`g.lo`, `g.hi`]. */
function moveLine(move: DisputeAction, g: { readonly batchIndex: bigint; readonly lo: number; readonly hi: number }): string {
  switch (move.kind) {
    case "open":
      return `defending faulty batch ${g.batchIndex}: opened with its committed step hashes 0 and ${move.stepCount}`;
    case "revealMidpoint":
      return `revealed committed step hash ${move.index} of [${g.lo}, ${g.hi}]`;
    case "timeout":
      return `the ${move.against}'s clock ran out on faulty batch ${g.batchIndex}; called timeout`;
    case "dismiss":
      return `faulty batch ${g.batchIndex} was removed by another game; dismissed`;
    default:
      return `${move.kind} on faulty batch ${g.batchIndex}`;
  }
}
