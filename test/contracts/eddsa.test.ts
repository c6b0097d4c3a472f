import { expect } from "chai";
import { network } from "hardhat";
import { randomBytes } from "node:crypto";
import { FIELD_MODULUS, publicKeyOf, readUint, signMessage, verifyWireSignature } from "../../core/index.js";
import { SUB_ORDER, sqrt, mod, inv, CURVE_A, CURVE_D, unpackPoint } from "../../core/crypto/index.js";
import { toBytesLE } from "../../core/crypto/field.js";
import { type TypedContract } from "../../scripts/lib/deploy-rollup.js";
import { deployHashers } from "../../scripts/lib/poseidon-hashers.js";
import { r8SqrtHint } from "../helpers/one-step.js";

const { ethers, networkHelpers } = await network.create();

const r = FIELD_MODULUS;
const Y_MASK = (1n << 255n) - 1n;

async function deployFixture() {
  const { t6 } = await deployHashers(ethers);
  const verifier = await ethers.deployContract("EdDSAVerifier", [await t6.getAddress()]);
  await verifier.waitForDeployment();
  return { verifier: verifier as unknown as TypedContract<"verify" | "decompress" | "poseidonT6"> };
}

function randomField(): bigint {
  return BigInt("0x" + randomBytes(32).toString("hex")) % r;
}

function keyPair(seed: number) {
  const privateKey = new Uint8Array(randomBytes(32));
  privateKey[0] = seed;
  return { privateKey, publicKey: publicKeyOf(privateKey) };
}

/** The arguments of EdDSAVerifier.verify for a wire signature. */
function args(message: bigint, signature: Uint8Array, key: { x: bigint; y: bigint }) {
  const packedR8 = readUint(signature, 0, 32);
  return [message, packedR8, readUint(signature, 32, 32), r8SqrtHint(packedR8), key.x, key.y] as const;
}

/** A packed y whose x² = (1 − y²)/(a − d·y²) is a non-residue: no point has it. */
function nonDecompressibleY(): bigint {
  for (let y = 2n; ; y++) {
    const y2 = (y * y) % r;
    const x2 = mod((1n - y2) * inv(mod(CURVE_A - CURVE_D * y2)));
    if (sqrt(x2) === null) return y;
  }
}

function toWire(packedR8: bigint, s: bigint): Uint8Array {
  const out = new Uint8Array(64);
  out.set(toBytesLE(packedR8).reverse(), 0);
  out.set(toBytesLE(s).reverse(), 32);
  return out;
}

