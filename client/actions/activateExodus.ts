import { parseEventLogs } from "viem";
import { type BaseError, rollupAbi } from "../../core/index.js";
import { ExodusActiveError, ExodusNotDueError } from "../errors.js";
import { type ExodusClients, type L1ActionResult } from "../types.js";
import { sendAndWait } from "../utils/l1.js";
import { getExodusStatus } from "./getExodusStatus.js";

/** Parameters of {@link activateExodus}. */
export interface ActivateExodusParameters {
  /** The overdue queue entry; default: the one `getExodusStatus` finds due. */
  readonly queueIndex?: number;
}
/**
 * What {@link activateExodus} returns: the L1 transaction, the entry it named, the final
 * batches kept, how many non-final batches were removed, and the last final state root
 * accounts now exit from.
 */
export interface ActivateExodusReturnType extends L1ActionResult {
  readonly queueIndex: number;
  readonly finalBatches: number;
  readonly removedBatches: number;
  readonly finalStateRoot: bigint;
}
/** What {@link activateExodus} throws: `ExodusActiveError`, `ExodusNotDueError`, `ContractRevertError`, `L1RequestError`. */
export type ActivateExodusErrorType = BaseError;

const when = (t: bigint) => new Date(Number(t) * 1000).toISOString();

/**
 * Switches the rollup into exodus (`Rollup.activateExodus`, docs/protocol.md §11): allowed to
 * anyone once a queue entry has been overdue for the exodus delay with no batch coming. The
 * rollup keeps its final batches, removes the others, and from then on accounts leave through
 * `exodusWithdraw` and unconsumed deposits through `refundDeposit`. Reads L1 only.
 *
 * @example
 * // A user asked for a forced exit and no batch came for inclusionWindow + exodusDelay:
 * const clients = { publicClient, walletClient, deployment: { rollup, bridge } }
 * const { finalBatches, removedBatches, finalStateRoot } = await activateExodus(clients, {})
 */
export async function activateExodus(clients: ExodusClients, parameters: ActivateExodusParameters = {}): Promise<ActivateExodusReturnType> {
  const { publicClient, walletClient, deployment } = clients;
  const status = await getExodusStatus(clients);
  if (status.active) {
    throw new ExodusActiveError("the rollup is already in exodus", {
      details: "take your balance of the last final state out with exodusWithdraw (`rollup exodus withdraw`)",
    });
  }
  const queueIndex = parameters.queueIndex ?? status.entry?.queueIndex;
  if (queueIndex === undefined) {
    throw new ExodusNotDueError("no queue entry is waiting, so the exodus cannot be due", {
      l1Time: status.l1Time,
      details: "a user who wants out of a silent rollup makes one with forcedExit (`rollup exit <accountIdx>`)",
    });
  }
  if (parameters.queueIndex === undefined && status.entry && !status.entry.due) {
    const { dueAt } = status.entry;
    throw new ExodusNotDueError(`the exodus is not due yet: queue entry ${queueIndex} makes it due after L1 time ${when(dueAt)}, ${dueAt - status.l1Time + 1n} s from now`, {
      queueIndex,
      dueAt,
      l1Time: status.l1Time,
      details: "activate it then, if no batch has consumed the entry (on a devnet, `rollup warp` moves L1 time)",
    });
  }
  const receipt = await sendAndWait(clients, async () => {
    const { request } = await publicClient.simulateContract({
      account: walletClient.account,
      address: deployment.rollup,
      abi: rollupAbi,
      functionName: "activateExodus",
      args: [BigInt(queueIndex)],
    });
    return walletClient.writeContract(request);
  });
  const logs = parseEventLogs({ abi: rollupAbi, logs: receipt.logs });
  const activated = logs.find((l) => l.eventName === "ExodusActivated");
  const removed = logs.find((l) => l.eventName === "BatchesInvalidated");
  return {
    l1TxHash: receipt.transactionHash,
    queueIndex,
    finalBatches: activated?.eventName === "ExodusActivated" ? Number(activated.args.finalBatches) : status.finalBatches,
    removedBatches: removed?.eventName === "BatchesInvalidated" ? Number(removed.args.count) : 0,
    finalStateRoot: activated?.eventName === "ExodusActivated" ? activated.args.finalStateRoot : status.finalStateRoot,
  };
}
