import { createRequire } from "node:module";
import { type Chain, type Hex, type HttpTransport, type PrivateKeyAccount, type PublicClient, type WalletClient, createPublicClient, createWalletClient, defineChain, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { createHardhatRuntimeEnvironment } from "hardhat/hre";
import { type NetworkConnection } from "hardhat/types/network";
import { projectRoot } from "./artifacts.js";
import { jsonRpc } from "./json-rpc.js";
import { JOURNAL_VERSION, L1Journal } from "./l1-journal.js";
import { L1Recorder, type ReplayReport, replayJournal } from "./l1-recorder.js";
import { L1JournalError } from "./errors.js";

/** The chain id of the devnet's Hardhat L1 (Hardhat's default). */
export const DEVNET_L1_CHAIN_ID = 31337;

/**
 * A running Hardhat L1 served over JSON-RPC.
 *
 * @example
 * const { url, close }: HardhatL1 = await startHardhatL1({ host: "127.0.0.1", port: 0 })
 */
export interface HardhatL1 {
  readonly url: string;
  readonly chainId: number;
  /** What was replayed from the journal at start (`undefined` without a state folder). */
  readonly replayed: ReplayReport | undefined;
  close(): Promise<void>;
}

/**
 * Starts Hardhat's simulated L1 (EDR) in this process, served over HTTP JSON-RPC like
 * `hardhat node`, with the well-known dev accounts funded. With `stateDir`, the chain is kept
 * there (devnet/l1-journal.ts): a journal found there is replayed first, so the L1 comes back
 * with the same blocks, addresses and balances, and every change from then on is journaled.
 * Needs no Hardhat config and no compilation.
 *
 * @example
 * const l1 = await startHardhatL1({ host: "127.0.0.1", port: 8545, stateDir: ".devnet/l1" })
 */
export async function startHardhatL1(options: { host: string; port: number; stateDir?: string }): Promise<HardhatL1> {
  const journal = options.stateDir === undefined ? undefined : L1Journal.open(options.stateDir);
  const hre = await createHardhatRuntimeEnvironment({}, {}, projectRoot);
  const recorder = journal && new L1Recorder(journal);
  let connection: NetworkConnection | undefined;
  hre.hooks.registerHandlers("network", {
    newConnection: async (context, next) => {
      const created = await next(context);
      connection = created as unknown as NetworkConnection;
      return created;
    },
    ...(recorder && {
      onRequest: (context, networkConnection, request, next) =>
        recorder.handle(networkConnection.provider, request, () => next(context, networkConnection, request)),
    }),
  });
  const genesis = journal?.genesis;
  if (genesis && genesis.chainId !== DEVNET_L1_CHAIN_ID) {
    throw new L1JournalError(`the L1 journal in ${options.stateDir} is of chain ${genesis.chainId}, the devnet L1 is chain ${DEVNET_L1_CHAIN_ID}`, { details: "start over with --fresh" });
  }
  const server = await hre.network.createServer(
    {
      network: "default",
      override: {
        chainId: DEVNET_L1_CHAIN_ID,
        // The journal's blocks hash the same only on a chain with the same genesis.
        ...(genesis && { initialDate: new Date(genesis.genesisTime * 1000) }),
        // Transactions of a replayed block are mined in the order they are sent.
        mining: { auto: true, interval: 0, mempool: { order: "fifo" } },
      },
    },
    options.host,
    options.port,
  );
  const provider = connection!.provider;
  let replayed: ReplayReport | undefined;
  if (journal && recorder) {
    try {
      replayed = await resume(provider, journal, options.stateDir!);
    } catch (e) {
      journal.close();
      await connection?.close();
      throw e;
    }
    recorder.start();
  }
  const { address, port } = await server.listen();
  return {
    url: `http://${address}:${port}`,
    chainId: DEVNET_L1_CHAIN_ID,
    replayed,
    async close() {
      await server.close();
      if (recorder) await recorder.sync(provider);
      journal?.close();
      await connection?.close();
    },
  };
}

/** Replays the journal onto the new chain, or begins the journal of a new chain. */
async function resume(provider: NetworkConnection["provider"], journal: L1Journal, stateDir: string): Promise<ReplayReport | undefined> {
  const block0 = (await provider.request({ method: "eth_getBlockByNumber", params: ["0x0", false] })) as { hash: Hex; timestamp: Hex };
  const genesis = journal.genesis;
  if (!genesis) {
    journal.begin({ version: JOURNAL_VERSION, chainId: DEVNET_L1_CHAIN_ID, genesisTime: Number(block0.timestamp), genesisHash: block0.hash, hardhat: hardhatVersion() });
    return undefined;
  }
  if (genesis.genesisHash !== block0.hash) {
    throw new L1JournalError(`the L1 journal in ${stateDir} starts from genesis ${genesis.genesisHash}, this Hardhat builds ${block0.hash} from the same date`, {
      details: `it was written by Hardhat ${genesis.hardhat}, this is ${hardhatVersion()}: start over with --fresh`,
    });
  }
  return replayJournal(provider, journal);
}

function hardhatVersion(): string {
  return (createRequire(import.meta.url)("hardhat/package.json") as { version: string }).version;
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
