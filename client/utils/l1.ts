import { parseAbi, parseEventLogs, type TransactionReceipt } from "viem";
import { type Address, type Hex, bridgeAbi, erc20Abi } from "../../core/index.js";
import { ContractRevertError } from "../errors.js";
import { type RollupClients } from "../types.js";
import { toL1Error } from "./revert.js";

/** The ERC20 errors (OpenZeppelin 5) a bridge deposit bubbles up, so reverts decode by name. */
export const erc20ErrorsAbi = parseAbi([
  "error ERC20InsufficientBalance(address sender, uint256 balance, uint256 needed)",
  "error ERC20InsufficientAllowance(address spender, uint256 allowance, uint256 needed)",
]);

/** The bridge's ABI plus the ERC20 errors its deposits can revert with. */
export const bridgeWriteAbi = [...bridgeAbi, ...erc20ErrorsAbi] as const;

/** The L1 clients a write needs. */
export type L1WriteClients = Pick<RollupClients, "publicClient" | "walletClient">;

/**
 * Sends an L1 transaction (`send` simulates, then writes, and returns the hash) and waits
 * for its receipt. Reverts come back as `ContractRevertError` naming the custom error.
 *
 * @example
 * const receipt = await sendAndWait(clients, async () => {
 *   const { request } = await publicClient.simulateContract({ ... })
 *   return walletClient.writeContract(request)
 * })
 */
export async function sendAndWait(clients: L1WriteClients, send: () => Promise<Hex>): Promise<TransactionReceipt> {
  let hash: Hex;
  try {
    hash = await send();
  } catch (e) {
    throw toL1Error(e);
  }
  let receipt: TransactionReceipt;
  try {
    receipt = await clients.publicClient.waitForTransactionReceipt({ hash });
  } catch (e) {
    throw toL1Error(e);
  }
  if (receipt.status === "reverted") {
    throw new ContractRevertError(`L1 transaction ${hash} reverted`, {
      details: "it passed simulation but reverted on chain: the L1 state changed in between; try again",
    });
  }
  return receipt;
}

/**
 * The L1 queue index of the `QueueEntryAdded` event that `bridge` emitted in `receipt`.
 *
 * @example
 * const queueIndex = queueIndexOf(receipt, info.contracts.bridge)
 */
export function queueIndexOf(receipt: TransactionReceipt, bridge: Address): number | undefined {
  const logs = parseEventLogs({ abi: bridgeAbi, eventName: "QueueEntryAdded", logs: receipt.logs });
  const log = logs.find((l) => l.address.toLowerCase() === bridge.toLowerCase());
  return log === undefined ? undefined : Number(log.args.index);
}

/**
 * Approves `spender` for `amount` of the ERC20 `token` unless the current allowance
 * already covers it. Returns the approval's hash, or undefined when none was needed.
 *
 * @example
 * await ensureAllowance(clients, { token, spender: info.contracts.bridge, amount })
 */
export async function ensureAllowance(
  clients: L1WriteClients,
  parameters: { token: Address; spender: Address; amount: bigint },
): Promise<Hex | undefined> {
  const { publicClient, walletClient } = clients;
  const { token, spender, amount } = parameters;
  const owner = walletClient.account.address;
  let allowance: bigint;
  try {
    allowance = await publicClient.readContract({ address: token, abi: erc20Abi, functionName: "allowance", args: [owner, spender] });
  } catch (e) {
    throw toL1Error(e);
  }
  if (allowance >= amount) return undefined;
  const receipt = await sendAndWait(clients, async () => {
    const { request } = await publicClient.simulateContract({
      account: walletClient.account,
      address: token,
      abi: erc20Abi,
      functionName: "approve",
      args: [spender, amount],
    });
    return walletClient.writeContract(request);
  });
  return receipt.transactionHash;
}

/**
 * The ERC20 address of a token id (`address(0)` for ETH, token 0).
 *
 * @example
 * const token = await tokenAddressOf(clients, { bridge, tokenId: 1 })
 */
export async function tokenAddressOf(clients: Pick<RollupClients, "publicClient">, parameters: { bridge: Address; tokenId: number }): Promise<Address> {
  try {
    return await clients.publicClient.readContract({
      address: parameters.bridge,
      abi: bridgeAbi,
      functionName: "tokenAddress",
      args: [parameters.tokenId],
    });
  } catch (e) {
    throw toL1Error(e);
  }
}

/**
 * The ETH every L1 queue entry pays on top of what it deposits (`Bridge.queueFee`,
 * docs/protocol.md §6).
 *
 * @example
 * const fee = await queueFeeOf(clients, bridge) // msg.value = amount + fee for an ETH deposit
 */
export async function queueFeeOf(clients: Pick<RollupClients, "publicClient">, bridge: Address): Promise<bigint> {
  try {
    return await clients.publicClient.readContract({ address: bridge, abi: bridgeAbi, functionName: "queueFee" });
  } catch (e) {
    throw toL1Error(e);
  }
}

/**
 * Lets the bridge take `amount` of token `tokenId` from the caller: nothing for ETH or a zero
 * amount; for an ERC20, an approval when the allowance is short.
 */
export async function approveBridgeFor(
  clients: L1WriteClients,
  parameters: { bridge: Address; tokenId: number; amount: bigint },
): Promise<void> {
  const { bridge, tokenId, amount } = parameters;
  if (tokenId === 0 || amount === 0n) return;
  const token = await tokenAddressOf(clients, { bridge, tokenId });
  await ensureAllowance(clients, { token, spender: bridge, amount });
}
