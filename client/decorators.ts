import { type LocalAccount, type PublicClient } from "viem";
import { type ActivateExodusParameters, type ActivateExodusReturnType, activateExodus } from "./actions/activateExodus.js";
import { type ClaimWithdrawalParameters, type ClaimWithdrawalReturnType, claimWithdrawal } from "./actions/claimWithdrawal.js";
import { type CreateAccountParameters, type CreateAccountReturnType, createAccount } from "./actions/createAccount.js";
import { type DepositParameters, type DepositReturnType, deposit } from "./actions/deposit.js";
import { type ExodusWithdrawParameters, type ExodusWithdrawReturnType, exodusWithdraw } from "./actions/exodusWithdraw.js";
import { type FindAccountParameters, type FindAccountReturnType, findAccount } from "./actions/findAccount.js";
import { type ForcedExitParameters, type ForcedExitReturnType, forcedExit } from "./actions/forcedExit.js";
import { type GetAccountParameters, type GetAccountReturnType, getAccount } from "./actions/getAccount.js";
import {
  type GetAccountsByOwnerParameters,
  type GetAccountsByOwnerReturnType,
  getAccountsByOwner,
} from "./actions/getAccountsByOwner.js";
import { type GetBatchParameters, type GetBatchReturnType, getBatch } from "./actions/getBatch.js";
import { type GetExodusStatusReturnType, getExodusStatus } from "./actions/getExodusStatus.js";
import { type GetOpParameters, type GetOpReturnType, getOp } from "./actions/getOp.js";
import { type GetRollupInfoReturnType } from "./actions/getRollupInfo.js";
import { type GetRollupStatusReturnType, getRollupStatus } from "./actions/getRollupStatus.js";
import { type GetTokenIdParameters, type GetTokenIdReturnType, getTokenId } from "./actions/getTokenId.js";
import {
  type GetWithdrawalStatusParameters,
  type GetWithdrawalStatusReturnType,
  getWithdrawalStatus,
} from "./actions/getWithdrawalStatus.js";
import { type GetWithdrawalsParameters, type GetWithdrawalsReturnType, getWithdrawals } from "./actions/getWithdrawals.js";
import { type RefundDepositParameters, type RefundDepositReturnType, refundDeposit } from "./actions/refundDeposit.js";
import { type RegisterTokenParameters, type RegisterTokenReturnType, registerToken } from "./actions/registerToken.js";
import { type TransferParameters, type TransferReturnType, transfer } from "./actions/transfer.js";
import { type WaitForAccountParameters, type WaitForAccountReturnType, waitForAccount } from "./actions/waitForAccount.js";
import { type WaitForOpParameters, type WaitForOpReturnType, waitForOp } from "./actions/waitForOp.js";
import { type WithdrawParameters, type WithdrawReturnType, withdraw } from "./actions/withdraw.js";
import { type L2Client } from "./l2.js";
import { type ExodusClients, type L1Clients, type L1WalletClient, type L2Key, type RollupClients, type RollupInfo } from "./types.js";

/** What the rollup actions are bound to: the clients, the user's account, and lazy access to the deployment and the L2 key. */
export interface RollupClientBase {
  readonly account: LocalAccount;
  readonly l2: L2Client;
  readonly publicClient: PublicClient;
  readonly walletClient: L1WalletClient;
  /** The deployment (`rollup_getInfo`), fetched on first use. */
  getRollupInfo(): Promise<GetRollupInfoReturnType>;
  /** The account's L2 key, derived on first use. */
  deriveL2Key(): Promise<L2Key>;
  /** All clients with the deployment, as the actions take them. */
  clients(): Promise<RollupClients>;
  /** The L1 clients and the rollup's addresses, as the L1-only actions take them (no L2 RPC when the deployment was given). */
  l1Clients(): Promise<L1Clients>;
  /** The L1 clients and where the rollup is, as the exodus actions take them (no L2 RPC when the deployment was given). */
  exodusClients(): Promise<ExodusClients>;
}

type WithOwner<T extends { owner: unknown }> = Omit<T, "owner"> & { readonly owner?: T["owner"] };

