import { type BaseError, bridgeAbi, rollupAbi } from "../../core/index.js";
import { type L1Clients, type L2Withdrawal } from "../types.js";
import { toL1Error } from "../utils/revert.js";

/** Parameters of {@link getWithdrawalStatus}: one entry of `getWithdrawals` (its batch and position). */
export type GetWithdrawalStatusParameters = Pick<L2Withdrawal, "batch" | "position">;
/**
 * What {@link getWithdrawalStatus} returns, as L1 sees it now:
 * "unposted" (the batch is not on L1 yet), "pending" (in its challenge window until
 * `finalizableAt`, an L1 timestamp in seconds), "claimable", or "claimed".
 */
export type GetWithdrawalStatusReturnType =
  | { readonly status: "unposted" }
  | { readonly status: "pending"; readonly finalizableAt: bigint; readonly l1Time: bigint }
  | { readonly status: "claimable" }
  | { readonly status: "claimed" };
/** What {@link getWithdrawalStatus} throws: `L1RequestError`. */
export type GetWithdrawalStatusErrorType = BaseError;

/**
 * Whether a withdrawal can be claimed now, read from the L1 contracts (the sequencer's
 * `batchStatus` may lag behind L1 time).
 *
 * @example
 * for (const w of await getWithdrawals({ l2 }, { owner })) {
 *   const s = await getWithdrawalStatus({ publicClient, info }, w)
 *   if (s.status === "claimable") await claimWithdrawal(clients, w)
 * }
 */
export async function getWithdrawalStatus(
  clients: Pick<L1Clients, "publicClient" | "info">,
  parameters: GetWithdrawalStatusParameters,
): Promise<GetWithdrawalStatusReturnType> {
  const { publicClient, info } = clients;
  const batch = BigInt(parameters.batch);
  try {
    const rollup = { address: info.contracts.rollup, abi: rollupAbi } as const;
    const batchCount = await publicClient.readContract({ ...rollup, functionName: "batchCount" });
    if (batch >= batchCount) return { status: "unposted" };
    const claimed = await publicClient.readContract({
      address: info.contracts.bridge,
      abi: bridgeAbi,
      functionName: "isClaimed",
      args: [batch, BigInt(parameters.position)],
    });
    if (claimed) return { status: "claimed" };
    if (await publicClient.readContract({ ...rollup, functionName: "isFinal", args: [batch] })) return { status: "claimable" };
    const finalizableAt = await publicClient.readContract({ ...rollup, functionName: "finalizableAt", args: [batch] });
    const { timestamp } = await publicClient.getBlock({ blockTag: "latest" });
    return { status: "pending", finalizableAt, l1Time: timestamp };
  } catch (e) {
    throw toL1Error(e);
  }
}
