import { type BaseError } from "../../core/index.js";
import { type RollupClients, type RollupStatus } from "../types.js";
import { formatStatus } from "../utils/formatters.js";

/** What {@link getRollupStatus} returns. */
export type GetRollupStatusReturnType = RollupStatus;
/** What {@link getRollupStatus} throws: `L2RpcError` or `L2TransportError`. */
export type GetRollupStatusErrorType = BaseError;

/**
 * The sequencer's view of the rollup (`rollup_getStatus`): state root, account count,
 * batches sealed, posted and final, the open batch, queue entries not yet in a batch.
 *
 * @example
 * const { batches, finalBatches } = await getRollupStatus({ l2 })
 */
export async function getRollupStatus(clients: Pick<RollupClients, "l2">): Promise<GetRollupStatusReturnType> {
  return formatStatus(await clients.l2.request({ method: "rollup_getStatus" }));
}
