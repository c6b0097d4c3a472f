import { type BaseError, type Point } from "../../core/index.js";
import { type L1ActionResult, type RollupClients } from "../types.js";
import { approveBridgeFor, bridgeWriteAbi, queueFeeOf, queueIndexOf, sendAndWait } from "../utils/l1.js";

/** Parameters of {@link createAccount}. */
export interface CreateAccountParameters {
  /** The new account's L2 public key (from `deriveL2Key`). */
  readonly publicKey: Point;
  /** The token the account will hold (default 0, ETH). */
  readonly tokenId?: number;
  /** Initial deposit in base units (default 0). */
  readonly amount?: bigint;
}
/** What {@link createAccount} returns: the L1 transaction and the queue entry's index. */
export type CreateAccountReturnType = L1ActionResult;
/** What {@link createAccount} throws: `ContractRevertError` (e.g. `UnknownToken`), `L1RequestError`. */
export type CreateAccountErrorType = BaseError;

/**
 * Asks the bridge to create an L2 account for the caller (`Bridge.createAccount`) with an
 * initial deposit. For an ERC20 it first approves the bridge if the allowance is short.
 * The account exists on L2 once the sequencer includes the queue entry: `waitForAccount`.
 *
 * @example
 * const { publicKey } = await deriveL2Key({ walletClient, info })
 * const { queueIndex } = await createAccount({ publicClient, walletClient, info }, { publicKey, amount: parseEther("1") })
 */
export async function createAccount(
  clients: Pick<RollupClients, "publicClient" | "walletClient" | "info">,
  parameters: CreateAccountParameters,
): Promise<CreateAccountReturnType> {
  const { publicClient, walletClient, info } = clients;
  const { publicKey, tokenId = 0, amount = 0n } = parameters;
  const bridge = info.contracts.bridge;
  await approveBridgeFor(clients, { bridge, tokenId, amount });
  const fee = await queueFeeOf(clients, bridge);
  const receipt = await sendAndWait(clients, async () => {
    const { request } = await publicClient.simulateContract({
      account: walletClient.account,
      address: bridge,
      abi: bridgeWriteAbi,
      functionName: "createAccount",
      args: [tokenId, amount, publicKey.x, publicKey.y],
      value: (tokenId === 0 ? amount : 0n) + fee,
    });
    return walletClient.writeContract(request);
  });
  return { l1TxHash: receipt.transactionHash, queueIndex: queueIndexOf(receipt, bridge) };
}