/** Every action, bound to one account: owner, L2 key and deployment filled in. */
export interface RollupActions {
  getRollupStatus(): Promise<GetRollupStatusReturnType>;
  getAccount(parameters: GetAccountParameters): Promise<GetAccountReturnType>;
  /** The account's L2 accounts (or `owner`'s). */
  getAccountsByOwner(parameters?: Partial<GetAccountsByOwnerParameters>): Promise<GetAccountsByOwnerReturnType>;
  findAccount(parameters: WithOwner<FindAccountParameters>): Promise<FindAccountReturnType>;
  waitForAccount(parameters: WithOwner<WaitForAccountParameters>): Promise<WaitForAccountReturnType>;
  getOp(parameters: GetOpParameters): Promise<GetOpReturnType>;
  waitForOp(parameters: WaitForOpParameters): Promise<WaitForOpReturnType>;
  getBatch(parameters: GetBatchParameters): Promise<GetBatchReturnType>;
  /** Withdrawals to the account (or `owner`). */
  getWithdrawals(parameters?: Partial<GetWithdrawalsParameters>): Promise<GetWithdrawalsReturnType>;
  getWithdrawalStatus(parameters: GetWithdrawalStatusParameters): Promise<GetWithdrawalStatusReturnType>;
  getTokenId(parameters: GetTokenIdParameters): Promise<GetTokenIdReturnType>;
  /** Creates an L2 account holding the account's own L2 public key. */
  createAccount(parameters: Omit<CreateAccountParameters, "publicKey">): Promise<CreateAccountReturnType>;
  deposit(parameters: DepositParameters): Promise<DepositReturnType>;
  forcedExit(parameters: ForcedExitParameters): Promise<ForcedExitReturnType>;
  claimWithdrawal(parameters: ClaimWithdrawalParameters): Promise<ClaimWithdrawalReturnType>;
  registerToken(parameters: RegisterTokenParameters): Promise<RegisterTokenReturnType>;
  /** Signs with the account's L2 key; the sender is `fromIdx`, or the account's account for `tokenId`. */
  transfer(parameters: Omit<TransferParameters, "privateKey" | "owner">): Promise<TransferReturnType>;
  withdraw(parameters: Omit<WithdrawParameters, "privateKey" | "owner">): Promise<WithdrawReturnType>;
  getExodusStatus(): Promise<GetExodusStatusReturnType>;
  activateExodus(parameters?: ActivateExodusParameters): Promise<ActivateExodusReturnType>;
  /** Takes the account's balances of the last final state out on L1, rebuilt from L1 alone. */
  exodusWithdraw(parameters?: ExodusWithdrawParameters): Promise<ExodusWithdrawReturnType>;
  refundDeposit(parameters?: RefundDepositParameters): Promise<RefundDepositReturnType>;
}

/**
 * Binds every rollup action to a client base: the owner is the base's account, the L2 key
 * and the deployment come from the base. Binding only.
 *
 * @example
 * const client = { ...base, ...rollupActions(base) }
 * await client.transfer({ toIdx: 3, amount: parseEther("1") })
 */
export function rollupActions(base: RollupClientBase): RollupActions {
  const owner = base.account.address;
  const privateKey = async (): Promise<Uint8Array> => (await base.deriveL2Key()).privateKey;
  return {
    getRollupStatus: () => getRollupStatus(base),
    getAccount: (parameters) => getAccount(base, parameters),
    getAccountsByOwner: (parameters) => getAccountsByOwner(base, { owner, ...parameters }),
    findAccount: (parameters) => findAccount(base, { owner, ...parameters }),
    waitForAccount: (parameters) => waitForAccount(base, { owner, ...parameters }),
    getOp: (parameters) => getOp(base, parameters),
    waitForOp: (parameters) => waitForOp(base, parameters),
    getBatch: (parameters) => getBatch(base, parameters),
    getWithdrawals: (parameters) => getWithdrawals(base, { owner, ...parameters }),
    getWithdrawalStatus: async (parameters) => getWithdrawalStatus(await base.l1Clients(), parameters),
    getTokenId: async (parameters) => getTokenId(await base.clients(), parameters),
    createAccount: async (parameters) =>
      createAccount(await base.clients(), { ...parameters, publicKey: (await base.deriveL2Key()).publicKey }),
    deposit: async (parameters) => deposit(await base.l1Clients(), parameters),
    forcedExit: async (parameters) => forcedExit(await base.l1Clients(), parameters),
    claimWithdrawal: async (parameters) => claimWithdrawal(await base.l1Clients(), parameters),
    registerToken: async (parameters) => registerToken(await base.clients(), parameters),
    transfer: async (parameters) => transfer(await base.clients(), { ...parameters, owner, privateKey: await privateKey() }),
    withdraw: async (parameters) => withdraw(await base.clients(), { ...parameters, owner, privateKey: await privateKey() }),
    getExodusStatus: async () => getExodusStatus(await base.exodusClients()),
    activateExodus: async (parameters) => activateExodus(await base.exodusClients(), parameters),
    exodusWithdraw: async (parameters) => exodusWithdraw(await base.exodusClients(), parameters),
    refundDeposit: async (parameters) => refundDeposit(await base.exodusClients(), parameters),
  };
}
