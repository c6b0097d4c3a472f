import { expect } from "chai";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Hex, decodeFunctionData, formatEther, parseEther, parseEventLogs } from "viem";
import { ContractRevertError, type RollupClient } from "../../client/index.js";
import { GameEndReason, disputeGameAbi, kzgToVersionedHash, rollupAbi } from "../../core/index.js";
import { waitFor } from "../../core/wait.js";
import { startDevnet, type Devnet } from "../../devnet/start.js";
import { createDerivationPipeline } from "../../derive/pipeline.js";
import { DerivationError } from "../../derive/errors.js";
import { bytesToHex, hexToBytes } from "viem";

async function rpc(url: string, method: string, params: unknown[] = []): Promise<unknown> {
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }) });
  const body = (await response.json()) as { result?: unknown; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result;
}

/** Derives the L2 from L1 and the Beacon API alone and checks it reaches the sequencer's state. */
async function deriveFromL1(devnet: Devnet) {
  const { info } = devnet;
  const pipeline = await createDerivationPipeline({ l1RpcUrl: info.l1.rpcUrl, contracts: info.contracts, beaconUrl: info.beacon.url, fromBlock: BigInt(info.deployBlock) });
  const events = await pipeline.sync();
  const reports = events.flatMap((e) => (e.kind === "derived" ? [e.report] : []));
  expect(reports.filter((r) => !r.agrees)).to.deep.equal([]);
  const status = (await rpc(info.l2.rpcUrl, "rollup_getStatus")) as { stateRoot: string; batches: number; postedBatches: number };
  expect(pipeline.deriver.batchCount).to.equal(status.postedBatches);
  expect(pipeline.deriver.state.stateRoot).to.equal(BigInt(status.stateRoot));
  const onL1 = await devnet.l1Client.readContract({ address: info.contracts.rollup, abi: rollupAbi, functionName: "lastStateRoot" });
  expect(pipeline.deriver.state.stateRoot).to.equal(onL1);
  return reports.map((r) => pipeline.deriver.batch(r.index)!.decoded.da);
}

/** Waits until every accepted op is in a batch on L1. */
async function settled(devnet: Devnet): Promise<void> {
  await waitFor("every accepted op to be in a batch on L1", async () => {
    const s = (await rpc(devnet.info.l2.rpcUrl, "rollup_getStatus")) as { batches: number; postedBatches: number; openBatch: unknown; unconsumedQueueEntries: number };
    return s.openBatch === null && s.batches === s.postedBatches && s.unconsumedQueueEntries === 0;
  }, { timeoutMs: 30_000 });
}

