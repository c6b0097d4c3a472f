import { BaseError } from "../core/index.js";

/** Why the sequencer refused an op: an STF outcome, or a nonce that is not the account's next. */
export type RejectionReason = string;

/**
 * An L2 op the sequencer will not accept. The L2 RPC returns it as a JSON-RPC error whose
 * message is `shortMessage` and whose data carries `reason` and `details`.
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
 * A sequencer config that cannot run: a mode without what it needs (ZK settlement without its
 * circuit, blobs without a sidecar folder), or a data folder of another deployment.
 *
 * @example
 * throw new SequencerConfigError(`da "blobs" needs blobDir`, { details: "set blobDir in the sequencer config" })
 */
export class SequencerConfigError extends BaseError {
  override name = "SequencerConfigError";
}
