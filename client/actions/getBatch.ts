import { type BaseError } from "../../core/index.js";
import { type L2Batch, type RollupClients } from "../types.js";
import { formatBatch } from "../utils/formatters.js";

/** Parameters of {@link getBatch}. */
export interface GetBatchParameters {
  readonly index: number;
}
/** What {@link getBatch} returns. */
export type GetBatchReturnType = L2Batch;
/** What {@link getBatch} throws: `L2RpcError` (code -32001 when there is no such batch yet) or `L2TransportError`. */
export type GetBatchErrorType = BaseError;

/**
 * A sealed batch (`rollup_getBatch`): status, L1 transaction, queue range, roots.
 *
 * @example
 * const batch = await getBatch({ l2 }, { index: 0 })
 * console.log(batch.status, batch.withdrawalsRoot)
 */
export async function getBatch(clients: Pick<RollupClients, "l2">, parameters: GetBatchParameters): Promise<GetBatchReturnType> {
  return formatBatch(await clients.l2.request({ method: "rollup_getBatch", params: [parameters.index] }));
}
