/**
 * Runs the prover service as its own process: `node --import tsx prover/main.ts <config.json>`
 * (`npm run prover -- <config.json>`). The config is a `ProverServiceConfig`; the devnet writes
 * one. It answers the JSON-RPC of core/prover-rpc.ts (docs/zk.md); SIGINT/SIGTERM stop it.
 */
import { readFileSync } from "node:fs";
import { type ProverServiceConfig, startProverServer } from "./server.js";

const path = process.argv[2];
if (!path) {
  console.error("usage: node --import tsx prover/main.ts <config.json>");
  process.exit(2);
}
const config = JSON.parse(readFileSync(path, "utf8")) as ProverServiceConfig;
const server = await startProverServer({ ...config, log: (line) => console.log(`[prover] ${line}`) });
console.log(`[prover] JSON-RPC on ${server.url} (circuit ${config.circuit.dir}, ${config.circuit.slots} slots)`);
process.send?.({ ready: server.url });

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    void server.close().then(() => process.exit(0));
  });
}
