/**
 * Fault injection (devnet `--fault`) as the posting loop sees it: the faulty proposer of
 * sequencer/faults/ watches every sealed batch and, for the one the fault goes into, hands
 * over the wrong commitment to post; the faulty defender then defends it in the dispute game.
 */
import { type Account, type Chain, type Hex, type PublicClient, type Transport, type WalletClient } from "viem";
import { type Address, type ResolvedParams } from "../core/index.js";
import { FaultyDefender } from "./faults/faulty-defender.js";
import { type FaultSpec, type FaultyCommitment, FaultyProposer } from "./faults/faulty-proposer.js";
import { type QueueSource, type SealedBatch } from "./sequencer.js";

/**
 * What `FaultInjection` needs.
 *
 * @example
 * const parameters: FaultInjectionParameters = { params, domain, publicClient, walletClient, contracts, queue: follower, log: console.log }
 */
export interface FaultInjectionParameters {
  readonly params: ResolvedParams;
  readonly domain: bigint;
  readonly publicClient: PublicClient;
  /** The proposer's wallet: the faulty batch is its own, and so is the defence. */
  readonly walletClient: WalletClient<Transport, Chain, Account>;
  readonly contracts: { readonly rollup: Address; readonly bridge: Address; readonly disputeGame: Address };
  /** The L1 queue, for the queue entries of each batch. */
  readonly queue: QueueSource;
  readonly log: (line: string) => void;
}

/**
 * One wrong batch commitment, posted on purpose and defended.
 *
 * @example
 * const faults = new FaultInjection({ kind: "wrong-root" }, { params, domain, publicClient, walletClient, contracts, queue, log })
 * const faulty = faults.commitmentFor(batch) // undefined: post the batch honestly
 * if (faulty) await faults.posted(batch, hash, faulty)
 * await faults.tick() // each poll: the defender's moves
 */
export class FaultInjection {
  private readonly proposer: FaultyProposer;
  private readonly defender: FaultyDefender;
  private readonly queue: QueueSource;
  private readonly log: (line: string) => void;

  constructor(spec: FaultSpec, parameters: FaultInjectionParameters) {
    const { params, domain, publicClient, walletClient, contracts, queue, log } = parameters;
    this.proposer = new FaultyProposer(spec, { params, domain, proposer: walletClient.account.address });
    this.defender = new FaultyDefender(publicClient, walletClient, contracts, log);
    this.queue = queue;
    this.log = log;
  }

  /**
   * Shows the faulty proposer a sealed batch: each batch once, in index order (a batch it has
   * seen, or one out of order, gets `undefined`). Returns the wrong commitment to post for the
   * batch the fault goes into, else `undefined`.
   */
  commitmentFor(batch: SealedBatch): FaultyCommitment | undefined {
    if (batch.index !== this.proposer.nextIndex) return undefined;
    const queueEntries = Array.from({ length: batch.queueEnd - batch.queueStart }, (_, i) => this.queue.entry(batch.queueStart + i));
    return this.proposer.observe({ ...batch, queueEntries, ops: batch.ops.map((o) => o.op) });
  }

  /** Records that the faulty commitment of `batch` is on L1 in `hash`, for the defender. */
  async posted(batch: SealedBatch, hash: Hex, faulty: FaultyCommitment): Promise<void> {
    this.log(`FAULT INJECTED in batch ${batch.index} (${faulty.kind}): ${faulty.description}`);
    await this.defender.posted(hash, faulty);
  }

  /** The defender's moves in the games over the faulty batch; call on each poll. */
  tick(): Promise<void> {
    return this.defender.tick();
  }
}
