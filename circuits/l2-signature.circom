pragma circom 2.1.0;

include "circomlib/circuits/poseidon.circom";
include "circomlib/circuits/eddsaposeidon.circom";
include "on-curve.circom";

// L2Signature: builds the message an L2 op signs and, when enabled, requires a valid
// EdDSA-Poseidon signature on it (docs/protocol.md §3, §5). When disabled the key is replaced
// by Base8 so that any leaf content (even a key off the curve) keeps the witness computable.
//   inputs : enabled   u1, 1 for an L2 op whose sender exists
//            domain    field, the deployment's domain separator
//            packed    u184, fromIdx + toIdx·2^32 + tokenId·2^64 + nonce·2^96 + amount·2^136 + fee·2^176
//            Ax, Ay    field, the sender's key
//            R8x, R8y  field, the signature's point
//            S         u253, the signature's scalar (< subOrder when enabled)
template L2Signature() {
    signal input enabled;
    signal input domain;
    signal input packed;
    signal input Ax;
    signal input Ay;
    signal input R8x;
    signal input R8y;
    signal input S;

    var BASE8[2] = [
        5299619240641551281634865583518297030282874472190772894086521144482721001553,
        16950150798460657717958625567821834550301663161624707787222815936182638968203
    ];

    component message = Poseidon(2);
    message.inputs[0] <== domain;
    message.inputs[1] <== packed;

    signal keyX <== enabled * (Ax - BASE8[0]) + BASE8[0];
    signal keyY <== enabled * (Ay - BASE8[1]) + BASE8[1];

    component keyOnCurve = OnCurveIfEnabled();
    keyOnCurve.enabled <== enabled;
    keyOnCurve.x <== keyX;
    keyOnCurve.y <== keyY;
    component pointOnCurve = OnCurveIfEnabled();
    pointOnCurve.enabled <== enabled;
    pointOnCurve.x <== R8x;
    pointOnCurve.y <== R8y;

    component verifier = EdDSAPoseidonVerifier();
    verifier.enabled <== enabled;
    verifier.Ax <== keyX;
    verifier.Ay <== keyY;
    verifier.S <== S;
    verifier.R8x <== R8x;
    verifier.R8y <== R8y;
    verifier.M <== message.out;
}
