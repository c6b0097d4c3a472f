import { fork, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join, resolve } from "node:path";
import {
  createPublicClient,
  createWalletClient,
  defineChain,
  http,
  parseEther,
  type Chain,
  type PublicClient,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import {
  type Address,
  NO_TOKEN,
  bridgeAbi,
  disputeGameAbi,
  erc20Abi,
  keyDerivationMessage,
  l2PrivateKeyFromSignature,
  publicKeyOf,
  rollupAbi,
} from "../core/index.js";
import { type SequencerNodeConfig } from "../sequencer/node.js";
import { createRollupClient, type RollupClient } from "../client/index.js";
import { type FaultSpec } from "../sequencer/faults/faulty-proposer.js";
import { type DaMode } from "../sequencer/l1/da.js";
import { startBeaconServer } from "./beacon.js";
import { type ChallengerAgentConfig } from "../sequencer/challenger/agent.js";
import { devAccounts, CHALLENGER_ACCOUNT, OPERATOR_ACCOUNT, type DevAccount } from "./accounts.js";
import { deployContracts, type Deployment } from "./deploy.js";
import { projectRoot, startHardhatL1, type HardhatL1 } from "./l1.js";
import { buildCircuit, type CircuitBuild } from "../prover/circuit.js";
import { setup, type SetupResult } from "../prover/setup.js";
import { compileVerifier, generateVerifierSource, verifierName, type CompiledContract } from "../prover/verifier.js";

/** Options of `startDevnet`; every one has a default. */
export interface DevnetOptions {
  /** Host for every server (default 127.0.0.1). */
  readonly host?: string;
  /** Port of the Hardhat L1 (default 8545; 0 picks a free one). Ignored with `l1RpcUrl`. */
  readonly l1Port?: number;
  /** Port of the L2 JSON-RPC (default 8546; 0 picks a free one). */
  readonly l2Port?: number;
  /** Use this L1 node instead of starting Hardhat (contracts are deployed to it). */
  readonly l1RpcUrl?: string;
  /** Account tree depth (default 8: 2^24 accounts). */
  readonly levels?: number;
  /** L2 chain id (default 424242). */
  readonly l2ChainId?: number;
  /** Seconds before a batch is final (default 7 days, as on mainnet; `warp` skips it). */
  readonly challengeWindow?: number;
  /** Seconds an L1 queue entry may wait (default 1 day). */
  readonly inclusionWindow?: number;
  /** Ops per batch before it is closed (default 512). */
  readonly batchSize?: number;
  /** Milliseconds before a non-empty batch is closed (default 1000). */
  readonly batchIntervalMs?: number;
  /** Where the sequencer keeps its write-ahead log (default ./.devnet, emptied at start). */
  readonly dataDir?: string;
  /** Dev accounts given L2 accounts at start, in ETH and in the test token (default 5). */
  readonly fundedAccounts?: number;
  /** Write devnet.json here (default: not written). */
  readonly writeJson?: string;
  /** Print the sequencer's and the challenger agent's log lines (default false). */
  readonly verbose?: boolean;
  /**
   * Run the challenger / defender agent (sequencer/challenger/) as a child process (default
   * true): it challenges wrong batches with dev account 18 and defends the operator's.
   */
  readonly challenger?: boolean;
  /** Receives each line the agent logs (one per move), whether or not `verbose` is set. */
  readonly onChallengerLog?: (line: string) => void;
  /** Seconds of each party's chess clock in a dispute game (default 1 hour; `warp` skips it). */
  readonly clockBudget?: number;
  /** Make the sequencer post one wrong batch (sequencer/faults/); its trace stays honest otherwise. */
  readonly fault?: FaultSpec;
  /** Where batch data goes: "calldata" (default), "blobs" (EIP-4844), or "auto" (the cheaper per batch). */
  readonly da?: DaMode;
  /**
   * Port of the Beacon API serving blob sidecars (default 5052; 0 picks a free one). When
   * `l2Port` is 0 it defaults to 0 too, so a test suite asking for free ports gets them all.
   */
  readonly beaconPort?: number;
  /**
   * "optimistic" (default): batches final after the challenge window, disputes by the agent.
   * "zk": each batch carries a Groth16 proof (INSECURE dev setup, docs/zk.md) and is final at
   * once; no dispute game agent runs.
   */
  readonly settlement?: "optimistic" | "zk";
  /** ZK: step slots of the circuit, i.e. queue entries + ops per batch (default 4). */
  readonly zkSlots?: number;
  /** ZK: prover worker threads (default 2, at most the cores). */
  readonly proverWorkers?: number;
  /** Progress lines of the slow steps (circuit build, setup, verifier); default: silent. */
  readonly onLog?: (line: string) => void;
}

/** The sequencer child process, with fault-injection handles for tests. */
export interface SequencerProcess {
  readonly url: string;
  /** Kills the process with SIGKILL (no cleanup) and waits for it to exit. */
  kill(): Promise<void>;
  /** Starts it again on the same data folder and port; resolves when its RPC is up. */
  restart(): Promise<void>;
}

/** The challenger agent child process. */
export interface ChallengerProcess {
  /** Stops it (SIGTERM) and waits for it to exit. */
  stop(): Promise<void>;
}

/** What `devnet.json` holds. */
export interface DevnetInfo {
  readonly l1: { readonly rpcUrl: string; readonly chainId: number };
  readonly l2: { readonly rpcUrl: string; readonly chainId: number };
  readonly chainIds: { readonly l1: number; readonly l2: number };
  readonly contracts: Deployment["contracts"];
  readonly tokens: { readonly ETH: number; readonly TEST: number };
  readonly settlement: "optimistic" | "zk";
  /** ZK settlement: the verifier, the circuit's slots and where its build is; null when optimistic. */
  readonly zk: {
    readonly verifier: Address;
    readonly slots: number;
    /** "dev": INSECURE development setup with publicly known toxic waste (docs/zk.md). */
    readonly setup: "dev" | "ptau";
    readonly circuit: string;
    readonly constraints: number;
    readonly proverWorkers: number;
  } | null;
  readonly levels: number;
  readonly challengeWindow: number;
  /** The dispute game: its address, the bond a challenge costs, each party's clock. */
  readonly dispute: {
    readonly game: Address;
    readonly challengeBond: string;
    readonly clockBudget: number;
    /** The agent's challenger key (dev account 18), null when the agent is off. */
    readonly challenger: DevAccount | null;
  };
  readonly deployBlock: number;
  /** Where batch data goes (docs/blobs.md). */
  readonly da: DaMode;
  /** The Beacon API serving the sidecars of the blobs the devnet posts (slot = L1 block number, block root = L1 block hash). */
  readonly beacon: { readonly url: string };
  readonly operator: DevAccount;
  /** Well-known dev keys (public: never hold value with them). */
  readonly accounts: readonly (DevAccount & { readonly l2Accounts: { readonly ETH: number; readonly TEST: number } | null })[];
}

/** A running devnet. */
export interface Devnet {
  readonly info: DevnetInfo;
  readonly l1Client: PublicClient;
  readonly sequencer: SequencerProcess;
  /** The challenger agent, when running. */
  readonly challenger: ChallengerProcess | undefined;
  /** A client SDK instance acting as dev account `account` (default 0). */
  client(account?: number): RollupClient;
  /** Advances L1 time by `seconds` and mines a block (skip the challenge window). */
  warp(seconds: number): Promise<void>;
  /** Stops the sequencer and the L1. */
  stop(): Promise<void>;
}

const DEFAULTS = {
  host: "127.0.0.1",
  l1Port: 8545,
  l2Port: 8546,
  levels: 8,
  l2ChainId: 424242,
  challengeWindow: 7 * 24 * 3600,
  inclusionWindow: 24 * 3600,
  batchSize: 512,
  batchIntervalMs: 1000,
  fundedAccounts: 5,
  clockBudget: 3600,
  beaconPort: 5052,
  da: "calldata",
} as const;

async function rpc(url: string, method: string, params: unknown[] = []): Promise<unknown> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  const body = (await response.json()) as { result?: unknown; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result;
}

function spawnChallenger(configPath: string, verbose: boolean, onLine?: (line: string) => void): Promise<ChildProcess> {
  return new Promise((resolvePromise, reject) => {
    const child = fork(join(projectRoot, "sequencer/challenger/main.ts"), [configPath], {
      execArgv: ["--import", import.meta.resolve("tsx")],
      stdio: ["ignore", "pipe", verbose ? "inherit" : "pipe", "ipc"],
    });
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    let partial = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      const lines = (partial + chunk.toString()).split("\n");
      partial = lines.pop()!;
      for (const line of lines) {
        if (verbose) console.log(line);
        onLine?.(line.replace(/^\[challenger\] /, ""));
      }
    });
    child.once("message", () => resolvePromise(child));
    child.once("exit", (code) => reject(new Error(`the challenger agent exited with code ${code} before it was ready\n${stderr}`)));
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise<void>((done) => {
    if (child.exitCode !== null || child.signalCode !== null) return done();
    child.once("exit", () => done());
    child.kill("SIGTERM");
  });
}

function spawnSequencer(configPath: string, verbose: boolean): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = fork(join(projectRoot, "sequencer/main.ts"), [configPath], {
      // Resolved here, so the child finds tsx whatever the user's working folder is.
      execArgv: ["--import", import.meta.resolve("tsx")],
      stdio: verbose ? ["ignore", "inherit", "inherit", "ipc"] : ["ignore", "ignore", "pipe", "ipc"],
    });
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.once("message", (m: { ready?: string }) => m.ready && resolvePromise({ child, url: m.ready }));
    child.once("exit", (code) => reject(new Error(`the sequencer exited with code ${code} before it was ready\n${stderr}`)));
  });
}

