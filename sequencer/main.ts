/**
 * Runs a sequencer as its own process: `node --import tsx sequencer/main.ts <config.json>`.
 * The config file is a `SequencerNodeConfig` (the devnet writes one). SIGINT/SIGTERM stop it
 * cleanly; SIGKILL loses nothing acknowledged (see sequencer/store.ts). With ZK settlement,
 * this entry point gives the node its prover: prover/'s Groth16 queue on worker threads.
 */
import { readFileSync } from "node:fs";
import { ProverQueue, proofCalldata } from "../prover/prover.js";
import { startSequencerNode, type SequencerNodeConfig } from "./node.js";
import { type BatchProver } from "./zk-settlement.js";

/** A `BatchProver` proving with Groth16 on `workers` worker threads (default 1). */
function groth16BatchProver(zk: { readonly wasm: string; readonly zkey: string; readonly workers?: number }): BatchProver {
  const queue = new ProverQueue({ wasm: zk.wasm, zkey: zk.zkey, workers: zk.workers ?? 1 });
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
const config = JSON.parse(readFileSync(path, "utf8")) as SequencerNodeConfig;
const prover = config.settlement === "zk" && config.zk ? groth16BatchProver(config.zk) : undefined;
const node = await startSequencerNode(config, { prover }).catch(async (e: unknown) => {
  // The prover's worker threads would keep a process that failed to start alive.
  await prover?.close();
  throw e;
});
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
