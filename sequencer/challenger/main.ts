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
const start = () => startChallengerAgent(config, (line) => console.log(`[challenger] ${line}`));
let agent: Awaited<ReturnType<typeof startChallengerAgent>> | undefined = await start();
process.send?.({ ready: true });

// A devnet snapshot or revert pauses the agent and resumes it: it derives everything again
// from the L1 as it then is, as after a restart, without a new process.
let control: Promise<unknown> = Promise.resolve();
process.on("message", (message: { pause?: true; resume?: true }) => {
  control = control.then(async () => {
    // Each message is answered, also when the agent already is as asked.
    if (message.pause) {
      await agent?.stop();
      agent = undefined;
      process.send?.({ paused: true });
    } else if (message.resume) {
      agent ??= await start();
      process.send?.({ resumed: true });
    }
  });
});

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    void control.then(() => agent?.stop()).then(() => process.exit(0));
  });
}
