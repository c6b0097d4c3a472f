import { mnemonicToAccount } from "viem/accounts";
import { bytesToHex, type Hex } from "viem";
import { type Address } from "../core/index.js";

/** Hardhat's well-known development mnemonic: its keys are public, never use them for value. */
export const DEV_MNEMONIC = "test test test test test test test test test test test junk";

/** A well-known development account. */
export interface DevAccount {
  readonly address: Address;
  readonly privateKey: Hex;
}

/**
 * The first `count` well-known dev accounts (the ones Hardhat funds with 10,000 ETH).
 *
 * @example
 * devAccounts(2)[0].address // 0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266
 */
export function devAccounts(count: number): DevAccount[] {
  return Array.from({ length: count }, (_, addressIndex) => {
    const account = mnemonicToAccount(DEV_MNEMONIC, { addressIndex });
    return { address: account.address, privateKey: bytesToHex(account.getHdKey().privateKey!) };
  });
}

/** Index of the dev account that deploys, proposes batches and collects fees. */
export const OPERATOR_ACCOUNT = 19;

/** Index of the dev account the challenger agent challenges with (and posts bonds from). */
export const CHALLENGER_ACCOUNT = 18;
