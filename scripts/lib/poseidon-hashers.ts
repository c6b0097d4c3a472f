/**
 * Deploys the generated Poseidon hash contracts (contracts/hashing/generated/, produced by
 * `node --import tsx scripts/gen-poseidon-sol.ts`).
 *
 * Deployment order. Each PoseidonTn is the head of a chain of contracts (the rounds do not fit in one
 * EIP-170-sized contract for t = 6, 9); every link takes the address of the NEXT link in its
 * constructor, so a chain is deployed from its tail to its head:
 *   PoseidonT3                                   (single contract, no constructor args)
 *   PoseidonT6R1 -> PoseidonT6(t6r1)
 *   PoseidonT9R2 -> PoseidonT9R1(t9r2) -> PoseidonT9(t9r1)
 * Only the heads (PoseidonT3/T6/T9) are hashers (IPoseidonT3/T6/T9); the R* contracts are internal
 * round continuations (unvalidated raw state in, hash out). The number of R* links is decided by the
 * generator, so it is discovered here rather than hard-coded.
 */
import type { HardhatEthers } from "@nomicfoundation/hardhat-ethers/types";
import type { BaseContract } from "ethers";

const SRC = "contracts/hashing/generated";

/**
 * The hashers by their width t (t − 1 inputs).
 *
 * @example
 * const t: PoseidonArity = 6 // Poseidon of 5 inputs
 */
export type PoseidonArity = 3 | 6 | 9;

/**
 * Fully qualified names of a chain, tail first (deployment order).
 *
 * @example
 * await poseidonChain(ethers, 6) // [".../PoseidonT6.sol:PoseidonT6R1", ".../PoseidonT6.sol:PoseidonT6"]
 */
export async function poseidonChain(ethers: HardhatEthers, t: PoseidonArity): Promise<string[]> {
  const names = [`${SRC}/PoseidonT${t}.sol:PoseidonT${t}`];
  for (let k = 1; ; k++) {
    const fqn = `${SRC}/PoseidonT${t}.sol:PoseidonT${t}R${k}`;
    try {
      await ethers.getContractFactory(fqn);
    } catch {
      break;
    }
    names.push(fqn);
  }
  return names.reverse();
}

/**
 * Deploys one hasher chain (tail to head) and returns the head plus all links (tail first).
 *
 * @example
 * const { hasher } = await deployPoseidon(ethers, 3)
 * await hasher.hash([1n, 2n])
 */
export async function deployPoseidon(
  ethers: HardhatEthers,
  t: PoseidonArity,
): Promise<{ hasher: BaseContract & { hash: any }; links: BaseContract[] }> {
  const links: BaseContract[] = [];
  let next: string | undefined;
  for (const fqn of await poseidonChain(ethers, t)) {
    const c = await ethers.deployContract(fqn, next === undefined ? [] : [next]);
    await c.waitForDeployment();
    next = await c.getAddress();
    links.push(c);
  }
  return { hasher: links[links.length - 1] as BaseContract & { hash: any }, links };
}

/**
 * Deploys PoseidonT3 (2 inputs), PoseidonT6 (5 inputs) and PoseidonT9 (8 inputs).
 *
 * @example
 * const { t3, t6, t9 } = await deployHashers(ethers)
 */
export async function deployHashers(ethers: HardhatEthers) {
  const t3 = (await deployPoseidon(ethers, 3)).hasher;
  const t6 = (await deployPoseidon(ethers, 6)).hasher;
  const t9 = (await deployPoseidon(ethers, 9)).hasher;
  return { t3, t6, t9 };
}
