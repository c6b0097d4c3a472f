import { type Address, type BaseError, type Point } from "../../core/index.js";
import { type L2Account, type RollupClients } from "../types.js";
import { getAccountsByOwner } from "./getAccountsByOwner.js";

/** Parameters of {@link findAccount}. */
export interface FindAccountParameters {
  /** The L1 owner. */
  readonly owner: Address;
  /** The token the account holds (0 = ETH). */
  readonly tokenId: number;
  /** Only accounts with this L2 public key (the ones the key can sign for). */
  readonly publicKey?: Point;
}
/** What {@link findAccount} returns: the lowest-index match, or undefined. */
export type FindAccountReturnType = L2Account | undefined;
/** What {@link findAccount} throws: `L2RpcError` or `L2TransportError`. */
export type FindAccountErrorType = BaseError;

/**
 * The owner's L2 account for a token (the lowest index, if there are several), optionally
 * only among those the given public key signs for.
 *
 * @example
 * const account = await findAccount({ l2 }, { owner, tokenId: 0, publicKey: l2Key.publicKey })
 */
export async function findAccount(clients: Pick<RollupClients, "l2">, parameters: FindAccountParameters): Promise<FindAccountReturnType> {
  const { owner, tokenId, publicKey } = parameters;
  const accounts = await getAccountsByOwner(clients, { owner });
  return accounts.find(
    (a) => a.tokenId === tokenId && (!publicKey || (a.publicKey.x === publicKey.x && a.publicKey.y === publicKey.y)),
  );
}
