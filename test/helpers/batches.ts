import { getAddress } from "ethers";
import { hexToBytes } from "viem";
import { type Address, type BatchHeaderWords, type Hex, NO_TOKEN, batchHeaderCommitment, bytesToHex, opsRoot } from "../../core/index.js";

/** Mirror of Types.BatchHeader: every field the rollup's batch commitment covers. */
export interface BatchHeader {
  readonly index: bigint;
  readonly parentCommitment: string;
  readonly dataHash: string;
  readonly queueStart: bigint;
  readonly queueEnd: bigint;
  readonly queueHashEnd: bigint;
  readonly preStateRoot: bigint;
  readonly postStateRoot: bigint;
  readonly withdrawalsRoot: bigint;
  readonly stepsRoot: string;
  readonly stepCount: bigint;
  readonly feeRecipient: string;
  readonly feeTokens: readonly number[];
}

/** Mirror of Types.BatchSubmission, the struct Rollup.submitBatch takes. */
export interface BatchSubmission {
  readonly queueEnd: bigint;
  readonly postStateRoot: bigint;
  readonly withdrawalsRoot: bigint;
  readonly stepsRoot: string;
  readonly feeRecipient: string;
  readonly feeTokens: readonly number[];
}

/**
 * A header of the ethers-based tests with core's types (`BatchHeaderWords`).
 *
 * @example
 * disputeCall(gameId, move, { header: headerWords(header) })
 */
export function headerWords(h: BatchHeader): BatchHeaderWords {
  return {
    ...h,
    parentCommitment: h.parentCommitment as Hex,
    dataHash: h.dataHash as Hex,
    stepsRoot: h.stepsRoot as Hex,
    feeRecipient: h.feeRecipient as Address,
    feeTokens: h.feeTokens as [number, number, number, number],
  };
}

/**
 * `keccak256(abi.encode(header))`, the commitment Rollup stores per batch; core's
 * `batchHeaderCommitment` with the loose types the ethers-based tests use.
 *
 * @example
 * expect((await rollup.batches(0)).commitment).to.equal(batchCommitment(header))
 */
export function batchCommitment(h: BatchHeader): string {
  return batchHeaderCommitment(headerWords(h));
}

/**
 * A submission with placeholder roots, for tests that only care about some fields.
 *
 * @example
 * await rollup.submitBatch(submission({ queueEnd: 2n }), "0x")
 */
export function submission(overrides: Partial<BatchSubmission> = {}): BatchSubmission {
  return {
    queueEnd: 0n,
    postStateRoot: 11n,
    withdrawalsRoot: 12n,
    stepsRoot: `0x${"13".padStart(64, "0")}`,
    feeRecipient: getAddress("0x000000000000000000000000000000000000fee5"),
    feeTokens: [0, NO_TOKEN, NO_TOKEN, NO_TOKEN],
    ...overrides,
  };
}

/**
 * The dataHash `Rollup.submitBatch` derives for a calldata payload: core's `opsRoot` of its
 * `recordSize`-byte records (docs/protocol.md §8).
 *
 * @example
 * expect(header.dataHash).to.equal(calldataDataHash(payload, 76))
 */
export function calldataDataHash(payload: string | Uint8Array, recordSize: number): string {
  return bytesToHex(opsRoot(typeof payload === "string" ? hexToBytes(payload as Hex) : payload, recordSize));
}
