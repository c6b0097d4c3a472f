import { expect } from "chai";
import {
  type Address,
  decodeL2Op,
  domainSeparator,
  encodeL2Op,
  hexToBytes,
  l2OpMessage,
  publicKeyOf,
  resolveParams,
  verifyWireSignature,
} from "../../core/index.js";
import { AmountNotRepresentableError, signOp } from "../../client/index.js";
import { readSubmittedOp } from "../../sequencer/rpc/params.js";

const privateKey = new Uint8Array(32).fill(7);
const publicKey = publicKeyOf(privateKey);
const rollupAddress: Address = "0x5fbdb2315678afecb367f032d93f642f64180aa3";
const domain = { l1ChainId: 31337, l2ChainId: 424242, rollupAddress };
const sender = { tokenId: 1, nonce: 5 };
const params = resolveParams({ levels: 8 });

function build(overrides: Partial<Parameters<typeof signOp>[0]> = {}) {
  return signOp({ fromIdx: 2, toIdx: 3, amount: 15n * 10n ** 17n, fee: 10n ** 15n, sender, domain, privateKey, ...overrides });
}

describe("client signOp", () => {
  it("signOp_validOp_signatureVerifiesForCoreMessage", () => {
    const { op, message, request } = build();
    const expected = l2OpMessage(op, sender, domainSeparator(domain));
    expect(message).to.equal(expected);
    expect(verifyWireSignature(expected, hexToBytes(request.signature), publicKey)).to.equal(true);
  });

  it("signOp_request_isWhatTheSequencerParses", () => {
    const { op, request } = build();
    expect(request).to.include({ fromIdx: 2, toIdx: 3, amount: "1500000000000000000", fee: "1000000000000000", nonce: 5, chainId: 424242 });
    const parsed = readSubmittedOp(JSON.parse(JSON.stringify(request)), params, 424242);
    expect(parsed.nonce).to.equal(5);
    expect(parsed.op).to.deep.equal(op);
    expect(decodeL2Op(encodeL2Op(op, params, "optimistic"), params, "optimistic")).to.deep.equal(op);
  });

  it("signOp_otherChainOrRollup_doesNotVerifyHere", () => {
    const here = domainSeparator(domain);
    for (const other of [
      { ...domain, l2ChainId: 7 },
      { ...domain, l1ChainId: 1 },
      { ...domain, rollupAddress: "0x0000000000000000000000000000000000000001" as Address },
    ]) {
      const { op, request } = build({ domain: other });
      expect(verifyWireSignature(l2OpMessage(op, sender, here), hexToBytes(request.signature), publicKey)).to.equal(false);
    }
  });

  it("signOp_otherNonceOrToken_doesNotVerify", () => {
    const { op, request } = build();
    const sig = hexToBytes(request.signature);
    const here = domainSeparator(domain);
    expect(verifyWireSignature(l2OpMessage(op, { ...sender, nonce: 6 }, here), sig, publicKey)).to.equal(false);
    expect(verifyWireSignature(l2OpMessage(op, { ...sender, tokenId: 0 }, here), sig, publicKey)).to.equal(false);
    expect(verifyWireSignature(l2OpMessage(op, sender, here), sig, publicKeyOf(new Uint8Array(32).fill(8)))).to.equal(false);
  });

  it("signOp_inexactAmount_throwsBeforeSigning", () => {
    expect(() => build({ amount: 1234567890123456789n })).to.throw(AmountNotRepresentableError);
    expect(() => build({ fee: 9n })).to.throw(AmountNotRepresentableError);
  });
});
