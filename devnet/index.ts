/**
 * The package's entry point (`import { startDevnet } from "rollup-devnet"`): start a devnet,
 * keep it in a data folder, snapshot and revert it, or attach it to a deployment on another
 * L1. The client SDK is the other entry point, `rollup-devnet/client`.
 *
 * @example
 * import { startDevnet } from "rollup-devnet"
 * const devnet = await startDevnet({ l1Port: 0, l2Port: 0 })
 * const fixture = await devnet.loadFixture(async () => devnet.info.contracts.rollup)
 * await devnet.stop()
 */
export { startDevnet, type Devnet, type DevnetInfo, type PublicAccount } from "./start.js";
export { type DevnetOptions } from "./options.js";
export { CHALLENGER_ACCOUNT, DEV_MNEMONIC, OPERATOR_ACCOUNT, devAccounts, type DevAccount, type L2AccountIndices } from "./accounts.js";
export { deployRollup } from "./deploy-rollup.js";
export { type Deployment } from "./deploy.js";
export { readDeploymentFile, writeDeploymentFile, type DeployedParameters, type DeploymentRecord } from "./deployment-file.js";
export { readKeystore } from "./keys.js";
export { connectL1, type L1Connection } from "./l1.js";
export { ChildProcessError, DeploymentError, DevnetStateError, JsonRpcError, L1JournalError } from "./errors.js";
export { type ZkDeployment } from "./zk.js";
export { BaseError, InvalidParameterError } from "../core/index.js";
export { RollupModeError, type SettlementMode } from "../sequencer/rollup-mode.js";
export { type DaMode } from "../sequencer/l1/da.js";
export { type FaultSpec } from "../sequencer/faults/faulty-proposer.js";
