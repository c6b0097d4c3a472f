import { type Address, type BaseError } from "../../core/index.js";
import { type L2Account, type RollupClients } from "../types.js";
import { formatAccount } from "../utils/formatters.js";

/** Parameters of {@link getAccountsByOwner}. */
export interface GetAccountsByOwnerParameters {
  /** The L1 address that owns the accounts. */
  readonly owner: Address;
}
/** What {@link getAccountsByOwner} returns: the owner's accounts, by index. */
export type GetAccountsByOwnerReturnType = L2Account[];
/** What {@link getAccountsByOwner} throws: `L2RpcError` or `L2TransportError`. */
export type GetAccountsByOwnerErrorType = BaseError;

/**
 * Every L2 account whose `ethAddr` is `owner` (`rollup_getAccountsByOwner`).
 *
 * @example
 * const accounts = await getAccountsByOwner({ l2 }, { owner: "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266" })
 */
export async function getAccountsByOwner(
  clients: Pick<RollupClients, "l2">,
  parameters: GetAccountsByOwnerParameters,
): Promise<GetAccountsByOwnerReturnType> {
  const json = await clients.l2.request({ method: "rollup_getAccountsByOwner", params: [parameters.owner] });
  return json.map(formatAccount).sort((a, b) => a.index - b.index);
}
