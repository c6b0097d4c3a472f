/**
 * The faulty proposer's side of the dispute game: when its wrong batch is challenged, it
 * defends it with the (wrong) step hashes it committed to, as a real cheater hoping for a
 * challenger's mistake would. Against an honest challenger the game then narrows to the step
 * where its trace went wrong, and the one-step proof settles it on L1.
 */
import { type Account, type Chain, type Hex, type PublicClient, type Transport, type WalletClient, parseEventLogs } from "viem";
import {
  type Address,
  type BatchHeaderWords,
  GameStatus,
  batchHeaderCommitment,
  bridgeAbi,
  disputeGameAbi,
  isGameOpen,
  rollupAbi,
} from "../../core/index.js";
import type { FaultyCommitment } from "./faulty-proposer.js";

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
    if (batchHeaderCommitment(header) !== a.commitment) throw new Error(`batch ${a.index}: the rebuilt header does not hash to its commitment`);
    this.batches.push({ header, commitment: a.commitment, faulty });
  }

  /** Moves in every open game on a faulty batch where the defender is to move. */
  async tick(): Promise<void> {
    if (this.batches.length === 0) return;
    const game = this.contracts.disputeGame;
    const count = Number(await this.client.readContract({ address: game, abi: disputeGameAbi, functionName: "gameCount" }));
    for (; this.knownGames < count; this.knownGames++) {
      const g = await this.client.readContract({ address: game, abi: disputeGameAbi, functionName: "game", args: [BigInt(this.knownGames)] });
      const batch = this.batches.find((b) => b.commitment === g.commitment);
      if (batch) this.games.set(this.knownGames, batch);
    }
    for (const [gameId, batch] of this.games) {
      const g = await this.client.readContract({ address: game, abi: disputeGameAbi, functionName: "game", args: [BigInt(gameId)] });
      if (!isGameOpen(g.status)) {
        this.games.delete(gameId);
        continue;
      }
      const trace = batch.faulty.trace;
      if (g.status === GameStatus.AwaitingOpening) {
        const n = trace.stepCount;
        await this.send("open", [BigInt(gameId), batch.header, trace.stateReveal(0), trace.stateReveal(n), trace.leafReveal(n >> 1)]);
        this.log(`game ${gameId}: defending faulty batch ${batch.header.index}: opened with its committed step hashes 0 and ${n}`);
      } else if (g.status === GameStatus.AwaitingMidpoint) {
        const index = (g.lo + g.hi) >> 1;
        await this.send("revealMidpoint", [BigInt(gameId), trace.leafReveal(index)]);
        this.log(`game ${gameId}: revealed committed step hash ${index} of [${g.lo}, ${g.hi}]`);
      }
    }
  }

  private async send(functionName: "open" | "revealMidpoint", args: readonly unknown[]): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        const { request } = await this.client.simulateContract({
          address: this.contracts.disputeGame,
          abi: disputeGameAbi,
          functionName,
          args,
          account: this.wallet.account,
        } as never);
        const receipt = await this.client.waitForTransactionReceipt({ hash: await this.wallet.writeContract(request as never) });
        if (receipt.status !== "success") throw new Error(`${functionName} reverted in ${receipt.transactionHash}`);
        return;
      } catch (e) {
        // The batch poster sends from the same key: retry on nonce clashes.
        if (attempt < 5 && /nonce/i.test((e as Error).message)) continue;
        throw e;
      }
    }
  }
}
