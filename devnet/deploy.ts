import {
  type Account,
  type Chain,
  type Hex,
  type PublicClient,
  type Transport,
  type WalletClient,
  getContractAddress,
  zeroAddress,
} from "viem";
import { type Address, bridgeAbi, rollupAbi } from "../core/index.js";
import { type Artifact, hasArtifact, loadArtifact } from "./artifacts.js";
import { DeploymentError } from "./errors.js";

/**
 * Deployment parameters; the devnet's defaults are in devnet/options.ts. Nothing of it can
 * change after the deployment (docs/protocol.md §10).
 *
 * @example
 * const options: DeployOptions = { levels: 8, l2ChainId: 424242, challengeWindow: 604800, inclusionWindow: 86400, minBond: parseEther("1"), proposer }
 */
export interface DeployOptions {
  readonly levels: number;
  readonly l2ChainId: number;
  /** Seconds a batch can be challenged before it is final. */
  readonly challengeWindow: number;
  /** Seconds a queue entry may wait before batches must include it. */
  readonly inclusionWindow: number;
  /** Bond (wei) a proposer must hold to submit batches. */
  readonly minBond: bigint;
  /** Who gets PROPOSER_ROLE and posts the bond. */
  readonly proposer: Address;
  /** ETH (wei) each queue entry pays (default 0.0001 ether), to `feeCollector` (default the proposer). */
  readonly queueFee?: bigint;
  readonly feeCollector?: Address;
  /** Seconds an overdue queue entry waits, with no batch coming, before the exodus may start (default 1 day). */
  readonly exodusDelay?: number;
  /** Least bond (wei) a challenger posts to start a dispute game (default 0.1 ether). */
  readonly challengeBond?: bigint;
  /** Wei per second of challenger clock a bond buys (default: the least bond buys a sixth of the clock budget). */
  readonly clockPrice?: bigint;
  /** Seconds of each party's chess clock in a dispute game (default 1 day). */
  readonly clockBudget?: number;
  /** ZK settlement: the deployed Groth16 verifier and its circuit's slots (default: none). */
  readonly zk?: { readonly verifier: Address; readonly slots: number };
}

/**
 * Addresses of everything deployed, by name.
 *
 * @example
 * const { contracts: { rollup, bridge }, testTokenId, deployBlock }: Deployment = await deployContracts(client, wallet, options)
 */
export interface Deployment {
  readonly contracts: {
    readonly rollup: Address;
    readonly bridge: Address;
    readonly testToken: Address;
    readonly oneStepProver: Address;
    readonly disputeGame: Address;
    readonly poseidonT3: Address;
    readonly poseidonT6: Address;
    readonly poseidonT9: Address;
  } & Record<string, Address>;
  /** Token id of the test ERC20 in the bridge. */
  readonly testTokenId: number;
  /** L1 block of the first deployment transaction. */
  readonly deployBlock: number;
}

type Wallet = WalletClient<Transport, Chain, Account>;

async function deploy(
  publicClient: PublicClient,
  wallet: Wallet,
  artifact: Artifact,
  args: readonly unknown[],
): Promise<{ address: Address; block: number }> {
  const hash = await wallet.deployContract({ abi: artifact.abi, bytecode: artifact.bytecode, args: args as unknown[] });
  const receipt = await publicClient.waitForTransactionReceipt({ hash });
  if (!receipt.contractAddress || receipt.status !== "success") {
    throw new DeploymentError(`deploying a contract failed in ${hash}`, { details: "the deployer needs ETH on L1 and the artifacts must be current (npx hardhat build)" });
  }
  return { address: receipt.contractAddress.toLowerCase() as Address, block: Number(receipt.blockNumber) };
}

async function send(publicClient: PublicClient, hash: Hex): Promise<void> {
  const receipt = await publicClient.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success") {
    throw new DeploymentError(`setup transaction ${hash} reverted`, { details: `read its revert reason with debug_traceTransaction on ${hash}; the artifacts may be stale (npx hardhat build)` });
  }
}

/**
 * Deploys the rollup's L1 contracts from compiled artifacts with viem, against any L1 RPC:
 * the Poseidon hashers, then the Bridge, the OneStepProver and the DisputeGame for the
 * Rollup's address predicted from the deployer's nonce, then the Rollup (with the game and,
 * for ZK settlement, the verifier fixed in its constructor), and a test ERC20 registered in
 * the bridge. Grants the proposer its role; the proposer posts its own bond.
 *
 * @example
 * const deployment = await deployContracts(publicClient, deployerWallet, options)
 */
