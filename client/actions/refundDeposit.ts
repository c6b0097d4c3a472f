import { type Address, type BaseError, QueueKind, bridgeAbi, rollupAbi } from "../../core/index.js";
import { ExodusNotActiveError, NothingToExitError } from "../errors.js";
import { type ExodusClients } from "../types.js";
import { bridgeWriteAbi, sendAndWait } from "../utils/l1.js";
import { toL1Error } from "../utils/revert.js";

/** Parameters of {@link refundDeposit}. */
export interface RefundDepositParameters {
  /** The queue entry to refund (anyone's; it pays its sender); default: every deposit the caller sent that no final batch consumed. */
  readonly queueIndex?: number;
}
/** One deposit paid back on L1. */
export interface DepositRefund {
  readonly queueIndex: number;
  readonly recipient: Address;
  readonly tokenId: number;
  readonly amount: bigint;
  readonly l1TxHash: `0x${string}`;
}
/** What {@link refundDeposit} returns: the refunds it made. */
export interface RefundDepositReturnType {
  readonly refunds: readonly DepositRefund[];
}
/** What {@link refundDeposit} throws: `ExodusNotActiveError`, `NothingToExitError`, `ContractRevertError` (`QueueEntryConsumed`, `NothingToRefund`, `DepositAlreadyRefunded`), `L1RequestError`. */
export type RefundDepositErrorType = BaseError;

const queueEntryAdded = bridgeAbi.find((i) => i.type === "event" && i.name === "QueueEntryAdded")! as Extract<
  (typeof bridgeAbi)[number],
  { type: "event"; name: "QueueEntryAdded" }
>;

/**
 * In exodus, pays back a CreateAccount or Deposit amount that no final batch consumed
 * (`Bridge.refundDeposit`, docs/protocol.md §11), with the entry's fields from its
 * `QueueEntryAdded` event on L1: works with the L2 RPC down. The refund goes to the entry's
 * sender whoever sends it; the queue fee is not refunded.
 *
 * @example
 * const clients = { publicClient, walletClient, deployment: { rollup, bridge } }
 * const { refunds } = await refundDeposit(clients, {}) // every deposit of the caller's left
 * await refundDeposit(clients, { queueIndex: 12 })
 */
export async function refundDeposit(clients: ExodusClients, parameters: RefundDepositParameters = {}): Promise<RefundDepositReturnType> {
  const { publicClient, walletClient, deployment } = clients;
  const read = async <T>(call: () => Promise<T>): Promise<T> => call().catch((e: unknown) => Promise.reject(toL1Error(e)));
  const rollup = { address: deployment.rollup, abi: rollupAbi } as const;
  const [active, finalQueueEnd] = await read(() =>
    Promise.all([publicClient.readContract({ ...rollup, functionName: "exodus" }), publicClient.readContract({ ...rollup, functionName: "lastQueueEnd" })]),
  );
  if (!active) {
    throw new ExodusNotActiveError("the rollup is not in exodus, so deposits are not refunded", {
      details: "a batch will still credit them on L2; if the operator stopped, activate the exodus once due (`rollup exodus`)",
    });
  }
  const logs = await read(() =>
    publicClient.getLogs({
      address: deployment.bridge,
      event: queueEntryAdded,
      args: parameters.queueIndex === undefined ? { l1Address: walletClient.account.address } : { index: BigInt(parameters.queueIndex) },
      fromBlock: deployment.fromBlock ?? 0n,
      strict: true,
    }),
  );
  let entries = logs.map((l) => l.args);
  if (parameters.queueIndex === undefined) {
    const refundable = entries.filter((e) => e.index >= finalQueueEnd && e.kind !== QueueKind.ForcedExit && e.amount > 0n);
    const refunded = await read(() =>
      Promise.all(refundable.map((e) => publicClient.readContract({ address: deployment.bridge, abi: bridgeAbi, functionName: "isRefunded", args: [e.index] }))),
    );
    entries = refundable.filter((_, k) => !refunded[k]);
    if (entries.length === 0) {
      throw new NothingToExitError(`${walletClient.account.address} has no deposit left to refund`, {
        details: "deposits a final batch consumed are in the final state: take them out with exodusWithdraw (`rollup exodus withdraw`)",
      });
    }
  } else if (entries.length === 0) {
    throw new NothingToExitError(`the bridge has no queue entry ${parameters.queueIndex}`, { details: "the queue indices are in the QueueEntryAdded events" });
  }

  const refunds: DepositRefund[] = [];
  for (const e of entries) {
    const receipt = await sendAndWait(clients, async () => {
      const { request } = await publicClient.simulateContract({
        account: walletClient.account,
        address: deployment.bridge,
        abi: bridgeWriteAbi,
        functionName: "refundDeposit",
        args: [e.index, { kind: e.kind, l1Address: e.l1Address, tokenId: e.tokenId, accountIdx: e.accountIdx, amount: e.amount, ax: e.ax, ay: e.ay }],
      });
      return walletClient.writeContract(request);
    });
    refunds.push({ queueIndex: Number(e.index), recipient: e.l1Address.toLowerCase() as Address, tokenId: e.tokenId, amount: e.amount, l1TxHash: receipt.transactionHash });
  }
  return { refunds };
}
