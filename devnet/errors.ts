import { BaseError } from "../core/index.js";

/**
 * A contract deployment or a setup transaction on L1 failed, or deployed where it should not.
 *
 * @example
 * if (receipt.status !== "success") throw new DeploymentError(`deploying Rollup failed in ${hash}`, { details: "the deployer needs ETH on L1" })
 */
export class DeploymentError extends BaseError {
  override name = "DeploymentError";
}

/**
 * A devnet child process (the sequencer, the challenger agent) exited before it was ready.
 *
 * @example
 * child.once("exit", (code) => reject(new ChildProcessError(`the sequencer exited with code ${code} before it was ready`, { details: stderr })))
 */
export class ChildProcessError extends BaseError {
  override name = "ChildProcessError";
}

/**
 * A JSON-RPC call (to the L1 or the L2) answered with an error.
 *
 * @example
 * if (body.error) throw new JsonRpcError(`eth_chainId: ${body.error.message}`, { details: `is ${url} a JSON-RPC endpoint?` })
 */
export class JsonRpcError extends BaseError {
  override name = "JsonRpcError";
}

/**
 * The devnet L1's journal (devnet/l1-journal.ts) cannot be written, read or replayed: the
 * data folder was written by another version, or damaged.
 *
 * @example
 * throw new L1JournalError(`replaying block 12 gave hash ${got}, the journal has ${want}`, { details: "start over with --fresh" })
 */
export class L1JournalError extends BaseError {
  override name = "L1JournalError";
}

/**
 * The data folder holds a devnet that does not match what was asked: another L1, other
 * deployment parameters, or a deployment whose contracts are gone.
 *
 * @example
 * throw new DevnetStateError("the data folder .devnet holds a rollup with levels 8, --levels asks for 4", { details: "drop --levels, or start over with --fresh" })
 */
export class DevnetStateError extends BaseError {
  override name = "DevnetStateError";
}
