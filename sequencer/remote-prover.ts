/**
 * A `BatchProver` that hands circuit inputs to a prover service over its JSON-RPC
 * (core/prover-rpc.ts, docs/zk.md "The prover service") and polls for the proofs. The service
 * may run on another machine, and may restart: a job it no longer knows is submitted again,
 * and while it is unreachable the client keeps trying.
 */
import { type CircuitInput, type ProverJobInfo, type ProverRpcSchema } from "../core/index.js";
import { ProvingFailedError } from "./errors.js";
import { type BatchProof, type BatchProofStatus, type BatchProver } from "./zk-settlement.js";

/**
 * Parameters of `createRemoteBatchProver`.
 *
 * @example
 * const parameters: RemoteBatchProverParameters = { url: "http://127.0.0.1:8547", pollIntervalMs: 250, logError: console.error }
 */
export interface RemoteBatchProverParameters {
  /** The prover service's JSON-RPC URL. */
  readonly url: string;
  /** How often to ask for a job's state (default 250 ms). */
  readonly pollIntervalMs?: number;
  /** Told once per outage that the prover is unreachable, and when it answers again. */
  readonly logError?: (line: string) => void;
}

/**
 * A `BatchProver` backed by a prover service.
 *
 * @example
 * const prover = createRemoteBatchProver({ url: config.zk.proverUrl })
 * const { calldata, seconds } = await prover.submit(batch.zk.input, `batch-${batch.index}`)
 * await prover.close()
 */
export function createRemoteBatchProver(parameters: RemoteBatchProverParameters): BatchProver {
  const pollIntervalMs = parameters.pollIntervalMs ?? 250;
  const logError = parameters.logError ?? (() => {});
  const statuses = new Map<string, BatchProofStatus>();
  const inFlight = new Set<string>();
  let closed = false;
  let unreachable = false;
  let wakeAll: (() => void)[] = [];
  let nextRequest = 1;

  const pause = (): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(done, pollIntervalMs);
      function done(): void {
        clearTimeout(timer);
        wakeAll = wakeAll.filter((w) => w !== done);
        resolve();
      }
      wakeAll.push(done);
    });

  async function call<name extends keyof ProverRpcSchema>(
    method: name,
    params: ProverRpcSchema[name]["Parameters"],
  ): Promise<ProverRpcSchema[name]["ReturnType"]> {
    const response = await fetch(parameters.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: nextRequest++, method, params }),
    });
    const body = (await response.json()) as { result?: ProverRpcSchema[name]["ReturnType"]; error?: { code: number; message: string } };
    if (body.error) throw new ProvingFailedError(String(params[0] ?? method), `the prover refused ${method}: ${body.error.message}`, { details: `code ${body.error.code}` });
    return body.result as ProverRpcSchema[name]["ReturnType"];
  }

  /** Runs `step` until it answers; a network failure (prover down or restarting) is retried. */
  async function reachable<T>(step: () => Promise<T>): Promise<T> {
    for (;;) {
      if (closed) throw new ProvingFailedError("-", "the prover client was closed", { details: "close() was called before the job finished" });
      try {
        const result = await step();
        if (unreachable) logError(`prover at ${parameters.url} answers again`);
        unreachable = false;
        return result;
      } catch (e) {
        if (e instanceof ProvingFailedError) throw e;
        if (!unreachable) logError(`prover at ${parameters.url} unreachable (${(e as Error).message}); retrying every ${pollIntervalMs} ms`);
        unreachable = true;
        await pause();
      }
    }
  }

  async function prove(input: CircuitInput, id: string): Promise<BatchProof> {
    let job: ProverJobInfo | null = await reachable(() => call("prover_submitJob", [id, input]));
    for (;;) {
      statuses.set(id, job.status === "done" ? "done" : job.status);
      if (job.status === "done") return { calldata: job.proof!.map((v) => BigInt(v)), seconds: job.seconds ?? 0 };
      if (job.status === "failed") throw new ProvingFailedError(id, job.error ?? "the prover failed the job", { details: "ZK settlement submits the batch again after a pause" });
      await pause();
      // null: the prover restarted and lost the job: submit it again.
      job = (await reachable(() => call("prover_getJob", [id]))) ?? (await reachable(() => call("prover_submitJob", [id, input])));
    }
  }

  return {
    submit(input, id) {
      statuses.set(id, "queued");
      inFlight.add(id);
      return prove(input, id)
        .catch((e: unknown) => {
          statuses.set(id, "failed");
          throw e instanceof ProvingFailedError ? new ProvingFailedError(id, e.shortMessage.replace(/^proving job \S+ failed: /, ""), { details: e.details }) : e;
        })
        .finally(() => inFlight.delete(id));
    },
    status: (id) => statuses.get(id),
    get pending() {
      return inFlight.size;
    },
    async close() {
      closed = true;
      for (const wake of wakeAll) wake();
    },
  };
}
