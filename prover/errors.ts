import { BaseError } from "../core/index.js";

/**
 * The prover was asked something it cannot do (a job for a closed queue, a job id used
 * twice). The base of `ProverJobError` and `CircuitArtifactError`.
 *
 * @example
 * try { queue.submit(input, "batch-3") } catch (e) { if (e instanceof ProverError) console.error(e.shortMessage) }
 */
export class ProverError extends BaseError {
  override name = "ProverError";
}

/**
 * A proving job that failed: the circuit rejected the input, snarkjs failed, the worker
 * crashed, or the queue closed first. `jobId` names the job.
 *
 * @example
 * try { await queue.submit(input, "batch-3") } catch (e) { if (e instanceof ProverJobError) console.error(e.jobId, e.shortMessage) }
 */
export class ProverJobError extends ProverError {
  override name = "ProverJobError";
  readonly jobId: string;

  /** `reason` says what went wrong; the shortMessage is `proving job <jobId> failed: <reason>`. */
  constructor(jobId: string, reason: string, options: { details?: string; cause?: unknown } = {}) {
    super(`proving job ${jobId} failed: ${reason}`, options);
    this.jobId = jobId;
  }
}

/**
 * A circuit artifact could not be built or read: circom failed, an .r1cs file is not what it
 * should be, the key setup failed, or the Solidity verifier did not generate or compile.
 *
 * @example
 * try { await buildCircuit({ levels: 2, nOps: 4 }) } catch (e) { if (e instanceof CircuitArtifactError) console.error(e.details) }
 */
export class CircuitArtifactError extends ProverError {
  override name = "CircuitArtifactError";
}
