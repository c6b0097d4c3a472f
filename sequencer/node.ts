import { createPublicClient, createWalletClient, defineChain, http, type Chain } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import {
  type Address,
  type Hex,
  blobCountFor,
  domainSeparator,
  resolveParams,
  NO_TOKEN,
} from "../core/index.js";
import { Sequencer, type SealedBatch } from "./sequencer.js";
import { type DataAvailability, WriteAheadLog } from "./store.js";
import { QueueFollower } from "./l1/queue-follower.js";
import { CalldataPoster, type PostedCommitment } from "./l1/poster.js";
import { BlobPoster, MAX_BLOBS_PER_TX, type DaMode, chooseDa } from "./l1/blob-poster.js";
import { BlobSidecarStore } from "./l1/blob-store.js";
import { startRpcServer } from "./rpc/server.js";
import { createRpcMethods, type RollupInfo } from "./rpc/methods.js";
import { FaultyProposer, type FaultSpec } from "./faults/faulty-proposer.js";
import { FaultyDefender } from "./faults/faulty-defender.js";
import { ZkPoster } from "./l1/zk-poster.js";
import { ProverQueue, proofCalldata } from "../prover/prover.js";
import { type ProofInfo } from "./rpc/methods.js";

/** Everything a sequencer process needs to run. JSON-serialisable, so it can be a config file. */
export interface SequencerNodeConfig {
  readonly l1RpcUrl: string;
  readonly l1ChainId: number;
  readonly l2ChainId: number;
  readonly contracts: { readonly rollup: Address; readonly bridge: Address } & Record<string, Address>;
  /** L1 block the contracts were deployed in; the queue is read from there. */
  readonly deployBlock: number;
  /** Key of the bonded proposer that posts batches. */
  readonly proposerKey: Hex;
  readonly levels: number;
  readonly dataDir: string;
  readonly rpcHost: string;
  readonly rpcPort: number;
  /** Close a batch at this many queue entries + L2 ops. */
  readonly maxBatchOps: number;
  /** Close a non-empty batch this long after it opened. */
  readonly maxBatchDelayMs: number;
  /** How often to read L1 (queue, finality). */
  readonly pollIntervalMs: number;
  readonly feeRecipient: Address;
  readonly feeTokens: readonly number[];
  /**
   * Where batch data goes (default "calldata"): "blobs" posts EIP-4844 blob transactions
   * (a batch too large for one transaction's blobs goes as calldata), "auto" picks the
   * cheaper per batch from the current base fee and blob base fee.
   */
  readonly da?: DaMode;
  /** Where the blob poster publishes sidecars for the Beacon API (required unless da is "calldata"). */
  readonly blobDir?: string;
  /** Post one wrong batch commitment on purpose (learners, test suites); see sequencer/faults/. */
  readonly fault?: FaultSpec;
  /**
   * "optimistic" (default): `submitBatch`, final after the challenge window. "zk": each batch
   * (at most `zk.slots` queue entries + ops) is proved with Groth16 off the main thread and
   * posted with `submitZkBatch`, final at once (docs/zk.md).
   */
  readonly settlement?: "optimistic" | "zk";
  /** ZK settlement: the circuit (built for `levels` and `slots`) and its proving key. */
  readonly zk?: {
    /** `CircuitBuild.wasm`. */
    readonly wasm: string;
    /** `SetupResult.zkey`. */
    readonly zkey: string;
    /** The circuit's nOps, as set on L1 with `setZkVerifier`. */
    readonly slots: number;
    /** Prover worker threads (default 1). */
    readonly workers?: number;
  };
}

/** A running sequencer: its RPC URL, the sequencer itself, and `stop`. */
export interface SequencerNode {
  readonly url: string;
  readonly sequencer: Sequencer;
  stop(): Promise<void>;
}

/**
 * Starts a sequencer process's services: the L1 queue follower, the sequencer (replaying
 * its write-ahead log first), the batch loop that closes batches by size or age and posts
 * them as calldata, the finality watcher, and the L2 JSON-RPC server.
 *
 * @example
 * const node = await startSequencerNode(config)
 * console.log(node.url)
 * await node.stop()
 */
