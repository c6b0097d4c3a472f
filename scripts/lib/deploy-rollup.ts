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
  /** Least bond a challenger posts to start a dispute game, in wei (default 0.1 ether). */
  readonly challengeBond?: bigint;
  /** Seconds of the defender's chess clock, and the most a challenger can buy (default 1 day). */
  readonly clockBudget?: bigint;
  /**
   * Wei per second of challenger clock (default `challengeBond / clockBudget`: the minimum
   * bond buys the whole budget, so both clocks start equal).
   */
  readonly clockPrice?: bigint;
  /** ETH each queue entry pays on top of its deposit (default 0.001 ether). */
  readonly queueFee?: bigint;
  /** Who receives the queue fees (default the deployer). */
  readonly feeCollector?: string;
  /** Seconds an overdue entry waits, with no batch coming, before the exodus may start (default 7 days). */
  readonly exodusDelay?: bigint;
  /** The Groth16 verifier of ZK batches (default none: no ZK batches). */
  readonly zkVerifier?: string;
  /** Step slots of the verifier's circuit (default 0; required with `zkVerifier`). */
  readonly zkSlots?: number;
}

/** Options of a deployment without a dispute game: it accepts no optimistic batches. */
export type DeployRollupWithoutGameOptions = DeployRollupOptions & { readonly disputeGame: false };

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
 * await (bridge as BridgeContract).createAccount(0, amount, Ax, Ay, { value: amount + (await bridge.queueFee()) })
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
  | "queueFee"
  | "feeCollector"
  | "queueFeesHeld"
  | "collectQueueFees"
  | "exodusWithdraw"
  | "refundDeposit"
  | "isExited"
  | "isRefunded"
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
  | "finalBatchCount"
  | "disputeGame"
  | "openGames"
  | "batchInstance"
  | "firstContested"
  | "gameOpened"
  | "gameClosed"
  | "invalidateFrom"
  | "slash"
  | "zkVerifier"
  | "zkSlots"
  | "submitZkBatch"
  | "submitBlobBatch"
  | "inclusionWindow"
  | "exodusDelay"
  | "effectiveDeadline"
  | "reopenedEnd"
  | "reopenedDeadline"
  | "exodus"
  | "exodusDueAt"
  | "activateExodus"
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
  | "clockPrice"
  | "clockBudget"
  | "disprovenShare"
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

/** Mirror of Types.RollupConfig, the Rollup's constructor argument. */
export interface RollupConfig {
  readonly bridge: string;
  readonly poseidonT3: string;
  readonly poseidonT6: string;
  readonly poseidonT9: string;
  readonly levels: number;
  readonly l2ChainId: bigint;
  readonly challengeWindow: bigint;
  readonly minBond: bigint;
  readonly exodusDelay: bigint;
  readonly admin: string;
  readonly disputeGame: string;
  readonly zkVerifier: string;
  readonly zkSlots: number;
}

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
  /** The rollup's dispute game. */
  readonly game: DisputeGameContract;
  /** A mintable ERC20 (not registered in the bridge). */
  readonly token: TestERC20Contract;
  /** The rollup's constructor argument. */
  readonly config: RollupConfig;
  /** The options with their defaults filled in. */
  readonly params: Required<Omit<DeployRollupOptions, "admin" | "feeCollector" | "zkVerifier">> & {
    readonly admin: string;
    readonly feeCollector: string;
    readonly zkVerifier: string;
  };
}

/**
 * Deploys the Poseidon hashers, the Bridge, the OneStepProver, the DisputeGame, the Rollup and
 * a TestERC20 from the first signer.
 *
 * The rollup is fixed at deployment (docs/protocol.md §10): the bridge and the dispute game
 * take its address in their constructors, and its constructor checks that both point back at
 * it (`BridgeRollupMismatch`, `DisputeGameRollupMismatch`). So they are deployed first, with
 * the rollup's address predicted from the deployer's nonce (the rollup is the deployer's
 * third contract creation after the bridge), and the rollup last. With `disputeGame: false`
 * no game is deployed and the rollup accepts no optimistic batches.
 *
 * @example
 * const { bridge, rollup, game } = await deployRollup(ethers, { levels: 2 })
 * const { rollup: zkOnly } = await deployRollup(ethers, { disputeGame: false, zkVerifier, zkSlots: 4 })
 */
