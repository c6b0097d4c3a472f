/**
 * The largest batches the rollup accepts, each wrong at one step, built with core's STF: what
 * the security tests dispute and `npm run bench:dispute` measures (docs/protocol.md §10,
 * docs/disputes.md "Gas"). Pure: the callers submit the batches and play the games.
 *
 * A calldata batch is bounded by L1 before MAX_BATCH_OPS: EIP-7825 caps a transaction at 2^24
 * gas and EIP-7623 charges calldata at least 10 gas per token (a zero byte is one token, any
 * other byte four), so records of zero bytes give the most ops, and the deepest opsRoot path.
 */
import { encodeFunctionData } from "viem";
import {
  type Address,
  type Batch,
  type BatchResult,
  type Hex,
  type L2Op,
  type QueueEntry,
  FIELD_MODULUS,
  InvariantViolationError,
  type L2State,
  MAX_BATCH_OPS,
  StepTrace,
  applyBatch,
  batchPayload,
  bytesToHex,
  decodeL2Op,
  encodeL2Op,
  hexToBytes,
  poseidon2,
  rollupAbi,
} from "../../core/index.js";

/** EIP-7825: the most gas one transaction may use. */
export const TX_GAS_CAP = 1n << 24n;

/** What the costliest one-step proof may take (docs/protocol.md §10): half a transaction. */
export const ONE_STEP_PROOF_GAS_LIMIT = 1n << 23n;

/**
 * EIP-7623's calldata floor of a transaction with data `data`: 21,000 + 10 per token, a zero
 * byte one token and any other byte four. A transaction whose floor is above its gas limit is
 * refused before it runs.
 *
 * @example
 * calldataFloor("0x00ff") // 21_050n
 */
export function calldataFloor(data: Hex): bigint {
  let tokens = 0n;
  for (const byte of hexToBytes(data)) tokens += byte === 0 ? 1n : 4n;
  return 21_000n + 10n * tokens;
}

/** Mirror of `Types.BatchSubmission`: the claims `Rollup.submitBatch` takes with the payload. */
export interface BatchClaims {
  readonly queueEnd: bigint;
  readonly postStateRoot: bigint;
  readonly withdrawalsRoot: bigint;
  readonly stepsRoot: Hex;
  readonly feeRecipient: Address;
  readonly feeTokens: readonly [number, number, number, number];
}

/**
 * The data of a `Rollup.submitBatch(claims, payload)` transaction.
 *
 * @example
 * const floor = calldataFloor(submitBatchCalldata(batch.claims, batch.payload))
 */
export function submitBatchCalldata(claims: BatchClaims, payload: Hex): Hex {
  return encodeFunctionData({ abi: rollupAbi, functionName: "submitBatch", args: [claims, payload] });
}

/** A batch executed by core's STF, and what its proposer commits to: the honest trace, or one that goes wrong at a step. */
export interface ProposedBatch {
  readonly batch: Batch;
  /** The state before the batch (a copy). */
  readonly before: L2State;
  /** The honest state after the batch (a copy). */
  readonly after: L2State;
  readonly result: BatchResult;
  /** Core's step hashes s_0 … s_n. */
  readonly honest: StepTrace;
  /** The proposer's step hashes: `honest`, or for a wrong batch s_0 … s_wrongStep as core's and every later one with accountsRoot + 1. */
  readonly claimed: StepTrace;
  /** The step a game on a wrong batch ends on: the challenger agrees with s_wrongStep and disputes s_wrongStep+1. */
  readonly wrongStep: number | undefined;
  /** The calldata payload of its L2 ops. */
  readonly payload: Hex;
  /** What its proposer submits: the post roots and the stepsRoot of `claimed`. */
  readonly claims: BatchClaims;
}

/** A batch whose proposer's trace goes wrong after step `wrongStep`. */
export interface WrongBatch extends ProposedBatch {
  readonly wrongStep: number;
}

/**
 * Parameters of {@link proposedBatch}.
 *
 * @example
 * const parameters: ProposedBatchParameters = { state, domain, batch, queueStart: 0n, wrongStep: 3 }
 */
export interface ProposedBatchParameters {
  /** The pre-state; not mutated. */
  readonly state: L2State;
  /** The deployment's signing domain. */
  readonly domain: bigint;
  readonly batch: Batch;
  /** The rollup's `lastQueueEnd()`: the batch consumes its queue entries from there. */
  readonly queueStart: bigint;
  /** The step the proposer gets wrong, 0 to the step count − 1; none for an honest proposer. */
  readonly wrongStep?: number;
}