describe("e2e: blobs for data availability", function () {
  this.timeout(240_000);

  describe("--da blobs", () => {
    let devnet: Devnet;
    let alice: RollupClient;
    let bob: RollupClient;
    let carol: RollupClient;

    before(async () => {
      devnet = await startDevnet({ l1Port: 0, l2Port: 0, beaconPort: 0, da: "blobs", dataDir: mkdtempSync(join(tmpdir(), "e2e-blobs-")), batchIntervalMs: 300 });
      alice = devnet.client(0);
      bob = devnet.client(1);
      carol = devnet.client(5);
    });

    after(async () => {
      await devnet?.stop();
    });

    it("blobBatch_depositsTransfersWithdrawal_postedAsType3WithSidecarsOnTheBeaconApi", async () => {
      await carol.createAccount({ tokenId: 0, amount: parseEther("1.5") });
      await carol.waitForAccount({ tokenId: 0, timeout: 20_000 });
      const bobIdx = devnet.info.accounts[1]!.l2Accounts!.ETH;
      const hashes: Hex[] = [];
      for (let i = 0; i < 5; i++) hashes.push((await alice.transfer({ toIdx: bobIdx, amount: parseEther("0.01") })).hash);
      await bob.transfer({ toIdx: devnet.info.accounts[0]!.l2Accounts!.ETH, amount: parseEther("0.02") });
      const op = await alice.waitForOp({ hash: hashes[4]!, status: "batched", timeout: 20_000 });

      const tx = await devnet.l1Client.getTransaction({ hash: op.l1TxHash! });
      expect(tx.type).to.equal("eip4844");
      expect((await alice.getBatch({ index: op.batch! })).da).to.equal("blobs");
      expect(tx.blobVersionedHashes).to.have.length(1);

      const response = await fetch(`${devnet.info.beacon.url}/eth/v1/beacon/blob_sidecars/${tx.blockHash}`);
      expect(response.status).to.equal(200);
      const { data } = (await response.json()) as { data: { index: string; blob: Hex; kzg_commitment: Hex; kzg_proof: Hex; signed_block_header: { message: { slot: string } } }[] };
      expect(data).to.have.length(1);
      expect(data[0]!.index).to.equal("0");
      expect(data[0]!.signed_block_header.message.slot).to.equal(tx.blockNumber!.toString());
      expect(hexToBytes(data[0]!.blob).length).to.equal(131_072);
      expect(bytesToHex(kzgToVersionedHash(hexToBytes(data[0]!.kzg_commitment)))).to.equal(tx.blobVersionedHashes![0]);
      // The same sidecars by slot; a block without blobs has none; a bad id is a 400.
      const bySlot = (await (await fetch(`${devnet.info.beacon.url}/eth/v1/beacon/blob_sidecars/${tx.blockNumber}`)).json()) as { data: unknown[] };
      expect(bySlot.data).to.deep.equal(data);
      expect(((await (await fetch(`${devnet.info.beacon.url}/eth/v1/beacon/blob_sidecars/0`)).json()) as { data: unknown[] }).data).to.deep.equal([]);
      expect((await fetch(`${devnet.info.beacon.url}/eth/v1/beacon/blob_sidecars/latest-ish`)).status).to.equal(400);
    });

    it("derivation_fromL1AndBeaconApiAlone_reachesTheSequencersStateRoots", async () => {
      await settled(devnet);
      const kinds = await deriveFromL1(devnet);
      expect(kinds.length).to.be.greaterThan(1);
      expect(new Set(kinds)).to.deep.equal(new Set(["blobs"]));

      const { info } = devnet;
      const blind = await createDerivationPipeline({ l1RpcUrl: info.l1.rpcUrl, contracts: info.contracts, fromBlock: BigInt(info.deployBlock) });
      const error = await blind.sync().then(() => undefined, (e: unknown) => e);
      expect(error).to.be.instanceOf(DerivationError);
      expect((error as DerivationError).shortMessage).to.match(/is in blobs and no Beacon API URL was given/);
    });

    it("withdrawal_inBlobBatch_claimsExactlyAfterTheWindow", async () => {
      const { hash } = await alice.withdraw({ amount: parseEther("0.5") });
      const op = await alice.waitForOp({ hash, status: "batched", timeout: 20_000 });
      expect((await devnet.l1Client.getTransaction({ hash: op.l1TxHash! })).type).to.equal("eip4844");
      const withdrawal = (await alice.getWithdrawals()).find((w) => w.batch === op.batch && BigInt(w.amount) === parseEther("0.5"))!;
      const { rollup } = devnet.info.contracts;
      const finalizableAt = await devnet.l1Client.readContract({ address: rollup, abi: rollupAbi, functionName: "finalizableAt", args: [BigInt(op.batch!)] });

      // Two seconds before the window ends: the claim (mined at most a second later) reverts.
      await rpc(devnet.info.l1.rpcUrl, "evm_mine", [Number(finalizableAt) - 2]);
      const early = await bob.claimWithdrawal(withdrawal).then(() => undefined, (e: unknown) => e);
      expect(early).to.be.instanceOf(ContractRevertError);
      expect((early as ContractRevertError).errorName).to.equal("BatchNotFinal");

      await rpc(devnet.info.l1.rpcUrl, "evm_mine", [Number(finalizableAt)]);
      const before = await devnet.l1Client.getBalance({ address: alice.account.address });
      await bob.claimWithdrawal(withdrawal);
      const after = await devnet.l1Client.getBalance({ address: alice.account.address });
      expect(formatEther(after - before)).to.equal("0.5");
    });
  });

  describe("--da auto", () => {
    let devnet: Devnet;

    before(async () => {
      devnet = await startDevnet({ l1Port: 0, l2Port: 0, beaconPort: 0, da: "auto", challenger: false, dataDir: mkdtempSync(join(tmpdir(), "e2e-auto-")), batchIntervalMs: 2000 });
    });

    after(async () => {
      await devnet?.stop();
    });

    it("auto_followsTheBaseFee_mixesCalldataAndBlobBatches_derivationAgrees", async () => {
      const alice = devnet.client(0);
      const bobIdx = devnet.info.accounts[1]!.l2Accounts!.ETH;
      const l1 = devnet.info.l1.rpcUrl;
      const kindOf = async (hash: Hex) => {
        const op = await alice.waitForOp({ hash, status: "batched", timeout: 20_000 });
        const type = (await devnet.l1Client.getTransaction({ hash: op.l1TxHash! })).type;
        // The sequencer reports where it put the batch.
        expect((await alice.getBatch({ index: op.batch! })).da).to.equal(type === "eip4844" ? "blobs" : "calldata");
        return type;
      };
      // Execution gas nearly free: calldata (~170k gas) beats a blob (131,072 blob gas at ≥ 1 wei).
      await rpc(l1, "hardhat_setNextBlockBaseFeePerGas", ["0x0"]);
      await rpc(l1, "evm_mine");
      expect(await kindOf((await alice.transfer({ toIdx: bobIdx, amount: 1000n })).hash)).to.equal("eip1559");
      // Execution gas at 10 gwei, blob gas at 1 wei: a batch of 30 ops (2,280 bytes, ~90k gas of
      // calldata floor) goes in a blob; a single op would still be cheaper as calldata, since a
      // blob batch's fixed execution cost is higher (docs/blobs.md).
      await rpc(l1, "hardhat_setNextBlockBaseFeePerGas", [`0x${(10n ** 10n).toString(16)}`]);
      await rpc(l1, "evm_mine");
      const hashes: Hex[] = [];
      for (let i = 0; i < 29; i++) hashes.push((await alice.transfer({ toIdx: bobIdx, amount: 2000n + BigInt(i) })).hash);
      hashes.push((await alice.withdraw({ amount: parseEther("0.1") })).hash);
      const batches = new Set(await Promise.all(hashes.map(async (h) => (await alice.waitForOp({ hash: h, status: "batched", timeout: 20_000 })).batch)));
      expect(batches.size).to.equal(1);
      expect(await kindOf(hashes[29]!)).to.equal("eip4844");

      await settled(devnet);
      const kinds = await deriveFromL1(devnet);
      expect(kinds).to.include("calldata");
      expect(kinds).to.include("blobs");
    });
  });

  describe("--da blobs with a faulty proposer", () => {
    let devnet: Devnet;
    const lines: string[] = [];

    before(async () => {
      devnet = await startDevnet({
        l1Port: 0,
        l2Port: 0,
        da: "blobs",
        fault: { kind: "bad-signature" },
        dataDir: mkdtempSync(join(tmpdir(), "e2e-blob-fraud-")),
        batchIntervalMs: 300,
        onChallengerLog: (line) => lines.push(line),
      });
    });

    after(async () => {
      await devnet?.stop();
    });

    it("badSignatureInBlobBatch_agentReadsTheOpThroughKzgOpenings_provenWrongOnL1_reposted", async () => {
      const { info } = devnet;
      const alice = devnet.client(0);
      const bobIdx = info.accounts[1]!.l2Accounts!.ETH;
      for (let i = 0; i < 3; i++) await alice.transfer({ toIdx: bobIdx, amount: parseEther("0.1") });

      const resolved = await waitFor("the game to resolve", async () => {
        const logs = await devnet.l1Client.getLogs({ address: info.dispute.game, fromBlock: BigInt(info.deployBlock) });
        const events = parseEventLogs({ abi: disputeGameAbi, logs });
        return events.some((e) => e.eventName === "GameResolved") && events;
      }, { timeoutMs: 90_000 });
      const started = resolved.find((e) => e.eventName === "GameStarted")!;
      const proven = resolved.find((e) => e.eventName === "StepProven")!;
      const result = resolved.find((e) => e.eventName === "GameResolved")!;
      expect(result.args.winner).to.equal(info.dispute.challenger!.address);
      expect(result.args.reason).to.equal(GameEndReason.StepDisproved);
      expect(proven.args.postStepHash).to.not.equal(proven.args.claimed);

      // The wrong batch was a blob batch, and the one-step proof read its forged op from the
      // blob: proveBlobStep with the header element and the op's 3 or 4 elements opened.
      const batchIndex = started.args.batchIndex;
      const rollupLogs = parseEventLogs({
        abi: rollupAbi,
        logs: await devnet.l1Client.getLogs({ address: info.contracts.rollup, fromBlock: BigInt(info.deployBlock) }),
      });
      const posted = rollupLogs.find((e) => e.eventName === "BatchDataPosted" && e.args.index === batchIndex)!;
      expect((await devnet.l1Client.getTransaction({ hash: posted.transactionHash })).type).to.equal("eip4844");
      const proveTx = await devnet.l1Client.getTransaction({ hash: proven.transactionHash });
      const call = decodeFunctionData({ abi: disputeGameAbi, data: proveTx.input });
      expect(call.functionName).to.equal("proveBlobStep");
      const openings = (call.args as unknown as [bigint, unknown, { blobHashes: readonly Hex[]; elements: readonly unknown[] }])[2];
      expect(openings.blobHashes).to.deep.equal(posted.eventName === "BatchDataPosted" && posted.args.blobHashes);
      expect(openings.elements.length).to.be.oneOf([3, 4]);
      expect(lines.some((l) => /one-step proof of step \d+ \(transfer, BadSignature\)/.test(l)), lines.join("\n")).to.equal(true);

      // The sequencer re-posts its honest batches, in blobs; L1 + Beacon API derive its state.
      expect(rollupLogs.some((e) => e.eventName === "BatchesInvalidated")).to.equal(true);
      await waitFor("the honest batches to be re-posted", async () => {
        const s = (await rpc(info.l2.rpcUrl, "rollup_getStatus")) as { batches: number; postedBatches: number; openBatch: unknown; unconsumedQueueEntries: number };
        const count = await devnet.l1Client.readContract({ address: info.contracts.rollup, abi: rollupAbi, functionName: "batchCount" });
        return s.unconsumedQueueEntries === 0 && s.openBatch === null && s.postedBatches === s.batches && Number(count) === s.batches;
      });
      const pipeline = await createDerivationPipeline({ l1RpcUrl: info.l1.rpcUrl, contracts: info.contracts, beaconUrl: info.beacon.url, fromBlock: BigInt(info.deployBlock) });
      const events = await pipeline.sync();
      expect(events.some((e) => e.kind === "rolledBack")).to.equal(true);
      const status = (await rpc(info.l2.rpcUrl, "rollup_getStatus")) as { stateRoot: string; postedBatches: number };
      expect(pipeline.deriver.batchCount).to.equal(status.postedBatches);
      expect(pipeline.deriver.state.stateRoot).to.equal(BigInt(status.stateRoot));
      const kept = Array.from({ length: pipeline.deriver.batchCount }, (_, i) => pipeline.deriver.batch(i)!);
      expect(kept.every((b) => b.report.agrees && b.decoded.da === "blobs")).to.equal(true);
    });
  });
});
