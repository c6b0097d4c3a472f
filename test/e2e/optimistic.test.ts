import { expect } from "chai";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseEther, formatEther } from "viem";
import {
  createL2Client,
  ContractRevertError,
  L2RpcError,
  signOp,
  type RollupClient,
  type SendOpRequest,
} from "../../client/index.js";
import { bridgeAbi, erc20Abi, keccak256 } from "../../core/index.js";
import { startDevnet, type Devnet } from "../../devnet/start.js";

/** The whole optimistic loop on a real devnet: L1 Hardhat, contracts, sequencer process. */
describe("e2e: optimistic rollup over calldata", function () {
  this.timeout(240_000);
  let devnet: Devnet;
  let alice: RollupClient; // dev #0, funded on L2 at start
  let bob: RollupClient; // dev #1, funded on L2 at start
  let carol: RollupClient; // dev #5, not funded on L2: deposits herself

  before(async () => {
    devnet = await startDevnet({ l1Port: 0, l2Port: 0, dataDir: mkdtempSync(join(tmpdir(), "e2e-")), batchIntervalMs: 300 });
    alice = devnet.client(0);
    bob = devnet.client(1);
    carol = devnet.client(5);
  });

  after(async () => {
    await devnet?.stop();
  });

  const l2Balance = async (c: RollupClient, tokenId: number) => (await c.findAccount({ tokenId }))!.balance;

  it("deposit_ethAndTestToken_creditExactL2Balances", async () => {
    const ethBefore = await devnet.l1Client.getBalance({ address: carol.account.address });
    const { l1TxHash } = await carol.createAccount({ tokenId: 0, amount: parseEther("1.5") });
    const receipt = await devnet.l1Client.getTransactionReceipt({ hash: l1TxHash });
    const ethAfter = await devnet.l1Client.getBalance({ address: carol.account.address });
    // The deposit and the queue fee (docs/protocol.md §6), and the gas.
    const queueFee = await devnet.l1Client.readContract({ address: devnet.info.contracts.bridge, abi: bridgeAbi, functionName: "queueFee" });
    expect(queueFee).to.equal(parseEther("0.0001"));
    expect(ethBefore - ethAfter).to.equal(parseEther("1.5") + queueFee + receipt.gasUsed * receipt.effectiveGasPrice);
    const eth = await carol.waitForAccount({ tokenId: 0, timeout: 20_000 });
    expect(BigInt(eth.balance)).to.equal(parseEther("1.5"));
    expect(eth.nonce).to.equal(0);

    const test = devnet.info.tokens.TEST;
    await devnet.l1Client.waitForTransactionReceipt({
      hash: await carol.walletClient.writeContract({ address: devnet.info.contracts.testToken, abi: erc20Abi, functionName: "mint", args: [carol.account.address, parseEther("50")], chain: null }),
    });
    await carol.createAccount({ tokenId: test, amount: parseEther("20") });
    const token = await carol.waitForAccount({ tokenId: test, timeout: 20_000 });
    expect(BigInt(token.balance)).to.equal(parseEther("20"));
    const l1Token = await devnet.l1Client.readContract({ address: devnet.info.contracts.testToken, abi: erc20Abi, functionName: "balanceOf", args: [carol.account.address] });
    expect(l1Token).to.equal(parseEther("30"));

    await carol.deposit({ accountIdx: eth.index, tokenId: 0, amount: parseEther("0.5") });
    await carol.waitForAccount({ tokenId: 0, minBalance: parseEther("2"), timeout: 20_000 });
    expect(await l2Balance(carol, 0)).to.equal(parseEther("2"));
  });

  it("transfer_movesExactAmountAndFee_andReachesL1", async () => {
    const to = devnet.info.accounts[1]!.l2Accounts!.ETH;
    const aliceBefore = await l2Balance(alice, 0);
    const bobBefore = await l2Balance(bob, 0);
    const { hash } = await alice.transfer({ toIdx: to, amount: parseEther("0.25"), fee: 10n ** 12n });
    expect(await l2Balance(alice, 0)).to.equal(aliceBefore - parseEther("0.25") - 10n ** 12n);
    expect(await l2Balance(bob, 0)).to.equal(bobBefore + parseEther("0.25"));
    const op = await alice.waitForOp({ hash, status: "batched", timeout: 20_000 });
    expect(op.l1TxHash).to.match(/^0x[0-9a-f]{64}$/);
    const tx = await devnet.l1Client.getTransaction({ hash: op.l1TxHash! });
    expect(tx.to!.toLowerCase()).to.equal(devnet.info.contracts.rollup);
  });

  it("badOps_refusedAtRpcWithWhatWasWrong", async () => {
    const info = await alice.getRollupInfo();
    const account = (await alice.findAccount({ tokenId: 0 }))!;
    const l2 = createL2Client(devnet.info.l2.rpcUrl);
    const { privateKey } = await alice.deriveL2Key();
    const domain = { l1ChainId: info.l1ChainId, l2ChainId: info.l2ChainId, rollupAddress: info.contracts.rollup };
    const base = { fromIdx: account.index, toIdx: devnet.info.accounts[1]!.l2Accounts!.ETH, amount: 1000n, fee: 0n };
    const send = async (request: SendOpRequest) => {
      try {
        await l2.request({ method: "rollup_sendOp", params: [request] });
      } catch (e) {
        expect(e).to.be.instanceOf(L2RpcError);
        return e as L2RpcError;
      }
      throw new Error("the op was accepted");
    };
    const good = (over: Partial<typeof base> & { nonce?: number } = {}) =>
      signOp({ ...base, ...over, sender: { tokenId: 0, nonce: over.nonce ?? account.nonce }, domain, privateKey }).request;

    const stale = await send({ ...good({ nonce: account.nonce - 1 }), nonce: account.nonce - 1 });
    expect([stale.code, stale.shortMessage]).to.deep.equal([-32000, `nonce too low: account ${account.index} is at nonce ${account.nonce}, op has ${account.nonce - 1}`]);
    const future = await send({ ...good({ nonce: account.nonce + 1 }), nonce: account.nonce + 1 });
    expect(future.shortMessage).to.equal(`nonce too high: account ${account.index} is at nonce ${account.nonce}, op has ${account.nonce + 1}`);
    const poor = await send(good({ amount: parseEther("1000000") }));
    expect(poor.shortMessage).to.equal("insufficient balance");
    expect((poor.data as { reason: string }).reason).to.equal("InsufficientBalance");
    const otherKey = signOp({ ...base, sender: { tokenId: 0, nonce: account.nonce }, domain, privateKey: keccak256(new Uint8Array([1])) }).request;
    expect((await send(otherKey)).shortMessage).to.equal("invalid signature");
    const otherRollup = signOp({ ...base, sender: { tokenId: 0, nonce: account.nonce }, domain: { ...domain, rollupAddress: info.contracts.bridge }, privateKey }).request;
    expect((await send(otherRollup)).shortMessage).to.equal("invalid signature");
    const wrongChain = await send({ ...good(), chainId: 1 });
    expect([wrongChain.code, wrongChain.shortMessage]).to.deep.equal([-32602, `invalid params: wrong chain: this L2 is chain ${info.l2ChainId}, the op is for chain 1`]);
    const unknown = await send(good({ toIdx: 60000 }));
    expect(unknown.shortMessage).to.equal("unknown receiver account");
    const malformed = await send({ ...good(), signature: "0x1234" });
    expect(malformed.shortMessage).to.equal("invalid params: signature must be 64 bytes (packed R8 ‖ S), got 2");
    const inexact = await send({ ...good(), amount: "1000000000000000000001" });
    expect(inexact.code).to.equal(-32602);
    expect(inexact.shortMessage).to.match(/^invalid params: 1000000000000000000001 is not exactly representable as float40/);
    expect((await alice.findAccount({ tokenId: 0 }))!.nonce).to.equal(account.nonce);
  });

  it("withdraw_claimRevertsUntilFinal_thenPaysExactlyOnce", async () => {
    const { hash } = await alice.withdraw({ amount: parseEther("0.5") });
    const op = await alice.waitForOp({ hash, status: "batched", timeout: 20_000 });
    const withdrawal = (await alice.getWithdrawals()).find((w) => w.batch === op.batch && BigInt(w.amount) === parseEther("0.5"))!;
    expect(withdrawal.recipient.toLowerCase()).to.equal(alice.account.address.toLowerCase());

    // Bob pays the gas of the claims, so Alice's L1 balance moves by exactly the amount.
    const early = await bob.claimWithdrawal(withdrawal).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(early).to.be.instanceOf(ContractRevertError);
    expect((early as ContractRevertError).errorName).to.equal("BatchNotFinal");
    expect((early as ContractRevertError).args).to.deep.equal({ batchIndex: BigInt(op.batch!) });

    await devnet.warp(devnet.info.challengeWindow + 1);
    const before = await devnet.l1Client.getBalance({ address: alice.account.address });
    await bob.claimWithdrawal(withdrawal);
    const after = await devnet.l1Client.getBalance({ address: alice.account.address });
    expect(formatEther(after - before)).to.equal("0.5");
    await alice.waitForOp({ hash, status: "final", timeout: 20_000 });

    const again = await bob.claimWithdrawal(withdrawal).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((again as ContractRevertError).errorName).to.equal("WithdrawalAlreadyClaimed");
  });

  it("sequencerKilled_restarted_losesNothingAcknowledged", async () => {
    const to = devnet.info.accounts[0]!.l2Accounts!.ETH;
    const hashes: `0x${string}`[] = [];
    for (let i = 0; i < 20; i++) hashes.push((await bob.transfer({ toIdx: to, amount: 1000n + BigInt(i) })).hash);
    const status = await bob.getRollupStatus();
    const bobBalance = await l2Balance(bob, 0);
    const posted = await bob.getBatch({ index: 0 });
    expect(posted.da).to.equal("calldata");
    await devnet.sequencer.kill();
    await devnet.sequencer.restart();
    const after = await bob.getRollupStatus();
    expect(after.stateRoot).to.equal(status.stateRoot);
    // Where a batch went is in the log too.
    const replayed = await bob.getBatch({ index: 0 });
    expect([replayed.l1TxHash, replayed.l1Block, replayed.da]).to.deep.equal([posted.l1TxHash, posted.l1Block, "calldata"]);
    expect(await l2Balance(bob, 0)).to.equal(bobBalance);
    for (const hash of hashes) expect((await bob.getOp({ hash })).hash).to.equal(hash);
    const last = await bob.waitForOp({ hash: hashes.at(-1)!, status: "batched", timeout: 20_000 });
    expect(last.l1TxHash).to.match(/^0x/);
    const next = await bob.transfer({ toIdx: to, amount: 7n });
    expect((await bob.getOp({ hash: next.hash })).nonce).to.equal((await bob.getOp({ hash: hashes.at(-1)! })).nonce + 1);
  });
});
