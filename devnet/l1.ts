import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type Chain, type Hex, type HttpTransport, type PrivateKeyAccount, type PublicClient, type WalletClient, createPublicClient, createWalletClient, defineChain, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { createHardhatRuntimeEnvironment } from "hardhat/hre";
import hardhatConfig from "../hardhat.config.js";
import { jsonRpc } from "./json-rpc.js";

/**
 * The project root: where hardhat.config.ts, contracts/ and artifacts/ are.
 *
 * @example
 * join(projectRoot, "sequencer/main.ts")
 */
export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/**
 * A running Hardhat L1 served over JSON-RPC.
 *
 * @example
 * const { url, close }: HardhatL1 = await startHardhatL1({ host: "127.0.0.1", port: 0 })
 */
export interface HardhatL1 {
  readonly url: string;
  readonly chainId: number;
  close(): Promise<void>;
}

/**
 * Compiles the contracts if needed and starts Hardhat's simulated L1 (EDR) in this process,
 * served over HTTP JSON-RPC like `hardhat node`, with the well-known dev accounts funded.
 *
 * @example
 * const l1 = await startHardhatL1({ host: "127.0.0.1", port: 8545 })
 */
export async function startHardhatL1(options: { host: string; port: number }): Promise<HardhatL1> {
  const hre = await createHardhatRuntimeEnvironment(hardhatConfig, {}, projectRoot);
  await hre.tasks.getTask("build").run({ quiet: true });
  const server = await hre.network.createServer({ network: "default" }, options.host, options.port);
  const { address, port } = await server.listen();
  const connection = await hre.network.create({ network: "default" });
  await connection.provider.close?.();
  return { url: `http://${address}:${port}`, chainId: 31337, close: () => server.close() };
}

/**
 * The devnet's connection to its L1: a public client, and wallets for the dev accounts.
 *
 * @example
 * const l1: L1Connection = await connectL1("http://127.0.0.1:8545")
 * await l1.client.getBlockNumber()
 */
export interface L1Connection {
  readonly url: string;
  readonly chainId: number;
  readonly client: PublicClient<HttpTransport, Chain>;
  /** A wallet client signing with `privateKey`. */
  wallet(privateKey: Hex): WalletClient<HttpTransport, Chain, PrivateKeyAccount>;
}

/**
 * Connects to an L1 node over HTTP JSON-RPC (its chain id read from it), polling every 50 ms.
 *
 * @example
 * const l1 = await connectL1(url)
 * const operator = l1.wallet(devAccounts(20)[OPERATOR_ACCOUNT]!.privateKey)
 */
export async function connectL1(url: string): Promise<L1Connection> {
  const chainId = Number(await jsonRpc(url, "eth_chainId"));
  const chain: Chain = defineChain({
    id: chainId,
    name: "Devnet L1",
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [url] } },
  });
  const transport = http(url, { batch: false });
  return {
    url,
    chainId,
    client: createPublicClient({ chain, transport, pollingInterval: 50 }),
    wallet: (privateKey) => createWalletClient({ chain, transport, account: privateKeyToAccount(privateKey) }),
  };
}

/**
 * Advances L1 time by `seconds` and mines a block (Hardhat's `evm_increaseTime`, `evm_mine`):
 * skips a challenge window or a dispute clock.
 *
 * @example
 * await warpL1(l1.url, 7 * 24 * 3600 + 1)
 */
export async function warpL1(url: string, seconds: number): Promise<void> {
  await jsonRpc(url, "evm_increaseTime", [seconds]);
  await jsonRpc(url, "evm_mine");
}
