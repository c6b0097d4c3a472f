#!/usr/bin/env node
/**
 * Runs after `npm install` / `npm ci`. In a checkout it regenerates what is built, not
 * committed: the Poseidon constants table for core/crypto, the Poseidon Solidity contracts,
 * and the native crypto addon. Installed as a package (no sources, everything compiled in
 * dist/), it only builds the native addon in dist/native. The addon never fails the install:
 * without a compiler, core/crypto falls back to TypeScript.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const checkout = existsSync(join(root, "hardhat.config.ts"));
const steps = checkout
  ? [
      ["Poseidon constants", ["scripts/gen-poseidon-constants.mjs"]],
      ["Poseidon Solidity", ["--import", "tsx", "scripts/gen-poseidon-sol.ts"]],
      ["native crypto addon", ["scripts/build-native.mjs"]],
    ]
  : [["native crypto addon", ["scripts/build-native.mjs", join(root, "dist/native")]]];
for (const [name, args] of steps) {
  const started = Date.now();
  const { status } = spawnSync(process.execPath, args, { cwd: root, stdio: "inherit" });
  if (status !== 0) {
    console.error(`[postinstall] ${name} failed (exit ${status})`);
    process.exit(status ?? 1);
  }
  console.log(`[postinstall] ${name}: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
