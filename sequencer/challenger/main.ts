/**
 * Runs the challenger / defender agent as its own process:
 * `node --import tsx sequencer/challenger/main.ts <config.json>`. The config file is a
 * `ChallengerAgentConfig` (the devnet writes one). Every move is one line on stdout.
 */
import { readFileSync } from "node:fs";
import { startChallengerAgent, type ChallengerAgentConfig } from "./agent.js";

const path = process.argv[2];
if (!path) {
  console.error("usage: node --import tsx sequencer/challenger/main.ts <config.json>");
  process.exit(2);
}
const config = JSON.parse(readFileSync(path, "utf8")) as ChallengerAgentConfig;
const agent = await startChallengerAgent(config, (line) => console.log(`[challenger] ${line}`));
process.send?.({ ready: true });

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    void agent.stop().then(() => process.exit(0));
  });
}
