import { type Address, addressToBigInt, hexToBytes } from "./bytes.js";
import { keccak256, poseidon2 } from "./hash.js";
import { MalformedDataError } from "./errors.js";

/** What binds L2 keys and signatures to one deployment. */
export interface RollupDomain {
  readonly l1ChainId: number | bigint;
  readonly l2ChainId: number | bigint;
  readonly rollupAddress: Address;
}

/**
 * `domain = Poseidon_2(l1ChainId·2^64 + l2ChainId, rollupAddress)`; every L2 signature
 * covers it, so it never verifies on another chain or rollup (docs/protocol.md §3).
 */
export function domainSeparator(domain: RollupDomain): bigint {
  return poseidon2((BigInt(domain.l1ChainId) << 64n) + BigInt(domain.l2ChainId), addressToBigInt(domain.rollupAddress));
}

/** EIP-55 checksum form of an address. */
export function checksumAddress(address: string): Address {
  const lower = address.toLowerCase().slice(2);
  addressToBigInt(address);
  const hash = keccak256(new TextEncoder().encode(lower));
  let out = "0x";
  for (let i = 0; i < 40; i++) {
    const nibble = (hash[i >> 1]! >> (i % 2 === 0 ? 4 : 0)) & 0xf;
    out += nibble >= 8 ? lower[i]!.toUpperCase() : lower[i]!;
  }
  return out as Address;
}

/**
 * The text a user signs with their L1 wallet (EIP-191 personal_sign) to derive their L2 key.
 *
 * @example
 * const message = keyDerivationMessage({ l1ChainId: 31337, l2ChainId: 424242, rollupAddress })
 * const signature = await walletClient.signMessage({ account, message })
 * const l2Key = l2PrivateKeyFromSignature(signature)
 */
export function keyDerivationMessage(domain: RollupDomain): string {
  return [
    "Rollup devnet L2 key",
    `L1 chain: ${BigInt(domain.l1ChainId)}`,
    `L2 chain: ${BigInt(domain.l2ChainId)}`,
    `Rollup: ${checksumAddress(domain.rollupAddress)}`,
    "Sign this only for the rollup you are using.",
  ].join("\n");
}

/** `l2PrivateKey = keccak256(signature)` for the 65-byte r ‖ s ‖ v signature. */
export function l2PrivateKeyFromSignature(signature: string): Uint8Array {
  const bytes = hexToBytes(signature);
  if (bytes.length !== 65) throw new MalformedDataError(`an L1 signature is 65 bytes (r ‖ s ‖ v), got ${bytes.length}`);
  return keccak256(bytes);
}
