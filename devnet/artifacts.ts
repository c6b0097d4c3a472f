/**
 * The compiled L1 contracts the devnet deploys. From a checkout (the sources run under tsx)
 * they are compiled first with the repository's hardhat.config.ts, into `artifacts/`; the
 * installed package carries them compiled (`dist/artifacts/`, abi and bytecode only), and
 * needs neither a Hardhat config nor a compiler.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { type Abi, type Hex } from "viem";
import { createHardhatRuntimeEnvironment } from "hardhat/hre";
import { DeploymentError } from "./errors.js";

/**
 * The root of the code: the repository in a checkout, `dist/` in the installed package. Both
 * hold `artifacts/`, `circuits/` and `native/` at the same place relative to the code.
 *
 * @example
 * join(projectRoot, "artifacts")
 */
export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** Whether this code runs from the TypeScript sources of a checkout (not the compiled package). */
const fromSources = import.meta.url.endsWith(".ts");

/**
 * A compiled contract: what deploying it needs.
 *
 * @example
 * const { abi, bytecode }: Artifact = loadArtifact("contracts/L1/Rollup.sol", "Rollup")
 */
export interface Artifact {
  readonly abi: Abi;
  readonly bytecode: Hex;
}

let built: Promise<void> | undefined;

/**
 * In a checkout, compiles the contracts with the repository's hardhat.config.ts (Hardhat's
 * build cache makes this quick when nothing changed), once per process; in the installed
 * package, does nothing.
 *
 * @example
 * await ensureContractsBuilt()
 * const rollup = loadArtifact("contracts/L1/Rollup.sol", "Rollup")
 */
export function ensureContractsBuilt(): Promise<void> {
  if (!fromSources) return Promise.resolve();
  built ??= (async () => {
    // A computed path: the package build (tsc) must not follow it into the repository's config.
    const config = (await import(pathToFileURL(join(projectRoot, "hardhat.config.ts")).href)) as { default: object };
    const hre = await createHardhatRuntimeEnvironment(config.default, {}, projectRoot);
    await hre.tasks.getTask("build").run({ quiet: true });
  })();
  return built;
}

/**
 * Whether a contract's artifact exists (the Poseidon hashers are chains of a generated length).
 *
 * @example
 * hasArtifact("contracts/hashing/generated/PoseidonT9.sol", "PoseidonT9R3") // false when the chain has 3 links
 */
export function hasArtifact(source: string, name: string): boolean {
  return existsSync(artifactPath(source, name));
}

/**
 * Reads a compiled contract's abi and bytecode.
 *
 * @example
 * const { abi, bytecode } = loadArtifact("contracts/L1/Rollup.sol", "Rollup")
 */
export function loadArtifact(source: string, name: string): Artifact {
  const path = artifactPath(source, name);
  let json: Artifact;
  try {
    json = JSON.parse(readFileSync(path, "utf8")) as Artifact;
  } catch (cause) {
    throw new DeploymentError(`cannot read the compiled contract ${name} (${path})`, {
      details: fromSources ? "compile the contracts: npx hardhat build" : "the package is damaged: install it again",
      cause,
    });
  }
  return { abi: json.abi, bytecode: json.bytecode };
}

function artifactPath(source: string, name: string): string {
  return join(projectRoot, "artifacts", source, `${name}.json`);
}
