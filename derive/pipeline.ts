/**
 * The derivation pipeline: L1 → the rollup's logs → batch data → decoded batches → L2 state.
 * Needs nothing but an L1 RPC URL, the rollup's and bridge's addresses and, for blob
 * batches, a Beacon API URL; everything else (tree depth, signing domain) is read from the
 * rollup.
 *
 *   L1Traversal ─► BlobSource ─► CalldataSource ─► BatchDecoder ─► StateDeriver
 *   (logs)         (blob payloads) (calldata payloads) (headers, ops) (STF, reports, rollbacks)
 */
import { type PublicClient, createPublicClient, http } from "viem";
import { type Address, type QueueEntry, L2State, resolveParams, rollupAbi, type ResolvedParams } from "../core/index.js";
import { DerivationError } from "./errors.js";
import { L1Traversal } from "./l1-traversal.js";
import { CalldataSource } from "./calldata-source.js";
import { BlobSource } from "./blob-source.js";
import { BatchDecoder } from "./batch-decoder.js";
import { StateDeriver, type DerivationEvent } from "./state-deriver.js";

/** Where to derive from. */
export interface DerivationPipelineConfig {
  /** The L1 JSON-RPC; not needed with `client`. */
  readonly l1RpcUrl?: string;
  readonly contracts: { readonly rollup: Address; readonly bridge: Address };
  /** First L1 block to read (default 0; the deployment block saves reading earlier ones). */
  readonly fromBlock?: bigint;
  /** A Beacon API serving the blob sidecars of blob batches (the devnet's `beacon.url`). */
  readonly beaconUrl?: string;
  /** An L1 client to reuse instead of one on `l1RpcUrl`. */
  readonly client?: PublicClient;
}

/** A running derivation. */
export interface DerivationPipeline {
  readonly client: PublicClient;
  readonly contracts: { readonly rollup: Address; readonly bridge: Address };
  readonly params: ResolvedParams;
  readonly domain: bigint;
  /** The last stage: the derived state and batches. */
  readonly deriver: StateDeriver;
  /** The L1 queue as far as the derivation has read, by queue index (the bridge's `QueueEntryAdded` events). */
  readonly queue: readonly QueueEntry[];
  /** Reads L1 up to its head and derives everything new; returns what happened, in order. */
  sync(): Promise<DerivationEvent[]>;
}

/**
 * Wires the stages of the derivation.
 *
 * @example
 * const pipeline = await createDerivationPipeline({ l1RpcUrl, contracts: { rollup, bridge } })
 * await pipeline.sync()
 * pipeline.deriver.state.stateRoot // equals the rollup's lastStateRoot when every batch is correct
 */
export async function createDerivationPipeline(config: DerivationPipelineConfig): Promise<DerivationPipeline> {
  if (!config.client && !config.l1RpcUrl) {
    throw new DerivationError("the derivation needs an L1: neither an L1 RPC URL nor a client was given", { details: "pass l1RpcUrl or client to createDerivationPipeline" });
  }
  const client = config.client ?? createPublicClient({ transport: http(config.l1RpcUrl, { batch: false }), pollingInterval: 50 });
  const rollup = config.contracts.rollup;
  const [levels, domain] = await Promise.all([
    client.readContract({ address: rollup, abi: rollupAbi, functionName: "levels" }),
    client.readContract({ address: rollup, abi: rollupAbi, functionName: "domain" }),
  ]);
  const params = resolveParams({ levels: Number(levels) });
  const traversal = new L1Traversal(client, config.contracts, config.fromBlock ?? 0n);
  const source = new CalldataSource(new BlobSource(traversal, config.beaconUrl, client), client, params.optimisticOpBytes);
  const decoder = new BatchDecoder(source, params);
  const deriver = new StateDeriver(decoder, L2State.genesis(params), domain);
  let syncing: Promise<DerivationEvent[]> | undefined;
  return {
    client,
    contracts: config.contracts,
    params,
    domain,
    deriver,
    get queue() {
      return decoder.queue;
    },
    sync() {
      // One sync at a time: the stages are sequential readers of L1.
      syncing ??= (async () => {
        const events: DerivationEvent[] = [];
        try {
          for (let event = await deriver.next(); event; event = await deriver.next()) events.push(event);
        } finally {
          syncing = undefined;
        }
        return events;
      })();
      return syncing;
    },
  };
}