/**
 * Starts a whole devnet in one call: a Hardhat L1 (or an existing L1 via `l1RpcUrl`), the
 * rollup contracts, the sequencer in its own process, and L2 accounts for the first dev
 * accounts in ETH and the test token. Resolves when those accounts are on L2.
 *
 * @example
 * const devnet = await startDevnet({ l1Port: 0, l2Port: 0 })
 * console.log(devnet.info.l2.rpcUrl)
 * await devnet.warp(devnet.info.challengeWindow + 1)
 * await devnet.stop()
 */
export async function startDevnet(options: DevnetOptions = {}): Promise<Devnet> {
  const o = { ...DEFAULTS, ...(options.l2Port === 0 ? { beaconPort: 0 } : {}), ...options };
  const zkMode = options.settlement === "zk";
  const zkSlots = options.zkSlots ?? 4;
  const proverWorkers = Math.max(1, Math.min(options.proverWorkers ?? 2, availableParallelism()));
  if (zkMode && options.fault) throw new Error("fault injection needs optimistic settlement");
  if (zkMode && o.da !== "calldata") throw new Error("ZK settlement posts batch data as calldata");
  // The circuit build and setup (CPU) run while the L1 starts and the contracts deploy (I/O).
  const zkKeys = zkMode ? prepareZk(o.levels, zkSlots, options.onLog ?? (() => {})) : undefined;
  zkKeys?.catch(() => undefined);
  const dataDir = resolve(options.dataDir ?? ".devnet");
  rmSync(join(dataDir, "sequencer"), { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });

  let l1: HardhatL1 | undefined;
  const l1Url = options.l1RpcUrl ?? (l1 = await startHardhatL1({ host: o.host, port: o.l1Port })).url;
  const l1ChainId = Number(await rpc(l1Url, "eth_chainId"));
  const chain: Chain = defineChain({
    id: l1ChainId,
    name: "Devnet L1",
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [l1Url] } },
  });
  const transport = http(l1Url, { batch: false });
  const l1Client = createPublicClient({ chain, transport, pollingInterval: 50 });
  // Sidecars live as long as the L1 they were posted to: a fresh Hardhat L1 starts without them.
  const blobDir = join(dataDir, "blobs");
  if (!options.l1RpcUrl) rmSync(blobDir, { recursive: true, force: true });
  const beacon = await startBeaconServer({ host: o.host, port: o.beaconPort, l1: l1Client, blobDir });
  const accounts = devAccounts(20);
  const operator = accounts[OPERATOR_ACCOUNT]!;
  const operatorWallet = createWalletClient({ chain, transport, account: privateKeyToAccount(operator.privateKey) });

  const deployment = await deployContracts(l1Client, operatorWallet, {
    levels: o.levels,
    l2ChainId: o.l2ChainId,
    challengeWindow: o.challengeWindow,
    inclusionWindow: o.inclusionWindow,
    minBond: parseEther("1"),
    proposer: operator.address,
    clockBudget: o.clockBudget,
  });
  const { rollup, bridge, testToken } = deployment.contracts;
  let zkInfo: DevnetInfo["zk"] = null;
  let zkKeyFiles: { wasm: string; zkey: string } | undefined;
  if (zkKeys) {
    const { build, keys, verifier } = await zkKeys;
    const deployed = await operatorWallet.deployContract({ abi: verifier.abi as never, bytecode: verifier.bytecode as `0x${string}` });
    const receipt = await l1Client.waitForTransactionReceipt({ hash: deployed });
    if (receipt.status !== "success" || !receipt.contractAddress) throw new Error(`the verifier deployment failed in ${deployed}`);
    const verifierAddress = receipt.contractAddress.toLowerCase() as Address;
    const set = await l1Client.waitForTransactionReceipt({
      hash: await operatorWallet.writeContract({
        address: rollup,
        abi: rollupAbi,
        functionName: "setZkVerifier",
        args: [verifierAddress, BigInt(o.levels), BigInt(zkSlots)],
      }),
    });
    if (set.status !== "success") throw new Error("setZkVerifier reverted");
    zkInfo = { verifier: verifierAddress, slots: zkSlots, setup: keys.kind, circuit: build.dir, constraints: build.constraints, proverWorkers };
    zkKeyFiles = { wasm: build.wasm, zkey: keys.zkey };
  }
  const minBond = await l1Client.readContract({ address: rollup, abi: rollupAbi, functionName: "minBond" });
  await l1Client.waitForTransactionReceipt({
    hash: await operatorWallet.writeContract({ address: rollup, abi: rollupAbi, functionName: "depositBond", value: minBond }),
  });

  // L2 accounts for the first dev accounts: ETH and test token, created through the bridge
  // exactly as a user would (L2 key derived from an L1 signature).
  const funded = accounts.slice(0, o.fundedAccounts);
  const domain = { l1ChainId, l2ChainId: o.l2ChainId, rollupAddress: rollup };
  // A faulty proposer steals into its own L2 account (fault bad-signature): give it one.
  for (const dev of options.fault ? [...funded, operator] : funded) {
    const wallet = createWalletClient({ chain, transport, account: privateKeyToAccount(dev.privateKey) });
    const l2Key = l2PrivateKeyFromSignature(await wallet.signMessage({ message: keyDerivationMessage(domain) }));
    const { x, y } = publicKeyOf(l2Key);
    const tokenAmount = parseEther("1000");
    const txs = [
      await wallet.writeContract({ address: testToken, abi: erc20Abi, functionName: "mint", args: [dev.address, parseEther("1000000")] }),
      await wallet.writeContract({ address: testToken, abi: erc20Abi, functionName: "approve", args: [bridge, parseEther("1000000")] }),
      await wallet.writeContract({ address: bridge, abi: bridgeAbi, functionName: "createAccount", args: [0, parseEther("100"), x, y], value: parseEther("100") }),
      await wallet.writeContract({ address: bridge, abi: bridgeAbi, functionName: "createAccount", args: [deployment.testTokenId, tokenAmount, x, y] }),
    ];
    for (const hash of txs) await l1Client.waitForTransactionReceipt({ hash });
  }

  const sequencerConfig: SequencerNodeConfig = {
    l1RpcUrl: l1Url,
    l1ChainId,
    l2ChainId: o.l2ChainId,
    contracts: deployment.contracts,
    deployBlock: deployment.deployBlock,
    proposerKey: operator.privateKey,
    levels: o.levels,
    dataDir: join(dataDir, "sequencer"),
    rpcHost: o.host,
    rpcPort: o.l2Port,
    maxBatchOps: o.batchSize,
    maxBatchDelayMs: o.batchIntervalMs,
    pollIntervalMs: 100,
    feeRecipient: operator.address,
    feeTokens: [0, deployment.testTokenId, NO_TOKEN, NO_TOKEN],
    fault: options.fault,
    da: o.da,
    blobDir,
    ...(zkKeyFiles ? { settlement: "zk" as const, zk: { ...zkKeyFiles, slots: zkSlots, workers: proverWorkers } } : {}),
  };
  const configPath = join(dataDir, "sequencer.json");
  writeFileSync(configPath, JSON.stringify(sequencerConfig, null, 2));
  let { child, url: l2Url } = await spawnSequencer(configPath, o.verbose ?? false);
  if (o.l2Port === 0) {
    // Keep the port the first start picked, so restarts serve on the same URL.
    writeFileSync(configPath, JSON.stringify({ ...sequencerConfig, rpcPort: Number(new URL(l2Url).port) }, null, 2));
  }

  // ZK batches are final at once and cannot be disputed: no challenger / defender agent.
  const challengerDev = options.challenger === false || zkMode ? undefined : accounts[CHALLENGER_ACCOUNT]!;
  let agent: ChildProcess | undefined;
  if (challengerDev) {
    const agentConfig: ChallengerAgentConfig = {
      l1RpcUrl: l1Url,
      contracts: deployment.contracts,
      fromBlock: deployment.deployBlock,
      challengerKey: challengerDev.privateKey,
      defendKeys: [operator.privateKey],
      pollIntervalMs: 200,
      beaconUrl: beacon.url,
    };
    const agentConfigPath = join(dataDir, "challenger.json");
    writeFileSync(agentConfigPath, JSON.stringify(agentConfig, null, 2));
    agent = await spawnChallenger(agentConfigPath, o.verbose ?? false, options.onChallengerLog);
  }
  const challengeBond = await l1Client.readContract({ address: deployment.contracts.disputeGame, abi: disputeGameAbi, functionName: "challengeBond" });

  const sequencer: SequencerProcess = {
    get url() {
      return l2Url;
    },
    kill: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null || child.signalCode !== null) return done();
        child.once("exit", () => done());
        child.kill("SIGKILL");
      }),
    restart: async () => {
      ({ child, url: l2Url } = await spawnSequencer(configPath, o.verbose ?? false));
    },
  };

  // The funded accounts exist on L2 once the sequencer has put the queue entries in a batch.
  const indexOf = new Map<string, { ETH: number; TEST: number }>();
  const deadline = Date.now() + 30_000;
  while (indexOf.size < funded.length) {
    if (Date.now() > deadline) throw new Error("the dev accounts did not appear on L2 within 30 s");
    for (const dev of funded) {
      const found = (await rpc(l2Url, "rollup_getAccountsByOwner", [dev.address])) as { index: number; tokenId: number }[];
      const eth = found.find((a) => a.tokenId === 0);
      const test = found.find((a) => a.tokenId === deployment.testTokenId);
      if (eth && test) indexOf.set(dev.address, { ETH: eth.index, TEST: test.index });
    }
    if (indexOf.size < funded.length) await new Promise((r) => setTimeout(r, 100));
  }

  const info: DevnetInfo = {
    l1: { rpcUrl: l1Url, chainId: l1ChainId },
    l2: { rpcUrl: l2Url, chainId: o.l2ChainId },
    chainIds: { l1: l1ChainId, l2: o.l2ChainId },
    contracts: deployment.contracts,
    tokens: { ETH: 0, TEST: deployment.testTokenId },
    settlement: zkMode ? "zk" : "optimistic",
    zk: zkInfo,
    levels: o.levels,
    challengeWindow: o.challengeWindow,
    dispute: {
      game: deployment.contracts.disputeGame,
      challengeBond: challengeBond.toString(),
      clockBudget: o.clockBudget,
      challenger: challengerDev ?? null,
    },
    deployBlock: deployment.deployBlock,
    da: o.da,
    beacon: { url: beacon.url },
    operator,
    accounts: accounts.slice(0, 10).map((a) => ({ ...a, l2Accounts: indexOf.get(a.address) ?? null })),
  };
  if (options.writeJson) writeFileSync(options.writeJson, `${JSON.stringify(info, null, 2)}\n`);

  return {
    info,
    l1Client,
    sequencer,
    challenger: agent && { stop: () => stopChild(agent!) },
    client: (account = 0) =>
      createRollupClient({ l1RpcUrl: l1Url, l2RpcUrl: sequencer.url, account: accounts[account]!.privateKey, pollingInterval: 50 }),
    async warp(seconds: number) {
      await rpc(l1Url, "evm_increaseTime", [seconds]);
      await rpc(l1Url, "evm_mine");
    },
    async stop() {
      await Promise.all([stopChild(child), agent && stopChild(agent)]);
      await beacon.close();
      await l1?.close();
    },
  };
}

/**
 * The ZK circuit for (levels, slots), its INSECURE dev setup and its verifier compiled with
 * solc-js; each piece is cached next to the circuit build (`.circuits/<hash>/`).
 */
async function prepareZk(
  levels: number,
  slots: number,
  log: (line: string) => void,
): Promise<{ build: CircuitBuild; keys: SetupResult; verifier: CompiledContract }> {
  const build = await buildCircuit({ levels, nOps: slots }, { log });
  const keys = await setup(build, { log });
  const name = verifierName({ levels, nOps: slots });
  const cached = `${keys.zkey}.${name}.json`;
  if (existsSync(cached) && statSync(cached).mtimeMs >= statSync(keys.zkey).mtimeMs) {
    log(`verifier ${name}: cached in ${cached}`);
    return { build, keys, verifier: JSON.parse(readFileSync(cached, "utf8")) as CompiledContract };
  }
  log(`verifier ${name}: generating and compiling with solc-js`);
  const verifier = compileVerifier(await generateVerifierSource(keys.zkey, name), name);
  writeFileSync(cached, JSON.stringify(verifier));
  return { build, keys, verifier };
}