export async function deployContracts(publicClient: PublicClient, wallet: Wallet, options: DeployOptions): Promise<Deployment> {
  const first = await publicClient.getBlockNumber();
  const t3 = await deployPoseidon(publicClient, wallet, 3);
  const t6 = await deployPoseidon(publicClient, wallet, 6);
  const t9 = await deployPoseidon(publicClient, wallet, 9);
  const nonce = await publicClient.getTransactionCount({ address: wallet.account.address, blockTag: "pending" });
  // Bridge, prover and game first: the rollup checks that the bridge and the game point at it.
  const predictedRollup = getContractAddress({ from: wallet.account.address, nonce: BigInt(nonce + 3) }).toLowerCase() as Address;
  const bridge = await deploy(publicClient, wallet, loadArtifact("contracts/L1/Bridge.sol", "Bridge"), [
    predictedRollup,
    t3,
    t6,
    t9,
    BigInt(options.inclusionWindow),
    options.queueFee ?? DEFAULT_QUEUE_FEE,
    options.feeCollector ?? options.proposer,
  ]);
  const prover = await deploy(publicClient, wallet, loadArtifact("contracts/dispute/OneStepProver.sol", "OneStepProver"), [bridge.address, t3, t6, t9]);
  const clockBudget = BigInt(options.clockBudget ?? 24 * 3600);
  const challengeBond = options.challengeBond ?? DEFAULT_CHALLENGE_BOND;
  const game = await deploy(publicClient, wallet, loadArtifact("contracts/dispute/DisputeGame.sol", "DisputeGame"), [
    predictedRollup,
    prover.address,
    t3,
    t9,
    challengeBond,
    options.clockPrice ?? defaultClockPrice(challengeBond, clockBudget),
    clockBudget,
  ]);
  const rollup = await deploy(publicClient, wallet, loadArtifact("contracts/L1/Rollup.sol", "Rollup"), [
    {
      bridge: bridge.address,
      poseidonT3: t3,
      poseidonT6: t6,
      poseidonT9: t9,
      levels: BigInt(options.levels),
      l2ChainId: BigInt(options.l2ChainId),
      challengeWindow: BigInt(options.challengeWindow),
      minBond: options.minBond,
      exodusDelay: BigInt(options.exodusDelay ?? 24 * 3600),
      admin: wallet.account.address,
      disputeGame: game.address,
      zkVerifier: options.zk?.verifier ?? zeroAddress,
      zkSlots: BigInt(options.zk?.slots ?? 0),
    },
  ]);
  if (rollup.address !== predictedRollup) {
    throw new DeploymentError(`rollup deployed at ${rollup.address}, the bridge and the game expect ${predictedRollup}`, {
      details: "another transaction from the deployer landed between the deployments: deploy from an account nothing else sends from",
    });
  }
  const token = await deploy(publicClient, wallet, loadArtifact("contracts/test/TestERC20.sol", "TestERC20"), ["Test Token", "TEST"]);
  await send(publicClient, await wallet.writeContract({ address: bridge.address, abi: bridgeAbi, functionName: "registerToken", args: [token.address] }));
  const [, testTokenId] = await publicClient.readContract({ address: bridge.address, abi: bridgeAbi, functionName: "tokenIdOf", args: [token.address] });
  const role = await publicClient.readContract({ address: rollup.address, abi: rollupAbi, functionName: "PROPOSER_ROLE" });
  await send(publicClient, await wallet.writeContract({ address: rollup.address, abi: rollupAbi, functionName: "grantRole", args: [role, options.proposer] }));
  return {
    contracts: {
      rollup: rollup.address,
      bridge: bridge.address,
      testToken: token.address,
      oneStepProver: prover.address,
      disputeGame: game.address,
      poseidonT3: t3,
      poseidonT6: t6,
      poseidonT9: t9,
      ...(options.zk ? { zkVerifier: options.zk.verifier } : {}),
    },
    testTokenId,
    deployBlock: Number(first) + 1,
  };
}

/** The devnet's queue fee: about a ZK slot's share of the L1 cost (20,000 gas at 5 gwei). */
export const DEFAULT_QUEUE_FEE = 10n ** 14n;

/** The least challenge bond. */
export const DEFAULT_CHALLENGE_BOND = 10n ** 17n;

/** The proposer's bond: it backs all of its unfinalised batches, and a lost game slashes it. */
export const DEFAULT_MIN_BOND = 10n ** 18n;

/**
 * The default price of challenger clock: the least bond buys a sixth of the clock budget, so
 * holding finality back for the whole budget takes six least bonds (docs/disputes.md).
 *
 * @example
 * defaultClockPrice(10n ** 17n, 3600n) // 166666666666666n wei per second: 0.6 ETH buys the hour
 */
export function defaultClockPrice(challengeBond: bigint, clockBudget: bigint): bigint {
  const price = (challengeBond * 6n) / clockBudget;
  // A clock budget under 6 s: the least bond buys the whole of it.
  return price < challengeBond ? price : challengeBond;
}

/**
 * Deposits the rollup's minimum bond for the proposer whose wallet this is, so it can post
 * batches.
 *
 * @example
 * await depositProposerBond(client, operatorWallet, deployment.contracts.rollup)
 */
export async function depositProposerBond(publicClient: PublicClient, wallet: Wallet, rollup: Address): Promise<void> {
  const minBond = await publicClient.readContract({ address: rollup, abi: rollupAbi, functionName: "minBond" });
  await publicClient.waitForTransactionReceipt({
    hash: await wallet.writeContract({ address: rollup, abi: rollupAbi, functionName: "depositBond", value: minBond }),
  });
}

/**
 * Deploys one Poseidon hasher. For 5 and 8 inputs the rounds do not fit one EIP-170-sized
 * contract, so PoseidonTn is the head of a chain PoseidonTn -> PoseidonTnR1 -> ... whose links
 * each take the next link's address; the chain is deployed from its tail. How many links
 * there are is up to the generator (scripts/gen-poseidon-sol.ts), so it is read from the
 * artifacts.
 */
async function deployPoseidon(publicClient: PublicClient, wallet: Wallet, t: 3 | 6 | 9): Promise<Address> {
  const source = `contracts/hashing/generated/PoseidonT${t}.sol`;
  const names = [`PoseidonT${t}`];
  while (hasArtifact(source, `PoseidonT${t}R${names.length}`)) names.push(`PoseidonT${t}R${names.length}`);
  let next: Address | undefined;
  for (const name of names.reverse()) {
    next = (await deploy(publicClient, wallet, loadArtifact(source, name), next ? [next] : [])).address;
  }
  return next!;
}