describe("EdDSAVerifier", () => {
  it("verify_coreSignatures_true", async () => {
    const { verifier } = await networkHelpers.loadFixture(deployFixture);
    for (let i = 0; i < 8; i++) {
      const { privateKey, publicKey } = keyPair(i);
      const message = randomField();
      const signature = signMessage(privateKey, message);
      expect(verifyWireSignature(message, signature, publicKey)).to.equal(true);
      expect(await verifier.verify(...args(message, signature, publicKey))).to.equal(true);
    }
  });

  it("verify_tamperedMessageR8SOrKey_false", async () => {
    const { verifier } = await networkHelpers.loadFixture(deployFixture);
    const { privateKey, publicKey } = keyPair(1);
    const other = keyPair(2).publicKey;
    const message = randomField();
    const signature = signMessage(privateKey, message);
    const [, packedR8, s, hint] = args(message, signature, publicKey);
    expect(await verifier.verify(message + 1n, packedR8, s, hint, publicKey.x, publicKey.y)).to.equal(false);
    expect(await verifier.verify(message, packedR8, s + 1n, hint, publicKey.x, publicKey.y)).to.equal(false);
    expect(await verifier.verify(message, packedR8, s, hint, other.x, other.y)).to.equal(false);
    // The key off the curve.
    expect(await verifier.verify(message, packedR8, s, hint, publicKey.x, publicKey.y + 1n)).to.equal(false);
    expect(await verifier.verify(message, packedR8, s, hint, publicKey.x + r, publicKey.y)).to.equal(false);
    // R8 negated (sign bit flipped): still a point, not the signature's.
    const flipped = packedR8 ^ (1n << 255n);
    expect(await verifier.verify(message, flipped, s, hint, publicKey.x, publicKey.y)).to.equal(false);
    // Another R8 (next y that decompresses).
    for (let y = (packedR8 & Y_MASK) + 1n; ; y++) {
      const tampered = (packedR8 & ~Y_MASK) | y;
      if (!unpackPoint(toBytesLE(tampered))) continue;
      const tamperedWire = toWire(tampered, s);
      expect(verifyWireSignature(message, tamperedWire, publicKey)).to.equal(false);
      expect(await verifier.verify(...args(message, tamperedWire, publicKey))).to.equal(false);
      break;
    }
  });

  it("verify_sAtLeastSubOrder_false", async () => {
    const { verifier } = await networkHelpers.loadFixture(deployFixture);
    const { privateKey, publicKey } = keyPair(3);
    const message = randomField();
    const [, packedR8, s, hint] = args(message, signMessage(privateKey, message), publicKey);
    // S + l satisfies the curve equation too; only the range check refuses it.
    for (const bad of [s + SUB_ORDER, SUB_ORDER, (1n << 256n) - 1n]) {
      expect(verifyWireSignature(message, toWire(packedR8, bad), publicKey)).to.equal(false);
      expect(await verifier.verify(message, packedR8, bad, hint, publicKey.x, publicKey.y)).to.equal(false);
    }
  });

  it("verify_r8NotDecompressible_falseWithoutRevert", async () => {
    const { verifier } = await networkHelpers.loadFixture(deployFixture);
    const { privateKey, publicKey } = keyPair(4);
    const message = randomField();
    const [, , s] = args(message, signMessage(privateKey, message), publicKey);
    const nonResidueY = nonDecompressibleY();
    for (const packed of [nonResidueY, nonResidueY | (1n << 255n), r, Y_MASK, 1n, r - 1n, 0n | (1n << 255n) | 1n]) {
      expect(unpackPoint(toBytesLE(packed)), `core unpacks ${packed}`).to.equal(null);
      const hint = r8SqrtHint(packed);
      expect(await verifier.verify(message, packed, s, hint, publicKey.x, publicKey.y)).to.equal(false);
      expect((await verifier.decompress(packed, hint))[0]).to.equal(false);
    }
  });

  it("decompress_randomEncodings_matchesCoreUnpackPoint", async () => {
    const { verifier } = await networkHelpers.loadFixture(deployFixture);
    for (let i = 0; i < 64; i++) {
      const packed = BigInt("0x" + randomBytes(32).toString("hex")) & (i % 2 ? (1n << 256n) - 1n : Y_MASK);
      const y = packed & Y_MASK;
      const candidate = i % 4 < 2 ? packed : (packed & ~Y_MASK) | (y % r);
      const expected = unpackPoint(toBytesLE(candidate));
      const [ok, x, yy] = await verifier.decompress(candidate, r8SqrtHint(candidate));
      expect(ok).to.equal(expected !== null);
      if (expected) expect([x, yy]).to.deep.equal([expected.x, expected.y]);
    }
  });

  it("decompress_wrongHint_revertsInvalidSqrtHint", async () => {
    const { verifier } = await networkHelpers.loadFixture(deployFixture);
    const { privateKey, publicKey } = keyPair(5);
    const message = randomField();
    const [, packedR8, s, hint] = args(message, signMessage(privateKey, message), publicKey);
    await expect(verifier.verify(message, packedR8, s, hint + 1n, publicKey.x, publicKey.y)).to.be.revertedWithCustomError(
      verifier,
      "InvalidSqrtHint",
    );
    // The other root is as good: the sign bit picks x.
    expect(await verifier.verify(message, packedR8, s, r - hint, publicKey.x, publicKey.y)).to.equal(true);
  });

  it("verify_gas_report", async () => {
    const { verifier } = await networkHelpers.loadFixture(deployFixture);
    const { privateKey, publicKey } = keyPair(6);
    const message = randomField();
    const gas = await verifier.verify.estimateGas(...args(message, signMessage(privateKey, message), publicKey));
    console.log(`      EdDSAVerifier.verify: ${gas} gas (incl. 21k tx base and one Poseidon_5)`);
    expect(gas).to.be.lessThan(350_000n);
  });
});
