import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createHardhatRuntimeEnvironment } from "hardhat/hre";
import hardhatConfig from "../hardhat.config.js";

/** The project root: where hardhat.config.ts, contracts/ and artifacts/ are. */
export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** A running Hardhat L1 served over JSON-RPC. */
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
