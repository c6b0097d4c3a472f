import { expect } from "chai";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseEther } from "viem";
import { createRollupClient, type RollupClient } from "../../client/index.js";
import { rollupAbi } from "../../core/index.js";
import { waitFor } from "../../core/wait.js";
import { startDevnet, type Devnet } from "../../devnet/start.js";
import { createDerivationPipeline } from "../../derive/pipeline.js";

/** The derivation pipeline rebuilds the L2 from L1 alone: an RPC URL and two addresses. */
describe("derive: derivation pipeline", function () {
  this.timeout(180_000);
  let devnet: Devnet;
  let alice: RollupClient;
  let bob: RollupClient;

  before(async () => {
    devnet = await startDevnet({ l1Port: 0, l2Port: 0, dataDir: mkdtempSync(join(tmpdir(), "derive-")), batchIntervalMs: 200, challenger: false });
    const client = (n: number) =>
      createRollupClient({ l1RpcUrl: devnet.info.l1.rpcUrl, l2RpcUrl: devnet.info.l2.rpcUrl, account: devnet.info.accounts[n]!.privateKey, pollingInterval: 50 });
    alice = client(0);
    bob = client(1);
  });

  after(async () => {
    await devnet?.stop();
  });

  it("pipeline_devnetRunFromL1Alone_reachesSequencerStateRoot", async () => {
    const bobEth = devnet.info.accounts[1]!.l2Accounts!.ETH;
    for (let i = 0; i < 5; i++) await alice.transfer({ toIdx: bobEth, amount: parseEther("0.01") * BigInt(i + 1), fee: 10n ** 12n });
    await bob.withdraw({ amount: parseEther("0.3") });
    await alice.deposit({ accountIdx: devnet.info.accounts[0]!.l2Accounts!.ETH, tokenId: 0, amount: parseEther("2") });
    const last = await alice.transfer({ toIdx: bobEth, amount: 12345n });
    await alice.waitForOp({ hash: last.hash, status: "batched", timeout: 30_000 });
    const status = await waitFor("the sequencer to post everything", async () => {
      const s = await alice.getRollupStatus();
      return s.unconsumedQueueEntries === 0 && !s.openBatch && s.postedBatches >= s.batches && s;
    }, { timeoutMs: 30_000 });

    const pipeline = await createDerivationPipeline({
      l1RpcUrl: devnet.info.l1.rpcUrl,
      contracts: { rollup: devnet.info.contracts.rollup, bridge: devnet.info.contracts.bridge },
    });
    const events = await pipeline.sync();
    const reports = events.flatMap((e) => (e.kind === "derived" ? [e.report] : []));
    expect(reports.map((r) => r.index)).to.deep.equal([...Array(status.batches).keys()]);
    expect(reports.filter((r) => !r.agrees)).to.deep.equal([]);
    expect(pipeline.deriver.state.stateRoot).to.equal(status.stateRoot);
    const onL1 = await devnet.l1Client.readContract({ address: devnet.info.contracts.rollup, abi: rollupAbi, functionName: "lastStateRoot" });
    expect(pipeline.deriver.state.stateRoot).to.equal(onL1);
    const batch = await alice.getBatch({ index: reports.at(-1)!.index });
    expect(reports.at(-1)!.derived.stepsRoot).to.equal(batch.stepsRoot);
    expect(reports.at(-1)!.stepHashes).to.have.length(batch.stepCount + 1);

    // Caught up: a second sync derives nothing new.
    expect(await pipeline.sync()).to.deep.equal([]);
  });
});
