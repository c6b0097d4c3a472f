/**
 * Signature checks on worker threads for the STF benchmark (scripts/bench-stf.ts): how fast
 * the reference STF runs when the checks, which parallelise, run beside the tree updates.
 */
import { Worker } from "node:worker_threads";
import { availableParallelism } from "node:os";
import { type SignatureVerifier, type WireSignature } from "../../core/index.js";

/**
 * One signature to check.
 *
 * @example
 * const job: SignatureJob = { message, signature: op.signature, Ax: sender.Ax, Ay: sender.Ay }
 */
export interface SignatureJob {
  readonly message: bigint;
  readonly signature: WireSignature;
  readonly Ax: bigint;
  readonly Ay: bigint;
}

const JOB_BYTES = 32 + 64 + 32 + 32;

function writeWord(out: Uint8Array, offset: number, value: bigint): void {
  let v = value;
  for (let i = offset + 31; i >= offset; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
}

/** Packs jobs into one transferable buffer: message ‖ signature ‖ Ax ‖ Ay per job. */
function packJobs(jobs: readonly SignatureJob[]): Uint8Array {
  const out = new Uint8Array(jobs.length * JOB_BYTES);
  jobs.forEach((job, i) => {
    const at = i * JOB_BYTES;
    writeWord(out, at, job.message);
    out.set(job.signature.length === 64 ? job.signature : new Uint8Array(64), at + 32);
    writeWord(out, at + 96, job.Ax);
    writeWord(out, at + 128, job.Ay);
  });
  return out;
}

function jobKey(message: bigint, signature: WireSignature, Ax: bigint): string {
  return `${message.toString(16)}:${Buffer.from(signature).toString("hex")}:${Ax.toString(16)}`;
}

/**
 * Checks EdDSA signatures on worker threads, so that signature checks (which parallelise)
 * run beside the state transition (whose tree updates are sequential).
 *
 * @example
 * const pool = new SignaturePool()
 * const verdicts = await pool.verify(jobs)
 * const verify = pool.verifierFor(jobs, verdicts) // pass as StfContext.verifySignature
 * await pool.close()
 */
export class SignaturePool {
  readonly threads: number;
  private readonly workers: Worker[];
  private next = 0;
  private readonly pending = new Map<number, (verdicts: Uint8Array) => void>();
  private requestId = 0;

  constructor(threads = availableParallelism()) {
    this.threads = Math.max(1, threads);
    this.workers = Array.from({ length: this.threads }, () => {
      const worker = new Worker(new URL("./signature-worker.ts", import.meta.url), { execArgv: ["--import", import.meta.resolve("tsx")] });
      worker.on("message", ({ id, verdicts }: { id: number; verdicts: Uint8Array }) => {
        this.pending.get(id)?.(verdicts);
        this.pending.delete(id);
      });
      return worker;
    });
  }

  /** Verdict per job, in order, split evenly across the workers. */
  async verify(jobs: readonly SignatureJob[]): Promise<boolean[]> {
    if (jobs.length === 0) return [];
    const per = Math.ceil(jobs.length / this.threads);
    const parts: Promise<Uint8Array>[] = [];
    for (let start = 0; start < jobs.length; start += per) {
      const packed = packJobs(jobs.slice(start, start + per));
      const id = this.requestId++;
      const worker = this.workers[this.next++ % this.threads]!;
      parts.push(new Promise((resolve) => this.pending.set(id, resolve)));
      worker.postMessage({ id, jobs: packed }, [packed.buffer as ArrayBuffer]);
    }
    const results = await Promise.all(parts);
    return results.flatMap((r) => Array.from(r, (v) => v === 1));
  }

  /**
   * A verifier for the STF that answers from verdicts computed here and checks inline
   * anything it was not asked about (e.g. a message built with a different nonce).
   */
  verifierFor(jobs: readonly SignatureJob[], verdicts: readonly boolean[], fallback: SignatureVerifier): SignatureVerifier {
    const known = new Map<string, boolean>();
    jobs.forEach((job, i) => known.set(jobKey(job.message, job.signature, job.Ax), verdicts[i]!));
    return (message, signature, publicKey) =>
      known.get(jobKey(message, signature, publicKey.x)) ?? fallback(message, signature, publicKey);
  }

  /** Stops the workers. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
