import { type Address, type BaseError, InvalidParameterError, publicKeyOf } from "../../core/index.js";
import { AccountNotFoundError, NotAccountKeyError } from "../errors.js";
import { type L2Account, type RollupClients, type SendOpResult } from "../types.js";
import { encodeOpAmounts } from "../utils/floats.js";
import { signOp } from "../utils/signOp.js";
import { findAccount } from "./findAccount.js";
import { getAccount } from "./getAccount.js";

/** Parameters of {@link transfer}. */
export interface TransferParameters {
  /** The sender's L2 private key (from `deriveL2Key`). */
  readonly privateKey: Uint8Array;
  /** The receiving account (it must hold the sender's token). */
  readonly toIdx: number;
  /** Amount in base units; must be exact as float40 (about 10 significant digits). */
  readonly amount: bigint;
  /** Fee in base units (default 0); must be exact as float8 (one digit 0–7 times a power of ten). */
  readonly fee?: bigint;
  /** The sending account. If omitted, `owner`'s account for `tokenId` that `privateKey` signs for. */
  readonly fromIdx?: number;
  /** The sender's L1 address, to find the sending account when `fromIdx` is omitted. */
  readonly owner?: Address;
  /** The token to send when `fromIdx` is omitted (default 0, ETH). */
  readonly tokenId?: number;
}
/** What {@link transfer} returns: the op hash (for `getOp`/`waitForOp`) and its status. */
export type TransferReturnType = SendOpResult;
/**
 * What {@link transfer} throws: `AmountNotRepresentableError` (before anything is sent),
 * `AccountNotFoundError`, `NotAccountKeyError`, `L2RpcError` (the sequencer refused the op:
 * `data.reason` says why, e.g. "InsufficientBalance"), `L2TransportError`.
 */
export type TransferErrorType = BaseError;

async function senderAccount(clients: Pick<RollupClients, "l2">, parameters: TransferParameters): Promise<L2Account> {
  const { fromIdx, owner, tokenId = 0 } = parameters;
  const publicKey = publicKeyOf(parameters.privateKey);
  if (fromIdx !== undefined) {
    const account = await getAccount(clients, { index: fromIdx });
    if (!account) throw new AccountNotFoundError(`no L2 account at index ${fromIdx}`);
    if (account.publicKey.x !== publicKey.x || account.publicKey.y !== publicKey.y) {
      throw new NotAccountKeyError(`account ${fromIdx} is not controlled by this L2 key`, {
        details: "sign with the L2 key derived by the account's owner (deriveL2Key)",
      });
    }
    return account;
  }
  if (!owner) throw new InvalidParameterError("transfer needs fromIdx, or owner (and tokenId) to find the sending account");
  const account = await findAccount(clients, { owner, tokenId, publicKey });
  if (!account) {
    throw new AccountNotFoundError(`${owner} has no L2 account for token ${tokenId} that this L2 key signs for`, {
      details: "create one with createAccount (CLI: deposit) and wait until the sequencer includes it",
    });
  }
  return account;
}

/**
 * Sends an L2 transfer: reads the sender account for its nonce and token, encodes amount
 * and fee as the L1 floats, signs for this deployment (domain from `info`) and submits it
 * with `rollup_sendOp`. The sequencer applies it at once or refuses it.
 *
 * @example
 * const { privateKey } = await deriveL2Key({ walletClient, info })
 * const { hash } = await transfer({ l2, info }, { privateKey, fromIdx: 2, toIdx: 3, amount: parseEther("0.1") })
 * await waitForOp({ l2 }, { hash })
 */
export async function transfer(clients: Pick<RollupClients, "l2" | "info">, parameters: TransferParameters): Promise<TransferReturnType> {
  const { privateKey, toIdx, amount, fee = 0n } = parameters;
  encodeOpAmounts({ amount, fee });
  const sender = await senderAccount(clients, parameters);
  const { info } = clients;
  const { request } = signOp({
    fromIdx: sender.index,
    toIdx,
    amount,
    fee,
    sender,
    domain: { l1ChainId: info.l1ChainId, l2ChainId: info.l2ChainId, rollupAddress: info.contracts.rollup },
    privateKey,
  });
  return clients.l2.request({ method: "rollup_sendOp", params: [request] });
}
