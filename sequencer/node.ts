import { type Address, type Hex, domainSeparator, resolveParams, NO_TOKEN } from "../core/index.js";
import { Sequencer } from "./sequencer.js";
import { WriteAheadLog } from "./store.js";
import { SequencerConfigError } from "./errors.js";
import { resolveRollupMode, type SettlementMode } from "./rollup-mode.js";
import { createL1Clients } from "./l1/clients.js";
import { QueueFollower } from "./l1/queue-follower.js";
import { L1Rollup } from "./l1/rollup.js";
import { createBatchPoster, type DaMode } from "./l1/da.js";
import { ZkPoster } from "./l1/zk-poster.js";
import { type FaultSpec } from "./faults/faulty-proposer.js";
import { FaultInjection } from "./fault-injection.js";
import { OptimisticPosting } from "./posting.js";
import { type BatchProver, ZkSettlement } from "./zk-settlement.js";
import { markFinalBatches } from "./finality.js";
import { ExodusWatch } from "./exodus.js";
import { sealDueBatch } from "./batch-closing.js";
import { startPollLoop } from "./poll-loop.js";
import { startRpcServer } from "./rpc/server.js";
import { createRpcMethods, type RollupInfo } from "./rpc/methods.js";

/**
 * Everything a sequencer process needs to run. JSON-serialisable, so it can be a config file.
 *
 * @example
 * const config = JSON.parse(readFileSync(".devnet/sequencer.json", "utf8")) as SequencerNodeConfig
 */
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
  readonly settlement?: SettlementMode;
  /**
   * ZK settlement: the circuit's slots, and who proves: a prover service at `proverUrl`
   * (prover/main.ts, docs/zk.md), or else proving processes of this process's own started
   * from `wasm` and `zkey`.
   */
  readonly zk?: {
    /** The circuit's nOps, as fixed on L1 with the verifier. */
    readonly slots: number;
    /** A prover service's JSON-RPC URL (core/prover-rpc.ts). */
    readonly proverUrl?: string;
    /** Without `proverUrl`: `CircuitBuild.wasm`. */
    readonly wasm?: string;
    /** Without `proverUrl`: `SetupResult.zkey`. */
    readonly zkey?: string;
    /** Without `proverUrl`: proving processes (default 1; each uses every core). */
    readonly workers?: number;
  };
}

/**
 * A running sequencer: its RPC URL, the sequencer itself, and `stop`.
 *
 * @example
 * const { url, sequencer }: SequencerNode = await startSequencerNode(config)
 */
export interface SequencerNode {
  readonly url: string;
  readonly sequencer: Sequencer;
  stop(): Promise<void>;
}

/**
 * What the process entry point (sequencer/main.ts) supplies to the node.
 *
 * @example
 * const services: SequencerNodeServices = { prover: groth16BatchProver(config.zk) }
 */
export interface SequencerNodeServices {
  /** ZK settlement: proves each batch. Required with settlement "zk"; the node closes it on `stop`. */
  readonly prover?: BatchProver;
}

/**
 * Starts a sequencer process's services and wires them: the L1 queue follower, the sequencer
 * (replaying its write-ahead log first), the poll loop that closes batches by size or age,
 * the settlement (optimistic posting over the DA mode's poster, or ZK proving and posting),
 * the finality watcher, the exodus watch (which stops settlement for good once the rollup is
 * in exodus), fault injection if asked for, and the L2 JSON-RPC server.
 *
 * @example
 * const node = await startSequencerNode(config)
 * console.log(node.url)
 * await node.stop()
 */
