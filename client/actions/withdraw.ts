import { type BaseError, EXIT_INDEX } from "../../core/index.js";
import { type RollupClients } from "../types.js";
import { type TransferParameters, type TransferReturnType, transfer } from "./transfer.js";

/** Parameters of {@link withdraw}: a transfer without `toIdx`. */
export type WithdrawParameters = Omit<TransferParameters, "toIdx">;
/** What {@link withdraw} returns: the op hash and its status. */
export type WithdrawReturnType = TransferReturnType;
/** What {@link withdraw} throws: as `transfer`. */
export type WithdrawErrorType = BaseError;

/**
 * Withdraws from an L2 account to its owner's L1 address: a transfer to the exit index 1.
 * Once the op's batch is final, claim it on L1 with `getWithdrawals` + `claimWithdrawal`.
 *
 * @example
 * const { hash } = await withdraw({ l2, info }, { privateKey, fromIdx: 2, amount: parseEther("0.5") })
 */
export async function withdraw(clients: Pick<RollupClients, "l2" | "info">, parameters: WithdrawParameters): Promise<WithdrawReturnType> {
  return transfer(clients, { ...parameters, toIdx: EXIT_INDEX });
}
