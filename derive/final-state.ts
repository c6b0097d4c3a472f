/**
 * What an exit needs from the derivation (docs/protocol.md §11): the last final state rebuilt
 * from L1 alone and checked against the root the rollup holds for it, an account's proof in
 * it for `Bridge.exodusWithdraw`, the withdrawal leaves of the final batches with their proofs
 * for `Bridge.claimWithdrawal`, and the deposits no final batch consumed for
 * `Bridge.refundDeposit`. Reads the pipeline's results; decides nothing.
 */
import {
  type Account,
  type Address,
  type L2State,
  type MerkleProof,
  type QueueEntry,
  QueueKind,
  buildWithdrawalTree,
  rollupAbi,
} from "../core/index.js";
import { DerivationError } from "./errors.js";
import type { DerivationPipeline } from "./pipeline.js";

/**
 * The last final state: the post-state of the last final batch (genesis if none), as the
 * derivation rebuilt it from L1. In exodus it is the state every account exits from.
 *
 * @example
 * const final: FinalState = await deriveFinalState(pipeline)
 * final.state.account(2)?.balance // what account 2 takes out in exodus
 */
export interface FinalState {
  /** Whether the rollup is in exodus (then no batch can change this state any more). */
  readonly exodus: boolean;
  /** Batches `[0, finalBatches)` are final. */
  readonly finalBatches: number;
  /** Queue entries the final batches consumed: entries from here on are refunded in exodus. */
  readonly queueEnd: number;
  /** The derived state after the last final batch (do not mutate). */
  readonly state: L2State;
  /** Its root, equal to the one the rollup holds (`lastStateRoot()` in exodus). */
  readonly stateRoot: bigint;
}

/**
 * What `Bridge.exodusWithdraw` takes for one account: the leaf's fields in the last final
 * state, that state's accounts root and next index, and the 8-ary proof (per level from the
 * bottom, the 7 siblings in position order).
 *
 * @example
 * const { account, accountsRoot, nextAccountIndex, siblings }: AccountExitProof = accountExitProof(final, 2)
 */
export interface AccountExitProof {
  readonly accountIdx: number;
  readonly account: Account;
  readonly accountsRoot: bigint;
  readonly nextAccountIndex: number;
  readonly siblings: MerkleProof;
}

/**
 * A CreateAccount or Deposit entry that no final batch consumed, with something to refund.
 *
 * @example
 * for (const { queueIndex, entry } of refundableDeposits(pipeline, final)) console.log(queueIndex, entry.amount)
 */
export interface RefundableDeposit {
  readonly queueIndex: number;
  readonly entry: QueueEntry;
}

/**
 * A withdrawal leaf of a final batch, with what `Bridge.claimWithdrawal` takes: the batch, the
 * leaf's position and fields, and its proof (5 levels of 7 siblings).
 *
 * @example
 * const mine = finalWithdrawals(pipeline, final).filter((w) => w.recipient === owner)
 */
export interface FinalWithdrawal {
  readonly batchIndex: number;
  readonly position: number;
  readonly recipient: Address;
  readonly tokenId: number;
  readonly amount: bigint;
  readonly proof: MerkleProof;
}

/** How often `deriveFinalState` syncs again when L1 moved on while it was reading. */
const SYNC_ATTEMPTS = 3;

/**
 * Syncs the pipeline to the L1 head and returns the last final state, checked against the
 * rollup: the derived state root must equal the root the rollup holds for the last final
 * batch (its `lastStateRoot()` in exodus). Throws `DerivationError` when it does not (a final
 * batch committed a root its data does not give: no account of that state can be proven).
 *
 * @example
 * const pipeline = await createDerivationPipeline({ l1RpcUrl, contracts, beaconUrl })
 * const final = await deriveFinalState(pipeline)
 * final.stateRoot // == Rollup.lastStateRoot() once in exodus
 */
