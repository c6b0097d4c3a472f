/**
 * The rollup's L1 contracts deployed with ethers on a Hardhat network, typed for ethers: what
 * the contract tests and the Hardhat benchmarks (`npx hardhat run scripts/bench-*.ts`) start
 * from. The devnet deploys the same contracts with viem (devnet/deploy.ts).
 */
import type { HardhatEthers } from "@nomicfoundation/hardhat-ethers/types";
import type { BaseContract, BaseContractMethod, ContractRunner } from "ethers";
import { DeploymentError } from "../../devnet/errors.js";
import { deployHashers } from "./poseidon-hashers.js";

/**
 * Deployment parameters of {@link deployRollup}; every field has a devnet default.
 *
 * @example
 * const options: DeployRollupOptions = { levels: 2, challengeWindow: 3600n }
 */
export interface DeployRollupOptions {
  /** Account tree depth, 1..10 (default 8). */
  readonly levels?: number;
  /** Seconds a batch can be disputed (default 7 days). */
  readonly challengeWindow?: bigint;
  /** Seconds a queue entry may wait before batches must consume it (default 1 day). */
  readonly inclusionWindow?: bigint;
  /** Bond a proposer must hold to submit, in wei (default 1 ether). */
  readonly minBond?: bigint;
  /** The L2 chain id (default 424242). */
  readonly l2ChainId?: bigint;
  /** Holder of DEFAULT_ADMIN_ROLE on the rollup (default the deployer). */
  readonly admin?: string;
  /** Bond a challenger posts to start a dispute game, in wei (default 0.1 ether). */
  readonly challengeBond?: bigint;
  /** Seconds of each party's chess clock in a dispute game (default 1 day). */
  readonly clockBudget?: bigint;
}

/**
 * A contract whose listed methods are callable without index-signature checks.
 *
 * @example
 * const prover = deployed as unknown as TypedContract<"proveStep">
 */
export type TypedContract<Methods extends string> = Omit<BaseContract, "connect"> & {
  connect(runner: ContractRunner | null): TypedContract<Methods>;
} & { readonly [K in Methods]: BaseContractMethod };

/**
 * The Bridge's external functions.
 *
 * @example
 * await (bridge as BridgeContract).createAccount(0, amount, Ax, Ay, { value: amount })
 */
export type BridgeContract = TypedContract<
  | "rollup"
  | "poseidonT3"
  | "poseidonT6"
  | "poseidonT9"
  | "inclusionWindow"
  | "tokenCount"
  | "tokenAddress"
  | "tokenIdOf"
  | "totalLocked"
  | "registerToken"
  | "createAccount"
  | "deposit"
  | "forcedExit"
  | "queueLength"
  | "queueHash"
  | "queueDeadline"
  | "claimWithdrawal"
  | "isClaimed"
>;

/**
 * The Rollup's external functions.
 *
 * @example
 * await (rollup as RollupContract).batchCount() // 0n
 */
export type RollupContract = TypedContract<
  | "PROPOSER_ROLE"
  | "DEFAULT_ADMIN_ROLE"
  | "grantRole"
  | "revokeRole"
  | "hasRole"
  | "bridge"
  | "poseidonT3"
  | "poseidonT6"
  | "poseidonT9"
  | "levels"
  | "recordSize"
  | "l2ChainId"
  | "challengeWindow"
  | "minBond"
  | "genesisStateRoot"
  | "batches"
  | "finalizedCount"
  | "bonds"
  | "domain"
  | "batchCount"
  | "lastQueueEnd"
  | "lastStateRoot"
  | "lastCommitment"
  | "isFinal"
  | "finalizableAt"
  | "withdrawalsRootOf"
  | "depositBond"
  | "withdrawBond"
  | "submitBatch"
  | "finalizeUpTo"
  | "disputeGame"
  | "openGames"
  | "firstContested"
  | "setDisputeGame"
  | "gameOpened"
  | "gameClosed"
  | "invalidateFrom"
  | "slash"
  | "zkVerifier"
  | "zkSlots"
  | "setZkVerifier"
  | "submitZkBatch"
>;

/**
 * The DisputeGame's external functions.
 *
 * @example
 * await (game as DisputeGameContract).challengeBond() // 10n ** 17n
 */
export type DisputeGameContract = TypedContract<
  | "rollup"
  | "prover"
  | "poseidonT3"
  | "challengeBond"
  | "clockBudget"
  | "emptyWithdrawalsRoot"
  | "BURN_ADDRESS"
  | "credits"
  | "gameCount"
  | "game"
  | "clocks"
  | "challenge"
  | "open"
  | "revealMidpoint"
  | "answer"
  | "proveStep"
  | "proveBlobStep"
  | "timeout"
  | "dismiss"
  | "claimCredit"
>;

/**
 * The OneStepProver's external functions.
 *
 * @example
 * await (prover as OneStepProverContract).proveStep(...witness)
 */
export type OneStepProverContract = TypedContract<"bridge" | "poseidonT3" | "poseidonT6" | "poseidonT9" | "proveStep">;

