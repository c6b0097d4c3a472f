// A test suite of another project driving the devnet: plain JavaScript, mocha, no tsx.
import assert from "node:assert/strict";
import { startDevnet } from "rollup-devnet";
import { parseTokenAmount } from "rollup-devnet/client";

describe("my dapp on the rollup devnet", () => {
  let devnet;
  before(async () => {
    devnet = await startDevnet({ l1Port: 0, l2Port: 0, batchIntervalMs: 300 });
  });
  after(() => devnet?.stop());

  // Runs once; every later loadFixture(funded) reverts L1 and L2 to right after it.
  async function funded() {
    const carol = devnet.client(5); // a dev account with nothing on L2 yet
    await carol.createAccount({ tokenId: 0, amount: parseTokenAmount("2") });
    return (await carol.waitForAccount({ tokenId: 0, timeout: 30_000 })).index;
  }

  it("deposits, transfers, withdraws, warps and claims", async () => {
    await devnet.loadFixture(funded);
    const carol = devnet.client(5);
    const transfer = await carol.transfer({ toIdx: devnet.info.accounts[1].l2Accounts.ETH, amount: parseTokenAmount("0.5") });
    await carol.waitForOp({ hash: transfer.hash, status: "batched", timeout: 30_000 });
    const withdrawal = await carol.withdraw({ amount: parseTokenAmount("1") });
    const op = await carol.waitForOp({ hash: withdrawal.hash, status: "batched", timeout: 30_000 });
    await devnet.warp(devnet.info.challengeWindow + 1); // past the 7-day challenge window
    const before = await devnet.l1Client.getBalance({ address: carol.account.address });
    await devnet.client(1).claimWithdrawal((await carol.getWithdrawals()).find((w) => w.batch === op.batch));
    const after = await devnet.l1Client.getBalance({ address: carol.account.address });
    assert.equal(after - before, parseTokenAmount("1"));
    assert.equal((await carol.findAccount({ tokenId: 0 })).balance, parseTokenAmount("0.5"));
  });

  it("starts each test from the fixture", async () => {
    const index = await devnet.loadFixture(funded);
    const carol = await devnet.client(5).findAccount({ tokenId: 0 });
    assert.equal(carol.index, index);
    assert.equal(carol.balance, parseTokenAmount("2"));
  });
});
