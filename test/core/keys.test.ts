import { expect } from "chai";
import { privateKeyToAccount } from "viem/accounts";
import {
  MalformedDataError,
  checksumAddress,
  keyDerivationMessage,
  l2PrivateKeyFromSignature,
  publicKeyOf,
} from "../../core/index.js";
import { domainFields } from "./fixtures.js";

const wallet = privateKeyToAccount(`0x${"11".repeat(32)}`);

describe("L2 keys", () => {
  it("message_namesBothChainsAndChecksummedRollup", () => {
    expect(keyDerivationMessage(domainFields)).to.equal(
      [
        "Rollup devnet L2 key",
        "L1 chain: 31337",
        "L2 chain: 424242",
        "Rollup: 0x5FbDB2315678afecb367f032d93F642f64180aa3",
        "Sign this only for the rollup you are using.",
      ].join("\n"),
    );
    expect(checksumAddress("0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266")).to.equal("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
  });

  it("derivation_isDeterministic_andBoundToDomain", async () => {
    const sign = async (fields: typeof domainFields) =>
      l2PrivateKeyFromSignature(await wallet.signMessage({ message: keyDerivationMessage(fields) }));
    const k1 = await sign(domainFields);
    const k2 = await sign(domainFields);
    expect(k1).to.deep.equal(k2);
    expect(publicKeyOf(k1)).to.deep.equal(publicKeyOf(k2));
    const otherChain = await sign({ ...domainFields, l2ChainId: 7 });
    const otherRollup = await sign({ ...domainFields, rollupAddress: "0x0000000000000000000000000000000000000001" });
    expect(otherChain).to.not.deep.equal(k1);
    expect(otherRollup).to.not.deep.equal(k1);
  });

  it("signature_wrongLength_rejected", () => {
    expect(() => l2PrivateKeyFromSignature("0x1234")).to.throw(MalformedDataError, "an L1 signature is 65 bytes (r ‖ s ‖ v), got 2");
  });
});
