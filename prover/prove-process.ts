/**
 * A proving process of `ProverQueue` (prover/prover.ts), started with `fork`: computes the
 * witness with the circuit's wasm and a Groth16 proof with snarkjs, one job at a time. In a
 * process of its own (not a worker thread) ffjavascript starts its multi-threaded curve, so
 * every core works on one proof (prover/groth16.ts). The proving key stays loaded between
 * jobs.
 *
 * Messages in:  ProveRequest    Messages out: ProveResponse
 */
import { readFileSync } from "node:fs";
import { type CircuitInput } from "../core/index.js";
import { type ProvingKey, proveGroth16, readProvingKey } from "./groth16.js";

/** One job for the process. */
export interface ProveRequest {
  readonly id: string;
  readonly wasm: string;
  readonly zkey: string;
  readonly input: CircuitInput;
}

/** The process's answer: a proof or the error that stopped it. */
export type ProveResponse =
  | { readonly id: string; readonly ok: true; readonly proof: object; readonly publicSignals: string[]; readonly seconds: number }
  | { readonly id: string; readonly ok: false; readonly error: string };

const snarkjs = await import("snarkjs");
// Started here, once: snarkjs finds it in globalThis.curve_bn128 and reuses it for every proof.
const curve = (await snarkjs.curves.getCurveFromName("bn128")) as unknown as Parameters<typeof readProvingKey>[0];

// The proving key is read once per file (hundreds of MB at 32 slots), not once per proof.
const keys = new Map<string, ProvingKey>();

async function prove(request: ProveRequest): Promise<ProveResponse> {
  const started = performance.now();
  try {
    const witness: { type: "mem"; data?: Uint8Array } = { type: "mem" };
    await snarkjs.wtns.calculate(request.input, request.wasm, witness);
    let key = keys.get(request.zkey);
    if (!key) keys.set(request.zkey, (key = readProvingKey(curve, new Uint8Array(readFileSync(request.zkey)))));
    const { proof, publicSignals } = await proveGroth16(curve, key, witness.data!);
    return { id: request.id, ok: true, proof, publicSignals, seconds: (performance.now() - started) / 1000 };
  } catch (error) {
    return { id: request.id, ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

let queue = Promise.resolve();
process.on("message", (request: ProveRequest) => {
  queue = queue.then(async () => {
    const response = await prove(request);
    process.send?.(response);
  });
});
// The parent is gone (stopped or killed): nobody waits for the proof in progress. Exiting ends
// the curve's worker threads too, which would otherwise keep this process alive.
process.on("disconnect", () => process.exit(0));
process.send?.({ ready: process.pid });
