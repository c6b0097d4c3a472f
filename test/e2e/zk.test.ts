import { expect } from "chai";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeFunctionData, hexToBytes, parseEther, parseEventLogs } from "viem";
import { type RollupClient } from "../../client/index.js";
import { resolveParams, rollupAbi } from "../../core/index.js";
import { waitFor } from "../../core/wait.js";
import { DEFAULT_ZK_SLOTS } from "../../devnet/options.js";
import { startDevnet, type Devnet } from "../../devnet/start.js";
import { type ProverStatus } from "../../core/prover-rpc.js";

/** The ZK loop on a real devnet: every batch proved with Groth16 and final on L1 at once. */
describe(`e2e: ZK rollup (levels 2, the default ${DEFAULT_ZK_SLOTS} slots, INSECURE dev setup)`, function () {
  // A cold start compiles the 32-slot circuit (~2.5 min here) and runs its dev setup (~1.5 min).
  this.timeout(900_000);
  const LEVELS = 2;
  let devnet: Devnet;
  let upAt: number;
  let alice: RollupClient; // dev #0, funded on L2 at start
  let bob: RollupClient; // dev #1, no L2 account: pays the claim's gas
  let carol: RollupClient; // dev #5, deposits herself

  before(async () => {
    const started = Date.now();
    devnet = await startDevnet({
      settlement: "zk",
      levels: LEVELS,
      l1Port: 0,
      l2Port: 0,
      beaconPort: 0,
      fundedAccounts: 1,
      batchIntervalMs: 300,
      dataDir: mkdtempSync(join(tmpdir(), "e2e-zk-")),
    });
    upAt = Date.now();
    console.log(`      zk devnet up in ${((upAt - started) / 1000).toFixed(1)} s`);
    alice = devnet.client(0);
    bob = devnet.client(1);
    carol = devnet.client(5);
  });

  after(async () => {
    await devnet?.stop();
  });

  // The client's batch carries the ZK proof's status (rollup_getBatch in ZK mode).
  const batchOf = (index: number) => carol.getBatch({ index });

  it("depositTransferWithdraw_claimableRightAfterProofWithoutWarp", async () => {
    expect(devnet.info.settlement).to.equal("zk");
    expect(devnet.info.zk!.slots).to.equal(DEFAULT_ZK_SLOTS);
    expect(devnet.info.dispute.challenger).to.equal(null);

    await carol.createAccount({ tokenId: 0, amount: parseEther("2") });
    await carol.waitForAccount({ tokenId: 0, timeout: 20_000 });
    const aliceEth = devnet.info.accounts[0]!.l2Accounts!.ETH;
    const transfer = await carol.transfer({ toIdx: aliceEth, amount: parseEther("0.25") });
    const sentAt = Date.now();
    const withdraw = await carol.withdraw({ amount: parseEther("0.5") });

    // Two 32-slot proofs in a row (Carol's account, then her ops), ~15 s each here.
    const op = await carol.waitForOp({ hash: withdraw.hash, status: "final", timeout: 120_000 });
    const finalAt = Date.now();
    console.log(`      transfer sent → withdrawal final on L1: ${((finalAt - sentAt) / 1000).toFixed(1)} s`);
    expect((await carol.waitForOp({ hash: transfer.hash, status: "final", timeout: 10_000 })).batch).to.be.a("number");

    // The batch's L1 transaction is a successful submitZkBatch: a real Groth16 proof verified on L1.
    const batch = await batchOf(op.batch!);
    expect(batch.status).to.equal("final");
    expect(batch.proof!.status).to.equal("proven");
    expect(batch.proof!.seconds).to.be.greaterThan(0);
    console.log(`      batch ${batch.index}: proved in ${batch.proof!.seconds} s`);
    const tx = await devnet.l1Client.getTransaction({ hash: op.l1TxHash! });
    expect(tx.to!.toLowerCase()).to.equal(devnet.info.contracts.rollup);
    const call = decodeFunctionData({ abi: rollupAbi, data: tx.input });
    expect(call.functionName).to.equal("submitZkBatch");
    const receipt = await devnet.l1Client.getTransactionReceipt({ hash: op.l1TxHash! });
    expect(receipt.status).to.equal("success");
    const proven = parseEventLogs({ abi: rollupAbi, logs: receipt.logs, eventName: "ZkBatchProven" });
    expect(proven.map((l) => Number(l.args.index))).to.deep.equal([op.batch]);
    const finalized = parseEventLogs({ abi: rollupAbi, logs: receipt.logs, eventName: "BatchFinalized" });
    expect(finalized.map((l) => Number(l.args.index))).to.deep.equal([op.batch]);

    // The payload holds the batch's ops without signatures: 2·idxBytes + 6 bytes each.
    const params = resolveParams({ levels: LEVELS });
    const payload = hexToBytes(call.args[1] as `0x${string}`);
    expect(batch.opCount).to.be.greaterThan(0);
    expect(payload.length / batch.opCount).to.equal(2 * params.idxBytes + 6);
    expect(batch.payloadBytes).to.equal(payload.length);

    // Claimable at once, no warp; Bob pays the gas, so Carol's L1 balance moves by exactly the amount.
    const withdrawal = (await carol.getWithdrawals()).find((w) => w.batch === op.batch && BigInt(w.amount) === parseEther("0.5"))!;
    expect(withdrawal.recipient.toLowerCase()).to.equal(carol.account.address.toLowerCase());
    const before = await devnet.l1Client.getBalance({ address: carol.account.address });
    await bob.claimWithdrawal(withdrawal);
    const after = await devnet.l1Client.getBalance({ address: carol.account.address });
    expect(after - before).to.equal(parseEther("0.5"));

    const elapsed = (Date.now() - upAt) / 1000;
    console.log(`      devnet up → withdrawal claimed: ${elapsed.toFixed(1)} s`);
    expect(elapsed).to.be.lessThan(120);
  });

  it("sequencerKilledBeforeProof_restarted_reprovesSealedBatch", async () => {
    const aliceEth = devnet.info.accounts[0]!.l2Accounts!.ETH;
    const { hash } = await carol.transfer({ toIdx: aliceEth, amount: parseEther("0.01") });
    // Kill it once the op's batch is sealed, while the batch is still being proved.
    const sealed = await waitFor("the op's batch to be sealed", async () => {
      const now = await carol.getOp({ hash });
      return now.status === "sealed" && now.batch;
    }, { timeoutMs: 10_000, intervalMs: 50 });
    expect(sealed).to.be.a("number");
    await devnet.sequencer.kill();
    await devnet.sequencer.restart();
    const op = await carol.waitForOp({ hash, status: "final", timeout: 60_000 });
    expect(op.batch).to.equal(sealed);
    const batch = await batchOf(op.batch!);
    expect(batch.proof!.status).to.equal("proven");
    const receipt = await devnet.l1Client.getTransactionReceipt({ hash: op.l1TxHash! });
    expect(receipt.status).to.equal("success");
    expect(decodeFunctionData({ abi: rollupAbi, data: (await devnet.l1Client.getTransaction({ hash: op.l1TxHash! })).input }).functionName).to.equal(
      "submitZkBatch",
    );
  });

  it("proverKilledMidProof_restarted_batchStillProvedAndPosted", async () => {
    const aliceEth = devnet.info.accounts[0]!.l2Accounts!.ETH;
    const { hash } = await carol.transfer({ toIdx: aliceEth, amount: parseEther("0.02") });
    const proverStatus = async (): Promise<ProverStatus> =>
      ((await (await fetch(devnet.prover!.url, { method: "POST", body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "prover_getStatus", params: [] }) })).json()) as { result: ProverStatus }).result;
    // Kill the prover service while it proves the op's batch; the sequencer's job is lost with it.
    await waitFor("the prover to prove the op's batch", async () => (await proverStatus()).proving.length > 0, { timeoutMs: 20_000, intervalMs: 50 });
    const { batch: sealed } = await carol.getOp({ hash });
    expect((await carol.getRollupStatus()).proverQueue).to.equal(1);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await devnet.prover!.kill();
    await devnet.prover!.restart();
    // The sequencer finds its job gone from the restarted prover, submits it again, and posts the proof.
    const op = await carol.waitForOp({ hash, status: "final", timeout: 120_000 });
    expect(op.batch).to.equal(sealed);
    expect((await carol.getBatch({ index: op.batch! })).proof!.status).to.equal("proven");
    const receipt = await devnet.l1Client.getTransactionReceipt({ hash: op.l1TxHash! });
    expect(receipt.status).to.equal("success");
    expect(decodeFunctionData({ abi: rollupAbi, data: (await devnet.l1Client.getTransaction({ hash: op.l1TxHash! })).input }).functionName).to.equal(
      "submitZkBatch",
    );
    expect((await carol.getRollupStatus()).proverQueue).to.equal(0);
  });
});
