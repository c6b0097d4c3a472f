/**
 * What the L1 benchmarks share: L2 senders funded through the bridge, and a stand-in
 * proposer that posts batches of exactly the size a benchmark asks for.
 */
import { waitFor } from "../../core/wait.js";
import { createWalletClient, http, parseEther } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import {
  BatchExecutor,
  L2State,
  NO_TOKEN,
  QueueKind,
  bridgeAbi,
  domainSeparator,
  encodeFloat40,
  encodeFloat8,
  keccak256,
  l2OpMessage,
  publicKeyOf,
  resolveParams,
  rollupAbi,
  signMessage,
  type Address,
  type L2Op,
  type QueueEntry,
  type ResolvedParams,
} from "../../core/index.js";
import { devAccounts, type DevAccount } from "../../devnet/accounts.js";
import type { Devnet } from "../../devnet/start.js";
import type { SealedBatch } from "../../sequencer/sequencer.js";
import { BenchmarkSetupError } from "./errors.js";

/**
 * L2 accounts created for a benchmark, all owned by one L1 dev account.
 *
 * @example
 * const { indices, keyOf }: Senders = await fundSenders(devnet, { count: 8, ethEach: "10", label: "bench" })
 */
export interface Senders {
  readonly funder: DevAccount;
  /** The L2 private key of sender `i`. */
  keyOf(i: number): Uint8Array;
  /** Their account indices, ascending (sender i is at indices[i]). */
  readonly indices: number[];
}

/**
 * Creates `count` ETH accounts of `ethEach` through the bridge from dev account 2 and waits
 * until the devnet's sequencer has them on L2.
 *
 * @example
 * const senders = await fundSenders(devnet, { count: 8, ethEach: "10", label: "bench" })
 */
export async function fundSenders(devnet: Devnet, options: { count: number; ethEach: string; label: string }): Promise<Senders> {
  const { info } = devnet;
  const funder = devAccounts(3)[2]!;
  const wallet = createWalletClient({ chain: devnet.l1Client.chain!, transport: http(info.l1.rpcUrl), account: privateKeyToAccount(funder.privateKey) });
  const keyOf = (i: number) => keccak256(new TextEncoder().encode(`${options.label} ${i}`));
  const fee = await devnet.l1Client.readContract({ address: info.contracts.bridge, abi: bridgeAbi, functionName: "queueFee" });
  for (let i = 0; i < options.count; i++) {
    const { x, y } = publicKeyOf(keyOf(i));
    const value = parseEther(options.ethEach);
    await wallet.writeContract({ address: info.contracts.bridge, abi: bridgeAbi, functionName: "createAccount", args: [0, value, x, y], value: value + fee });
  }
  const client = devnet.client(2);
  const indices = await waitFor(
    `${options.count} funded senders on L2`,
    async () => {
      const found = (await client.getAccountsByOwner({})).map((a) => a.index).sort((a, b) => a - b);
      return found.length >= options.count ? found : undefined;
    },
    { timeoutMs: 120_000, intervalMs: 100, details: "the devnet's sequencer did not batch the createAccount entries" },
  );
  return { funder, keyOf, indices };
}

/**
 * Posts batches of exactly the size a benchmark asks for. It stops the devnet's sequencer and
 * rebuilds the L2 state the posted batches reached by replaying the queue entries they
 * consumed (the state does not depend on batch boundaries), then builds signed transfers
 * between the senders and closes each batch with core's STF.
 *
 * @example
 * const proposer = await BenchProposer.takeOver(devnet, senders)
 * await poster.post(proposer.nextBatch(128))
 */
export class BenchProposer {
  readonly params: ResolvedParams;
  private readonly nonces = new Map<number, number>();

  private constructor(
    private readonly senders: Senders,
    private readonly replica: L2State,
    private readonly domain: bigint,
    private readonly header: { feeRecipient: Address; feeTokens: number[] },
    private readonly queue: readonly QueueEntry[],
    private batchIndex: number,
    private queueStart: number,
  ) {
    this.params = replica.params;
  }