export async function deployRollup(ethers: HardhatEthers, options?: DeployRollupOptions): Promise<RollupDeployment>;
export async function deployRollup(ethers: HardhatEthers, options: DeployRollupWithoutGameOptions): Promise<Omit<RollupDeployment, "game">>;
export async function deployRollup(
  ethers: HardhatEthers,
  options: DeployRollupOptions & { readonly disputeGame?: boolean } = {},
): Promise<Omit<RollupDeployment, "game"> & { game?: DisputeGameContract }> {
  const [deployer] = await ethers.getSigners();
  if (!deployer) {
    throw new DeploymentError("deployRollup needs a signer", { details: "the Hardhat network has no accounts: give it some in hardhat.config.ts (the default network has 20)" });
  }
  const challengeBond = options.challengeBond ?? ethers.parseEther("0.1");
  const clockBudget = options.clockBudget ?? 24n * 3600n;
  const params = {
    levels: options.levels ?? 8,
    challengeWindow: options.challengeWindow ?? 7n * 24n * 3600n,
    inclusionWindow: options.inclusionWindow ?? 24n * 3600n,
    minBond: options.minBond ?? ethers.parseEther("1"),
    l2ChainId: options.l2ChainId ?? 424242n,
    admin: options.admin ?? deployer.address,
    challengeBond,
    clockBudget,
    clockPrice: options.clockPrice ?? challengeBond / clockBudget,
    queueFee: options.queueFee ?? ethers.parseEther("0.001"),
    feeCollector: options.feeCollector ?? deployer.address,
    exodusDelay: options.exodusDelay ?? 7n * 24n * 3600n,
    zkVerifier: options.zkVerifier ?? ethers.ZeroAddress,
    zkSlots: options.zkSlots ?? 0,
  };
  const withGame = options.disputeGame !== false;
  const deployed = await deployHashers(ethers);
  const hashers = {
    t3: await ethers.resolveAddress(deployed.t3),
    t6: await ethers.resolveAddress(deployed.t6),
    t9: await ethers.resolveAddress(deployed.t9),
  };

  // Nonces from here: bridge, prover, [game], rollup.
  const nonce = await deployer.getNonce("pending");
  const predictedRollup = ethers.getCreateAddress({ from: deployer.address, nonce: nonce + (withGame ? 3 : 2) });
  const bridge = await ethers.deployContract(
    "Bridge",
    [predictedRollup, hashers.t3, hashers.t6, hashers.t9, params.inclusionWindow, params.queueFee, params.feeCollector],
    deployer,
  );
  await bridge.waitForDeployment();
  const prover = await ethers.deployContract(
    "OneStepProver",
    [await bridge.getAddress(), hashers.t3, hashers.t6, hashers.t9],
    deployer,
  );
  await prover.waitForDeployment();
  let game: DisputeGameContract | undefined;
  if (withGame) {
    const deployedGame = await ethers.deployContract(
      "DisputeGame",
      [predictedRollup, await prover.getAddress(), hashers.t3, hashers.t9, params.challengeBond, params.clockPrice, params.clockBudget],
      deployer,
    );
    await deployedGame.waitForDeployment();
    game = deployedGame as unknown as DisputeGameContract;
  }
  const config: RollupConfig = {
    bridge: await bridge.getAddress(),
    poseidonT3: hashers.t3,
    poseidonT6: hashers.t6,
    poseidonT9: hashers.t9,
    levels: params.levels,
    l2ChainId: params.l2ChainId,
    challengeWindow: params.challengeWindow,
    minBond: params.minBond,
    exodusDelay: params.exodusDelay,
    admin: params.admin,
    disputeGame: game ? await game.getAddress() : ethers.ZeroAddress,
    zkVerifier: params.zkVerifier,
    zkSlots: params.zkSlots,
  };
  const rollup = await ethers.deployContract("Rollup", [config], deployer);
  await rollup.waitForDeployment();
  const rollupAddress = await rollup.getAddress();
  if (rollupAddress.toLowerCase() !== predictedRollup.toLowerCase()) {
    throw new DeploymentError(`rollup deployed at ${rollupAddress}, the bridge and the game expect ${predictedRollup}`, {
      details: "another transaction from the deployer landed between the deployments: deploy from an account nothing else sends from",
    });
  }
  const token = await ethers.deployContract("TestERC20", ["Test Token", "TST"], deployer);
  await token.waitForDeployment();
  return {
    hashers,
    bridge: bridge as unknown as BridgeContract,
    rollup: rollup as unknown as RollupContract,
    prover: prover as unknown as OneStepProverContract,
    ...(game ? { game } : {}),
    token: token as unknown as TestERC20Contract,
    config,
    params,
  };
}
