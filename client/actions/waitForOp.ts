import { type BaseError, type Hex } from "../../core/index.js";
import { type L2OpInfo, type RollupClients } from "../types.js";
import { hasReached } from "../utils/formatters.js";
import { type PollOptions, poll } from "../utils/poll.js";
import { getOp } from "./getOp.js";

/** Parameters of {@link waitForOp}. */
export interface WaitForOpParameters extends PollOptions {
  readonly hash: Hex;
  /** The status to wait for (default "batched": its batch is on L1). */
  readonly status?: "batched" | "final";
}
/** What {@link waitForOp} returns: the op once it reached the status. */
export type WaitForOpReturnType = L2OpInfo;
/** What {@link waitForOp} throws: `WaitTimeoutError`, `L2RpcError`, `L2TransportError`. */
export type WaitForOpErrorType = BaseError;

/**
 * Polls `rollup_getOp` until the op's batch is posted on L1 ("batched", the default) or
 * final ("final").
 *
 * @example
 * const { hash } = await transfer(clients, { privateKey, fromIdx: 2, toIdx: 3, amount })
 * const op = await waitForOp({ l2 }, { hash, timeout: 60_000 })
 * console.log(op.batch, op.l1TxHash)
 */
export async function waitForOp(clients: Pick<RollupClients, "l2">, parameters: WaitForOpParameters): Promise<WaitForOpReturnType> {
  const target = parameters.status ?? "batched";
  return poll(
    async () => {
      const op = await getOp(clients, { hash: parameters.hash });
      return hasReached(op.status, target) ? op : undefined;
    },
    `op ${parameters.hash} to be ${target}`,
    parameters,
  );
}
