/**
 * Runs a sequencer as its own process: `node --import tsx sequencer/main.ts <config.json>`.
 * The config file is a `SequencerNodeConfig` (the devnet writes one). SIGINT/SIGTERM stop it
 * cleanly; SIGKILL loses nothing acknowledged (see sequencer/store.ts).
 */
import { readFileSync } from "node:fs";
import { startSequencerNode, type SequencerNodeConfig } from "./node.js";

const path = process.argv[2];
if (!path) {
  console.error("usage: node --import tsx sequencer/main.ts <config.json>");
  process.exit(2);
}
const config = JSON.parse(readFileSync(path, "utf8")) as SequencerNodeConfig;
const node = await startSequencerNode(config);
console.log(`[sequencer] L2 RPC on ${node.url}`);
process.send?.({ ready: node.url });

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    void node.stop().then(() => process.exit(0));
  });
}
