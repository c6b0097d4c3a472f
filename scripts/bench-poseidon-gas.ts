/**
 * Gas of one Poseidon hash() per arity, on Hardhat's in-process network:
 *
 *   npx hardhat run scripts/bench-poseidon-gas.ts
 *
 * Columns:
 *  - tx:          gasUsed of a transaction calling hash() directly (incl. 21,000 base + calldata,
 *                 cold access of every contract of the chain);
 *  - tx exec:     tx minus the 21,000 base and the calldata cost (EIP-7623 floor not applied);
 *  - call cold:   gas of hash() as an external call from another contract, first call in the tx
 *                 (measured with gasleft() around IPoseidonTn(h).hash(x) in PoseidonGasProbe);
 *  - call warm:   the same call repeated in the same tx (all chain links already warm): the marginal
 *                 cost of each further hash in e.g. the fraud prover.
 */
import { network } from "hardhat";
import { deployPoseidon, poseidonChain } from "./lib/poseidon-hashers.js";

const { ethers } = await network.create();

const R = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;
const probe = await ethers.deployContract("contracts/hashing/generated/PoseidonGasProbe.sol:PoseidonGasProbe");
const [signer] = await ethers.getSigners();

function calldataGas(data: string): number {
  let g = 0;
  for (let i = 2; i < data.length; i += 2) g += data.slice(i, i + 2) === "00" ? 4 : 16;
  return g;
}

const rows: Record<string, string | number>[] = [];
for (const t of [3, 6, 9] as const) {
  const { hasher, links } = await deployPoseidon(ethers, t);
  const names = await poseidonChain(ethers, t);
  const sizes: number[] = [];
  for (const c of links) sizes.push(((await ethers.provider.getCode(await c.getAddress())).length - 2) / 2);
  // pseudo-random full-size inputs (gas does not depend on values, except calldata zero bytes)
  const xs = Array.from({ length: t - 1 }, (_, i) => (BigInt(i + 1) * 0x1234567890abcdef1234567890abcdefn ** 2n) % R);
  const data = hasher.interface.encodeFunctionData("hash", [xs]);
  const tx = await signer!.sendTransaction({ to: await hasher.getAddress(), data });
  const rc = (await tx.wait())!;
  const [, cold, warm] = await probe.getFunction(`probeT${t}`).staticCall(await hasher.getAddress(), xs);
  rows.push({
    hasher: `PoseidonT${t} (${t - 1} inputs)`,
    tx: Number(rc.gasUsed),
    "tx exec": Number(rc.gasUsed) - 21000 - calldataGas(data),
    "call cold": Number(cold),
    "call warm": Number(warm),
    contracts: names.length,
    "code bytes": sizes.reverse().join(" + "),
  });
}
console.table(rows);
console.log("code bytes: head first (PoseidonTn, then R1, R2, ...); EIP-170 limit 24,576 per contract");
