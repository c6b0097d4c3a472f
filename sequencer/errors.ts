import { BaseError } from "../core/index.js";

/**
 * Why the sequencer refused an op: an STF outcome, or a nonce that is not the account's next.
 *
 * @example
 * const reason: RejectionReason = "InsufficientBalance"
 */
export type RejectionReason = string;

/**
 * An L2 op the sequencer will not accept. The L2 RPC returns it as a JSON-RPC error whose
 * message is `shortMessage` and whose data carries `reason` and `details`.
 *
 * @example
 * throw new OpRejectedError("insufficient balance", { reason: "InsufficientBalance", details: "account 2 has 100, the op needs 150 + fee 1" })
 */
export class OpRejectedError extends BaseError {
  override name = "OpRejectedError";
  readonly reason: RejectionReason;

  constructor(shortMessage: string, options: { reason: RejectionReason; details?: string }) {
    super(shortMessage, { details: options.details });
    this.reason = options.reason;
  }
}

/**
 * The sequencer cannot go on: its own state is inconsistent or a part of it has stopped. Not
 * about any one op (that is `OpRejectedError`): the process should stop and be restarted,
 * which replays its write-ahead log. The base of `WriteAheadLogError` and
 * `CommitmentBuilderError`; the sequencer's L1 side (sequencer/l1/, sequencer/node.ts) may
 * throw it for its own failures.
 *
 * @example
 * if (e instanceof SequencerError) process.exit(1)
 */
export class SequencerError extends BaseError {
  override name = "SequencerError";
}

/**
 * The write-ahead log is closed, or does not replay: a record out of order, or an op that no
 * longer applies (the log was edited, or belongs to another L1 queue).
 *
 * @example
 * throw new WriteAheadLogError(`write-ahead log is inconsistent at op ${seq}`, { details: "start from an empty data folder" })
 */
export class WriteAheadLogError extends SequencerError {
  override name = "WriteAheadLogError";
}

/**
 * The commitment builder (the worker thread that replays accepted ops with the account tree)
 * stopped or disagreed with acceptance; once it fails, every later request fails with the
 * same error (`CommitmentBuilder.failure`).
 *
 * @example
 * if (builder.failure instanceof CommitmentBuilderError) console.error(builder.failure.shortMessage)
 */
export class CommitmentBuilderError extends SequencerError {
  override name = "CommitmentBuilderError";
}

/**
 * A sequencer config that cannot run: a mode without what it needs (ZK settlement without its
 * circuit, blobs without a sidecar folder), or a data folder of another deployment.
 *
 * @example
 * throw new SequencerConfigError(`da "blobs" needs blobDir`, { details: "set blobDir in the sequencer config" })
 */
export class SequencerConfigError extends SequencerError {
  override name = "SequencerConfigError";
}

/**
 * The prover service failed a batch's proving job (the input does not satisfy the circuit, or
 * its proving process kept dying), or the prover client was closed. `jobId` names the job;
 * ZK settlement submits the batch again after a pause.
 *
 * @example
 * try { await prover.submit(input, "batch-3") } catch (e) { if (e instanceof ProvingFailedError) console.error(e.jobId, e.shortMessage) }
 */
export class ProvingFailedError extends SequencerError {
  override name = "ProvingFailedError";
  readonly jobId: string;

  /** `reason` says what went wrong; the shortMessage is `proving job <jobId> failed: <reason>`. */
  constructor(jobId: string, reason: string, options: { details?: string; cause?: unknown } = {}) {
    super(`proving job ${jobId} failed: ${reason}`, options);
    this.jobId = jobId;
  }
}
