// A script of another project (plain JavaScript, ESM, no tsx): start a devnet from the
// installed package and move ETH L1 → L2 → L1. Prints one JSON line (test/package/install.test.ts reads it).
import { startDevnet } from "rollup-devnet";
import { formatTokenAmount } from "rollup-devnet/client";

const ETH = 10n ** 18n;
const devnet = await startDevnet({ l1Port: 0, l2Port: 0, batchIntervalMs: 300 });
try {
  const carol = devnet.client(5); // a dev account with nothing on L2
  const bob = devnet.client(1);
  await carol.createAccount({ tokenId: 0, amount: 2n * ETH });
  await carol.waitForAccount({ tokenId: 0, timeout: 30_000 });
  const transfer = await carol.transfer({ toIdx: devnet.info.accounts[1].l2Accounts.ETH, amount: ETH / 2n });
  await carol.waitForOp({ hash: transfer.hash, status: "batched", timeout: 30_000 });
  const withdrawal = await carol.withdraw({ amount: ETH });
  const op = await carol.waitForOp({ hash: withdrawal.hash, status: "batched", timeout: 30_000 });
  await devnet.warp(devnet.info.challengeWindow + 1);
  const before = await devnet.l1Client.getBalance({ address: carol.account.address });
  // Bob pays the claim's gas: Carol's L1 balance moves by the amount alone.
  await bob.claimWithdrawal((await carol.getWithdrawals()).find((w) => w.batch === op.batch));
  const after = await devnet.l1Client.getBalance({ address: carol.account.address });
  const l2 = (await carol.findAccount({ tokenId: 0 })).balance;
  console.log(JSON.stringify({ l2: formatTokenAmount(l2), claimed: formatTokenAmount(after - before), resolved: import.meta.resolve("rollup-devnet") }));
} finally {
  await devnet.stop();
}
