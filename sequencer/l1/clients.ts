import { type Chain, type Hex, type HttpTransport, type PrivateKeyAccount, type PublicClient, type WalletClient, createPublicClient, createWalletClient, defineChain, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";

/**
 * The sequencer's L1 connection: a public client, and a wallet client signing as the proposer.
 *
 * @example
 * const { publicClient, walletClient }: L1Clients = createL1Clients({ rpcUrl, chainId: 31337, proposerKey })
 */
export interface L1Clients {
  readonly publicClient: PublicClient<HttpTransport, Chain>;
  readonly walletClient: WalletClient<HttpTransport, Chain, PrivateKeyAccount>;
}

/**
 * Connects to the L1 over HTTP JSON-RPC (no request batching, two retries, 50 ms polling for
 * receipts) as the proposer.
 *
 * @example
 * const { publicClient, walletClient } = createL1Clients({ rpcUrl: "http://127.0.0.1:8545", chainId: 31337, proposerKey })
 * await publicClient.getBlockNumber()
 */
export function createL1Clients(parameters: { readonly rpcUrl: string; readonly chainId: number; readonly proposerKey: Hex }): L1Clients {
  const chain: Chain = defineChain({
    id: parameters.chainId,
    name: "L1",
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [parameters.rpcUrl] } },
  });
  const transport = http(parameters.rpcUrl, { batch: false, retryCount: 2 });
  return {
    publicClient: createPublicClient({ chain, transport, pollingInterval: 50 }),
    walletClient: createWalletClient({ chain, transport, account: privateKeyToAccount(parameters.proposerKey) }),
  };
}
