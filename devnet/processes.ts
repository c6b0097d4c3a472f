/**
 * The devnet's child processes: the sequencer (sequencer/main.ts), the challenger / defender
 * agent (sequencer/challenger/main.ts) and, with ZK settlement, the prover service
 * (prover/main.ts), each started from a JSON config file in the data folder, with their log
 * lines forwarded when asked.
 */
import { fork, type ChildProcess } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { entryPoint } from "../core/entry-point.js";
import { NO_TOKEN } from "../core/index.js";
import { type ProverServiceConfig } from "../prover/server.js";
import { type ChallengerAgentConfig } from "../sequencer/challenger/agent.js";
import { type SequencerNodeConfig } from "../sequencer/node.js";
import { type DevAccount } from "./accounts.js";
import { type Deployment } from "./deploy.js";
import { ChildProcessError } from "./errors.js";
import { type ResolvedDevnetOptions } from "./options.js";

/**
 * The sequencer child process, with fault-injection handles for tests.
 *
 * @example
 * await devnet.sequencer.kill()
 * await devnet.sequencer.restart()
 */
export interface SequencerProcess {
  readonly url: string;
  /** Kills the process with SIGKILL (no cleanup) and waits for it to exit. */
  kill(): Promise<void>;
  /** Starts it again on the same data folder and port; resolves when its RPC is up. */
  restart(): Promise<void>;
  /** Stops the node inside its process (the RPC closes, the log is flushed); the process stays. */
  pause(): Promise<void>;
  /** Starts the paused node again from its log, as a restart does, on the same port. */
  resume(): Promise<void>;
}

/**
 * The prover service child process (ZK settlement), with fault-injection handles for tests.
 *
 * @example
 * await devnet.prover!.kill()
 * await devnet.prover!.restart()
 */
export interface ProverProcess {
  /** Its JSON-RPC (core/prover-rpc.ts). */
  readonly url: string;
  /** Kills the process with SIGKILL (its proving processes exit with it) and waits for it to exit. */
  kill(): Promise<void>;
  /** Starts it again on the same port; resolves when its RPC is up. */
  restart(): Promise<void>;
}

/**
 * The challenger agent child process.
 *
 * @example
 * await devnet.challenger?.restart()
 * await devnet.challenger?.stop()
 */
export interface ChallengerProcess {
  /** Stops it (SIGTERM) and waits for it to exit. */
  stop(): Promise<void>;
  /** Starts it again from the same config; resolves when it is ready. */
  restart(): Promise<void>;
  /** Stops the agent inside its process; the process stays. */
  pause(): Promise<void>;
  /** Starts the paused agent again: it derives everything from the L1 as it now is. */
  resume(): Promise<void>;
}

/**
 * What the sequencer's config is made of.
 *
 * @example
 * const parameters: SequencerConfigParameters = { options, l1, deployment, operator, walDir, blobDir, proverUrl: undefined }
 */
export interface SequencerConfigParameters {
  readonly options: ResolvedDevnetOptions;
  readonly l1: { readonly url: string; readonly chainId: number };
  readonly deployment: Deployment;
  readonly operator: DevAccount;
  /** Where the sequencer keeps its write-ahead log. */
  readonly walDir: string;
  /** Where the blob poster publishes sidecars (the Beacon API's folder). */
  readonly blobDir: string;
  /** ZK settlement: the prover service's URL. */
  readonly proverUrl: string | undefined;
}

/**
 * The devnet sequencer's config: the operator proposes and collects fees in ETH and the test
 * token, the L1 is polled every 100 ms.
 *
 * @example
 * const config = sequencerConfig({ options, l1, deployment, operator, walDir, blobDir, proverUrl: undefined })
 */
