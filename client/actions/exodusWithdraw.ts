import { type Address, type BaseError, bridgeAbi, rollupAbi } from "../../core/index.js";
import { accountExitProof, deriveFinalState, finalWithdrawals } from "../../derive/final-state.js";
import { createDerivationPipeline } from "../../derive/pipeline.js";
import { AccountNotFoundError, ExodusNotActiveError, NothingToExitError } from "../errors.js";
import { type ExodusClients } from "../types.js";
import { bridgeWriteAbi, sendAndWait } from "../utils/l1.js";
import { toL1Error } from "../utils/revert.js";
import { claimWithdrawal } from "./claimWithdrawal.js";

/** Parameters of {@link exodusWithdraw}. */
export interface ExodusWithdrawParameters {
  /**
   * The account to take out; default: every account of the caller with a balance that has not
   * exited yet, and every unclaimed withdrawal of a final batch that pays the caller.
   */
  readonly accountIdx?: number;
}
/** One account paid on L1. */
export interface ExodusExit {
  readonly accountIdx: number;
  readonly tokenId: number;
  /** The account's balance in the last final state, paid to the caller. */
  readonly amount: bigint;
  readonly l1TxHash: `0x${string}`;
}
/** One withdrawal of a final batch claimed on L1 with a proof rebuilt from L1. */
export interface ExodusClaim {
  readonly batchIndex: number;
  readonly position: number;
  readonly tokenId: number;
  readonly amount: bigint;
  readonly l1TxHash: `0x${string}`;
}
/** What {@link exodusWithdraw} returns: the account exits and withdrawal claims it made, and the last final state root it proved them against. */
export interface ExodusWithdrawReturnType {
  readonly exits: readonly ExodusExit[];
  readonly claims: readonly ExodusClaim[];
  readonly stateRoot: bigint;
}
/**
 * What {@link exodusWithdraw} throws: `ExodusNotActiveError`, `AccountNotFoundError`,
 * `NothingToExitError`, `DerivationError` (L1 data that does not rebuild the final state, or
 * a Beacon API that does not serve a blob), `ContractRevertError`, `L1RequestError`.
 */
export type ExodusWithdrawErrorType = BaseError;

type Level = readonly [bigint, bigint, bigint, bigint, bigint, bigint, bigint];
type Siblings = readonly Level[];

/**
 * In exodus, takes what the last final state owes the caller out on L1 (docs/protocol.md §11):
 * the balance of each of its accounts (`Bridge.exodusWithdraw`) and each unclaimed withdrawal
 * of a final batch that pays it (`Bridge.claimWithdrawal`: withdrawals, forced exits, refunds
 * and fees the batches wrote). The state and every proof are rebuilt from L1 alone (batch
 * calldata, and the blobs of `deployment.beaconUrl` for blob batches) by the derivation: no
 * sequencer is needed, and none is asked.
 *
 * @example
 * const clients = { publicClient, walletClient, deployment: { rollup, bridge, beaconUrl } }
 * const { exits } = await exodusWithdraw(clients, {}) // every account of the caller
 * await exodusWithdraw(clients, { accountIdx: 2 })
 */
