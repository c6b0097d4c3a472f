import { type Account, type Chain, type PublicClient, type Transport, type WalletClient } from "viem";
import { type Address, type Hex, type Point } from "../core/index.js";
import { type L2Client } from "./l2.js";

/** What the L2 RPC says about the deployment (`rollup_getInfo`). */
export interface RollupInfo {
  readonly l1ChainId: number;
  readonly l2ChainId: number;
  /** L1 contract addresses by name; `rollup` and `bridge` always, others on a devnet (`testToken`). */
  readonly contracts: { readonly rollup: Address; readonly bridge: Address } & Readonly<Record<string, Address>>;
  /** Depth of the 8-ary account tree. */
  readonly levels: number;
  readonly mode: "optimistic";
  /** L1 address the batch fees are paid to. */
  readonly feeRecipient: Address;
  /** Tokens the sequencer charges fees in (4 slots, 2^32 − 1 for unused). */
  readonly feeTokens: readonly number[];
  readonly maxBatchOps: number;
  readonly maxBatchDelayMs: number;
}

/** An L2 account (`rollup_getAccount`), amounts as bigints. */
export interface L2Account {
  readonly index: number;
  readonly tokenId: number;
  readonly balance: bigint;
  readonly nonce: number;
  readonly publicKey: Point;
  readonly ethAddr: Address;
}

/** Where an op or batch is: accepted, sealed in a batch, posted to L1, final on L1. */
export type L2Status = "pending" | "sealed" | "batched" | "final";

/** An accepted L2 op (`rollup_getOp`). */
export interface L2OpInfo {
  readonly hash: Hex;
  readonly status: L2Status;
  /** The batch holding the op, once sealed. */
  readonly batch: number | null;
  /** The L1 transaction that posted the batch. */
  readonly l1TxHash: Hex | null;
  readonly fromIdx: number;
  readonly toIdx: number;
  readonly kind: "transfer" | "withdraw";
  readonly amount: bigint;
  readonly fee: bigint;
  readonly nonce: number;
  /** Milliseconds since the epoch. */
  readonly acceptedAt: number;
}

/** A sealed batch (`rollup_getBatch`). */
export interface L2Batch {
  readonly index: number;
  readonly status: Exclude<L2Status, "pending">;
  readonly l1TxHash: Hex | null;
  readonly l1Block: number | null;
  /** Where the batch's data is on L1; null before it is posted (or if it was posted before a crash). */
  readonly da: "calldata" | "blobs" | null;
  readonly queueStart: number;
  readonly queueEnd: number;
  readonly opCount: number;
  readonly stepCount: number;
  readonly preStateRoot: bigint;
  readonly postStateRoot: bigint;
  readonly withdrawalsRoot: bigint;
  readonly stepsRoot: Hex;
  readonly payloadBytes: number;
}

/** The sequencer's view of the rollup (`rollup_getStatus`). */
export interface RollupStatus {
  readonly stateRoot: bigint;
  readonly accounts: number;
  readonly batches: number;
  readonly postedBatches: number;
  readonly finalBatches: number;
  readonly openBatch: { readonly index: number; readonly size: number; readonly openedAt: number } | null;
  readonly unconsumedQueueEntries: number;
}

/** A withdrawal claimable on L1 once its batch is final (`rollup_getWithdrawals`). */
export interface L2Withdrawal {
  readonly batch: number;
  readonly position: number;
  readonly recipient: Address;
  readonly tokenId: number;
  readonly amount: bigint;
  /** The batch's status as the sequencer last saw it. */
  readonly batchStatus: Exclude<L2Status, "pending">;
  /** Merkle proof: per level from the leaves, the 7 siblings (0x-hex). */
  readonly proof: readonly (readonly Hex[])[];
}

/** An L2 key pair: the private key signs ops, the public key goes into `createAccount`. */
export interface L2Key {
  readonly privateKey: Uint8Array;
  readonly publicKey: Point;
}

/** A viem wallet client with its account hoisted (`createWalletClient({ account, ... })`). */
export type L1WalletClient = WalletClient<Transport, Chain | undefined, Account>;

/**
 * What the actions talk to. Each action takes the part it needs
 * (`Pick<RollupClients, "l2">` for L2 reads, `publicClient`, `walletClient` and `info` for L1 writes).
 */
export interface RollupClients {
  readonly l2: L2Client;
  readonly publicClient: PublicClient;
  readonly walletClient: L1WalletClient;
  /** The deployment, from `getRollupInfo`. */
  readonly info: RollupInfo;
}

/** What an L1 action returns: its transaction, and the L1 queue index when it enqueued an entry. */
export interface L1ActionResult {
  readonly l1TxHash: Hex;
  readonly queueIndex?: number;
}
