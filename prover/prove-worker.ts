/**
 * Worker of `ProverQueue` (prover/prover.ts): computes the witness with the circuit's wasm and
 * a Groth16 proof with snarkjs, one job at a time, on a single-threaded curve (see
 * worker-data.ts). Run several workers for parallel jobs.
 *
 * Messages in:  ProveRequest    Messages out: ProveResponse
 */
import { parentPort } from "node:worker_threads";
import { type CircuitInput } from "../core/index.js";

/** One job for the worker. */
export interface ProveRequest {
  readonly id: string;
  readonly wasm: string;
  readonly zkey: string;
  readonly input: CircuitInput;
}

/** The worker's answer: a proof or the error that stopped it. */
export type ProveResponse =
  | { readonly id: string; readonly ok: true; readonly proof: object; readonly publicSignals: string[]; readonly seconds: number }
  | { readonly id: string; readonly ok: false; readonly error: string };

// Attached before the first await (see worker-data.ts).
const requests: ProveRequest[] = [];
let wake: (() => void) | undefined;
parentPort!.on("message", (request: ProveRequest) => {
  requests.push(request);
  wake?.();
});

const snarkjs = await import("snarkjs");
// snarkjs takes the curve from here when one is set; a multi-threaded one cannot start in a worker.
(globalThis as { curve_bn128?: unknown }).curve_bn128 = await snarkjs.curves.getCurveFromName("bn128", { singleThread: true });

for (;;) {
  const request = requests.shift();
  if (!request) {
    await new Promise<void>((resolve) => (wake = resolve));
    continue;
  }
  const started = performance.now();
  let response: ProveResponse;
  try {
    const witness: { type: "mem"; data?: Uint8Array } = { type: "mem" };
    await snarkjs.wtns.calculate(request.input, request.wasm, witness);
    const { proof, publicSignals } = await snarkjs.groth16.prove(request.zkey, witness);
    response = { id: request.id, ok: true, proof, publicSignals, seconds: (performance.now() - started) / 1000 };
  } catch (error) {
    response = { id: request.id, ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  parentPort!.postMessage(response);
}
