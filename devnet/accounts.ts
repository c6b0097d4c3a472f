import { mnemonicToAccount } from "viem/accounts";
import { bytesToHex, parseEther, type Hex } from "viem";
import { type Address, bridgeAbi, erc20Abi, keyDerivationMessage, l2PrivateKeyFromSignature, publicKeyOf } from "../core/index.js";
import { waitFor } from "../core/wait.js";
import { jsonRpc } from "./json-rpc.js";
import { type L1Connection } from "./l1.js";

/**
 * Hardhat's well-known development mnemonic: its keys are public, never use them for value.
 *
 * @example
 * mnemonicToAccount(DEV_MNEMONIC, { addressIndex: 0 }).address // 0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266
 */
export const DEV_MNEMONIC = "test test test test test test test test test test test junk";

/**
 * A well-known development account.
 *
 * @example
 * const { address, privateKey }: DevAccount = devAccounts(1)[0]!
 */
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

/**
 * Index of the dev account that deploys, proposes batches and collects fees.
 *
 * @example
 * const operator = devAccounts(20)[OPERATOR_ACCOUNT]!
 */
export const OPERATOR_ACCOUNT = 19;

/**
 * Index of the dev account the challenger agent challenges with (and posts bonds from).
 *
 * @example
 * const challenger = devAccounts(20)[CHALLENGER_ACCOUNT]!
 */
export const CHALLENGER_ACCOUNT = 18;

/**
 * What funding dev accounts needs to know about the deployment.
 *
 * @example
 * const target: FundingTarget = { bridge, testToken, testTokenId: 1, domain: { l1ChainId: 31337, l2ChainId: 424242, rollupAddress: rollup } }
 */
export interface FundingTarget {
  readonly bridge: Address;
  readonly testToken: Address;
  readonly testTokenId: number;
  /** The deployment's domain: the L2 keys are derived from a signature over it. */
  readonly domain: { readonly l1ChainId: number; readonly l2ChainId: number; readonly rollupAddress: Address };
}

/**
 * Gives each dev account an L2 account in ETH (100) and one in the test token (1000),
 * created through the bridge exactly as a user would: the L2 key derived from an L1
 * signature, the test token minted and approved first. The sequencer puts the queue entries
 * into a batch; `waitForL2Accounts` waits for that.
 *
 * @example
 * await fundDevAccounts(l1, target, devAccounts(5))
 */
export async function fundDevAccounts(l1: L1Connection, target: FundingTarget, accounts: readonly DevAccount[]): Promise<void> {
  // Every queue entry pays the bridge's queue fee on top of what it deposits (docs/protocol.md §6).
  const fee = await l1.client.readContract({ address: target.bridge, abi: bridgeAbi, functionName: "queueFee" });
  for (const dev of accounts) {
    const wallet = l1.wallet(dev.privateKey);
    const l2Key = l2PrivateKeyFromSignature(await wallet.signMessage({ message: keyDerivationMessage(target.domain) }));
    const { x, y } = publicKeyOf(l2Key);
    const tokenAmount = parseEther("1000");
    const txs = [
      await wallet.writeContract({ address: target.testToken, abi: erc20Abi, functionName: "mint", args: [dev.address, parseEther("1000000")] }),
      await wallet.writeContract({ address: target.testToken, abi: erc20Abi, functionName: "approve", args: [target.bridge, parseEther("1000000")] }),
      await wallet.writeContract({ address: target.bridge, abi: bridgeAbi, functionName: "createAccount", args: [0, parseEther("100"), x, y], value: parseEther("100") + fee }),
      await wallet.writeContract({ address: target.bridge, abi: bridgeAbi, functionName: "createAccount", args: [target.testTokenId, tokenAmount, x, y], value: fee }),
    ];
    for (const hash of txs) await l1.client.waitForTransactionReceipt({ hash });
  }
}

/**
 * The L2 account indices of a dev account: its ETH and its test token account.
 *
 * @example
 * const { ETH, TEST }: L2AccountIndices = (await waitForL2Accounts(l2Url, funded, testTokenId)).get(address)!
 */
export interface L2AccountIndices {
  readonly ETH: number;
  readonly TEST: number;
}

/**
 * Waits (at most 30 s) until the sequencer at `l2Url` has both L2 accounts of every dev
 * account, and returns their indices by L1 address.
 *
 * @example
 * const indexOf = await waitForL2Accounts(sequencer.url, devAccounts(5), deployment.testTokenId)
 */
export async function waitForL2Accounts(l2Url: string, accounts: readonly DevAccount[], testTokenId: number): Promise<Map<string, L2AccountIndices>> {
  const indexOf = new Map<string, L2AccountIndices>();
  await waitFor(
    "the dev accounts to appear on L2",
    async () => {
      for (const dev of accounts) {
        if (indexOf.has(dev.address)) continue;
        const found = (await jsonRpc(l2Url, "rollup_getAccountsByOwner", [dev.address])) as { index: number; tokenId: number }[];
        const eth = found.find((a) => a.tokenId === 0);
        const test = found.find((a) => a.tokenId === testTokenId);
        if (eth && test) indexOf.set(dev.address, { ETH: eth.index, TEST: test.index });
      }
      return indexOf.size === accounts.length;
    },
    {
      timeoutMs: 30_000,
      intervalMs: 100,
      details: "the sequencer did not put their queue entries into a batch: run the devnet with verbose (--verbose) to see its log",
    },
  );
  return indexOf;
}
