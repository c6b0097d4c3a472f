import { expect } from "chai";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Hex, parseEther } from "viem";
import { devAccounts } from "../../devnet/accounts.js";
import { jsonRpc } from "../../devnet/json-rpc.js";
import { L1JournalError } from "../../devnet/errors.js";
import { connectL1, startHardhatL1 } from "../../devnet/l1.js";
import { type JournalGenesis, L1Journal } from "../../devnet/l1-journal.js";

/** The chain as a test compares it: every block's hash and time, and balances. */
async function chainOf(url: string, addresses: readonly string[]): Promise<{ blocks: { hash: Hex; timestamp: Hex }[]; balances: unknown[] }> {
  const head = Number(await jsonRpc(url, "eth_blockNumber"));
  const blocks: { hash: Hex; timestamp: Hex }[] = [];
  for (let n = 0; n <= head; n++) {
    const { hash, timestamp } = (await jsonRpc(url, "eth_getBlockByNumber", [`0x${n.toString(16)}`, false])) as { hash: Hex; timestamp: Hex };
    blocks.push({ hash, timestamp });
  }
  return { blocks, balances: await Promise.all(addresses.map((a) => jsonRpc(url, "eth_getBalance", [a, "latest"]))) };
}

describe("devnet: the L1 journal", () => {
  const [alice, bob, carol] = devAccounts(3) as [ReturnType<typeof devAccounts>[0], ReturnType<typeof devAccounts>[0], ReturnType<typeof devAccounts>[0]];
  const stranger = "0x00000000000000000000000000000000000c0ffe";

  it("startHardhatL1_stoppedAndStartedOnItsStateDir_sameBlocksBalancesAndClock", async () => {
    const stateDir = join(mkdtempSync(join(tmpdir(), "l1-journal-")), "l1");
    const first = await startHardhatL1({ host: "127.0.0.1", port: 0, stateDir });
    const l1 = await connectL1(first.url);
    // Signed locally (eth_sendRawTransaction), signed by the node (eth_sendTransaction), impersonated, an edit, a warp.
    await l1.client.waitForTransactionReceipt({ hash: await l1.wallet(alice.privateKey).sendTransaction({ to: bob.address, value: parseEther("1") }) });
    await jsonRpc(first.url, "eth_sendTransaction", [{ from: bob.address, to: carol.address, value: "0x2" }]);
    await jsonRpc(first.url, "hardhat_setBalance", [stranger, "0x1000000000000000000"]);
    await jsonRpc(first.url, "hardhat_impersonateAccount", [stranger]);
    await jsonRpc(first.url, "eth_sendTransaction", [{ from: stranger, to: alice.address, value: "0x3" }]);
    await jsonRpc(first.url, "evm_increaseTime", [7 * 24 * 3600]);
    await jsonRpc(first.url, "evm_mine");
    // A snapshot reverted: its blocks leave the journal with it.
    const snapshot = await jsonRpc(first.url, "evm_snapshot");
    await jsonRpc(first.url, "hardhat_mine", ["0x5"]);
    expect(await jsonRpc(first.url, "evm_revert", [snapshot])).to.equal(true);
    const before = await chainOf(first.url, [alice.address, bob.address, carol.address, stranger]);
    await first.close();

    const second = await startHardhatL1({ host: "127.0.0.1", port: 0, stateDir });
    expect(second.replayed).to.deep.include({ blocks: before.blocks.length - 1, transactions: 3 });
    expect(await chainOf(second.url, [alice.address, bob.address, carol.address, stranger])).to.deep.equal(before);
    // The clock keeps the warp: the next block is a week ahead of the wall clock, not back at it.
    await jsonRpc(second.url, "evm_mine");
    const { timestamp } = (await jsonRpc(second.url, "eth_getBlockByNumber", ["latest", false])) as { timestamp: Hex };
    expect(Number(timestamp) - Date.now() / 1000).to.be.greaterThan(7 * 24 * 3600 - 60);
    // Impersonation was replayed too: the stranger can still send.
    await jsonRpc(second.url, "eth_sendTransaction", [{ from: stranger, to: alice.address, value: "0x4" }]);
    await second.close();

    const third = await startHardhatL1({ host: "127.0.0.1", port: 0, stateDir });
    expect(third.replayed!.blocks).to.equal(before.blocks.length + 1);
    await third.close();
  });

  it("startHardhatL1_journalOfAnotherChain_refusedWithL1JournalError", async () => {
    const stateDir = join(mkdtempSync(join(tmpdir(), "l1-journal-")), "l1");
    const l1 = await startHardhatL1({ host: "127.0.0.1", port: 0, stateDir });
    await jsonRpc(l1.url, "evm_mine");
    await l1.close();
    // Another genesis hash for the same date: as if another Hardhat wrote it.
    const genesis = JSON.parse(readFileSync(join(stateDir, "genesis.json"), "utf8")) as JournalGenesis;
    const journal = L1Journal.open(stateDir);
    journal.begin({ ...genesis, genesisHash: `0x${"11".repeat(32)}` });
    journal.close();
    const error = await startHardhatL1({ host: "127.0.0.1", port: 0, stateDir }).then(
      (started) => started.close().then(() => undefined),
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(L1JournalError);
    expect((error as L1JournalError).shortMessage).to.match(/starts from genesis 0x1111.*this Hardhat builds 0x/);
  });
});