export function sequencerConfig(parameters: SequencerConfigParameters): SequencerNodeConfig {
  const { options: o, l1, deployment, operator, walDir, blobDir, proverUrl } = parameters;
  return {
    l1RpcUrl: l1.url,
    l1ChainId: l1.chainId,
    l2ChainId: o.l2ChainId,
    contracts: deployment.contracts,
    deployBlock: deployment.deployBlock,
    proposerKey: operator.privateKey,
    levels: o.levels,
    dataDir: walDir,
    rpcHost: o.host,
    rpcPort: o.l2Port,
    maxBatchOps: o.batchSize,
    maxBatchDelayMs: o.batchIntervalMs,
    pollIntervalMs: 100,
    feeRecipient: operator.address,
    feeTokens: [0, deployment.testTokenId, NO_TOKEN, NO_TOKEN],
    fault: o.fault,
    da: o.da,
    blobDir,
    ...(proverUrl ? { settlement: "zk" as const, zk: { slots: o.zkSlots, proverUrl } } : {}),
  };
}

/**
 * Writes the config to `<dataDir>/sequencer.json` and starts the sequencer from it; resolves
 * when its RPC is up. A port of 0 is replaced in the file by the one the first start picked,
 * so restarts serve on the same URL.
 *
 * @example
 * const sequencer = await startSequencerProcess(config, { dataDir, verbose: false })
 * await sequencer.restart()
 * await sequencer.stop()
 */
export async function startSequencerProcess(
  config: SequencerNodeConfig,
  options: { readonly dataDir: string; readonly verbose: boolean },
): Promise<SequencerProcess & { stop(): Promise<void> }> {
  const configPath = join(options.dataDir, "sequencer.json");
  writeFileSync(configPath, JSON.stringify(config, null, 2));
  let { child, url } = await spawnSequencer(configPath, options.verbose);
  if (config.rpcPort === 0) writeFileSync(configPath, JSON.stringify({ ...config, rpcPort: Number(new URL(url).port) }, null, 2));
  return {
    get url() {
      return url;
    },
    kill: () => killChild(child),
    restart: async () => {
      ({ child, url } = await spawnSequencer(configPath, options.verbose));
    },
    pause: async () => {
      await ask(child, "the sequencer", { pause: true }, "paused");
    },
    resume: async () => {
      url = String(await ask(child, "the sequencer", { resume: true }, "resumed"));
    },
    stop: () => stopChild(child),
  };
}

/**
 * The devnet agent's config: it challenges wrong batches with `challenger`'s key and defends
 * the operator's batches, reading blob batches from the devnet's Beacon API.
 *
 * @example
 * const config = challengerConfig({ l1Url, deployment, challenger, operator, beaconUrl: beacon.url })
 */
export function challengerConfig(parameters: {
  readonly l1Url: string;
  readonly deployment: Deployment;
  readonly challenger: DevAccount;
  readonly operator: DevAccount;
  readonly beaconUrl: string;
}): ChallengerAgentConfig {
  return {
    l1RpcUrl: parameters.l1Url,
    contracts: parameters.deployment.contracts,
    fromBlock: parameters.deployment.deployBlock,
    challengerKey: parameters.challenger.privateKey,
    defendKeys: [parameters.operator.privateKey],
    pollIntervalMs: 200,
    beaconUrl: parameters.beaconUrl,
  };
}

/**
 * Writes the config to `<dataDir>/challenger.json` and starts the agent from it; resolves when
 * it is ready. Each line it logs goes to `onLine` (without its `[challenger] ` prefix), and to
 * stdout with `verbose`.
 *
 * @example
 * const agent = await startChallengerProcess(config, { dataDir, verbose: false, onLine: console.log })
 * await agent.stop()
 */
export async function startChallengerProcess(
  config: ChallengerAgentConfig,
  options: { readonly dataDir: string; readonly verbose: boolean; readonly onLine: ((line: string) => void) | undefined },
): Promise<ChallengerProcess> {
  const configPath = join(options.dataDir, "challenger.json");
  writeFileSync(configPath, JSON.stringify(config, null, 2));
  let child = await spawnChallenger(configPath, options.verbose, options.onLine);
  return {
    stop: () => stopChild(child),
    restart: async () => {
      child = await spawnChallenger(configPath, options.verbose, options.onLine);
    },
    pause: async () => {
      await ask(child, "the challenger agent", { pause: true }, "paused");
    },
    resume: async () => {
      await ask(child, "the challenger agent", { resume: true }, "resumed");
    },
  };
}