export async function deriveFinalState(pipeline: DerivationPipeline): Promise<FinalState> {
  const { client, deriver } = pipeline;
  const rollup = { address: pipeline.contracts.rollup, abi: rollupAbi } as const;
  for (let attempt = 1; ; attempt++) {
    await pipeline.sync();
    const [exodus, batchCount, finalCount] = await Promise.all([
      client.readContract({ ...rollup, functionName: "exodus" }),
      client.readContract({ ...rollup, functionName: "batchCount" }),
      client.readContract({ ...rollup, functionName: "finalBatchCount" }),
    ]);
    // A batch appended (or removed) between the sync and the reads: read again.
    if (deriver.batchCount !== Number(batchCount)) {
      if (attempt < SYNC_ATTEMPTS) continue;
      throw new DerivationError(`the rollup holds ${batchCount} batches but the derivation read ${deriver.batchCount}`, {
        details: "L1 kept changing while it was read; try again",
      });
    }
    const finalBatches = Number(finalCount);
    const state = finalBatches === deriver.batchCount ? deriver.state : deriver.batch(finalBatches)?.preState;
    if (!state) {
      throw new DerivationError(`the state after the ${finalBatches} final batch(es) was forgotten by this pipeline`, {
        details: "derive the final state on a pipeline whose deriver keeps its pre-states (no forgetBefore)",
      });
    }
    // In exodus every batch left is final, and the exits are checked against lastStateRoot().
    const committed =
      exodus || finalBatches === 0
        ? await client.readContract({ ...rollup, functionName: exodus ? "lastStateRoot" : "genesisStateRoot" })
        : (await client.readContract({ ...rollup, functionName: "batches", args: [BigInt(finalBatches - 1)] }))[1];
    const stateRoot = state.stateRoot;
    if (stateRoot !== committed) {
      const wrong = Array.from({ length: finalBatches }, (_, i) => deriver.batch(i)!.report).find((r) => !r.agrees);
      throw new DerivationError(
        `the state rebuilt from L1 after the ${finalBatches} final batch(es) has root ${hex(stateRoot)}, the rollup holds ${hex(committed)}`,
        {
          details: wrong
            ? `batch ${wrong.index} became final with a ${wrong.mismatches.join(" and ")} its data does not give, so no account of the final state can be proven against it`
            : "the derivation and the contracts disagree on the protocol: check that both are this repository's",
        },
      );
    }
    const queueEnd = finalBatches === 0 ? 0 : Number(deriver.batch(finalBatches - 1)!.decoded.header.queueEnd);
    return { exodus, finalBatches, queueEnd, state, stateRoot };
  }
}

/**
 * The proof of account `accountIdx` in the last final state, as `Bridge.exodusWithdraw` takes
 * it. Throws `DerivationError` when the final state has no account there.
 *
 * @example
 * const proof = accountExitProof(final, 2)
 * await bridge.write.exodusWithdraw([2n, proof.account, proof.accountsRoot, BigInt(proof.nextAccountIndex), proof.siblings])
 */
export function accountExitProof(final: FinalState, accountIdx: number): AccountExitProof {
  const account = final.state.account(accountIdx);
  if (!account) {
    throw new DerivationError(`the last final state has no account at index ${accountIdx}`, {
      details: `its accounts are at indices 2 to ${final.state.nextAccountIndex - 1}`,
    });
  }
  return {
    accountIdx,
    account,
    accountsRoot: final.state.accountsRoot,
    nextAccountIndex: final.state.nextAccountIndex,
    siblings: final.state.proof(accountIdx),
  };
}

/**
 * The withdrawal leaves of the final batches (withdrawals, forced exits, refunds, fee payouts),
 * each with its claim proof, in batch and position order. Whether each is already claimed is
 * on L1 (`Bridge.isClaimed`). Throws `DerivationError` for a final batch whose committed
 * withdrawals root is not the one its data gives.
 *
 * @example
 * for (const w of finalWithdrawals(pipeline, final)) await bridge.write.claimWithdrawal([BigInt(w.batchIndex), BigInt(w.position), w.recipient, w.tokenId, w.amount, w.proof])
 */
export function finalWithdrawals(pipeline: Pick<DerivationPipeline, "deriver">, final: Pick<FinalState, "finalBatches">): FinalWithdrawal[] {
  const found: FinalWithdrawal[] = [];
  for (let batchIndex = 0; batchIndex < final.finalBatches; batchIndex++) {
    const batch = pipeline.deriver.batch(batchIndex);
    if (!batch?.result) {
      throw new DerivationError(`the execution of final batch ${batchIndex} was forgotten by this pipeline`, {
        details: "read the withdrawals on a pipeline whose deriver keeps its batches (no forgetBefore)",
      });
    }
    const { derived, committed } = batch.report;
    if (derived.withdrawalsRoot !== committed.withdrawalsRoot) {
      throw new DerivationError(`final batch ${batchIndex} committed withdrawals root ${hex(committed.withdrawalsRoot)}, its data gives ${hex(derived.withdrawalsRoot)}`, {
        details: "its withdrawals cannot be proven against the root the bridge checks",
      });
    }
    const tree = buildWithdrawalTree(batch.result.withdrawals);
    for (const w of batch.result.withdrawals) {
      found.push({ batchIndex, position: w.position, recipient: w.ethAddr, tokenId: w.tokenId, amount: w.amount, proof: tree.proof(w.position) });
    }
  }
  return found;
}

/**
 * The CreateAccount and Deposit entries with a non-zero amount that no final batch consumed:
 * what `Bridge.refundDeposit` pays back in exodus (whether each is already refunded is on L1,
 * `Bridge.isRefunded`).
 *
 * @example
 * const refunds = refundableDeposits(pipeline, await deriveFinalState(pipeline))
 */
export function refundableDeposits(pipeline: Pick<DerivationPipeline, "queue">, final: Pick<FinalState, "queueEnd">): RefundableDeposit[] {
  return pipeline.queue
    .map((entry, queueIndex) => ({ queueIndex, entry }))
    .filter(({ queueIndex, entry }) => queueIndex >= final.queueEnd && entry.kind !== QueueKind.ForcedExit && entry.amount > 0n);
}

const hex = (v: bigint): string => `0x${v.toString(16).padStart(64, "0")}`;
