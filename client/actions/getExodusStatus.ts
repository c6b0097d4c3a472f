import { type BaseError, bridgeAbi, rollupAbi } from "../../core/index.js";
import { type ExodusClients } from "../types.js";
import { toL1Error } from "../utils/revert.js";

/**
 * The unconsumed queue entry that makes the exodus due first: its index, its (effective)
 * inclusion deadline and the first L1 time after which `activateExodus` succeeds if no batch
 * consumes it (`Rollup.exodusDueAt`); L1 timestamps in seconds.
 */
export interface ExodusDueEntry {
  readonly queueIndex: number;
  readonly deadline: bigint;
  readonly dueAt: bigint;
  /** Past its inclusion deadline: a batch that leaves it behind is refused. */
  readonly overdue: boolean;
  /** `activateExodus` succeeds now. */
  readonly due: boolean;
}

/**
 * What {@link getExodusStatus} returns, all read from L1: whether the rollup is in exodus, the
 * last final state (the one accounts exit from), and, before the exodus, the queue entry that
 * makes it due first (`null` when no entry is waiting).
 */
export interface GetExodusStatusReturnType {
  readonly active: boolean;
  /** Batches on L1 (in exodus: the final ones kept). */
  readonly batches: number;
  /** Batches `[0, finalBatches)` are final. */
  readonly finalBatches: number;
  /** Root of the last final state: the post-state of the last final batch, genesis if none. */
  readonly finalStateRoot: bigint;
  /** Queue entries the final batches consumed; in exodus the later deposits are refunded. */
  readonly finalQueueEnd: number;
  readonly queueLength: number;
  readonly entry: ExodusDueEntry | null;
  readonly inclusionWindow: bigint;
  readonly exodusDelay: bigint;
  /** The L1 time of the latest block, seconds. */
  readonly l1Time: bigint;
}
/** What {@link getExodusStatus} throws: `L1RequestError`. */
export type GetExodusStatusErrorType = BaseError;

/**
 * Where the rollup stands with respect to the exodus (docs/protocol.md §11), from L1 alone:
 * works with the L2 RPC down.
 *
 * @example
 * const status = await getExodusStatus({ publicClient, deployment: { rollup, bridge } })
 * if (!status.active && status.entry?.due) await activateExodus(clients, { queueIndex: status.entry.queueIndex })
 */
export async function getExodusStatus(clients: Pick<ExodusClients, "publicClient" | "deployment">): Promise<GetExodusStatusReturnType> {
  const { publicClient, deployment } = clients;
  const rollup = { address: deployment.rollup, abi: rollupAbi } as const;
  try {
    const [active, batchCount, finalCount, queueEnd, reopenedEnd, queueLength, inclusionWindow, exodusDelay, block] = await Promise.all([
      publicClient.readContract({ ...rollup, functionName: "exodus" }),
      publicClient.readContract({ ...rollup, functionName: "batchCount" }),
      publicClient.readContract({ ...rollup, functionName: "finalBatchCount" }),
      publicClient.readContract({ ...rollup, functionName: "lastQueueEnd" }),
      publicClient.readContract({ ...rollup, functionName: "reopenedEnd" }),
      publicClient.readContract({ address: deployment.bridge, abi: bridgeAbi, functionName: "queueLength" }),
      publicClient.readContract({ ...rollup, functionName: "inclusionWindow" }),
      publicClient.readContract({ ...rollup, functionName: "exodusDelay" }),
      publicClient.getBlock({ blockTag: "latest" }),
    ]);
    const finalBatches = Number(finalCount);
    const [finalStateRoot, finalQueueEnd] =
      finalBatches === 0
        ? [await publicClient.readContract({ ...rollup, functionName: "genesisStateRoot" }), 0]
        : await publicClient
            .readContract({ ...rollup, functionName: "batches", args: [BigInt(finalBatches - 1)] })
            .then(([, postStateRoot, , , , end]) => [postStateRoot, Number(end)] as const);
    const l1Time = block.timestamp;
    // Effective deadlines rise along the queue except where an invalidation reopened entries
    // (docs/protocol.md §6): the first unconsumed entry, or the first one past the reopened
    // range, is the one due first.
    const candidates = [Number(queueEnd)];
    if (reopenedEnd > queueEnd) candidates.push(Number(reopenedEnd));
    let entry: ExodusDueEntry | null = null;
    if (!active) {
      for (const queueIndex of candidates.filter((i) => i < Number(queueLength))) {
        const [deadline, dueAt] = await Promise.all([
          publicClient.readContract({ ...rollup, functionName: "effectiveDeadline", args: [BigInt(queueIndex)] }),
          publicClient.readContract({ ...rollup, functionName: "exodusDueAt", args: [BigInt(queueIndex)] }),
        ]);
        // activateExodus needs block.timestamp > dueAt: the next block's, later than the latest.
        if (!entry || dueAt < entry.dueAt) entry = { queueIndex, deadline, dueAt, overdue: deadline < l1Time, due: l1Time >= dueAt };
      }
    }
    return {
      active,
      batches: Number(batchCount),
      finalBatches,
      finalStateRoot,
      finalQueueEnd,
      queueLength: Number(queueLength),
      entry,
      inclusionWindow,
      exodusDelay,
      l1Time,
    };
  } catch (e) {
    throw toL1Error(e);
  }
}
