/**
 * The keys the devnet's services sign with: the operator (deploys, proposes, collects fees)
 * and the challenger agent. On the devnet's own L1 they default to well-known dev accounts;
 * on any other chain they must come from the environment or an encrypted keystore (Web3
 * Secret Storage, version 3, as geth, Foundry's `cast wallet` and ethers write), and the
 * well-known keys are refused.
 */
import { createDecipheriv, pbkdf2Sync, scryptSync } from "node:crypto";
import { readFileSync } from "node:fs";
import { type Hex, bytesToHex, concatBytes, keccak256 } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { type Address, InvalidParameterError } from "../core/index.js";
import { type DevAccount, devAccounts } from "./accounts.js";

/** Chain ids of local development nodes (Hardhat, anvil), where the well-known keys are expected. */
const DEV_CHAIN_IDS = new Set([31337, 1337]);

/**
 * Whether an L1 chain id is a local development node's (Hardhat, anvil), whose well-known
 * accounts are funded and whose keys anyone may use.
 *
 * @example
 * isDevChain(31337) // true
 */
export function isDevChain(chainId: number): boolean {
  return DEV_CHAIN_IDS.has(chainId);
}

/**
 * The account of a private key, or throws `InvalidParameterError` naming where the key came from.
 *
 * @example
 * accountOfKey(process.env.ROLLUP_OPERATOR_KEY!, "ROLLUP_OPERATOR_KEY").address
 */
export function accountOfKey(privateKey: string, source: string): DevAccount {
  const key = (privateKey.startsWith("0x") ? privateKey : `0x${privateKey}`).toLowerCase() as Hex;
  if (!/^0x[0-9a-f]{64}$/.test(key)) {
    throw new InvalidParameterError(`${source} is not a private key`, { details: "a private key is 32 bytes: 64 hex digits, with or without 0x" });
  }
  return { address: privateKeyToAccount(key).address.toLowerCase() as Address, privateKey: key };
}

/**
 * Whether a key is one of Hardhat's well-known development keys (public: anyone can spend from them).
 *
 * @example
 * isWellKnownKey(devAccounts(1)[0]!.privateKey) // true
 */
export function isWellKnownKey(privateKey: Hex): boolean {
  return devAccounts(20).some((dev) => dev.privateKey.toLowerCase() === privateKey.toLowerCase());
}

/**
 * Refuses a well-known key on a chain that is not a local development node: on a shared
 * testnet anyone could take what it holds, or front-run its transactions.
 *
 * @example
 * refuseWellKnownKey(operator, 11155111, "the operator") // throws: well-known key on chain 11155111
 */
export function refuseWellKnownKey(account: DevAccount, chainId: number, role: string): void {
  if (isDevChain(chainId) || !isWellKnownKey(account.privateKey)) return;
  throw new InvalidParameterError(`${role} would sign with a well-known development key (${account.address}) on L1 chain ${chainId}`, {
    details: "anyone can spend from those keys: give the key in the environment (ROLLUP_OPERATOR_KEY, ROLLUP_CHALLENGER_KEY) or a keystore (--operator-keystore, --challenger-keystore); docs/testnet.md",
  });
}

interface KeystoreV3 {
  readonly version: number;
  readonly crypto?: KeystoreCrypto;
  readonly Crypto?: KeystoreCrypto;
}

interface KeystoreCrypto {
  readonly cipher: string;
  readonly cipherparams: { readonly iv: string };
  readonly ciphertext: string;
  readonly kdf: "scrypt" | "pbkdf2";
  readonly kdfparams: {
    readonly dklen: number;
    readonly salt: string;
    readonly n?: number;
    readonly r?: number;
    readonly p?: number;
    readonly c?: number;
    readonly prf?: string;
  };
  readonly mac: string;
}

/**
 * Decrypts a version 3 keystore file (scrypt or pbkdf2, aes-128-ctr) with `password`; throws
 * `InvalidParameterError` for a wrong password or a file that is not such a keystore.
 *
 * @example
 * const operator = readKeystore("operator.json", process.env.ROLLUP_KEYSTORE_PASSWORD!)
 */
export function readKeystore(path: string, password: string): DevAccount {
  let keystore: KeystoreV3;
  try {
    keystore = JSON.parse(readFileSync(path, "utf8")) as KeystoreV3;
  } catch (cause) {
    throw new InvalidParameterError(`cannot read the keystore ${path}`, { details: "give the path of a version 3 JSON keystore (geth, cast wallet new, ethers' Wallet.encrypt)", cause });
  }
  const crypto = keystore.crypto ?? keystore.Crypto;
  if (keystore.version !== 3 || !crypto || crypto.cipher !== "aes-128-ctr") {
    throw new InvalidParameterError(`${path} is not a version 3 keystore with aes-128-ctr`, { details: "give a keystore written by geth, cast wallet new or ethers' Wallet.encrypt" });
  }
  const { kdf, kdfparams: k } = crypto;
  const salt = Buffer.from(k.salt, "hex");
  const derived =
    kdf === "scrypt"
      ? scryptSync(password.normalize("NFKC"), salt, k.dklen, { N: k.n!, r: k.r!, p: k.p!, maxmem: 256 * k.n! * k.r! })
      : pbkdf2Sync(password.normalize("NFKC"), salt, k.c!, k.dklen, "sha256");
  const ciphertext = Buffer.from(crypto.ciphertext, "hex");
  const mac = keccak256(concatBytes([derived.subarray(16, 32), ciphertext]));
  if (mac.slice(2) !== crypto.mac.toLowerCase()) {
    throw new InvalidParameterError(`wrong password for the keystore ${path}`, { details: "set the password it was encrypted with in ROLLUP_KEYSTORE_PASSWORD" });
  }
  const decipher = createDecipheriv("aes-128-ctr", derived.subarray(0, 16), Buffer.from(crypto.cipherparams.iv, "hex"));
  const key = concatBytes([decipher.update(ciphertext), decipher.final()]);
  return accountOfKey(bytesToHex(key), path);
}
