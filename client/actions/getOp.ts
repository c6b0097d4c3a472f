import { type BaseError, type Hex } from "../../core/index.js";
import { type L2OpInfo, type RollupClients } from "../types.js";
import { formatOpInfo } from "../utils/formatters.js";

/** Parameters of {@link getOp}. */
export interface GetOpParameters {
  /** The op hash `transfer` or `withdraw` returned. */
  readonly hash: Hex;
}
/** What {@link getOp} returns. */
export type GetOpReturnType = L2OpInfo;
/** What {@link getOp} throws: `L2RpcError` (code -32001 when the sequencer knows no such op) or `L2TransportError`. */
export type GetOpErrorType = BaseError;

/**
 * An accepted L2 op and where it is (`rollup_getOp`): pending, sealed in a batch, batched
 * on L1, or final.
 *
 * @example
 * const { status, batch } = await getOp({ l2 }, { hash })
 */
export async function getOp(clients: Pick<RollupClients, "l2">, parameters: GetOpParameters): Promise<GetOpReturnType> {
  return formatOpInfo(await clients.l2.request({ method: "rollup_getOp", params: [parameters.hash] }));
}
