/**
 * Stage 4 of the derivation: applies each batch to an `L2State` with core's STF, compares
 * what it derives with what the proposer committed, and rolls back when the rollup
 * invalidates batches. Keeps each batch's pre-state and step trace while it may be
 * disputed, for the challenger's moves and one-step proofs.
 */
import { type Hex } from "viem";
import {
  type BatchResult,
  type L2State,
  StepTrace,
  applyBatch,
  bytesToHex,
} from "../core/index.js";
import { DerivationError } from "./errors.js";
import type { DecodedBatch, DecodedBatchSource } from "./batch-decoder.js";

/** A commitment field that can disagree with the derivation. */
export type CommittedField = "preStateRoot" | "postStateRoot" | "withdrawalsRoot" | "stepsRoot";

/** The roots of one batch. */
export interface BatchRoots {
  readonly preStateRoot: bigint;
  readonly postStateRoot: bigint;
  readonly withdrawalsRoot: bigint;
  readonly stepsRoot: Hex;
}

/** What the derivation says about one batch. */
export interface BatchReport {
  readonly index: number;
  readonly commitment: Hex;
  readonly proposer: Hex;
  readonly l1Block: bigint;
  readonly stepCount: number;
  /** The roots the STF derives from the previous derived state and the batch's data. */
  readonly derived: BatchRoots;
  /** The roots the proposer committed to. */
  readonly committed: BatchRoots;
  /** The fields that differ; empty when the batch is correct. */
  readonly mismatches: readonly CommittedField[];
  readonly agrees: boolean;
  /**
   * The first step hash index whose committed value differs from the derived one, when L1
   * data alone tells: 0 for a wrong pre-state. Otherwise the committed step hashes are
   * behind the stepsRoot, and a dispute game's bisection finds it.
   */
  readonly firstDisagreeingStep: number | undefined;
  /** The derived step hashes s_0 … s_n. */
  readonly stepHashes: readonly Hex[];
}

/** A derived batch with what disputes over it need. */
export interface DerivedBatch {
  readonly decoded: DecodedBatch;
  readonly report: BatchReport;
  /** The derived state before the batch (not to be mutated); dropped by `forgetBefore`. */
  readonly preState: L2State | undefined;
  /** The derived execution; dropped by `forgetBefore`. */
  readonly result: BatchResult | undefined;
  /** The derived machine states and step hashes; dropped by `forgetBefore`. */
  readonly trace: StepTrace | undefined;
}

/** What the deriver yields. */
export type DerivationEvent =
  | { readonly kind: "derived"; readonly report: BatchReport }
  | { readonly kind: "rolledBack"; readonly fromIndex: number; readonly count: number; readonly l1Block: bigint };

/**
 * Derives the L2 state from decoded batches.
 *
 * @example
 * const deriver = new StateDeriver(decoder, L2State.genesis(params), domain)
 * const event = await deriver.next() // { kind: "derived", report: { agrees: true, ... } }
 * deriver.state.stateRoot
 */
export class StateDeriver {
  private readonly batches: DerivedBatch[] = [];
  private current: L2State;

  constructor(
    private readonly source: DecodedBatchSource,
    genesis: L2State,
    private readonly domain: bigint,
  ) {
    this.current = genesis;
  }

  /** The state after every batch derived so far (do not mutate). */
  get state(): L2State {
    return this.current;
  }

  /** Number of batches the rollup holds, as far as the derivation has read. */
  get batchCount(): number {
    return this.batches.length;
  }

  /** A derived batch. */
  batch(index: number): DerivedBatch | undefined {
    return this.batches[index];
  }

  /** Derives the next batch or applies the next invalidation; `undefined` once caught up. */
  async next(): Promise<DerivationEvent | undefined> {
    const input = await this.source.next();
    if (!input) return undefined;
    if (input.kind === "invalidated") {
      const first = this.batches[input.fromIndex];
      if (!first?.preState) {
        throw new DerivationError(`batches from ${input.fromIndex} were invalidated, but the state before batch ${input.fromIndex} was forgotten`);
      }
      this.current = first.preState.clone();
      this.batches.length = input.fromIndex;
      return { kind: "rolledBack", fromIndex: input.fromIndex, count: input.count, l1Block: input.l1Block };
    }
    const decoded = input.batch;
    const preState = this.current.clone();
    // A ZK batch's records carry no signatures (its proof checked them) and commit no stepsRoot.
    const result = applyBatch(this.current, decoded.batch, { domain: this.domain, mode: decoded.settlement });
    const trace = StepTrace.fromResult(result);
    const h = decoded.header;
    const derived: BatchRoots = {
      preStateRoot: result.preStateRoot,
      postStateRoot: result.postStateRoot,
      withdrawalsRoot: result.withdrawalsRoot,
      stepsRoot: bytesToHex(result.stepsRoot),
    };
    const committed: BatchRoots = {
      preStateRoot: h.preStateRoot,
      postStateRoot: h.postStateRoot,
      withdrawalsRoot: h.withdrawalsRoot,
      stepsRoot: h.stepsRoot,
    };
    const compared = (Object.keys(derived) as CommittedField[]).filter((k) => k !== "stepsRoot" || decoded.settlement === "optimistic");
    const mismatches = compared.filter((k) => derived[k] !== committed[k]);
    const report: BatchReport = {
      index: Number(h.index),
      commitment: decoded.commitment,
      proposer: decoded.proposer,
      l1Block: decoded.l1Block,
      stepCount: Number(h.stepCount),
      derived,
      committed,
      mismatches,
      agrees: mismatches.length === 0,
      firstDisagreeingStep: mismatches.includes("preStateRoot") ? 0 : undefined,
      stepHashes: trace.leaves.map((l) => bytesToHex(l)),
    };
    this.batches.push({ decoded, report, preState, result, trace });
    return { kind: "derived", report };
  }

  /**
   * Drops the pre-states and traces of batches below `index` (final batches: no dispute or
   * invalidation can reach them), keeping their reports.
   */
  forgetBefore(index: number): void {
    for (let i = 0; i < Math.min(index, this.batches.length); i++) {
      const b = this.batches[i]!;
      if (b.preState) this.batches[i] = { ...b, preState: undefined, result: undefined, trace: undefined };
    }
  }
}
