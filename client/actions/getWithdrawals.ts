import { type Address, type BaseError } from "../../core/index.js";
import { type L2Withdrawal, type RollupClients } from "../types.js";
import { formatWithdrawal } from "../utils/formatters.js";

/** Parameters of {@link getWithdrawals}. */
export interface GetWithdrawalsParameters {
  /** The L1 address the withdrawals pay. */
  readonly owner: Address;
}
/** What {@link getWithdrawals} returns: every withdrawal to `owner`, claimed or not, with its proof. */
export type GetWithdrawalsReturnType = L2Withdrawal[];
/** What {@link getWithdrawals} throws: `L2RpcError` or `L2TransportError`. */
export type GetWithdrawalsErrorType = BaseError;

/**
 * Every withdrawal to `owner` in the sealed batches (`rollup_getWithdrawals`), each with
 * its Merkle proof, ready for `claimWithdrawal`. Includes ones already claimed; see
 * `getWithdrawalStatus`.
 *
 * @example
 * for (const w of await getWithdrawals({ l2 }, { owner })) console.log(w.batch, w.amount, w.batchStatus)
 */
export async function getWithdrawals(
  clients: Pick<RollupClients, "l2">,
  parameters: GetWithdrawalsParameters,
): Promise<GetWithdrawalsReturnType> {
  const json = await clients.l2.request({ method: "rollup_getWithdrawals", params: [parameters.owner] });
  return json.map(formatWithdrawal);
}
