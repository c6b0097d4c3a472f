import { type BaseError } from "../../core/index.js";
import { type L1ActionResult, type L1Clients } from "../types.js";
import { bridgeWriteAbi, queueFeeOf, queueIndexOf, sendAndWait } from "../utils/l1.js";

/** Parameters of {@link forcedExit}. */
export interface ForcedExitParameters {
  /** The account to exit; the caller must be its owner, else the L2 ignores the request. */
  readonly accountIdx: number;
}
/** What {@link forcedExit} returns: the L1 transaction and the queue entry's index. */
export type ForcedExitReturnType = L1ActionResult;
/** What {@link forcedExit} throws: `ContractRevertError`, `L1RequestError`. */
export type ForcedExitErrorType = BaseError;

/**
 * Withdraws an account's whole balance through L1 (`Bridge.forcedExit`, paying the queue
 * fee), without the sequencer's cooperation: batches must consume the queue entry before its
 * deadline. The withdrawal is claimable with `claimWithdrawal` once its batch is final; if no
 * batch comes, the entry lets anyone start the exodus (`activateExodus`, docs/protocol.md §11).
 *
 * @example
 * const { queueIndex } = await forcedExit({ publicClient, walletClient, info }, { accountIdx: 2 })
 */
export async function forcedExit(
  clients: L1Clients,
  parameters: ForcedExitParameters,
): Promise<ForcedExitReturnType> {
  const { publicClient, walletClient, info } = clients;
  const bridge = info.contracts.bridge;
  const fee = await queueFeeOf(clients, bridge);
  const receipt = await sendAndWait(clients, async () => {
    const { request } = await publicClient.simulateContract({
      account: walletClient.account,
      address: bridge,
      abi: bridgeWriteAbi,
      functionName: "forcedExit",
      args: [parameters.accountIdx],
      value: fee,
    });
    return walletClient.writeContract(request);
  });
  return { l1TxHash: receipt.transactionHash, queueIndex: queueIndexOf(receipt, bridge) };
}
