/**
 * Stage 2 of the derivation: the data of each batch. For a calldata batch that is the
 * `payload` argument of the `submitBatch` (optimistic) or `submitZkBatch` (ZK) transaction
 * that emitted `BatchSubmitted`: the rollup accepts batches only from an EOA calling it
 * directly (docs/protocol.md §8), so the payload is always the transaction's own input. Blob
 * batches get theirs from `blob-source.ts`, the stage before this one, and pass through.
 */
import { type Hex, type PublicClient, decodeFunctionData, hexToBytes, keccak256 } from "viem";
import { bytesToHex, opsRoot, rollupAbi } from "../core/index.js";
import { DerivationError } from "./errors.js";
import type { BatchSubmittedLog, QueueEntryLog, BatchesInvalidatedLog, RollupLog } from "./l1-traversal.js";

/** A submitted batch with its data. */
export interface BatchDataLog extends Omit<BatchSubmittedLog, "kind"> {
  readonly kind: "batchData";
  /** Where the data was: the transaction's calldata, or blobs. */
  readonly da: "calldata" | "blobs";
  /** How the batch settles: "optimistic" (signatures in the payload) or "zk" (proven, no signatures). */
  readonly settlement: "optimistic" | "zk";
  /**
   * The batch's L2 ops as posted: its opsRoot (optimistic) or keccak256 (ZK) is the dataHash
   * of a calldata batch; for blobs, what the blobs state (docs/protocol.md §9), zero bytes of
   * the stated length if they do not.
   */
  readonly payload: Hex;
  /** For a blob batch whose blobs do not state its payload: why (the payload is then zero bytes). */
  readonly malformed?: string;
  /** For a blob batch: its blobs, in order (what a one-step proof opens). */
  readonly blobData?: readonly Uint8Array[];
}

/** What the calldata source reads: the traversal's logs, blob batches already sourced. */
export interface SourcedLogSource {
  next(): Promise<RollupLog | BatchDataLog | undefined>;
}

/** What the source yields: the traversal's logs with each batch's data attached. */
export type SourcedLog = QueueEntryLog | BatchesInvalidatedLog | BatchDataLog;

/** What the next stage sees of a data source. */
export interface BatchDataSource {
  /** The next log, or `undefined` once caught up with L1. */
  next(): Promise<SourcedLog | undefined>;
}

/**
 * Reads each batch's payload from its transaction's calldata.
 *
 * @example
 * const source = new CalldataSource(traversal, client, params.optimisticOpBytes)
 * const log = await source.next() // { kind: "batchData", payload, ... }
 */
export class CalldataSource implements BatchDataSource {
  constructor(
    private readonly logs: SourcedLogSource,
    private readonly client: PublicClient,
    /** Bytes of one optimistic op record (the opsRoot's leaves). */
    private readonly recordSize: number,
  ) {}

  async next(): Promise<SourcedLog | undefined> {
    const log = await this.logs.next();
    if (log?.kind !== "batchSubmitted") return log;
    if (log.blobs) {
      throw new DerivationError(`batch ${log.index} is a blob batch and reached the calldata source`, {
        details: "put a BlobSource between the traversal and the calldata source (derive/pipeline.ts)",
      });
    }
    const tx = await this.client.getTransaction({ hash: log.txHash });
    let payload: Hex;
    let settlement: "optimistic" | "zk";
    try {
      const call = decodeFunctionData({ abi: rollupAbi, data: tx.input });
      if (call.functionName === "submitBatch") settlement = "optimistic";
      else if (call.functionName === "submitZkBatch") settlement = "zk";
      else throw new DerivationError(`the transaction calls ${call.functionName}`);
      payload = call.args[1];
    } catch (cause) {
      throw new DerivationError(`batch ${log.index}: transaction ${log.txHash} is not a direct submitBatch or submitZkBatch call`, {
        details: "the rollup accepts batches only from an EOA calling it directly: check that the contracts are this repository's",
        cause,
      });
    }
    const committed = settlement === "zk" ? keccak256(payload) : bytesToHex(opsRoot(hexToBytes(payload), this.recordSize));
    if (committed !== log.dataHash) {
      throw new DerivationError(`batch ${log.index}: the payload in ${log.txHash} does not commit to the batch's dataHash ${log.dataHash}`, {
        details: `its ${settlement === "zk" ? "keccak256" : "opsRoot"} is ${committed}`,
      });
    }
    return { ...log, kind: "batchData", da: "calldata", settlement, payload };
  }
}
