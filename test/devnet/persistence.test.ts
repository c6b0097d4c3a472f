import { expect } from "chai";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseEther } from "viem";
import { DEPLOYMENT_FILE_VERSION, type DeploymentRecord, withDeployedParameters } from "../../devnet/deployment-file.js";
import { DevnetStateError } from "../../devnet/errors.js";
import { type DevnetOptions } from "../../devnet/options.js";
import { type Devnet, startDevnet } from "../../devnet/start.js";
import { devnetState } from "../helpers/devnet-state.js";

/** A devnet stopped and started again on its data folder: L1 and L2 come back as they were. */
describe("devnet: state kept in a data folder", function () {
  this.timeout(600_000);
  let devnet: Devnet | undefined;
  afterEach(async () => {
    await devnet?.stop();
    devnet = undefined;
  });

  it("startDevnet_stoppedAndStartedOnItsDataDir_keepsEveryAddressBalanceAccountBatchAndBlob", async () => {
    const options: DevnetOptions = { l1Port: 0, l2Port: 0, dataDir: mkdtempSync(join(tmpdir(), "devnet-kept-")), batchIntervalMs: 300, da: "blobs" };
    devnet = await startDevnet(options);
    expect(devnet.info.resumed).to.equal(false);
    const [alice, carol] = [devnet.client(0), devnet.client(5)];
    await carol.createAccount({ tokenId: 0, amount: parseEther("1") });
    await carol.waitForAccount({ tokenId: 0, timeout: 20_000 });
    const transfer = await alice.transfer({ toIdx: devnet.info.accounts[1]!.l2Accounts!.ETH, amount: parseEther("0.25") });
    await alice.waitForOp({ hash: transfer.hash, status: "batched", timeout: 20_000 });
    const withdrawal = await alice.withdraw({ amount: parseEther("0.5") });
    const withdrawn = await alice.waitForOp({ hash: withdrawal.hash, status: "batched", timeout: 20_000 });
    const before = await devnetState(devnet);
    await devnet.stop();

    devnet = await startDevnet(options);
    expect(devnet.info.resumed).to.equal(true);
    expect(await devnetState(devnet)).to.deep.equal(before);

    // And it goes on (on a new L2 port: ask the new devnet for clients): the withdrawal is
    // claimed after the window, new ops are batched.
    const [aliceAgain, bob] = [devnet.client(0), devnet.client(1)];
    await devnet.warp(devnet.info.challengeWindow + 1);
    const claim = (await aliceAgain.getWithdrawals()).find((w) => w.batch === withdrawn.batch && w.amount === parseEther("0.5"))!;
    const l1Before = await devnet.l1Client.getBalance({ address: alice.account.address });
    await bob.claimWithdrawal(claim);
    expect(await devnet.l1Client.getBalance({ address: alice.account.address })).to.equal(l1Before + parseEther("0.5"));
    const again = await aliceAgain.transfer({ toIdx: devnet.info.accounts[1]!.l2Accounts!.ETH, amount: 1000n });
    await aliceAgain.waitForOp({ hash: again.hash, status: "batched", timeout: 20_000 });
    const head = await devnet.l1Client.getBlockNumber();
    await devnet.stop();

    devnet = await startDevnet({ ...options, fresh: true });
    expect(devnet.info.resumed).to.equal(false);
    expect(await devnet.l1Client.getBlockNumber()).to.be.lessThan(head);
  });

  it("withDeployedParameters_optionAskingForAnotherDeployment_refusedWithDevnetStateError", () => {
    const record = { version: DEPLOYMENT_FILE_VERSION, parameters: { levels: 8, l2ChainId: 424242, challengeWindow: 604800, inclusionWindow: 86400, exodusDelay: 86400, queueFee: "100000000000000", clockBudget: 3600, settlement: "optimistic", zkSlots: 4, fundedAccounts: 5 } } as DeploymentRecord;
    const kept = withDeployedParameters({ batchSize: 16 }, record, ".devnet/deployment.json");
    expect(kept).to.deep.include({ batchSize: 16, levels: 8, challengeWindow: 604800, queueFee: 100000000000000n, settlement: "optimistic" });
    expect(withDeployedParameters({ levels: 8 }, record, "f").levels).to.equal(8);
    const error = (() => {
      try {
        withDeployedParameters({ levels: 4 }, record, ".devnet/deployment.json");
      } catch (e) {
        return e;
      }
    })();
    expect(error).to.be.instanceOf(DevnetStateError);
    expect((error as DevnetStateError).shortMessage).to.equal(".devnet/deployment.json holds a rollup deployed with levels 8, the options ask for 4");
  });
});
