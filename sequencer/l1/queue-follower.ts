import { type PublicClient } from "viem";
import { type Address, type QueueEntry, bridgeAbi, bigIntToAddress } from "../../core/index.js";
import { type QueueSource } from "../sequencer.js";
import { QueueFollowerError } from "./errors.js";

/**
 * Follows the bridge's L1 queue through its `QueueEntryAdded` events, so the sequencer can
 * put deposits, new accounts and forced exits into batches before their deadline.
 *
 * @example
 * const follower = new QueueFollower(publicClient, bridge, deployBlock)
 * await follower.poll()
 * follower.length
 */
export class QueueFollower implements QueueSource {
  private readonly client: PublicClient;
  private readonly bridge: Address;
  private readonly entries: QueueEntry[] = [];
  private readonly deadlines: bigint[] = [];
  private nextBlock: bigint;

  constructor(client: PublicClient, bridge: Address, fromBlock: bigint) {
    this.client = client;
    this.bridge = bridge;
    this.nextBlock = fromBlock;
  }

  get length(): number {
    return this.entries.length;
  }

  entry(index: number): QueueEntry {
    const e = this.entries[index];
    if (!e) {
      throw new QueueFollowerError(`queue entry ${index} is not known yet (${this.entries.length} known)`, {
        details: "poll() reads new entries from L1; ask only for entries below `length`",
      });
    }
    return e;
  }

  /** Inclusion deadline of entry `index` (L1 timestamp). */
  deadline(index: number): bigint {
    return this.deadlines[index]!;
  }

  /** Reads new queue entries up to the latest L1 block; returns how many arrived. */
  async poll(): Promise<number> {
    const latest = await this.client.getBlockNumber();
    if (latest < this.nextBlock) return 0;
    const logs = await this.client.getContractEvents({
      address: this.bridge,
      abi: bridgeAbi,
      eventName: "QueueEntryAdded",
      fromBlock: this.nextBlock,
      toBlock: latest,
    });
    for (const log of logs) {
      const a = log.args;
      const index = Number(a.index!);
      if (index < this.entries.length) continue;
      if (index !== this.entries.length) {
        throw new QueueFollowerError(`queue entry ${index} arrived before entry ${this.entries.length}`, {
          details: "the L1 node returned the bridge's QueueEntryAdded events with a gap: check that it serves every block since the deployment (an archive or a node not pruned past deployBlock)",
        });
      }
      this.entries.push({
        kind: a.kind! as QueueEntry["kind"],
        l1Address: bigIntToAddress(BigInt(a.l1Address!)),
        tokenId: Number(a.tokenId!),
        accountIdx: Number(a.accountIdx!),
        amount: a.amount!,
        Ax: a.ax!,
        Ay: a.ay!,
      });
      this.deadlines.push(a.deadline!);
    }
    this.nextBlock = latest + 1n;
    return logs.length;
  }
}
