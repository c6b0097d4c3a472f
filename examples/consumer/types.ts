// TypeScript of another project: the package's types, checked with `npm run typecheck`.
import { type Devnet, type DevnetInfo, DevnetStateError, startDevnet } from "rollup-devnet";
import { type RollupClient, createRollupClient, parseTokenAmount } from "rollup-devnet/client";

export async function roundTrip(): Promise<bigint> {
  const devnet: Devnet = await startDevnet({ l1Port: 0, l2Port: 0, dataDir: ".devnet" });
  const info: DevnetInfo = devnet.info;
  const alice: RollupClient = createRollupClient({ l1RpcUrl: info.l1.rpcUrl, l2RpcUrl: info.l2.rpcUrl, account: info.accounts[0]!.privateKey });
  const id: string = await devnet.snapshot();
  await alice.transfer({ toIdx: info.accounts[1]!.l2Accounts!.ETH, amount: parseTokenAmount("0.5") });
  await devnet.revert(id);
  const index: number = await devnet.loadFixture(async () => (await alice.findAccount({ tokenId: 0 }))!.index);
  await devnet.stop();
  if (index < 0) throw new DevnetStateError("unreachable");
  return (await alice.findAccount({ tokenId: 0 }))!.balance;
}
