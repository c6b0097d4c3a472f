pragma circom 2.1.0;

include "circomlib/circuits/comparators.circom";

// FeeSlot: which fee slot charges an op in `tokenId`: the first j with feeTokens[j] = tokenId,
// none when tokenId is NO_TOKEN (docs/protocol.md §7).
//   inputs : tokenId       u32
//            feeTokens[4]  u32
//   outputs: slot[4]       u1, one-hot of the charging slot (all 0 if none)
//            charged       u1, 1 iff some slot charges
template FeeSlot() {
    signal input tokenId;
    signal input feeTokens[4];
    signal output slot[4];
    signal output charged;

    component noToken = IsEqual();
    noToken.in[0] <== tokenId;
    noToken.in[1] <== 2 ** 32 - 1;

    component same[4];
    signal unmatched[5];
    unmatched[0] <== 1 - noToken.out;
    for (var j = 0; j < 4; j++) {
        same[j] = IsEqual();
        same[j].in[0] <== tokenId;
        same[j].in[1] <== feeTokens[j];
        slot[j] <== unmatched[j] * same[j].out;
        unmatched[j + 1] <== unmatched[j] - slot[j];
    }
    charged <== 1 - noToken.out - unmatched[4];
}
