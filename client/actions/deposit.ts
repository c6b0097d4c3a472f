import { type BaseError } from "../../core/index.js";
import { type L1ActionResult, type L1Clients } from "../types.js";
import { approveBridgeFor, bridgeWriteAbi, queueFeeOf, queueIndexOf, sendAndWait } from "../utils/l1.js";

/** Parameters of {@link deposit}. */
export interface DepositParameters {
  /** The L2 account to credit. */
  readonly accountIdx: number;
  /** The token deposited (default 0, ETH); must be the account's token, else the L2 refunds it as a withdrawal. */
  readonly tokenId?: number;
  /** Amount in base units. */
  readonly amount: bigint;
}
/** What {@link deposit} returns: the L1 transaction and the queue entry's index. */
export type DepositReturnType = L1ActionResult;
/** What {@link deposit} throws: `ContractRevertError` (e.g. `IncorrectEthValue`), `L1RequestError`. */
export type DepositErrorType = BaseError;

/**
 * Deposits into an existing L2 account through the bridge (`Bridge.deposit`). For an ERC20
 * it first approves the bridge if the allowance is short. A deposit to an account that does
 * not exist or holds another token is refunded on L2 as a withdrawal to the caller.
 *
 * @example
 * await deposit({ publicClient, walletClient, info }, { accountIdx: 2, amount: parseEther("0.5") })
 */
export async function deposit(
  clients: L1Clients,
  parameters: DepositParameters,
): Promise<DepositReturnType> {
  const { publicClient, walletClient, info } = clients;
  const { accountIdx, tokenId = 0, amount } = parameters;
  const bridge = info.contracts.bridge;
  await approveBridgeFor(clients, { bridge, tokenId, amount });
  const fee = await queueFeeOf(clients, bridge);
  const receipt = await sendAndWait(clients, async () => {
    const { request } = await publicClient.simulateContract({
      account: walletClient.account,
      address: bridge,
      abi: bridgeWriteAbi,
      functionName: "deposit",
      args: [accountIdx, tokenId, amount],
      value: (tokenId === 0 ? amount : 0n) + fee,
    });
    return walletClient.writeContract(request);
  });
  return { l1TxHash: receipt.transactionHash, queueIndex: queueIndexOf(receipt, bridge) };
}
