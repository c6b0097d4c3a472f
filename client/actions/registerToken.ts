import { parseEventLogs } from "viem";
import { type Address, type BaseError, type Hex, bridgeAbi } from "../../core/index.js";
import { type RollupClients } from "../types.js";
import { bridgeWriteAbi, sendAndWait } from "../utils/l1.js";

/** Parameters of {@link registerToken}. */
export interface RegisterTokenParameters {
  /** The ERC20 to register. */
  readonly token: Address;
}
/** What {@link registerToken} returns: the L1 transaction and the token id assigned. */
export interface RegisterTokenReturnType {
  readonly l1TxHash: Hex;
  readonly tokenId: number;
}
/** What {@link registerToken} throws: `ContractRevertError` (`TokenAlreadyRegistered`, `TokenNotContract`), `L1RequestError`. */
export type RegisterTokenErrorType = BaseError;

/**
 * Registers an ERC20 on the bridge (`Bridge.registerToken`) so L2 accounts can hold it.
 *
 * @example
 * const { tokenId } = await registerToken({ publicClient, walletClient, info }, { token: "0x5FbDB2315678afecb367f032d93F642f64180aa3" })
 */
export async function registerToken(
  clients: Pick<RollupClients, "publicClient" | "walletClient" | "info">,
  parameters: RegisterTokenParameters,
): Promise<RegisterTokenReturnType> {
  const { publicClient, walletClient, info } = clients;
  const receipt = await sendAndWait(clients, async () => {
    const { request } = await publicClient.simulateContract({
      account: walletClient.account,
      address: info.contracts.bridge,
      abi: bridgeWriteAbi,
      functionName: "registerToken",
      args: [parameters.token],
    });
    return walletClient.writeContract(request);
  });
  const [event] = parseEventLogs({ abi: bridgeAbi, eventName: "TokenRegistered", logs: receipt.logs });
  return { l1TxHash: receipt.transactionHash, tokenId: Number(event!.args.tokenId) };
}
