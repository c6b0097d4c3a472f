import {
  type Address,
  type L2Op,
  type SendOpRequest,
  bytesToHex,
  domainSeparator,
  l2OpMessage,
  signMessage,
} from "../../core/index.js";
import { encodeOpAmounts } from "./floats.js";

/** Parameters of {@link signOp}. */
export interface SignOpParameters {
  readonly fromIdx: number;
  readonly toIdx: number;
  /** Amount in base units; must be exact as float40. */
  readonly amount: bigint;
  /** Fee in base units; must be exact as float8. */
  readonly fee: bigint;
  /** The sender account's token and current nonce. */
  readonly sender: { readonly tokenId: number; readonly nonce: number };
  /** The deployment the signature is bound to. */
  readonly domain: { readonly l1ChainId: number; readonly l2ChainId: number; readonly rollupAddress: Address };
  /** The sender's L2 private key. */
  readonly privateKey: Uint8Array;
}

/** What {@link signOp} returns. */
export interface SignOpReturnType {
  /** The op as core encodes it. */
  readonly op: L2Op;
  /** The signed message (`l2OpMessage`). */
  readonly message: bigint;
  /** Ready to send with `rollup_sendOp`. */
  readonly request: SendOpRequest;
}

/**
 * Builds an L2 op (a transfer, or a withdrawal when `toIdx` is 1) and signs it for the
 * sender's current nonce and the given deployment. Pure: no I/O.
 * Throws `AmountNotRepresentableError` when the amount or fee has no exact float encoding.
 *
 * @example
 * const { request } = signOp({
 *   fromIdx: 2, toIdx: 3, amount: 10n ** 18n, fee: 0n,
 *   sender: { tokenId: 0, nonce: 0 },
 *   domain: { l1ChainId: 31337, l2ChainId: 424242, rollupAddress: info.contracts.rollup },
 *   privateKey,
 * })
 * await l2.request({ method: "rollup_sendOp", params: [request] })
 */
export function signOp(parameters: SignOpParameters): SignOpReturnType {
  const { fromIdx, toIdx, amount, fee, sender, domain, privateKey } = parameters;
  const op: L2Op = { fromIdx, toIdx, ...encodeOpAmounts({ amount, fee }) };
  const message = l2OpMessage(op, sender, domainSeparator(domain));
  const signature = signMessage(privateKey, message);
  return {
    op: { ...op, signature },
    message,
    request: {
      fromIdx,
      toIdx,
      amount: amount.toString(),
      fee: fee.toString(),
      nonce: sender.nonce,
      chainId: domain.l2ChainId,
      signature: bytesToHex(signature),
    },
  };
}
