import { BaseError as ViemBaseError, ContractFunctionRevertedError, type AbiParameter } from "viem";
import { BaseError } from "../../core/index.js";
import { ContractRevertError, L1RequestError } from "../errors.js";

type Explanation = { readonly meaning: string; readonly todo?: string };

// What each custom error of the L1 contracts (and the ERC20 errors a deposit can hit)
// means for the user, and what to do about it.
const EXPLANATIONS: Readonly<Record<string, Explanation>> = {
  UnknownToken: { meaning: "the token id is not registered on the bridge", todo: "use a registered token id, or register the token with registerToken" },
  TokenAlreadyRegistered: { meaning: "the token is already registered", todo: "use its existing token id" },
  TokenNotContract: { meaning: "the address is not a contract, so it cannot be an ERC20" },
  IncorrectEthValue: { meaning: "the ETH sent does not match the amount (ETH deposits send exactly the amount, ERC20 deposits send none)" },
  PublicKeyNotOnCurve: { meaning: "the L2 public key is not a BabyJubJub point", todo: "derive the key with deriveL2Key" },
  LockedAmountExceedsCap: { meaning: "the bridge would hold more than 2^128 − 1 of this token" },
  TransferAmountMismatch: { meaning: "the token moved a different amount than asked (fee-on-transfer tokens are not supported)" },
  BatchNotFinal: { meaning: "the batch is still in its challenge window", todo: "claim again once the batch is final (on a devnet, `warp` moves L1 time forward)" },
  WithdrawalAlreadyClaimed: { meaning: "this withdrawal was already claimed" },
  InvalidWithdrawalProof: { meaning: "the proof does not match the batch's withdrawals root", todo: "pass the entry from getWithdrawals unchanged" },
  PositionOutOfRange: { meaning: "the position is outside the withdrawal tree" },
  WithdrawalAmountOutOfRange: { meaning: "the amount is above 2^128 − 1" },
  EthTransferFailed: { meaning: "the recipient did not accept the ETH" },
  BatchNotFound: { meaning: "the batch is not on L1 yet", todo: "wait for the sequencer to post it" },
  ChallengeWindowOpen: { meaning: "the batch's challenge window is still open" },
  QueueEntryOverdue: { meaning: "a queue entry is past its inclusion deadline and the batch does not consume it" },
  InsufficientBond: { meaning: "the proposer's bond is below the minimum" },
  BondLocked: { meaning: "the bond backs a batch that is not final yet" },
  ExodusActive: { meaning: "the rollup is in exodus: it takes no more queue entries, batches or games", todo: "take your balance of the last final state out with exodusWithdraw (`rollup exodus withdraw`)" },
  ExodusNotActive: { meaning: "the rollup is not in exodus", todo: "activate it once it is due (`rollup exodus` says when)" },
  ExodusNotDue: { meaning: "the queue entry has not been overdue for the exodus delay with no batch coming", todo: "activate it after dueAt (on a devnet, `rollup warp`)" },
  ExodusStateRootMismatch: { meaning: "the proof is not of the rollup's last final state", todo: "rebuild it from L1 with exodusWithdraw" },
  NotAccountOwner: { meaning: "only the account's L1 owner may take its balance out", todo: "send it with the owner's key" },
  NothingToWithdraw: { meaning: "the account's balance in the last final state is 0" },
  AccountAlreadyExited: { meaning: "this account's balance was already paid on L1" },
  InvalidAccountProof: { meaning: "the account proof does not match the last final state", todo: "rebuild it from L1 with exodusWithdraw" },
  AccountProofLength: { meaning: "the proof does not have the account tree's depth" },
  QueueIndexOutOfRange: { meaning: "no queue entry has that index" },
  QueueEntryConsumed: { meaning: "a batch kept on the rollup consumed this queue entry, so its amount is in the L2 state", todo: "in exodus, take it out with exodusWithdraw" },
  QueueEntryMismatch: { meaning: "the fields are not the queue entry's", todo: "take them from its QueueEntryAdded event (refundDeposit does)" },
  NothingToRefund: { meaning: "the entry deposited nothing (a forced exit, or an amount of 0)" },
  DepositAlreadyRefunded: { meaning: "this deposit was already refunded" },
  ERC20InsufficientBalance: { meaning: "the L1 token balance is too low", todo: "get more of the token first" },
  ERC20InsufficientAllowance: { meaning: "the bridge may not spend that much of the token", todo: "approve the bridge for the amount" },
};

function formatValue(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(formatValue).join(", ")}]`;
  return typeof value === "bigint" ? value.toString() : String(value);
}

/**
 * Turns what an L1 write threw into the client's errors: a decoded custom error becomes a
 * `ContractRevertError` whose shortMessage reads `BatchNotFinal(batchIndex: 3): the batch
 * is still in its challenge window`; any other viem failure becomes an `L1RequestError`
 * carrying viem's shortMessage. Errors already ours pass through.
 *
 * @example
 * try { await walletClient.writeContract(request) } catch (e) { throw toL1Error(e) }
 */
export function toL1Error(e: unknown): BaseError {
  if (e instanceof BaseError) return e;
  if (!(e instanceof ViemBaseError)) return new L1RequestError(e instanceof Error ? e.message : String(e), { cause: e });
  const revert = e.walk((x) => x instanceof ContractFunctionRevertedError);
  if (!(revert instanceof ContractFunctionRevertedError)) {
    return new L1RequestError(e.shortMessage, { details: e.details || undefined, cause: e });
  }
  const decoded = revert.data;
  if (decoded && decoded.errorName !== "Error" && decoded.errorName !== "Panic") {
    const inputs: readonly AbiParameter[] = decoded.abiItem && "inputs" in decoded.abiItem ? decoded.abiItem.inputs : [];
    const values = (decoded.args ?? []) as readonly unknown[];
    const args: Record<string, unknown> = {};
    inputs.forEach((input, i) => (args[input.name ?? `arg${i}`] = values[i]));
    const signature = `${decoded.errorName}(${Object.entries(args)
      .map(([name, value]) => `${name}: ${formatValue(value)}`)
      .join(", ")})`;
    const explanation = EXPLANATIONS[decoded.errorName];
    return new ContractRevertError(explanation ? `${signature}: ${explanation.meaning}` : signature, {
      errorName: decoded.errorName,
      args,
      details: explanation?.todo,
      cause: e,
    });
  }
  if (revert.reason) return new ContractRevertError(`reverted: ${revert.reason}`, { cause: e });
  return new ContractRevertError(revert.signature ? `reverted with an unknown error ${revert.signature}` : "reverted without a reason", {
    cause: e,
  });
}
