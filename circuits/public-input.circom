pragma circom 2.1.0;

include "circomlib/circuits/poseidon.circom";

// PublicInput: the single public input of a ZK batch (docs/protocol.md §8), as the contract
// recomputes it.
//   inputs : domain, preStateRoot, postStateRoot, withdrawalsRoot, queueHashStart,
//            queueHashEnd, z, y      field
//            feeRecipient            u160
//            feeTokens[4]            u32 (range-checked by the caller)
//            payloadLength           u(≤ 20): bytes of the posted payload
//   outputs: out                     field
template PublicInput() {
    signal input domain;
    signal input preStateRoot;
    signal input postStateRoot;
    signal input withdrawalsRoot;
    signal input queueHashStart;
    signal input queueHashEnd;
    signal input z;
    signal input y;
    signal input feeRecipient;
    signal input feeTokens[4];
    signal input payloadLength;
    signal output out;

    component inner = Poseidon(5);
    inner.inputs[0] <== domain;
    inner.inputs[1] <== preStateRoot;
    inner.inputs[2] <== postStateRoot;
    inner.inputs[3] <== withdrawalsRoot;
    inner.inputs[4] <== queueHashStart;

    component fees = Poseidon(2);
    fees.inputs[0] <== feeRecipient;
    fees.inputs[1] <== feeTokens[0] + feeTokens[1] * 2 ** 32 + feeTokens[2] * 2 ** 64 + feeTokens[3] * 2 ** 96
        + payloadLength * 2 ** 128;

    component outer = Poseidon(5);
    outer.inputs[0] <== inner.out;
    outer.inputs[1] <== queueHashEnd;
    outer.inputs[2] <== z;
    outer.inputs[3] <== y;
    outer.inputs[4] <== fees.out;
    out <== outer.out;
}
