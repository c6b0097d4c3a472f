import { type Account, type Address } from "viem";
import { type BaseError, keyDerivationMessage, l2PrivateKeyFromSignature, publicKeyOf } from "../../core/index.js";
import { type L2Key, type RollupClients } from "../types.js";
import { toL1Error } from "../utils/revert.js";

/** Parameters of {@link deriveL2Key}. */
export interface DeriveL2KeyParameters {
  /** The signing account; defaults to the wallet client's account. */
  readonly account?: Account | Address;
}
/** What {@link deriveL2Key} returns. */
export type DeriveL2KeyReturnType = L2Key;
/** What {@link deriveL2Key} throws: `L1RequestError` when the wallet refuses to sign. */
export type DeriveL2KeyErrorType = BaseError;

/**
 * Derives the user's L2 key from their L1 wallet: signs `keyDerivationMessage` for this
 * deployment (EIP-191) and hashes the signature (docs/protocol.md §3). The same wallet
 * always gets the same key for the same rollup.
 *
 * @example
 * const walletClient = createWalletClient({ account: privateKeyToAccount(key), transport: http(l1RpcUrl) })
 * const { privateKey, publicKey } = await deriveL2Key({ walletClient, info })
 */
export async function deriveL2Key(
  clients: Pick<RollupClients, "walletClient" | "info">,
  parameters: DeriveL2KeyParameters = {},
): Promise<DeriveL2KeyReturnType> {
  const { walletClient, info } = clients;
  const message = keyDerivationMessage({
    l1ChainId: info.l1ChainId,
    l2ChainId: info.l2ChainId,
    rollupAddress: info.contracts.rollup,
  });
  let signature: `0x${string}`;
  try {
    signature = await walletClient.signMessage({ account: parameters.account ?? walletClient.account, message });
  } catch (e) {
    throw toL1Error(e);
  }
  const privateKey = l2PrivateKeyFromSignature(signature);
  return { privateKey, publicKey: publicKeyOf(privateKey) };
}