export async function exodusWithdraw(clients: ExodusClients, parameters: ExodusWithdrawParameters = {}): Promise<ExodusWithdrawReturnType> {
  const { publicClient, walletClient, deployment } = clients;
  const owner = walletClient.account.address.toLowerCase() as Address;
  const active = await publicClient
    .readContract({ address: deployment.rollup, abi: rollupAbi, functionName: "exodus" })
    .catch((e: unknown) => Promise.reject(toL1Error(e)));
  if (!active) {
    throw new ExodusNotActiveError("the rollup is not in exodus, so balances cannot be taken out on L1 yet", {
      details: "while the operator posts, withdraw on L2; if it stopped, make a forced exit and activate the exodus once due (`rollup exodus`)",
    });
  }
  const pipeline = await createDerivationPipeline({
    client: publicClient,
    contracts: deployment,
    beaconUrl: deployment.beaconUrl,
    fromBlock: deployment.fromBlock,
  });
  const final = await deriveFinalState(pipeline);
  const isExited = (accountIdx: number) =>
    publicClient
      .readContract({ address: deployment.bridge, abi: bridgeAbi, functionName: "isExited", args: [BigInt(accountIdx)] })
      .catch((e: unknown) => Promise.reject(toL1Error(e)));

  let indices: number[];
  let withdrawals: ReturnType<typeof finalWithdrawals> = [];
  if (parameters.accountIdx !== undefined) {
    const accountIdx = parameters.accountIdx;
    const account = final.state.account(accountIdx);
    if (!account) throw new AccountNotFoundError(`the last final state has no account at index ${accountIdx}`);
    if (account.ethAddr.toLowerCase() !== owner) {
      throw new AccountNotFoundError(`account ${accountIdx} belongs to ${account.ethAddr}, not to ${walletClient.account.address}`, {
        details: "only its owner may take its balance out: send this with the owner's key",
      });
    }
    if (account.balance === 0n) throw new NothingToExitError(`account ${accountIdx} holds nothing in the last final state`);
    if (await isExited(accountIdx)) throw new NothingToExitError(`account ${accountIdx} has already exited: its balance was paid on L1`);
    indices = [accountIdx];
  } else {
    const mine = [...final.state.entries()].filter(([, a]) => a.ethAddr.toLowerCase() === owner && a.balance > 0n).map(([i]) => i);
    const exited = await Promise.all(mine.map(isExited));
    indices = mine.filter((_, k) => !exited[k]);
    const paying = finalWithdrawals(pipeline, final).filter((w) => w.recipient.toLowerCase() === owner);
    const claimed = await Promise.all(
      paying.map((w) =>
        publicClient
          .readContract({ address: deployment.bridge, abi: bridgeAbi, functionName: "isClaimed", args: [BigInt(w.batchIndex), BigInt(w.position)] })
          .catch((e: unknown) => Promise.reject(toL1Error(e))),
      ),
    );
    withdrawals = paying.filter((_, k) => !claimed[k]);
    if (indices.length === 0 && withdrawals.length === 0) {
      throw new NothingToExitError(
        mine.length === 0 && paying.length === 0
          ? `the last final state owes ${walletClient.account.address} nothing: no account with a balance, no withdrawal`
          : `${walletClient.account.address} has already taken out everything the last final state owes it`,
        { details: "deposits no final batch consumed are refunded with refundDeposit (`rollup exodus refund`)" },
      );
    }
  }

  const exits: ExodusExit[] = [];
  for (const accountIdx of indices) {
    const proof = accountExitProof(final, accountIdx);
    const a = proof.account;
    const receipt = await sendAndWait(clients, async () => {
      const { request } = await publicClient.simulateContract({
        account: walletClient.account,
        address: deployment.bridge,
        abi: bridgeWriteAbi,
        functionName: "exodusWithdraw",
        args: [
          BigInt(accountIdx),
          { tokenId: a.tokenId, nonce: a.nonce, balance: a.balance, ax: a.Ax, ay: a.Ay, ethAddr: a.ethAddr },
          proof.accountsRoot,
          BigInt(proof.nextAccountIndex),
          proof.siblings as unknown as Siblings,
        ],
      });
      return walletClient.writeContract(request);
    });
    exits.push({ accountIdx, tokenId: a.tokenId, amount: a.balance, l1TxHash: receipt.transactionHash });
  }
  const claims: ExodusClaim[] = [];
  // Withdrawals of final batches are claimed as claimWithdrawal claims them, with the proofs rebuilt from L1.
  const l1 = { publicClient, walletClient, info: { contracts: { rollup: deployment.rollup, bridge: deployment.bridge } } };
  for (const w of withdrawals) {
    const { l1TxHash } = await claimWithdrawal(l1, { batch: w.batchIndex, position: w.position, recipient: w.recipient, tokenId: w.tokenId, amount: w.amount, proof: w.proof });
    claims.push({ batchIndex: w.batchIndex, position: w.position, tokenId: w.tokenId, amount: w.amount, l1TxHash });
  }
  return { exits, claims, stateRoot: final.stateRoot };
}