export async function startSequencerNode(config: SequencerNodeConfig, services: SequencerNodeServices = {}): Promise<SequencerNode> {
  const mode = resolveRollupMode(config);
  const zk = mode.settlement === "zk" ? zkSettlementOf(config, services) : undefined;
  const maxBatchOps = zk ? zk.slots : config.maxBatchOps;
  const log = (line: string): void => console.log(`[sequencer] ${line}`);
  const logError = (line: string): void => console.error(`[sequencer] ${line}`);
  const params = resolveParams({ levels: config.levels });
  const domain = domainSeparator({ l1ChainId: config.l1ChainId, l2ChainId: config.l2ChainId, rollupAddress: config.contracts.rollup });
  const { publicClient, walletClient } = createL1Clients({ rpcUrl: config.l1RpcUrl, chainId: config.l1ChainId, proposerKey: config.proposerKey });

  const follower = new QueueFollower(publicClient, config.contracts.bridge, BigInt(config.deployBlock));
  await follower.poll();
  const wal = WriteAheadLog.open(config.dataDir);
  const feeTokens = [...config.feeTokens, NO_TOKEN, NO_TOKEN, NO_TOKEN, NO_TOKEN].slice(0, 4);
  const sequencer = new Sequencer(
    { params, domain, feeRecipient: config.feeRecipient, feeTokens, maxBatchOps, zkSlots: zk?.slots },
    follower,
    wal,
  );
  await sequencer.replay(wal.records);

  const rollup = new L1Rollup(publicClient, walletClient, config.contracts.rollup);
  const batchesOnL1 = await rollup.batchCount();
  if (batchesOnL1 > sequencer.batchCount) {
    throw new SequencerConfigError(`the rollup on L1 has ${batchesOnL1} batches but ${config.dataDir} knows only ${sequencer.batchCount}`, {
      details: "this data folder belongs to another deployment: give the sequencer the data folder it wrote for this rollup",
    });
  }
  const faults =
    config.fault &&
    new FaultInjection(config.fault, {
      params,
      domain,
      publicClient,
      walletClient,
      contracts: { rollup: config.contracts.rollup, bridge: config.contracts.bridge, disputeGame: config.contracts.disputeGame! },
      queue: follower,
      log,
    });
  const zkSettlement =
    zk &&
    new ZkSettlement({
      sequencer,
      rollup,
      poster: new ZkPoster(publicClient, walletClient, config.contracts.rollup),
      prover: zk.prover,
      batchesOnL1,
      log,
      logError,
    });
  const settlement =
    zkSettlement ??
    new OptimisticPosting({
      sequencer,
      rollup,
      poster: createBatchPoster({ mode: mode.da, publicClient, walletClient, rollup: config.contracts.rollup, params, blobDir: config.blobDir, log }),
      faults,
      batchesOnL1,
      log,
    });
  // In exodus no batch can be appended any more: nothing is posted (or proved) from then on.
  const exodus = new ExodusWatch({ rollup, stopSettlement: () => settlement.stop(), log });
  const postInBackground = (): void => void settlement.post().catch((e) => logError(`posting failed: ${(e as Error).message}`));

  // A full batch is sealed and posted at once; a failure is logged and retried by the next tick.
  sequencer.onFull = () =>
    void sequencer
      .seal()
      .then(() => (exodus.active ? undefined : settlement.post()))
      .catch((e) => logError(`sealing a full batch failed: ${(e as Error).message}`));
  // Started on a rollup already in exodus, the node serves reads and posts nothing.
  if (!(await exodus.check())) {
    if (zkSettlement) {
      zkSettlement.startProofs();
      postInBackground();
    } else {
      await settlement.post();
    }
  }
  const loop = startPollLoop(
    config.pollIntervalMs,
    async () => {
      if (await exodus.check()) return;
      await follower.poll();
      await sealDueBatch(sequencer, { maxBatchOps, maxBatchDelayMs: config.maxBatchDelayMs });
      zkSettlement?.startProofs();
      postInBackground();
      await markFinalBatches(sequencer, rollup);
      await faults?.tick();
    },
    (e) => logError(e.message),
  );

  const info: RollupInfo = {
    l1ChainId: config.l1ChainId,
    l2ChainId: config.l2ChainId,
    contracts: config.contracts,
    levels: config.levels,
    mode: mode.settlement,
    feeRecipient: config.feeRecipient,
    feeTokens,
    maxBatchOps,
    maxBatchDelayMs: config.maxBatchDelayMs,
  };
  const prover = zkSettlement && { proof: (index: number) => zkSettlement.proofInfo(index), pending: () => zkSettlement.pending };
  const server = await startRpcServer(createRpcMethods(sequencer, info, prover, exodus), {
    host: config.rpcHost,
    port: config.rpcPort,
    routes: { "/health": () => ({ ok: true, batches: sequencer.batchCount }) },
  });

  return {
    url: server.url,
    sequencer,
    async stop() {
      loop.stop();
      // Called before the server closes, so no batch is posted (or proved) from here on.
      const settled = settlement.stop();
      await server.close();
      await settled;
      await sequencer.close();
      await wal.close();
    },
  };
}

/** ZK settlement needs the circuit's slots (from the config) and a prover (from the entry point). */
function zkSettlementOf(config: SequencerNodeConfig, services: SequencerNodeServices): { slots: number; prover: BatchProver } {
  if (!config.zk || !services.prover) {
    throw new SequencerConfigError(`settlement "zk" needs ${config.zk ? "a prover" : "zk: { slots, proverUrl } or zk: { slots, wasm, zkey }"}`, {
      details: config.zk
        ? "pass startSequencerNode a BatchProver (sequencer/main.ts builds one for the zk config: a prover service's client, or prover/'s proving processes)"
        : "give the config the circuit's slots and a prover service's URL, or its wasm and proving key (the devnet writes them), or use settlement \"optimistic\"",
    });
  }
  return { slots: config.zk.slots, prover: services.prover };
}