/**
 * Writes the config to `<dataDir>/prover.json` and starts the prover service from it; resolves
 * when its RPC is up. A port of 0 is replaced in the file by the one the first start picked,
 * so restarts serve on the same URL.
 *
 * @example
 * const prover = await startProverProcess(config, { dataDir, verbose: false })
 * await prover.kill()
 * await prover.restart()
 */
export async function startProverProcess(
  config: ProverServiceConfig,
  options: { readonly dataDir: string; readonly verbose: boolean },
): Promise<ProverProcess & { stop(): Promise<void> }> {
  const configPath = join(options.dataDir, "prover.json");
  writeFileSync(configPath, JSON.stringify(config, null, 2));
  const entry = "../prover/main";
  let { child, url } = await spawnService("the prover", entry, configPath, options.verbose);
  if (config.port === 0) writeFileSync(configPath, JSON.stringify({ ...config, port: Number(new URL(url).port) }, null, 2));
  return {
    get url() {
      return url;
    },
    kill: () => killChild(child),
    restart: async () => {
      ({ child, url } = await spawnService("the prover", entry, configPath, options.verbose));
    },
    stop: () => stopChild(child),
  };
}

function spawnSequencer(configPath: string, verbose: boolean): Promise<{ child: ChildProcess; url: string }> {
  return spawnService("the sequencer", "../sequencer/main", configPath, verbose);
}

/** Forks a service entry point (a module name relative to this file, core/entry-point.ts) with its config file; resolves with its URL once it sends `{ ready: url }`. */
function spawnService(what: string, entry: string, configPath: string, verbose: boolean): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolvePromise, reject) => {
    const { url, execArgv } = entryPoint(import.meta.url, entry);
    const child = fork(fileURLToPath(url), [configPath], {
      execArgv,
      stdio: verbose ? ["ignore", "inherit", "inherit", "ipc"] : ["ignore", "ignore", "pipe", "ipc"],
    });
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.once("message", (m: { ready?: string }) => m.ready && resolvePromise({ child, url: m.ready }));
    child.once("exit", (code) => reject(exitedBeforeReady(what, code, stderr, configPath)));
  });
}

function spawnChallenger(configPath: string, verbose: boolean, onLine?: (line: string) => void): Promise<ChildProcess> {
  return new Promise((resolvePromise, reject) => {
    const { url, execArgv } = entryPoint(import.meta.url, "../sequencer/challenger/main");
    const child = fork(fileURLToPath(url), [configPath], {
      execArgv,
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
    child.once("exit", (code) => reject(exitedBeforeReady("the challenger agent", code, stderr, configPath)));
  });
}

function exitedBeforeReady(what: string, code: number | null, stderr: string, configPath: string): ChildProcessError {
  return new ChildProcessError(`${what} exited with code ${code} before it was ready\n${stderr}`, {
    details: `its error is above; it ran with ${configPath} (run with verbose, --verbose, to see its whole log)`,
  });
}

/** Sends a service `message` over its IPC channel and resolves with the `answer` field of its reply. */
function ask(child: ChildProcess, what: string, message: object, answer: string): Promise<unknown> {
  return new Promise((resolvePromise, reject) => {
    const onMessage = (reply: Record<string, unknown>) => {
      if (!(answer in reply)) return;
      child.off("exit", onExit);
      child.off("message", onMessage);
      resolvePromise(reply[answer]);
    };
    const onExit = (code: number | null) => {
      child.off("message", onMessage);
      reject(new ChildProcessError(`${what} exited with code ${code} instead of answering ${JSON.stringify(message)}`, { details: "run with verbose (--verbose) to see its log" }));
    };
    if (!child.connected) {
      reject(new ChildProcessError(`${what} is not running`, { details: "restart it (sequencer.restart(), challenger.restart()) before a snapshot or revert" }));
      return;
    }
    child.on("message", onMessage);
    child.once("exit", onExit);
    child.send(message);
  });
}

function killChild(child: ChildProcess): Promise<void> {
  return new Promise<void>((done) => {
    if (child.exitCode !== null || child.signalCode !== null) return done();
    child.once("exit", () => done());
    child.kill("SIGKILL");
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise<void>((done) => {
    if (child.exitCode !== null || child.signalCode !== null) return done();
    child.once("exit", () => done());
    child.kill("SIGTERM");
  });
}
