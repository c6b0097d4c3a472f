import { type Address, type BaseError, type Point } from "../../core/index.js";
import { type L2Account, type RollupClients } from "../types.js";
import { type PollOptions, poll } from "../utils/poll.js";
import { getAccountsByOwner } from "./getAccountsByOwner.js";

/** Parameters of {@link waitForAccount}. */
export interface WaitForAccountParameters extends PollOptions {
  /** The L1 owner. */
  readonly owner: Address;
  /** The token the account holds (0 = ETH). */
  readonly tokenId: number;
  /** Only an account with this L2 public key. */
  readonly publicKey?: Point;
  /** Only this account index (e.g. after a deposit into it). */
  readonly index?: number;
  /** Wait until the balance is at least this (e.g. the balance before a deposit plus the deposit). */
  readonly minBalance?: bigint;
}
/** What {@link waitForAccount} returns: the first matching account, lowest index. */
export type WaitForAccountReturnType = L2Account;
/** What {@link waitForAccount} throws: `WaitTimeoutError`, `L2RpcError`, `L2TransportError`. */
export type WaitForAccountErrorType = BaseError;

/**
 * Polls `rollup_getAccountsByOwner` until the owner has an account for `tokenId` (matching
 * `publicKey`, `index` and `minBalance` when given) and returns it. After `createAccount`
 * or `deposit` on L1, this waits for the sequencer to include the queue entry.
 *
 * @example
 * await createAccount(clients, { publicKey, tokenId: 0, amount: parseEther("1") })
 * const account = await waitForAccount({ l2 }, { owner, tokenId: 0, publicKey })
 */
export async function waitForAccount(
  clients: Pick<RollupClients, "l2">,
  parameters: WaitForAccountParameters,
): Promise<WaitForAccountReturnType> {
  const { owner, tokenId, publicKey, index, minBalance = 0n } = parameters;
  const matches = (a: L2Account): boolean =>
    a.tokenId === tokenId &&
    (index === undefined || a.index === index) &&
    (!publicKey || (a.publicKey.x === publicKey.x && a.publicKey.y === publicKey.y)) &&
    a.balance >= minBalance;
  const what = `an L2 account of ${owner} for token ${tokenId}${index === undefined ? "" : ` at index ${index}`}${
    minBalance > 0n ? ` with a balance of at least ${minBalance}` : ""
  }`;
  return poll(async () => (await getAccountsByOwner(clients, { owner })).find(matches), what, parameters);
}
