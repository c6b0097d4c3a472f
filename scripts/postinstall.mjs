#!/usr/bin/env node
/**
 * Runs after `npm install` / `npm ci`: regenerates what is built, not committed —
 * the Poseidon constants table for core/crypto, the Poseidon Solidity contracts, and the
 * native crypto addon (which falls back to TypeScript if it cannot be built).
 */
import { spawnSync } from "node:child_process";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const steps = [
  ["Poseidon constants", ["scripts/gen-poseidon-constants.mjs"]],
  ["Poseidon Solidity", ["--import", "tsx", "scripts/gen-poseidon-sol.ts"]],
  ["native crypto addon", ["scripts/build-native.mjs"]],
];
for (const [name, args] of steps) {
  const started = Date.now();
  const { status } = spawnSync(process.execPath, args, { cwd: root, stdio: "inherit" });
  if (status !== 0) {
    console.error(`[postinstall] ${name} failed (exit ${status})`);
    process.exit(status ?? 1);
  }
  console.log(`[postinstall] ${name}: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
