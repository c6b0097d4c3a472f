import { expect } from "chai";
import { parseEther } from "viem";
import { InvalidParameterError } from "../../core/index.js";
import { type Devnet, startDevnet } from "../../devnet/start.js";
import { devnetState } from "../helpers/devnet-state.js";

/** devnet.snapshot() / revert() / loadFixture(): L1 and L2 come back together. */
describe("devnet: snapshots of L1 and L2", function () {
  this.timeout(600_000);
  let devnet: Devnet;
  before(async () => {
    devnet = await startDevnet({ l1Port: 0, l2Port: 0, batchIntervalMs: 300 });
  });
  after(async () => {
    await devnet?.stop();
  });

  it("revert_afterTransfersWithdrawalWarpAndClaim_l1AndL2AsAtTheSnapshot", async () => {
    const alice = devnet.client(0);
    const bob = devnet.client(1);
    const before = await devnetState(devnet);
    const id = await devnet.snapshot();
    // The services came back after the snapshot: the devnet is as it was.
    expect(await devnetState(devnet)).to.deep.equal(before);

    const transfer = await alice.transfer({ toIdx: devnet.info.accounts[1]!.l2Accounts!.ETH, amount: parseEther("1") });
    await alice.waitForOp({ hash: transfer.hash, status: "batched", timeout: 20_000 });
    const withdrawal = await bob.withdraw({ amount: parseEther("2") });
    const op = await bob.waitForOp({ hash: withdrawal.hash, status: "batched", timeout: 20_000 });
    await devnet.warp(devnet.info.challengeWindow + 1);
    await bob.claimWithdrawal((await bob.getWithdrawals()).find((w) => w.batch === op.batch)!);
    expect(await devnetState(devnet)).not.to.deep.equal(before);

    await devnet.revert(id);
    expect(await devnetState(devnet)).to.deep.equal(before);
    // The devnet goes on from there, and the same snapshot can be reverted to again.
    const after = await alice.transfer({ toIdx: devnet.info.accounts[2]!.l2Accounts!.ETH, amount: 5n * 10n ** 15n });
    await alice.waitForOp({ hash: after.hash, status: "batched", timeout: 20_000 });
    await devnet.revert(id);
    expect(await devnetState(devnet)).to.deep.equal(before);
  });

  it("loadFixture_calledAgain_revertsToTheStateAfterTheFixture", async () => {
    const carol = devnet.client(6);
    const fixture = async () => {
      await carol.createAccount({ tokenId: 0, amount: parseEther("3") });
      return (await carol.waitForAccount({ tokenId: 0, timeout: 20_000 })).index;
    };
    const index = await devnet.loadFixture(fixture);
    const state = await devnetState(devnet, { accounts: 7 });
    await carol.transfer({ toIdx: devnet.info.accounts[0]!.l2Accounts!.ETH, amount: parseEther("1") });
    expect(await devnet.loadFixture(fixture)).to.equal(index);
    expect(await devnetState(devnet, { accounts: 7 })).to.deep.equal(state);
    expect((await carol.findAccount({ tokenId: 0 }))!.balance).to.equal(parseEther("3"));
  });

  it("pauseAndResume_askedTwice_eachAnsweredRpcClosedWhilePausedSameUrlAfter", async () => {
    const url = devnet.sequencer.url;
    await Promise.all([devnet.sequencer.pause(), devnet.challenger!.pause()]);
    // A second pause is answered too (a snapshot must never wait for a reply that does not come).
    await Promise.all([devnet.sequencer.pause(), devnet.challenger!.pause()]);
    const whilePaused = await fetch(url, { method: "POST", body: "{}" }).then(
      () => "answered",
      () => "refused",
    );
    expect(whilePaused).to.equal("refused");
    await Promise.all([devnet.sequencer.resume(), devnet.challenger!.resume()]);
    await Promise.all([devnet.sequencer.resume(), devnet.challenger!.resume()]);
    expect(devnet.sequencer.url).to.equal(url);
    const alice = devnet.client(0);
    const { hash } = await alice.transfer({ toIdx: devnet.info.accounts[1]!.l2Accounts!.ETH, amount: 10n ** 15n });
    // Batched and on L1 again: the resumed node accepts and posts.
    expect((await alice.waitForOp({ hash, status: "batched", timeout: 20_000 })).batch).to.be.a("number");
  });

  it("revert_unknownId_invalidParameterError", async () => {
    const error = await devnet.revert("999").then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(InvalidParameterError);
    expect((error as InvalidParameterError).shortMessage).to.equal("no devnet snapshot 999");
  });
});
