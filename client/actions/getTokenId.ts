import { type Address, type BaseError, bridgeAbi } from "../../core/index.js";
import { UnknownTokenAddressError } from "../errors.js";
import { type RollupClients } from "../types.js";
import { toL1Error } from "../utils/revert.js";

/** Parameters of {@link getTokenId}. */
export interface GetTokenIdParameters {
  /** The ERC20 address. */
  readonly token: Address;
}
/** What {@link getTokenId} returns: the bridge's id for the token. */
export type GetTokenIdReturnType = number;
/** What {@link getTokenId} throws: `UnknownTokenAddressError` when the token is not registered, `L1RequestError`. */
export type GetTokenIdErrorType = BaseError;

/**
 * The token id the bridge gave an ERC20 (`Bridge.tokenIdOf`); ETH is always 0.
 *
 * @example
 * const tokenId = await getTokenId({ publicClient, info }, { token: info.contracts.testToken })
 */
export async function getTokenId(
  clients: Pick<RollupClients, "publicClient" | "info">,
  parameters: GetTokenIdParameters,
): Promise<GetTokenIdReturnType> {
  let registered: boolean;
  let tokenId: number;
  try {
    [registered, tokenId] = await clients.publicClient.readContract({
      address: clients.info.contracts.bridge,
      abi: bridgeAbi,
      functionName: "tokenIdOf",
      args: [parameters.token],
    });
  } catch (e) {
    throw toL1Error(e);
  }
  if (!registered) {
    throw new UnknownTokenAddressError(`${parameters.token} is not a token of the bridge`, {
      details: "register it with registerToken first",
    });
  }
  return tokenId;
}