/**
 * TestERC20's external functions.
 *
 * @example
 * await (token as TestERC20Contract).mint(alice.address, 10n ** 18n)
 */
export type TestERC20Contract = TypedContract<"mint" | "approve" | "transfer" | "balanceOf" | "allowance" | "totalSupply">;

/**
 * What {@link deployRollup} deployed.
 *
 * @example
 * const { bridge, rollup, game, params }: RollupDeployment = await deployRollup(ethers)
 */
export interface RollupDeployment {
  readonly hashers: { readonly t3: string; readonly t6: string; readonly t9: string };
  readonly bridge: BridgeContract;
  readonly rollup: RollupContract;
  /** The one-step prover the dispute game calls. */
  readonly prover: OneStepProverContract;
  /** The dispute game, set as the rollup's (when the admin is the deployer). */
  readonly game: DisputeGameContract;
  /** A mintable ERC20 (not registered in the bridge). */
  readonly token: TestERC20Contract;
  /** The options with their defaults filled in. */
  readonly params: Required<Omit<DeployRollupOptions, "admin">> & { readonly admin: string };
}

/**
 * Deploys the Poseidon hashers, the Bridge, the Rollup, the OneStepProver, the DisputeGame and
 * a TestERC20 from the first signer, and sets the game as the rollup's dispute game (only
 * when the rollup's admin is the deployer; another admin calls `setDisputeGame` itself).
 *
 * The bridge and the rollup reference each other through immutables. The bridge is deployed
 * first with the rollup's address predicted from the deployer's nonce (the rollup is the
 * deployer's very next contract creation); the rollup's constructor then checks
 * `bridge.rollup() == address(this)` and reverts with `BridgeRollupMismatch` otherwise.
 *
 * @example
 * const { bridge, rollup } = await deployRollup(ethers, { levels: 2 })
 */
export async function deployRollup(ethers: HardhatEthers, options: DeployRollupOptions = {}): Promise<RollupDeployment> {
  const [deployer] = await ethers.getSigners();
  if (!deployer) {
    throw new DeploymentError("deployRollup needs a signer", { details: "the Hardhat network has no accounts: give it some in hardhat.config.ts (the default network has 20)" });
  }
  const params = {
    levels: options.levels ?? 8,
    challengeWindow: options.challengeWindow ?? 7n * 24n * 3600n,
    inclusionWindow: options.inclusionWindow ?? 24n * 3600n,
    minBond: options.minBond ?? ethers.parseEther("1"),
    l2ChainId: options.l2ChainId ?? 424242n,
    admin: options.admin ?? deployer.address,
    challengeBond: options.challengeBond ?? ethers.parseEther("0.1"),
    clockBudget: options.clockBudget ?? 24n * 3600n,
  };
  const deployed = await deployHashers(ethers);
  const hashers = {
    t3: await ethers.resolveAddress(deployed.t3),
    t6: await ethers.resolveAddress(deployed.t6),
    t9: await ethers.resolveAddress(deployed.t9),
  };

  const nonce = await deployer.getNonce("pending");
  const predictedRollup = ethers.getCreateAddress({ from: deployer.address, nonce: nonce + 1 });
  const bridge = await ethers.deployContract(
    "Bridge",
    [predictedRollup, hashers.t3, hashers.t6, hashers.t9, params.inclusionWindow],
    deployer,
  );
  await bridge.waitForDeployment();
  const rollup = await ethers.deployContract(
    "Rollup",
    [
      await bridge.getAddress(),
      hashers.t3,
      hashers.t6,
      hashers.t9,
      params.levels,
      params.l2ChainId,
      params.challengeWindow,
      params.minBond,
      params.admin,
    ],
    deployer,
  );
  await rollup.waitForDeployment();
  const rollupAddress = await rollup.getAddress();
  if (rollupAddress.toLowerCase() !== predictedRollup.toLowerCase()) {
    throw new DeploymentError(`rollup deployed at ${rollupAddress}, the bridge expects ${predictedRollup}`, {
      details: "another transaction from the deployer landed between the two deployments: deploy from an account nothing else sends from",
    });
  }
  const prover = await ethers.deployContract(
    "OneStepProver",
    [await bridge.getAddress(), hashers.t3, hashers.t6, hashers.t9],
    deployer,
  );
  await prover.waitForDeployment();
  const game = await ethers.deployContract(
    "DisputeGame",
    [rollupAddress, await prover.getAddress(), params.challengeBond, params.clockBudget],
    deployer,
  );
  await game.waitForDeployment();
  if (params.admin.toLowerCase() === deployer.address.toLowerCase()) {
    await (await (rollup as unknown as RollupContract).setDisputeGame(await game.getAddress())).wait();
  }
  const token = await ethers.deployContract("TestERC20", ["Test Token", "TST"], deployer);
  await token.waitForDeployment();
  return {
    hashers,
    bridge: bridge as unknown as BridgeContract,
    rollup: rollup as unknown as RollupContract,
    prover: prover as unknown as OneStepProverContract,
    game: game as unknown as DisputeGameContract,
    token: token as unknown as TestERC20Contract,
    params,
  };
}
