import { type BaseError, MalformedDataError, WITHDRAWAL_LEVELS } from "../../core/index.js";
import { type L1ActionResult, type L1Clients, type L2Withdrawal } from "../types.js";
import { bridgeWriteAbi, sendAndWait } from "../utils/l1.js";

/** Parameters of {@link claimWithdrawal}: one entry of `getWithdrawals`. */
export type ClaimWithdrawalParameters = Pick<L2Withdrawal, "batch" | "position" | "recipient" | "tokenId" | "amount"> & {
  /** As `getWithdrawals` returns it (hex), or as the derivation builds it (bigints, derive/final-state.ts). */
  readonly proof: L2Withdrawal["proof"] | readonly (readonly bigint[])[];
};
/** What {@link claimWithdrawal} returns: the L1 transaction. */
export type ClaimWithdrawalReturnType = L1ActionResult;
/** What {@link claimWithdrawal} throws: `ContractRevertError` (`BatchNotFinal`, `WithdrawalAlreadyClaimed`, ...), `L1RequestError`, `MalformedDataError`. */
export type ClaimWithdrawalErrorType = BaseError;

type Proof = readonly [
  readonly [bigint, bigint, bigint, bigint, bigint, bigint, bigint],
  readonly [bigint, bigint, bigint, bigint, bigint, bigint, bigint],
  readonly [bigint, bigint, bigint, bigint, bigint, bigint, bigint],
  readonly [bigint, bigint, bigint, bigint, bigint, bigint, bigint],
  readonly [bigint, bigint, bigint, bigint, bigint, bigint, bigint],
];

function toProof(proof: ClaimWithdrawalParameters["proof"]): Proof {
  if (proof.length !== WITHDRAWAL_LEVELS || proof.some((level) => level.length !== 7)) {
    throw new MalformedDataError(`a withdrawal proof is ${WITHDRAWAL_LEVELS} levels of 7 siblings`, {
      details: "pass the entry from getWithdrawals unchanged",
    });
  }
  return proof.map((level) => level.map((sibling) => BigInt(sibling))) as unknown as Proof;
}

/**
 * Pays out a withdrawal on L1 (`Bridge.claimWithdrawal`) once its batch is final: pass one
 * entry of `getWithdrawals` as is. Anyone may send the claim; it always pays `recipient`.
 *
 * @example
 * const [w] = await getWithdrawals({ l2 }, { owner })
 * await claimWithdrawal({ publicClient, walletClient, info }, w)
 */
export async function claimWithdrawal(
  clients: L1Clients,
  parameters: ClaimWithdrawalParameters,
): Promise<ClaimWithdrawalReturnType> {
  const { publicClient, walletClient, info } = clients;
  const { batch, position, recipient, tokenId, amount } = parameters;
  const proof = toProof(parameters.proof);
  const receipt = await sendAndWait(clients, async () => {
    const { request } = await publicClient.simulateContract({
      account: walletClient.account,
      address: info.contracts.bridge,
      abi: bridgeWriteAbi,
      functionName: "claimWithdrawal",
      args: [BigInt(batch), BigInt(position), recipient, tokenId, amount, proof],
    });
    return walletClient.writeContract(request);
  });
  return { l1TxHash: receipt.transactionHash };
}
