import { type Hex } from "viem";
import { bridgeAbi, erc20Abi } from "../../core/index.js";
import { waitFor } from "../../core/wait.js";
import { type Devnet } from "../../devnet/start.js";

/**
 * Everything a kept or reverted devnet must give back, L1 and L2 together, in a form chai
 * compares: the head block, L1 balances (ETH and the test token) of the dev accounts, the
 * operator and the bridge, every dev account's L2 accounts, the rollup's batches and state
 * root, the dev accounts' withdrawals, and the blob sidecars of the blocks that have them.
 *
 * @example
 * const before = await devnetState(devnet)
 * expect(await devnetState(devnet)).to.deep.equal(before)
 */
export async function devnetState(devnet: Devnet, options: { readonly accounts?: number } = {}): Promise<unknown> {
  const { info, l1Client } = devnet;
  const count = options.accounts ?? 6;
  const alice = devnet.client(0);
  // Quiet first: no open batch, every batch on L1.
  await waitFor(
    "the sequencer to post its open batch",
    async () => {
      const status = await alice.getRollupStatus();
      return status.openBatch === null && status.postedBatches === status.batches;
    },
    { timeoutMs: 30_000, intervalMs: 100 },
  );
  const head = await l1Client.getBlock();
  const addresses = [...info.accounts.slice(0, count).map((a) => a.address), info.operator.address, info.contracts.bridge];
  const l1 = await Promise.all(
    addresses.map(async (address) => ({
      address,
      eth: await l1Client.getBalance({ address }),
      test: await l1Client.readContract({ address: info.contracts.testToken, abi: erc20Abi, functionName: "balanceOf", args: [address] }),
    })),
  );
  const l2 = await Promise.all(info.accounts.slice(0, count).map((_, i) => devnet.client(i).getAccountsByOwner({})));
  const withdrawals = await Promise.all(info.accounts.slice(0, count).map((_, i) => devnet.client(i).getWithdrawals()));
  const queueLength = await l1Client.readContract({ address: info.contracts.bridge, abi: bridgeAbi, functionName: "queueLength" });
  const sidecars: Record<string, unknown> = {};
  for (let n = 0n; n <= head.number; n++) {
    const block = await l1Client.getBlock({ blockNumber: n, includeTransactions: true });
    if (!block.transactions.some((tx) => tx.type === "eip4844")) continue;
    sidecars[n.toString()] = ((await (await fetch(`${info.beacon.url}/eth/v1/beacon/blob_sidecars/${n}`)).json()) as { data: unknown }).data;
  }
  return {
    contracts: info.contracts,
    head: { number: head.number, hash: head.hash as Hex, timestamp: head.timestamp },
    l1,
    l2,
    withdrawals,
    queueLength,
    status: await alice.getRollupStatus(),
    sidecars,
  };
}
