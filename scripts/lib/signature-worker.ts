import { parentPort } from "node:worker_threads";
import { readUint, verifyWireSignature } from "../../core/index.js";

const JOB_BYTES = 160;

parentPort!.on("message", ({ id, jobs }: { id: number; jobs: Uint8Array }) => {
  const count = jobs.length / JOB_BYTES;
  const verdicts = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const at = i * JOB_BYTES;
    const message = readUint(jobs, at, 32);
    const signature = jobs.subarray(at + 32, at + 96);
    const publicKey = { x: readUint(jobs, at + 96, 32), y: readUint(jobs, at + 128, 32) };
    verdicts[i] = verifyWireSignature(message, signature, publicKey) ? 1 : 0;
  }
  parentPort!.postMessage({ id, verdicts }, [verdicts.buffer as ArrayBuffer]);
});
