/**
 * Runs a sequencer as its own process: `node --import tsx sequencer/main.ts <config.json>`.
 * The config file is a `SequencerNodeConfig` (the devnet writes one). SIGINT/SIGTERM stop it
 * cleanly; SIGKILL loses nothing acknowledged (see sequencer/store.ts). With ZK settlement,
 * this entry point gives the node its prover: a client of the prover service at
 * `zk.proverUrl` (sequencer/remote-prover.ts), or else prover/'s Groth16 queue on proving
 * processes of its own.
 */
import { readFileSync } from "node:fs";
import { ProverQueue, proofCalldata } from "../prover/prover.js";
import { startSequencerNode, type SequencerNodeConfig } from "./node.js";
import { SequencerConfigError } from "./errors.js";
import { createRemoteBatchProver } from "./remote-prover.js";
import { type BatchProver } from "./zk-settlement.js";

/** A `BatchProver` proving with Groth16 on `workers` proving processes of its own (default 1). */
function groth16BatchProver(zk: NonNullable<SequencerNodeConfig["zk"]>): BatchProver {
  if (!zk.wasm || !zk.zkey) {
    throw new SequencerConfigError("zk needs proverUrl, or wasm and zkey", { details: "give the config a prover service's URL (npm run prover), or the circuit's wasm and proving key" });
  }
  const queue = new ProverQueue({ wasm: zk.wasm, zkey: zk.zkey, processes: zk.workers ?? 1 });
  return {
    submit: (input, id) => queue.submit(input, id).then((result) => ({ calldata: proofCalldata(result.proof), seconds: result.seconds })),
    status: (id) => queue.status(id),
    get pending() {
      return queue.pending;
    },
    close: () => queue.close(),
  };
}

const path = process.argv[2];
if (!path) {
  console.error("usage: node --import tsx sequencer/main.ts <config.json>");
  process.exit(2);
}

/** Starts the node from the config file (read again each time: a first start on port 0 writes its port into it). */
async function start(): Promise<Awaited<ReturnType<typeof startSequencerNode>>> {
  const config = JSON.parse(readFileSync(path!, "utf8")) as SequencerNodeConfig;
  const zk = config.settlement === "zk" ? config.zk : undefined;
  const prover = zk && (zk.proverUrl ? createRemoteBatchProver({ url: zk.proverUrl, logError: (line) => console.error(`[sequencer] ${line}`) }) : groth16BatchProver(zk));
  return startSequencerNode(config, { prover }).catch(async (e: unknown) => {
    // The prover's processes would keep a process that failed to start alive.
    await prover?.close();
    throw e;
  });
}

let node: Awaited<ReturnType<typeof startSequencerNode>> | undefined = await start();
console.log(`[sequencer] L2 RPC on ${node.url}`);
process.send?.({ ready: node.url });

// A devnet snapshot or revert (devnet/snapshots.ts) pauses the node and resumes it: the same
// stop and start from the write-ahead log as a restart, without a new process.
let control: Promise<unknown> = Promise.resolve();
process.on("message", (message: { pause?: true; resume?: true }) => {
  control = control.then(async () => {
    // Each message is answered, also when the node already is as asked.
    if (message.pause) {
      await node?.stop();
      node = undefined;
      process.send?.({ paused: true });
    } else if (message.resume) {
      node ??= await start();
      process.send?.({ resumed: node.url });
    }
  });
});

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    void control.then(() => node?.stop()).then(() => process.exit(0));
  });
}