  /** Kills the devnet's sequencer and takes over from the last batch it posted. */
  static async takeOver(devnet: Devnet, senders: Senders): Promise<BenchProposer> {
    const { info, l1Client } = devnet;
    await devnet.sequencer.kill();
    const params = resolveParams({ levels: info.levels });
    const domain = domainSeparator({ l1ChainId: info.l1.chainId, l2ChainId: info.l2.chainId, rollupAddress: info.contracts.rollup });
    const header = { feeRecipient: info.operator.address.toLowerCase() as Address, feeTokens: [0, info.tokens.TEST, NO_TOKEN, NO_TOKEN] };
    const logs = await l1Client.getContractEvents({ address: info.contracts.bridge, abi: bridgeAbi, eventName: "QueueEntryAdded", fromBlock: BigInt(info.deployBlock) });
    const queue: QueueEntry[] = logs.map((l) => ({
      kind: l.args.kind! as QueueEntry["kind"],
      l1Address: l.args.l1Address!.toLowerCase() as Address,
      tokenId: Number(l.args.tokenId!),
      accountIdx: Number(l.args.accountIdx!),
      amount: l.args.amount!,
      Ax: l.args.ax!,
      Ay: l.args.ay!,
    }));
    const other = queue.find((e) => e.kind !== QueueKind.CreateAccount);
    if (other) {
      throw new BenchmarkSetupError(`the L1 queue holds an entry of kind ${other.kind}; the benchmark proposer replays only account creations`, {
        details: "run the benchmark on a fresh devnet, with nothing on L1 but the devnet's funding and fundSenders",
      });
    }
    const [lastQueueEnd, batchCount] = await Promise.all([
      l1Client.readContract({ address: info.contracts.rollup, abi: rollupAbi, functionName: "lastQueueEnd" }),
      l1Client.readContract({ address: info.contracts.rollup, abi: rollupAbi, functionName: "batchCount" }),
    ]);
    const replica = L2State.genesis(params);
    const warm = new BatchExecutor(replica, header, { domain, mode: "optimistic" });
    for (const e of queue.slice(0, Number(lastQueueEnd))) warm.applyQueueEntry(e);
    warm.finish();
    return new BenchProposer(senders, replica, domain, header, queue, Number(batchCount), Number(lastQueueEnd));
  }

  /** The next batch: the queue entries not yet in a batch, then `size` signed transfers. */
  nextBatch(size: number): SealedBatch {
    const { indices } = this.senders;
    const ops: L2Op[] = [];
    for (let i = 0; i < size; i++) ops.push(this.signedTransfer(indices[i % indices.length]!, indices[(i + 1) % indices.length]!, 1000n));
    const exec = new BatchExecutor(this.replica, this.header, { domain: this.domain, mode: "optimistic" });
    for (const e of this.queue.slice(this.queueStart)) exec.applyQueueEntry(e);
    for (const op of ops) {
      const { outcome } = exec.applyL2Op(op);
      if (outcome !== "Applied") {
        throw new BenchmarkSetupError(`a benchmark transfer from account ${op.fromIdx} was not applied (${outcome})`, {
          details: "InsufficientBalance: fund the senders with more ETH (fundSenders' ethEach) or post fewer batches; any other outcome: start from a fresh devnet",
        });
      }
    }
    const batch: SealedBatch = {
      index: this.batchIndex++,
      queueStart: this.queueStart,
      queueEnd: this.queue.length,
      ops: ops.map((op, seq) => ({ hash: "0x", seq, op, nonce: 0, acceptedAt: 0 })),
      feeRecipient: this.header.feeRecipient,
      feeTokens: this.header.feeTokens,
      result: exec.finish(),
    };
    this.queueStart = this.queue.length;
    return batch;
  }

  private signedTransfer(from: number, to: number, amount: bigint): L2Op {
    const nonce = this.nonces.get(from) ?? this.replica.account(from)!.nonce;
    this.nonces.set(from, nonce + 1);
    const op: L2Op = { fromIdx: from, toIdx: to, amountFloat40: encodeFloat40(amount), feeFloat8: encodeFloat8(1n) };
    const key = this.senders.keyOf(this.senders.indices.indexOf(from));
    return { ...op, signature: signMessage(key, l2OpMessage(op, { tokenId: 0, nonce }, this.domain)) };
  }
}