export async function startSequencerNode(config: SequencerNodeConfig): Promise<SequencerNode> {
  const params = resolveParams({ levels: config.levels });
  const zkConfig = config.settlement === "zk" ? config.zk : undefined;
  if (config.settlement === "zk") {
    if (!zkConfig) throw new Error(`settlement "zk" needs zk: { wasm, zkey, slots }`);
    if (config.fault) throw new Error("fault injection is for optimistic settlement (a wrong ZK batch cannot be proved)");
    if ((config.da ?? "calldata") !== "calldata") throw new Error("ZK settlement posts its payload as calldata (da must be calldata)");
  }
  const maxBatchOps = zkConfig ? zkConfig.slots : config.maxBatchOps;
  const chain: Chain = defineChain({
    id: config.l1ChainId,
    name: "L1",
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [config.l1RpcUrl] } },
  });
  const transport = http(config.l1RpcUrl, { batch: false, retryCount: 2 });
  const publicClient = createPublicClient({ chain, transport, pollingInterval: 50 });
  const walletClient = createWalletClient({ chain, transport, account: privateKeyToAccount(config.proposerKey) });

  const domain = domainSeparator({
    l1ChainId: config.l1ChainId,
    l2ChainId: config.l2ChainId,
    rollupAddress: config.contracts.rollup,
  });
  const follower = new QueueFollower(publicClient, config.contracts.bridge, BigInt(config.deployBlock));
  await follower.poll();
  const wal = WriteAheadLog.open(config.dataDir);
  const feeTokens = [...config.feeTokens, NO_TOKEN, NO_TOKEN, NO_TOKEN, NO_TOKEN].slice(0, 4);
  const sequencer = new Sequencer(
    { params, domain, feeRecipient: config.feeRecipient, feeTokens, maxBatchOps, zkSlots: zkConfig?.slots },
    follower,
    wal,
  );
  await sequencer.replay(wal.records);
  const poster = new CalldataPoster(publicClient, walletClient, config.contracts.rollup, params);
  const da = config.da ?? "calldata";
  if (da !== "calldata" && !config.blobDir) throw new Error(`da "${da}" needs blobDir, the folder the Beacon API serves sidecars from`);
  const blobPoster =
    da === "calldata"
      ? undefined
      : new BlobPoster(publicClient, walletClient.account, config.contracts.rollup, params, new BlobSidecarStore(config.blobDir!));
  /** Posts one batch where the DA mode says; returns its transaction. */
  const postBatch = async (batch: SealedBatch, faulty: PostedCommitment | undefined): Promise<{ hash: Hex; blockNumber: number; da: DataAvailability }> => {
    if (!blobPoster) return { ...(await poster.post(batch, faulty)), da: "calldata" };
    const payloadLength = faulty?.payload.length ?? batch.ops.length * params.optimisticOpBytes;
    let choice: "calldata" | "blobs";
    if (da === "blobs") {
      choice = blobCountFor(payloadLength) <= MAX_BLOBS_PER_TX ? "blobs" : "calldata";
    } else {
      const [calldataGas, prices] = await Promise.all([poster.estimateGas(batch, faulty), blobPoster.prices()]);
      choice = chooseDa({ calldataGas, payloadLength }, prices);
    }
    console.log(`[sequencer] batch ${batch.index}: ${batch.ops.length} ops, ${payloadLength} bytes as ${choice}`);
    return { ...(await (choice === "blobs" ? blobPoster.post(batch, faulty) : poster.post(batch, faulty))), da: choice };
  };
  const onL1 = await poster.batchCountOnL1();
  const faults = config.fault && {
    proposer: new FaultyProposer(config.fault, { params, domain, proposer: walletClient.account.address }),
    defender: new FaultyDefender(
      publicClient,
      walletClient,
      { rollup: config.contracts.rollup, bridge: config.contracts.bridge, disputeGame: config.contracts.disputeGame! },
      (line) => console.log(`[sequencer] ${line}`),
    ),
  };
  if (onL1 > sequencer.batchCount) {
    throw new Error(
      `the rollup on L1 has ${onL1} batches but ${config.dataDir} knows only ${sequencer.batchCount}: this data folder belongs to another deployment`,
    );
  }

  let stopped = false;
  let posting: Promise<void> = Promise.resolve();
  // Batches below this were on L1 at start: posted before a crash even if the log missed it.
  let recovered = onL1;
  const postPending = (): Promise<void> =>
    // A failed round (say, a nonce clash) must not stop every later one.
    (posting = posting.catch(() => undefined).then(async () => {
      let onChain = await poster.batchCountOnL1();
      const firstGone = sequencer.sealed.findIndex((b) => b.l1Tx && b.index >= onChain);
      if (firstGone >= 0) {
        // A dispute removed batches: the sequencer re-proposes its (honest) sealed batches.
        sequencer.markInvalidated(firstGone);
        const added = await poster.topUpBond();
        console.log(`[sequencer] batches from ${firstGone} were invalidated on L1; re-proposing them${added > 0n ? ` after topping the bond up by ${added} wei` : ""}`);
      }
      for (const batch of sequencer.sealed) {
        const faulty =
          faults && batch.index === faults.proposer.nextIndex
            ? faults.proposer.observe({ ...batch, queueEntries: queueEntries(batch.queueStart, batch.queueEnd), ops: batch.ops.map((o) => o.op) })
            : undefined;
        if (batch.l1Tx || stopped) continue;
        if (batch.index < recovered) {
          // Posted before a crash, recorded on L1 but not in the log: nothing to resend.
          await sequencer.markPosted(batch.index, "0x", 0);
          continue;
        }
        // Post only at the rollup's next index, so a batch never lands in another's place.
        if (batch.index !== onChain) break;
        const { hash, blockNumber, da: posted } = await postBatch(batch, faulty);
        onChain++;
        await sequencer.markPosted(batch.index, hash, blockNumber, posted);
        if (faulty && faults) {
          console.log(`[sequencer] FAULT INJECTED in batch ${batch.index} (${faulty.kind}): ${faulty.description}`);
          await faults.defender.posted(hash, faulty);
        }
      }
      recovered = 0;
    }));
  const queueEntries = (start: number, end: number) => Array.from({ length: end - start }, (_, i) => follower.entry(start + i));

  const finality = async (): Promise<void> => {
    const firstOpen = sequencer.sealed.findIndex((b: SealedBatch) => !b.final);
    if (firstOpen < 0) return;
    let last = -1;
    for (let i = firstOpen; i < sequencer.sealed.length && sequencer.sealed[i]!.l1Tx; i++) {
      if (!(await poster.isFinal(i))) break;
      last = i;
    }
    if (last >= 0) sequencer.markFinal(last);
  };

  const tick = async (): Promise<void> => {
    await follower.poll();
    sequencer.openIfWork();
    const open = sequencer.openBatch;
    if (open && (open.size >= maxBatchOps || Date.now() - open.openedAt >= config.maxBatchDelayMs)) {
      await sequencer.seal();
    }
    if (zk) zk.startProofs();
    void post().catch((e) => console.error(`[sequencer] posting failed: ${(e as Error).message}`));
    await finality();
    await faults?.defender.tick();
  };

  let timer: NodeJS.Timeout | undefined;
  const loop = (): void => {
    timer = setTimeout(() => {
      tick()
        .catch((e) => console.error(`[sequencer] ${(e as Error).message}`))
        .finally(() => {
          if (!stopped) loop();
        });
    }, config.pollIntervalMs);
  };
  // ZK settlement: prove every sealed batch not on L1 (in order, off the main thread) and post
  // each with submitZkBatch once its proof is ready and the batch before it is on L1 (final).
  const zk = zkConfig && (() => {
    const prover = new ProverQueue({ wasm: zkConfig.wasm, zkey: zkConfig.zkey, workers: zkConfig.workers ?? 1 });
    const zkPoster = new ZkPoster(publicClient, walletClient, config.contracts.rollup);
    interface ProofRecord {
      readonly id: string;
      readonly submittedAt: number;
      status: "queued" | "proving" | "proven" | "failed";
      seconds?: number;
      /** The proof as `submitZkBatch` takes it, or undefined when proving failed. */
      readonly done: Promise<bigint[] | undefined>;
    }
    const proofs = new Map<number, ProofRecord>();
    let onChain = onL1;
    let round: Promise<void> | undefined;
    let again = false;
    const startProofs = (): void => {
      for (const batch of sequencer.sealed) {
        if (batch.l1Tx || !batch.zk || batch.index < onChain || proofs.has(batch.index) || stopped) continue;
        const id = `batch-${batch.index}`;
        const job = prover.submit(batch.zk.input, id);
        const record: ProofRecord = {
          id,
          submittedAt: Date.now(),
          status: "queued",
          done: job.then(
            (r) => {
              record.status = "proven";
              record.seconds = r.seconds;
              console.log(`[sequencer] batch ${batch.index}: proved in ${r.seconds.toFixed(1)} s`);
              return proofCalldata(r.proof);
            },
            (e: unknown) => {
              record.status = "failed";
              record.seconds = (Date.now() - record.submittedAt) / 1000;
              if (!stopped) console.error(`[sequencer] batch ${batch.index}: proving failed: ${(e as Error).message}`);
              return undefined;
            },
          ),
        };
        proofs.set(batch.index, record);
      }
    };
    const roundOnce = async (): Promise<void> => {
      onChain = await poster.batchCountOnL1();
      for (const batch of sequencer.sealed) {
        if (batch.l1Tx || stopped) continue;
        if (batch.index < onChain) {
          // Proved and posted before a crash, recorded on L1 but not in the log.
          await sequencer.markPosted(batch.index, "0x", 0);
          continue;
        }
        if (batch.index !== onChain) break;
        startProofs();
        const proof = await proofs.get(batch.index)?.done;
        if (!proof || stopped) break;
        const { hash, blockNumber, gasUsed } = await zkPoster.post(batch, proof);
        onChain++;
        await sequencer.markPosted(batch.index, hash, blockNumber, "calldata");
        // A ZK batch is final once submitZkBatch succeeded.
        sequencer.markFinal(batch.index);
        console.log(`[sequencer] batch ${batch.index}: ${batch.ops.length} ops, ${batch.zk!.payload.length} bytes, proven on L1 (${gasUsed} gas)`);
      }
    };
    const postZk = (): Promise<void> => {
      if (round) {
        again = true;
        return round;
      }
      round = (async () => {
        do {
          again = false;
          await roundOnce();
        } while (again && !stopped);
      })().finally(() => (round = undefined));
      return round;
    };
    const proofInfo = (index: number): ProofInfo | undefined => {
      const record = proofs.get(index);
      if (!record) return sequencer.sealed[index]?.l1Tx ? { status: "proven", seconds: null } : undefined;
      if (record.status === "queued" || record.status === "proving") {
        const status = prover.status(record.id);
        record.status = status === "proving" ? "proving" : "queued";
      }
      const seconds = record.seconds ?? (Date.now() - record.submittedAt) / 1000;
      return { status: record.status, seconds: Math.round(seconds * 100) / 100 };
    };
    return {
      startProofs,
      postZk,
      proofInfo,
      get pending() {
        return prover.pending;
      },
      close: async () => {
        await prover.close();
        await round?.catch(() => undefined);
      },
    };
  })();
  const post = (): Promise<void> => (zk ? zk.postZk() : postPending());

  sequencer.onFull = () => void sequencer.seal().then(() => post());
  if (zk) {
    zk.startProofs();
    void post().catch((e) => console.error(`[sequencer] posting failed: ${(e as Error).message}`));
  } else {
    await postPending();
  }
  loop();

  const info: RollupInfo = {
    l1ChainId: config.l1ChainId,
    l2ChainId: config.l2ChainId,
    contracts: config.contracts,
    levels: config.levels,
    mode: zk ? "zk" : "optimistic",
    feeRecipient: config.feeRecipient,
    feeTokens,
    maxBatchOps,
    maxBatchDelayMs: config.maxBatchDelayMs,
  };
  const server = await startRpcServer(createRpcMethods(sequencer, info, zk && { proof: zk.proofInfo, pending: () => zk.pending }), {
    host: config.rpcHost,
    port: config.rpcPort,
    routes: { "/health": () => ({ ok: true, batches: sequencer.batchCount }) },
  });

  return {
    url: server.url,
    sequencer,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await server.close();
      await zk?.close();
      await posting.catch(() => undefined);
      await sequencer.close();
      await wal.close();
    },
  };
}
