import { expect } from "chai";
import {
  type Address,
  type QueueEntry,
  L2State,
  QueueKind,
  accountLeaf,
  computeMerkleRoot,
  poseidon2,
  resolveParams,
} from "../../core/index.js";
import { DerivationError } from "../../derive/errors.js";
import { accountExitProof, deriveFinalState, refundableDeposits } from "../../derive/final-state.js";
import { type DerivationPipeline } from "../../derive/pipeline.js";

/**
 * derive/final-state.ts on a pipeline whose L1 reads and derived batches are given: what it
 * checks against the rollup, and what it hands an exit. (test/e2e/escape.test.ts runs it on
 * real devnets.)
 */
const params = resolveParams({ levels: 2 });
const alice = "0x00000000000000000000000000000000000a11ce" as Address;
const bob = "0x0000000000000000000000000000000000000b0b" as Address;

/** The state after one batch that created Alice's and Bob's accounts. */
function stateAfterOneBatch(): L2State {
  const state = L2State.genesis(params);
  state.createAccount({ tokenId: 0, nonce: 3, balance: 70n, Ax: 1n, Ay: 2n, ethAddr: alice });
  state.createAccount({ tokenId: 0, nonce: 0, balance: 30n, Ax: 3n, Ay: 4n, ethAddr: bob });
  return state;
}

/** A pipeline that derived one batch (queue entries 0..2, roots agreeing or not) and reads `onL1` from the rollup. */
function pipelineOf(state: L2State, onL1: Record<string, bigint | boolean>, options: { agrees?: boolean; derivedBatches?: number; queue?: QueueEntry[] } = {}) {
  const agrees = options.agrees ?? true;
  let syncs = 0;
  const pipeline = {
    client: { readContract: async ({ functionName }: { functionName: string }) => onL1[functionName] },
    contracts: { rollup: "0x0000000000000000000000000000000000000011", bridge: "0x0000000000000000000000000000000000000022" },
    deriver: {
      batchCount: options.derivedBatches ?? 1,
      state,
      batch: (index: number) =>
        index === 0
          ? { report: { index: 0, agrees, mismatches: agrees ? [] : ["postStateRoot"] }, decoded: { header: { queueEnd: 3n } } }
          : undefined,
    },
    queue: options.queue ?? [],
    sync: async () => (syncs++, []),
  };
  return { pipeline: pipeline as unknown as DerivationPipeline, syncs: () => syncs };
}

describe("derive: the last final state for exits", () => {
  it("deriveFinalState_inExodusWithTheRollupsRoot_returnsTheStateAndItsQueueEnd", async () => {
    const state = stateAfterOneBatch();
    const { pipeline } = pipelineOf(state, { exodus: true, batchCount: 1n, finalBatchCount: 1n, lastStateRoot: state.stateRoot });
    const final = await deriveFinalState(pipeline);
    expect(final).to.include({ exodus: true, finalBatches: 1, queueEnd: 3, stateRoot: state.stateRoot });

    // The proof is what Bridge.exodusWithdraw checks: the leaf under the accounts root, the state root.
    const proof = accountExitProof(final, 3);
    expect(proof.account).to.include({ balance: 30n, ethAddr: bob });
    expect(proof.siblings).to.have.length(params.levels);
    expect(proof.siblings.every((level) => level.length === 7)).to.equal(true);
    expect(computeMerkleRoot(3, accountLeaf(proof.account), proof.siblings)).to.equal(proof.accountsRoot);
    expect(poseidon2(proof.accountsRoot, BigInt(proof.nextAccountIndex))).to.equal(final.stateRoot);
    expect(() => accountExitProof(final, 9)).to.throw(DerivationError, "the last final state has no account at index 9");
  });

  it("deriveFinalState_aFinalBatchCommittedAnotherRoot_throwsNamingTheBatch", async () => {
    const state = stateAfterOneBatch();
    const { pipeline } = pipelineOf(state, { exodus: true, batchCount: 1n, finalBatchCount: 1n, lastStateRoot: 123n }, { agrees: false });
    const error = await deriveFinalState(pipeline).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(DerivationError);
    expect((error as DerivationError).shortMessage).to.equal(
      `the state rebuilt from L1 after the 1 final batch(es) has root 0x${state.stateRoot.toString(16).padStart(64, "0")}, the rollup holds 0x${"7b".padStart(64, "0")}`,
    );
    expect((error as DerivationError).details).to.equal(
      "batch 0 became final with a postStateRoot its data does not give, so no account of the final state can be proven against it",
    );
  });

  it("deriveFinalState_l1KeepsMovingDuringTheReads_syncsThreeTimesThenThrows", async () => {
    const { pipeline, syncs } = pipelineOf(stateAfterOneBatch(), { exodus: false, batchCount: 2n, finalBatchCount: 1n }, { derivedBatches: 1 });
    const error = await deriveFinalState(pipeline).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(DerivationError);
    expect((error as DerivationError).shortMessage).to.equal("the rollup holds 2 batches but the derivation read 1");
    expect(syncs()).to.equal(3);
  });

  it("refundableDeposits_afterTheFinalQueueEnd_depositsWithAnAmountOnly", () => {
    const entry = (kind: QueueEntry["kind"], amount: bigint): QueueEntry => ({ kind, l1Address: alice, tokenId: 0, accountIdx: kind === QueueKind.CreateAccount ? 0 : 2, amount, Ax: 0n, Ay: 0n });
    const queue = [
      entry(QueueKind.Deposit, 5n), // consumed by a final batch
      entry(QueueKind.CreateAccount, 7n),
      entry(QueueKind.ForcedExit, 0n), // took nothing in
      entry(QueueKind.Deposit, 0n), // nothing to refund
      entry(QueueKind.Deposit, 9n),
    ];
    expect(refundableDeposits({ queue }, { queueEnd: 1 }).map((d) => [d.queueIndex, d.entry.amount])).to.deep.equal([
      [1, 7n],
      [4, 9n],
    ]);
  });
});
