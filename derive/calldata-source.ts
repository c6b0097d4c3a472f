/**
 * Stage 2 of the derivation: the data of each batch. For a calldata batch that is the
 * `payload` argument of the `submitBatch` transaction that emitted `BatchSubmitted`. Blob
 * batches get theirs from `blob-source.ts`, the stage before this one, and pass through.
 */
import { type Hex, type PublicClient, decodeFunctionData, keccak256 } from "viem";
import { rollupAbi } from "../core/index.js";
import { DerivationError } from "./errors.js";
import type { BatchSubmittedLog, QueueEntryLog, BatchesInvalidatedLog, RollupLog } from "./l1-traversal.js";

/** A submitted batch with its data. */
export interface BatchDataLog extends Omit<BatchSubmittedLog, "kind"> {
  readonly kind: "batchData";
  /** Where the data was: the transaction's calldata, or blobs. */
  readonly da: "calldata" | "blobs";
  /**
   * The batch's L2 ops as posted: keccak256 = dataHash for calldata; for blobs, what the
   * blobs state (docs/protocol.md §9), zero bytes of the stated length if they do not.
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
 * const source = new CalldataSource(traversal, client)
 * const log = await source.next() // { kind: "batchData", payload, ... }
 */
export class CalldataSource implements BatchDataSource {
  constructor(
    private readonly logs: SourcedLogSource,
    private readonly client: PublicClient,
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
    try {
      const call = decodeFunctionData({ abi: rollupAbi, data: tx.input });
      if (call.functionName !== "submitBatch") throw new DerivationError(`the transaction calls ${call.functionName}`);
      payload = call.args[1];
    } catch (cause) {
      throw new DerivationError(`batch ${log.index}: transaction ${log.txHash} is not a direct submitBatch call`, {
        details: "the calldata source reads payloads from transactions sent to the rollup itself",
        cause,
      });
    }
    if (keccak256(payload) !== log.dataHash) {
      throw new DerivationError(`batch ${log.index}: the payload in ${log.txHash} does not hash to the batch's dataHash ${log.dataHash}`);
    }
    return { ...log, kind: "batchData", da: "calldata", payload };
  }
}
