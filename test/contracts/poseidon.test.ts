import { expect } from "chai";
import { network } from "hardhat";
// @ts-expect-error circomlibjs ships no type declarations
import { buildPoseidon } from "circomlibjs";
import { deployHashers, deployPoseidon, poseidonChain } from "../../scripts/lib/poseidon-hashers.js";

const { ethers } = await network.create();

const R = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;
const MAX_CODE = 24_576;

/** deterministic xorshift-ish PRNG so failures are reproducible */
let seed = 0x9e3779b97f4a7c15n;
function rand256(): bigint {
  let out = 0n;
  for (let i = 0; i < 4; i++) {
    seed ^= (seed << 13n) & ((1n << 64n) - 1n);
    seed ^= seed >> 7n;
    seed ^= (seed << 17n) & ((1n << 64n) - 1n);
    out = (out << 64n) | seed;
  }
  return out;
}
const randField = () => rand256() % R;

describe("Poseidon contracts (generated)", function () {
  let poseidon: any;
  let hashers: Awaited<ReturnType<typeof deployHashers>>;
  let probe: Awaited<ReturnType<typeof ethers.deployContract>>;
  const ref = (xs: bigint[]) => BigInt(poseidon.F.toObject(poseidon(xs)));

  before(async function () {
    poseidon = await buildPoseidon();
    hashers = await deployHashers(ethers);
    probe = await ethers.deployContract("contracts/hashing/generated/PoseidonGasProbe.sol:PoseidonGasProbe");
  });

  const arities = [
    { n: 2, key: "t3" as const },
    { n: 5, key: "t6" as const },
    { n: 8, key: "t9" as const },
  ];

  it("Poseidon([1,2]) known vector", async function () {
    const expected = 7853200120776062878684798364095072458815029376092732009249414926327459813530n;
    expect(ref([1n, 2n])).to.equal(expected);
    expect(await hashers.t3.hash([1n, 2n])).to.equal(expected);
  });

  for (const { n, key } of arities) {
    describe(`${n} inputs (PoseidonT${n + 1})`, function () {
      it("matches circomlibjs on edge values", async function () {
        const c = hashers[key];
        const cases: bigint[][] = [
          Array(n).fill(0n),
          Array(n).fill(R - 1n),
          Array.from({ length: n }, (_, i) => (i % 2 ? R - 1n : 0n)),
          Array.from({ length: n }, (_, i) => (i % 2 ? 0n : R - 1n)),
          Array.from({ length: n }, (_, i) => BigInt(i + 1)),
          Array.from({ length: n }, (_, i) => R - 1n - BigInt(i)),
        ];
        for (const xs of cases) expect(await c.hash(xs), xs.join(",")).to.equal(ref(xs));
      });

      it("matches circomlibjs on 60 random inputs", async function () {
        const c = hashers[key];
        for (let k = 0; k < 60; k++) {
          const xs = Array.from({ length: n }, randField);
          expect(await c.hash(xs), xs.join(",")).to.equal(ref(xs));
        }
      });

      it("reverts with PoseidonInputOutOfField for inputs >= r", async function () {
        const c = hashers[key];
        const bad = [R, R + 1n, 2n ** 256n - 1n, rand256() | (1n << 255n)];
        for (let i = 0; i < n; i++) {
          const v = bad[i % bad.length]!;
          const xs = Array.from({ length: n }, randField);
          xs[i] = v;
          await expect(c.hash(xs)).to.be.revertedWithCustomError(c, "PoseidonInputOutOfField").withArgs(i, v);
        }
        // the first offending index is reported
        const xs = Array(n).fill(R);
        await expect(c.hash(xs)).to.be.revertedWithCustomError(c, "PoseidonInputOutOfField").withArgs(0, R);
      });

      it("works when called from another contract (STATICCALL through the chain)", async function () {
        const c = hashers[key];
        const xs = Array.from({ length: n }, randField);
        const [out, cold, warm] = await probe.getFunction(`probeT${n + 1}`).staticCall(await c.getAddress(), xs);
        expect(out).to.equal(ref(xs));
        expect(cold).to.be.greaterThan(warm);
      });
    });
  }

  it("deployed runtime code sizes are < 24,576 bytes (EIP-170)", async function () {
    for (const t of [3, 6, 9] as const) {
      const { links } = await deployPoseidon(ethers, t);
      const names = await poseidonChain(ethers, t);
      for (const [i, c] of links.entries()) {
        const code = await ethers.provider.getCode(await c.getAddress());
        const size = (code.length - 2) / 2;
        expect(size, names[i]).to.be.greaterThan(1000);
        expect(size, names[i]).to.be.lessThan(MAX_CODE);
      }
    }
  });
});
