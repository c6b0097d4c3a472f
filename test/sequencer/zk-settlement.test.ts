import { expect } from "chai";
import { waitFor } from "../../core/wait.js";
import { ProvingFailedError } from "../../sequencer/errors.js";
import { type BatchProof, type BatchProver, ZkSettlement, type ZkSettlementParameters } from "../../sequencer/zk-settlement.js";

/** A sealed batch as ZkSettlement reads it. */
interface FakeBatch {
  index: number;
  l1Tx?: string;
  ops: unknown[];
  zk: { input: Record<string, string>; payload: Uint8Array };
}

/** A prover that fails the first `failures` jobs it is given, then proves at once. */
function flakyProver(failures: number): BatchProver & { readonly ids: string[] } {
  const ids: string[] = [];
  let left = failures;
  return {
    ids,
    submit(_input, id): Promise<BatchProof> {
      ids.push(id);
      if (left-- > 0) return Promise.reject(new ProvingFailedError(id, "its proving process died 3 times"));
      return Promise.resolve({ calldata: [1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n], seconds: 0.5 });
    },
    status: () => undefined,
    pending: 0,
    close: async () => {},
  };
}

describe("ZkSettlement (proving and posting in order)", function () {
  this.timeout(20_000);

  it("post_proofFailsOnce_askedAgainAfterPauseAndPosted", async () => {
    const batch: FakeBatch = { index: 0, ops: [{}], zk: { input: {}, payload: new Uint8Array(12) } };
    const posted: number[] = [];
    const finals: number[] = [];
    const errors: string[] = [];
    let onChain = 0;
    const prover = flakyProver(1);
    const zk = new ZkSettlement({
      sequencer: {
        sealed: [batch],
        markPosted: async (index: number, hash: string) => {
          batch.l1Tx = hash;
          posted.push(index);
        },
        markFinal: (index: number) => void finals.push(index),
      } as unknown as ZkSettlementParameters["sequencer"],
      rollup: { batchCount: async () => onChain },
      poster: {
        post: async () => {
          onChain++;
          return { hash: "0xabc", blockNumber: 7, gasUsed: 484_646n };
        },
      } as unknown as ZkSettlementParameters["poster"],
      prover,
      batchesOnL1: 0,
      log: () => {},
      logError: (line) => errors.push(line),
    });

    zk.startProofs();
    await zk.post();
    expect(posted).to.deep.equal([]);
    expect(zk.proofInfo(0)!.status).to.equal("failed");
    expect(errors[0]).to.match(/batch 0: proving failed .*asking again in 1 s/);
    // Within the pause nothing is asked again; after it, the poll loop's next round does.
    zk.startProofs();
    expect(prover.ids).to.deep.equal(["batch-0"]);
    await waitFor(
      "the failed batch to be proved again and posted",
      async () => {
        zk.startProofs();
        await zk.post();
        return posted.length === 1;
      },
      { timeoutMs: 5_000, intervalMs: 100 },
    );
    expect(prover.ids).to.deep.equal(["batch-0", "batch-0-retry-1"]);
    expect(finals).to.deep.equal([0]);
    expect(zk.proofInfo(0)!.status).to.equal("proven");
    await zk.stop();
  });
});
