#!/usr/bin/env node
/**
 * Builds native/ (the rollup_crypto Node-API addon) with node-gyp; another folder holding
 * its sources (the installed package's dist/native) can be given as the first argument.
 *
 * Never fails the install: without a compiler, Python or node-gyp it prints
 * one warning line and exits 0, and core/crypto falls back to TypeScript.
 * Headers come from npm's `nodedir` config or the local /usr/include/node
 * when present (no download needed; N-API builds are ABI-stable across Node
 * versions), else node-gyp downloads them for the running Node.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const nativeDir = process.argv[2] ? resolve(process.argv[2]) : join(root, "native");

function warn(reason) {
  console.warn(`[build-native] WARNING: native crypto addon not built (${reason}); using the slower TypeScript fallback.`);
  process.exit(0);
}

function findNodeGyp() {
  const candidates = [
    // npm sets this when running lifecycle scripts.
    process.env.npm_config_node_gyp,
    // npm bundled next to the running node (e.g. /usr/bin/node -> /usr/lib/node_modules/npm).
    join(dirname(process.execPath), "../lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js"),
    "/usr/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js",
    "/usr/local/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js",
  ];
  return candidates.find((p) => p && existsSync(p));
}

function findNodeDir() {
  const configured = process.env.npm_config_nodedir;
  if (configured && existsSync(join(configured, "include/node/node_api.h"))) return configured;
  for (const dir of [resolve(dirname(process.execPath), ".."), "/usr/local", "/usr"]) {
    if (existsSync(join(dir, "include/node/node_api.h"))) return dir;
  }
  return undefined;
}

const cc = process.env.CC || "cc";
if (spawnSync(cc, ["--version"], { stdio: "ignore" }).status !== 0) warn(`no C compiler ("${cc}") found`);

const nodeGyp = findNodeGyp();
if (!nodeGyp) warn("node-gyp not found");

const args = [nodeGyp, "rebuild", "--directory", nativeDir];
const nodeDir = findNodeDir();
if (nodeDir) args.push(`--nodedir=${nodeDir}`);

const result = spawnSync(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"], encoding: "utf8" });
if (result.status !== 0) {
  const lastError = `${result.stderr}`.split("\n").filter((l) => /error/i.test(l)).pop();
  warn(`node-gyp failed${lastError ? `: ${lastError.trim()}` : ""}; run "node ${args.join(" ")}" for details`);
}
console.log(`[build-native] built ${join(nativeDir, "build/Release/rollup_crypto.node")}`);
