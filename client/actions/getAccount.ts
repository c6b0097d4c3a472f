import { type BaseError } from "../../core/index.js";
import { type L2Account, type RollupClients } from "../types.js";
import { formatAccount } from "../utils/formatters.js";

/** Parameters of {@link getAccount}. */
export interface GetAccountParameters {
  /** The account index (2 and up). */
  readonly index: number;
}
/** What {@link getAccount} returns: the account, or null if the index holds none. */
export type GetAccountReturnType = L2Account | null;
/** What {@link getAccount} throws: `L2RpcError` or `L2TransportError`. */
export type GetAccountErrorType = BaseError;

/**
 * An L2 account by index (`rollup_getAccount`), as the sequencer has it now (its accepted
 * ops applied).
 *
 * @example
 * const account = await getAccount({ l2 }, { index: 2 })
 * if (account) console.log(account.balance, account.nonce)
 */
export async function getAccount(clients: Pick<RollupClients, "l2">, parameters: GetAccountParameters): Promise<GetAccountReturnType> {
  const json = await clients.l2.request({ method: "rollup_getAccount", params: [parameters.index] });
  return json === null ? null : formatAccount(json);
}