/**
 * Executes `batch` on a copy of `state` and builds its proposer's claims: the honest ones, or
 * with `wrongStep` those of a trace that goes wrong after that step (a wrong account tree from
 * there on, so its post roots follow from the fault).
 *
 * @example
 * const wrong = proposedBatch({ state, domain, batch, queueStart: 0n, wrongStep: 2 })
 * await rollup.submitBatch(wrong.claims, wrong.payload)
 */
export function proposedBatch(parameters: ProposedBatchParameters & { readonly wrongStep: number }): WrongBatch;
export function proposedBatch(parameters: ProposedBatchParameters): ProposedBatch;
export function proposedBatch(parameters: ProposedBatchParameters): ProposedBatch {
  const { state, domain, batch, queueStart, wrongStep } = parameters;
  const after = state.clone();
  const result = applyBatch(after, batch, { domain, mode: "optimistic" });
  const honest = StepTrace.fromResult(result);
  if (wrongStep !== undefined && (!Number.isInteger(wrongStep) || wrongStep < 0 || wrongStep >= honest.stepCount)) {
    throw new InvariantViolationError(`step ${wrongStep} is not a step of a batch of ${honest.stepCount} steps`, {
      details: "wrongStep is at least 0 and below the batch's step count",
    });
  }
  const claimed =
    wrongStep === undefined
      ? honest
      : new StepTrace(honest.states.map((s, i) => (i > wrongStep ? { ...s, accountsRoot: (s.accountsRoot + 1n) % FIELD_MODULUS } : s)));
  const last = claimed.states[claimed.stepCount]!;
  const [a, b, c, d] = batch.feeTokens;
  return {
    batch,
    before: state.clone(),
    after,
    result,
    honest,
    claimed,
    wrongStep,
    payload: batchPayload(batch, state.params),
    claims: {
      queueEnd: queueStart + BigInt(batch.queueEntries.length),
      postStateRoot: poseidon2(last.accountsRoot, BigInt(last.nextAccountIndex)),
      withdrawalsRoot: last.withdrawalsRoot,
      stepsRoot: claimed.root,
      feeRecipient: batch.feeRecipient,
      feeTokens: [a!, b!, c!, d!],
    },
  };
}

/**
 * Parameters of {@link largestCalldataBatch}.
 *
 * @example
 * const parameters: LargestCalldataBatchParameters = { state, domain, queueStart: 0n, queueEntries, lastOp, filler: new Uint8Array(76), feeRecipient, feeTokens }
 */
export interface LargestCalldataBatchParameters {
  /** The pre-state; not mutated. */
  readonly state: L2State;
  readonly domain: bigint;
  readonly queueStart: bigint;
  /** Queue entries the batch consumes first. */
  readonly queueEntries: readonly QueueEntry[];
  /** The batch's last op, where it is wrong: make it the costliest step, an Applied signed transfer. */
  readonly lastOp: L2Op;
  /** The record of every other op, `recordSize` bytes; all zero bytes give the most ops. */
  readonly filler: Uint8Array;
  readonly feeRecipient: Address;
  readonly feeTokens: readonly number[];
}

/** The largest calldata batch of some filler record, wrong at its last op. */
export interface LargestCalldataBatch extends WrongBatch {
  /** Its L2 ops. */
  readonly ops: number;
  /** Siblings of an op's opsRoot path: ceil(log2(ops)). */
  readonly opsRootDepth: number;
  /** The data of its `submitBatch` transaction. */
  readonly calldata: Hex;
  /** The EIP-7623 floor of that transaction, at most TX_GAS_CAP. */
  readonly floor: bigint;
  /** The data of the same batch with one more filler op: its floor is above TX_GAS_CAP. */
  readonly overfullCalldata: Hex;
}

/**
 * The calldata batch with the most ops one L1 transaction carries: `filler` records, then
 * `lastOp`, after `queueEntries`, wrong at `lastOp` (the step a game on it ends on). Found by
 * construction: the most ops whose `submitBatch` floor (EIP-7623) fits in TX_GAS_CAP with the
 * batch's own claims, one more op not fitting. Throws `InvariantViolationError` if the filler
 * does not decode back to itself or no such size is found.
 *
 * @example
 * const largest = largestCalldataBatch({ state, domain, queueStart: 0n, queueEntries, lastOp, filler: new Uint8Array(76), feeRecipient, feeTokens })
 * largest.ops // 22,035 at levels 8
 */
