import { type BaseError } from "../../core/index.js";
import { type RollupClients, type RollupInfo } from "../types.js";

/** What {@link getRollupInfo} returns. */
export type GetRollupInfoReturnType = RollupInfo;
/** What {@link getRollupInfo} throws: `L2RpcError` or `L2TransportError`. */
export type GetRollupInfoErrorType = BaseError;

/**
 * The deployment the L2 RPC serves (`rollup_getInfo`): chain ids, L1 contract addresses,
 * tree depth, fee tokens, batch limits.
 *
 * @example
 * const info = await getRollupInfo({ l2: createL2Client("http://127.0.0.1:8546") })
 * console.log(info.contracts.bridge)
 */
export async function getRollupInfo(clients: Pick<RollupClients, "l2">): Promise<GetRollupInfoReturnType> {
  return clients.l2.request({ method: "rollup_getInfo" });
}
