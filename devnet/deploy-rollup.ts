/**
 * The deployment as one step, the same for the devnet and for `rollup-devnet deploy` on a
 * shared L1: the ZK verifier (for ZK settlement), the contracts, the operator's bond, and the
 * deployment file's record of it all.
 */
import { type Account, type Chain, type Transport, type WalletClient, parseEther } from "viem";
import { type Address } from "../core/index.js";
import { ensureContractsBuilt } from "./artifacts.js";
import { deployContracts, depositProposerBond } from "./deploy.js";
import { DEPLOYMENT_FILE_VERSION, type DeployedParameters, type DeploymentRecord } from "./deployment-file.js";
import { type L1Connection } from "./l1.js";
import { type PreparedZk, deployZkVerifier } from "./zk.js";

/**
 * Deploys the rollup with `parameters` from `operator`'s wallet (it becomes the proposer and
 * posts the bond) and returns the deployment file's record. With ZK settlement, `zk` is the
 * prepared circuit whose verifier is deployed first.
 *
 * @example
 * const record = await deployRollup(l1, l1.wallet(operatorKey), parameters, { proverWorkers: 2 })
 * writeDeploymentFile("deployment.json", record)
 */
export async function deployRollup(
  l1: L1Connection,
  operator: WalletClient<Transport, Chain, Account>,
  parameters: DeployedParameters,
  options: { readonly zk?: PreparedZk; readonly proverWorkers: number },
): Promise<DeploymentRecord> {
  await ensureContractsBuilt();
  const genesis = await l1.client.getBlock({ blockNumber: 0n });
  // The rollup's constructor fixes the verifier: it is deployed first, once the circuit is ready.
  const zk = options.zk && (await deployZkVerifier(l1.client, operator, options.zk, { slots: parameters.zkSlots, proverWorkers: options.proverWorkers }));
  const operatorAddress = operator.account.address.toLowerCase() as Address;
  const deployment = await deployContracts(l1.client, operator, {
    levels: parameters.levels,
    l2ChainId: parameters.l2ChainId,
    challengeWindow: parameters.challengeWindow,
    inclusionWindow: parameters.inclusionWindow,
    minBond: parseEther("1"),
    proposer: operatorAddress,
    clockBudget: parameters.clockBudget,
    queueFee: BigInt(parameters.queueFee),
    exodusDelay: parameters.exodusDelay,
    ...(zk && { zk: { verifier: zk.info.verifier, slots: parameters.zkSlots } }),
  });
  await depositProposerBond(l1.client, operator, deployment.contracts.rollup);
  return {
    version: DEPLOYMENT_FILE_VERSION,
    l1: { chainId: l1.chainId, genesisHash: genesis.hash },
    ...deployment,
    operator: operatorAddress,
    parameters,
    zk: zk?.info ?? null,
  };
}