export function largestCalldataBatch(parameters: LargestCalldataBatchParameters): LargestCalldataBatch {
  const { state, domain, queueStart, queueEntries, lastOp, filler, feeRecipient, feeTokens } = parameters;
  const params = state.params;
  const recordSize = filler.length;
  const fillerOp = decodeL2Op(filler, params, "optimistic");
  if (bytesToHex(encodeL2Op(fillerOp, params, "optimistic")) !== bytesToHex(filler)) {
    throw new InvariantViolationError("the filler record does not encode back to itself", {
      details: "pass a record that core's codec reads and writes unchanged (all zero bytes, or 0x7f bytes)",
    });
  }
  const lastRecord = bytesToHex(encodeL2Op(lastOp, params, "optimistic")).slice(2);
  const fillerHex = bytesToHex(filler).slice(2);
  const payloadOf = (m: number): Hex => `0x${fillerHex.repeat(m - 1)}${lastRecord}`;
  const fits = (claims: BatchClaims, m: number) => calldataFloor(submitBatchCalldata(claims, payloadOf(m))) <= TX_GAS_CAP;
  const maxFit = (claims: BatchClaims) => {
    let [lo, hi] = [1, MAX_BATCH_OPS - queueEntries.length];
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (fits(claims, mid)) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  const build = (m: number) =>
    proposedBatch({
      state,
      domain,
      batch: { queueEntries, ops: [...Array<L2Op>(m - 1).fill(fillerOp), lastOp], feeRecipient, feeTokens },
      queueStart,
      wrongStep: queueEntries.length + m - 1,
    });
  // Start from claims of the most calldata tokens, then settle on the batch's own.
  const [a, b, c, d] = feeTokens;
  const placeholder: BatchClaims = {
    queueEnd: queueStart + BigInt(queueEntries.length),
    postStateRoot: (1n << 250n) - 1n,
    withdrawalsRoot: (1n << 250n) - 1n,
    stepsRoot: `0x${"ff".repeat(32)}`,
    feeRecipient,
    feeTokens: [a!, b!, c!, d!],
  };
  let m = maxFit(placeholder);
  let batch = build(m);
  for (let round = 0; round < 4 && maxFit(batch.claims) !== m; round++) {
    m = maxFit(batch.claims);
    batch = build(m);
  }
  if (!fits(batch.claims, m) || fits(batch.claims, m + 1) || batch.payload !== payloadOf(m)) {
    throw new InvariantViolationError(`no largest batch found: ${m} ops fit ${fits(batch.claims, m)}, ${m + 1} fit ${fits(batch.claims, m + 1)}`, {
      details: "the claims change the calldata floor by more than an op's worth from one size to the next; widen the search",
    });
  }
  const calldata = submitBatchCalldata(batch.claims, batch.payload);
  return {
    ...batch,
    ops: m,
    opsRootDepth: Math.ceil(Math.log2(m)),
    calldata,
    floor: calldataFloor(calldata),
    overfullCalldata: submitBatchCalldata(batch.claims, `0x${fillerHex}${batch.payload.slice(2)}`),
  };
}

/**
 * Parameters of {@link queueOnlyBatch}.
 *
 * @example
 * const parameters: QueueOnlyBatchParameters = { state, domain, queueStart: 0n, entry, feeRecipient, feeTokens }
 */
export interface QueueOnlyBatchParameters {
  /** The pre-state; not mutated. */
  readonly state: L2State;
  readonly domain: bigint;
  readonly queueStart: bigint;
  /** The entry the queue holds MAX_BATCH_OPS times from `queueStart` on. */
  readonly entry: QueueEntry;
  readonly feeRecipient: Address;
  readonly feeTokens: readonly number[];
}

/**
 * The batch of the most steps: MAX_BATCH_OPS (32,764) queue entries and no L2 op, wrong at its
 * last queue step.
 *
 * @example
 * const full = queueOnlyBatch({ state: L2State.genesis(params), domain, queueStart: 0n, entry: forcedExit, feeRecipient, feeTokens })
 * full.wrongStep // 32,763
 */
export function queueOnlyBatch(parameters: QueueOnlyBatchParameters): WrongBatch {
  const { state, domain, queueStart, entry, feeRecipient, feeTokens } = parameters;
  return proposedBatch({
    state,
    domain,
    batch: { queueEntries: Array<QueueEntry>(MAX_BATCH_OPS).fill(entry), ops: [], feeRecipient, feeTokens },
    queueStart,
    wrongStep: MAX_BATCH_OPS - 1,
  });
}
