/**
 * Batches whose L2 ops are signed as the ZK circuit requires, for the prover benchmark and the
 * ZK tests: every op whose sender exists carries a valid signature for the nonce it will be
 * applied with.
 */
import {
  type Address,
  type Batch,
  type L2Op,
  type L2State,
  type QueueEntry,
  BatchExecutor,
  encodeFloat40,
  encodeFloat8,
  l2OpMessage,
  signMessage,
} from "../../core/index.js";

/**
 * Draft of an L2 op, signed by its sender's holder at its turn.
 *
 * @example
 * const draft: OpDraft = { fromIdx: 2, toIdx: 3, amount: 10n ** 15n, fee: 1n }
 */
export interface OpDraft {
  readonly fromIdx: number;
  readonly toIdx: number;
  readonly amount: bigint;
  readonly fee?: bigint;
}

/**
 * Parameters of `buildSignedBatch`.
 *
 * @example
 * const parameters: BuildSignedBatchParameters = { state, domain, holders, queueEntries: [], drafts, feeRecipient, feeTokens }
 */
export interface BuildSignedBatchParameters {
  /** The pre-state; it is cloned, not mutated. */
  readonly state: L2State;
  /** `domainSeparator(...)` of the deployment. */
  readonly domain: bigint;
  /** The L2 private key of each account index that signs. */
  readonly holders: ReadonlyMap<number, { readonly privateKey: Uint8Array }>;
  readonly queueEntries: QueueEntry[];
  readonly drafts: readonly OpDraft[];
  readonly feeRecipient: Address;
  readonly feeTokens: number[];
}

/**
 * A batch of the queue entries, then the drafted ops, each signed (when its sender exists and
 * has a holder) for the token and nonce its sender has once the steps before it are applied.
 *
 * @example
 * const batch = buildSignedBatch({ state, domain, holders: new Map([[2, alice]]), queueEntries: [], drafts: [{ fromIdx: 2, toIdx: 1, amount: 5n }], feeRecipient, feeTokens: [0, NO_TOKEN, NO_TOKEN, NO_TOKEN] })
 */
export function buildSignedBatch(parameters: BuildSignedBatchParameters): Batch {
  const { domain, holders, queueEntries, feeRecipient, feeTokens } = parameters;
  const scratch = parameters.state.clone();
  const exec = new BatchExecutor(scratch, { feeRecipient, feeTokens }, { domain, mode: "zk" });
  for (const entry of queueEntries) exec.applyQueueEntry(entry);
  const ops: L2Op[] = parameters.drafts.map((d) => {
    const unsigned: L2Op = { fromIdx: d.fromIdx, toIdx: d.toIdx, amountFloat40: encodeFloat40(d.amount), feeFloat8: encodeFloat8(d.fee ?? 0n) };
    const sender = d.fromIdx < scratch.params.capacity ? scratch.account(d.fromIdx) : undefined;
    const signer = holders.get(d.fromIdx);
    const op =
      sender && signer
        ? { ...unsigned, signature: signMessage(signer.privateKey, l2OpMessage(unsigned, { tokenId: sender.tokenId, nonce: sender.nonce }, domain)) }
        : unsigned;
    exec.applyL2Op(op);
    return op;
  });
  return { queueEntries, ops, feeRecipient, feeTokens };
}
