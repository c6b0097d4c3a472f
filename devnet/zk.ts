/**
 * The devnet's ZK settlement: the circuit for (levels, slots), its INSECURE dev setup and its
 * Groth16 verifier (built while the L1 starts), then the verifier deployed and set on the
 * rollup.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { type Account, type Chain, type PublicClient, type Transport, type WalletClient } from "viem";
import { type Address, rollupAbi } from "../core/index.js";
import { buildCircuit, type CircuitBuild } from "../prover/circuit.js";
import { type ProverServiceConfig } from "../prover/server.js";
import { setup, type SetupResult } from "../prover/setup.js";
import { compileVerifier, generateVerifierSource, verifierName, type CompiledContract } from "../prover/verifier.js";
import { DeploymentError } from "./errors.js";

/**
 * The circuit, its keys and its compiled verifier.
 *
 * @example
 * const { build, keys, verifier }: PreparedZk = await prepareZk(8, 4, console.log)
 */
export interface PreparedZk {
  readonly build: CircuitBuild;
  readonly keys: SetupResult;
  readonly verifier: CompiledContract;
}

/**
 * The ZK settlement as deployed: what devnet.json says about it.
 *
 * @example
 * const { verifier, slots, setup }: ZkDeployment = (await deployZkVerifier(client, wallet, prepared, options)).info
 */
export interface ZkDeployment {
  readonly verifier: Address;
  readonly slots: number;
  /** "dev": INSECURE development setup with publicly known toxic waste (docs/zk.md). */
  readonly setup: "dev" | "ptau";
  readonly circuit: string;
  readonly constraints: number;
  /** Proving processes of the prover service (each uses every core). */
  readonly proverWorkers: number;
  /** The prover service's JSON-RPC (docs/zk.md); set once it runs. */
  readonly proverUrl?: string;
}

/**
 * The ZK circuit for (levels, slots), its INSECURE dev setup and its verifier compiled with
 * solc-js; each piece is cached next to the circuit build (`.circuits/<hash>/`).
 *
 * @example
 * const prepared = await prepareZk(8, 4, (line) => console.log(line))
 */
export async function prepareZk(levels: number, slots: number, log: (line: string) => void): Promise<PreparedZk> {
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

/**
 * Deploys the prepared verifier (before the rollup, whose constructor fixes it with the
 * circuit's slots); returns what devnet.json says about it.
 *
 * @example
 * const { info } = await deployZkVerifier(client, operatorWallet, prepared, { slots: 32, proverWorkers: 1 })
 */
export async function deployZkVerifier(
  publicClient: PublicClient,
  wallet: WalletClient<Transport, Chain, Account>,
  prepared: PreparedZk,
  options: { readonly slots: number; readonly proverWorkers: number },
): Promise<{ info: ZkDeployment }> {
  const { build, keys, verifier } = prepared;
  const deployed = await wallet.deployContract({ abi: verifier.abi as never, bytecode: verifier.bytecode as `0x${string}` });
  const receipt = await publicClient.waitForTransactionReceipt({ hash: deployed });
  if (receipt.status !== "success" || !receipt.contractAddress) {
    throw new DeploymentError(`the verifier deployment failed in ${deployed}`, { details: `the operator needs ETH on L1; read the revert reason with debug_traceTransaction on ${deployed}` });
  }
  const verifierAddress = receipt.contractAddress.toLowerCase() as Address;
  return { info: { verifier: verifierAddress, slots: options.slots, setup: keys.kind, circuit: build.dir, constraints: build.constraints, proverWorkers: options.proverWorkers } };
}

/**
 * The prover service's config for the prepared circuit: the same at the first start and at
 * every start that attaches to the deployment.
 *
 * @example
 * const config = proverServiceConfig(prepared, { slots: 32, proverWorkers: 1, host: "127.0.0.1" })
 */
export function proverServiceConfig(prepared: PreparedZk, options: { readonly slots: number; readonly proverWorkers: number; readonly host: string }): ProverServiceConfig {
  const { build, keys } = prepared;
  return {
    wasm: build.wasm,
    zkey: keys.zkey,
    circuit: { dir: build.dir, constraints: build.constraints, slots: options.slots, levels: build.levels },
    host: options.host,
    port: 0,
    processes: options.proverWorkers,
  };
}
