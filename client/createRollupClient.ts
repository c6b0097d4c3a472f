import { type Hex, type LocalAccount, type PublicClient, createPublicClient, createWalletClient, http } from "viem";
import { type Address, rollupAbi } from "../core/index.js";
import { privateKeyToAccount } from "viem/accounts";
import { deriveL2Key } from "./actions/deriveL2Key.js";
import { getRollupInfo } from "./actions/getRollupInfo.js";
import { type RollupActions, type RollupClientBase, rollupActions } from "./decorators.js";
import { createL2Client } from "./l2.js";
import { type ExodusClients, type L1Clients, type L1Deployment, type L2Key, type RollupInfo } from "./types.js";
import { toL1Error } from "./utils/revert.js";

/** Parameters of {@link createRollupClient}. */
export interface CreateRollupClientParameters {
  /** The L1 JSON-RPC (e.g. Hardhat's http://127.0.0.1:8545). */
  readonly l1RpcUrl: string;
  /** The L2 sequencer's JSON-RPC. */
  readonly l2RpcUrl: string;
  /**
   * Where the rollup is on L1, so that the exodus actions work with the L2 RPC down
   * (docs/exodus.md): the rollup's address (the bridge is read from it when not given), the
   * first block to read logs from, and a Beacon API for blob batches. Default: the contracts
   * the L2 RPC names, logs from block 0, no Beacon API.
   */
  readonly deployment?: { readonly rollup: Address } & Partial<Omit<L1Deployment, "rollup">>;
  /** The user's L1 account: a viem local account or a private key. */
  readonly account: LocalAccount | Hex;
  /** Milliseconds between polls while waiting for L1 receipts (default 200). */
  readonly pollingInterval?: number;
}
/** A client with every rollup action bound to one account. */
export type RollupClient = RollupClientBase & RollupActions;

// Memoises a promise, forgetting it when it rejects so a later call retries.
function once<T>(load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () =>
    (pending ??= load().catch((e: unknown) => {
      pending = undefined;
      throw e;
    }));
}

/**
 * A client for one user of one rollup deployment: L1 public and wallet clients for the
 * account, the L2 client, and every action bound to them. The deployment is read from the
 * L2 RPC on first use and the L2 key derived from the account on first use (one local
 * signature).
 *
 * @example
 * const client = createRollupClient({
 *   l1RpcUrl: "http://127.0.0.1:8545",
 *   l2RpcUrl: "http://127.0.0.1:8546",
 *   account: "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
 * })
 * await client.createAccount({ amount: parseEther("1") })
 * const account = await client.waitForAccount({ tokenId: 0 })
 * const { hash } = await client.transfer({ toIdx: 3, amount: parseEther("0.25") })
 */
export function createRollupClient(parameters: CreateRollupClientParameters): RollupClient {
  const account = typeof parameters.account === "string" ? privateKeyToAccount(parameters.account) : parameters.account;
  const transport = http(parameters.l1RpcUrl);
  const pollingInterval = parameters.pollingInterval ?? 200;
  const l2 = createL2Client(parameters.l2RpcUrl);
  const publicClient: PublicClient = createPublicClient({ transport, pollingInterval });
  const walletClient = createWalletClient({ account, transport, pollingInterval });
  const info = once<RollupInfo>(() => getRollupInfo({ l2 }));
  const clients = async () => ({ l2, publicClient, walletClient, info: await info() });
  const l2Key = once<L2Key>(async () => deriveL2Key(await clients()));
  const deployment = once<L1Deployment>(async () => {
    const given = parameters.deployment;
    if (!given) return (await info()).contracts;
    let bridge = given.bridge;
    try {
      bridge ??= await publicClient.readContract({ address: given.rollup, abi: rollupAbi, functionName: "bridge" });
    } catch (e) {
      throw toL1Error(e);
    }
    return { ...given, bridge };
  });
  const exodusClients = async (): Promise<ExodusClients> => ({ publicClient, walletClient, deployment: await deployment() });
  const l1Clients = async (): Promise<L1Clients> => {
    const { rollup, bridge } = await deployment();
    return { publicClient, walletClient, info: { contracts: { rollup, bridge } } };
  };
  const base: RollupClientBase = { account, l2, publicClient, walletClient, getRollupInfo: info, deriveL2Key: l2Key, clients, l1Clients, exodusClients };
  return { ...base, ...rollupActions(base) };
}
