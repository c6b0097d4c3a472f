import { type Account, type Chain, type PublicClient, type Transport, type WalletClient } from "viem";
import {
  type AccountInfo,
  type Address,
  type BatchInfo,
  type Hex,
  type OpInfo,
  type Point,
  type RollupInfo,
  type StatusInfo,
  type WithdrawalInfo,
} from "../core/index.js";
import { type L2Client } from "./l2.js";

// The RPC's own shapes come from its schema (core/rpc-schema.ts); the client's differ only in
// holding amounts and field elements as bigints.
export {
  type BatchStatus,
  type DataAvailability,
  type L2RpcSchema,
  type OpStatus,
  type ProofInfo,
  type ProofStatus,
  type RollupInfo,
  type SendOpRequest,
  type SendOpResult,
  type SettlementMode,
} from "../core/index.js";

/**
 * An L2 account (`rollup_getAccount`), amounts as bigints.
 *
 * @example
 * const account: L2Account | null = await getAccount({ l2 }, { index: 2 })
 */
export interface L2Account extends Omit<AccountInfo, "balance" | "publicKey"> {
  readonly balance: bigint;
  readonly publicKey: Point;
}

/**
 * An accepted L2 op (`rollup_getOp`), amounts as bigints.
 *
 * @example
 * const op: L2OpInfo = await getOp({ l2 }, { hash })
 */
export interface L2OpInfo extends Omit<OpInfo, "amount" | "fee"> {
  readonly amount: bigint;
  readonly fee: bigint;
}

/**
 * A sealed batch (`rollup_getBatch`), roots as bigints; in ZK mode with its `proof`.
 *
 * @example
 * const batch: L2Batch = await getBatch({ l2 }, { index: 0 })
 */
export interface L2Batch extends Omit<BatchInfo, "preStateRoot" | "postStateRoot" | "withdrawalsRoot"> {
  readonly preStateRoot: bigint;
  readonly postStateRoot: bigint;
  readonly withdrawalsRoot: bigint;
}

/**
 * The sequencer's view of the rollup (`rollup_getStatus`), the state root as a bigint; in ZK
 * mode with `proverQueue`.
 *
 * @example
 * const { batches, finalBatches }: RollupStatus = await getRollupStatus({ l2 })
 */
export interface RollupStatus extends Omit<StatusInfo, "stateRoot"> {
  readonly stateRoot: bigint;
}

/**
 * A withdrawal claimable on L1 once its batch is final (`rollup_getWithdrawals`), the amount
 * as a bigint.
 *
 * @example
 * const [withdrawal]: L2Withdrawal[] = await getWithdrawals({ l2 }, { owner })
 */
export interface L2Withdrawal extends Omit<WithdrawalInfo, "amount"> {
  readonly amount: bigint;
}

/**
 * An L2 key pair: the private key signs ops, the public key goes into `createAccount`.
 *
 * @example
 * const { privateKey, publicKey }: L2Key = await deriveL2Key({ walletClient, info })
 */
export interface L2Key {
  readonly privateKey: Uint8Array;
  readonly publicKey: Point;
}

/**
 * A viem wallet client with its account hoisted (`createWalletClient({ account, ... })`).
 *
 * @example
 * const walletClient: L1WalletClient = createWalletClient({ account: privateKeyToAccount(key), transport: http(l1RpcUrl) })
 */
export type L1WalletClient = WalletClient<Transport, Chain | undefined, Account>;

/**
 * What the actions talk to. Each action takes the part it needs
 * (`Pick<RollupClients, "l2">` for L2 reads, `publicClient`, `walletClient` and `info` for L1 writes).
 *
 * @example
 * const clients: RollupClients = { l2, publicClient, walletClient, info: await getRollupInfo({ l2 }) }
 */
export interface RollupClients {
  readonly l2: L2Client;
  readonly publicClient: PublicClient;
  readonly walletClient: L1WalletClient;
  /** The deployment, from `getRollupInfo`. */
  readonly info: RollupInfo;
}

/**
 * What the actions that only touch L1 contracts take (`deposit`, `forcedExit`,
 * `claimWithdrawal`, `getWithdrawalStatus`): the L1 clients and the rollup's addresses. A
 * `RollupClients` is one; the bound client builds it from the L1 deployment when it was given,
 * so these work with the L2 RPC down (a forced exit is how a user asks a silent operator).
 *
 * @example
 * const clients: L1Clients = { publicClient, walletClient, info: { contracts: { rollup, bridge } } }
 */
export interface L1Clients {
  readonly publicClient: PublicClient;
  readonly walletClient: L1WalletClient;
  readonly info: { readonly contracts: { readonly rollup: Address; readonly bridge: Address } };
}

/**
 * What an L1 action returns: its transaction, and the L1 queue index when it enqueued an entry.
 *
 * @example
 * const { l1TxHash, queueIndex }: L1ActionResult = await deposit(clients, { accountIdx: 2, amount })
 */
export interface L1ActionResult {
  readonly l1TxHash: Hex;
  readonly queueIndex?: number;
}

/**
 * Where the rollup is on L1, for the actions that must work with the L2 RPC down (the exodus,
 * docs/exodus.md): they read L1, and the Beacon API for blob batches, and nothing else.
 *
 * @example
 * const deployment: L1Deployment = { rollup: info.contracts.rollup, bridge: info.contracts.bridge, fromBlock: 12n, beaconUrl: "http://127.0.0.1:5052" }
 */
export interface L1Deployment {
  readonly rollup: Address;
  readonly bridge: Address;
  /** First L1 block to read logs from (the deployment's block; default 0). */
  readonly fromBlock?: bigint;
  /** A Beacon API serving the sidecars of blob batches (required to rebuild a rollup that posted blobs). */
  readonly beaconUrl?: string;
}

/**
 * What the exodus actions talk to: L1 only, never the L2 RPC.
 *
 * @example
 * const clients: ExodusClients = { publicClient, walletClient, deployment: { rollup, bridge } }
 */
export interface ExodusClients {
  readonly publicClient: PublicClient;
  readonly walletClient: L1WalletClient;
  readonly deployment: L1Deployment;
}
