#!/usr/bin/env node
/**
 * `npm run build`, and `prepare`: builds what the installed package runs,
 * into dist/, a mirror of the repository's layout so every path relative to the code holds:
 *
 *   dist/{core,derive,sequencer,prover,client,devnet,dashboard}/  the TypeScript compiled to ESM + .d.ts
 *   dist/dashboard/public/                           the dashboard's page
 *   dist/scripts/devnet.js                           the `rollup-devnet` command
 *   dist/artifacts/                                  abi and bytecode of the contracts the devnet deploys
 *   dist/circuits/                                   the circom sources (ZK settlement compiles them)
 *   dist/native/                                     the C addon's sources (built at install)
 *
 * The contracts are compiled first (hardhat build); the Poseidon sources and tables it needs
 * are generated at install (scripts/postinstall.mjs).
 *
 * With --if-packing (the `prepare` script) it builds only when npm prepares this package to be
 * packed: `npm pack`, or an install from a git URL or a folder (--install-links); not on a
 * plain `npm install` in the checkout.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "dist");
const require = createRequire(import.meta.url);

// npm sets npm_package_resolved only when it runs the script for a package it installs or packs.
if (process.argv.includes("--if-packing") && !process.env.npm_package_resolved) process.exit(0);

/** The Solidity sources whose contracts the devnet deploys (devnet/deploy.ts, prover/verifier.ts compiles its own). */
const DEPLOYED_SOURCES = [
  "contracts/L1/Bridge.sol",
  "contracts/L1/Rollup.sol",
  "contracts/dispute/DisputeGame.sol",
  "contracts/dispute/OneStepProver.sol",
  "contracts/hashing/generated/PoseidonT3.sol",
  "contracts/hashing/generated/PoseidonT6.sol",
  "contracts/hashing/generated/PoseidonT9.sol",
  "contracts/test/TestERC20.sol",
];

function run(what, command, args) {
  const started = Date.now();
  const { status } = spawnSync(command, args, { cwd: root, stdio: "inherit" });
  if (status !== 0) {
    console.error(`[build] ${what} failed (exit ${status})`);
    process.exit(status ?? 1);
  }
  console.log(`[build] ${what}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

rmSync(dist, { recursive: true, force: true });
run("contracts", process.execPath, [join(dirname(require.resolve("hardhat/package.json")), "dist/src/cli.js"), "build", "--quiet"]);
run("TypeScript", process.execPath, [require.resolve("typescript/bin/tsc"), "-p", "tsconfig.build.json"]);

for (const source of DEPLOYED_SOURCES) {
  const dir = join(root, "artifacts", source);
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".json") && !f.endsWith(".dbg.json"))) {
    const { contractName, abi, bytecode } = JSON.parse(readFileSync(join(dir, file), "utf8"));
    mkdirSync(join(dist, "artifacts", source), { recursive: true });
    writeFileSync(join(dist, "artifacts", source, file), JSON.stringify({ contractName, abi, bytecode }));
  }
}
for (const file of readdirSync(join(root, "circuits")).filter((f) => f.endsWith(".circom"))) {
  cpSync(join(root, "circuits", file), join(dist, "circuits", file));
}
// The dashboard's page, served from beside dashboard/server.js.
cpSync(join(root, "dashboard", "public"), join(dist, "dashboard", "public"), { recursive: true });
for (const file of ["binding.gyp", "rollup_crypto.c"]) cpSync(join(root, "native", file), join(dist, "native", file));
for (const bin of ["scripts/devnet.js", "client/bin.js"]) chmodSync(join(dist, bin), 0o755);

const bytes = (dir) => readdirSync(dir).reduce((sum, name) => sum + (statSync(join(dir, name)).isDirectory() ? bytes(join(dir, name)) : statSync(join(dir, name)).size), 0);
console.log(`[build] ${relative(process.cwd(), dist) || "."}: ${(bytes(dist) / 1e6).toFixed(2)} MB`);
if (!existsSync(join(dist, "devnet/index.d.ts"))) {
  console.error("[build] dist/devnet/index.d.ts is missing: tsconfig.build.json must emit declarations");
  process.exit(1);
}
