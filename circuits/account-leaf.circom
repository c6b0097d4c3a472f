pragma circom 2.1.0;

include "circomlib/circuits/poseidon.circom";

// AccountLeaf: the account-tree leaf of docs/protocol.md §2, or 0 for an empty leaf.
//   inputs : tokenNonce   u72, tokenId + nonce·2^32 (range-checked by the caller)
//            balance      u128
//            Ax, Ay       field, BabyJubJub public key
//            ethAddr      u160
//            present      u1, 0 gives the empty leaf 0
//   outputs: leaf         present · Poseidon_5(tokenNonce, balance, Ax, Ay, ethAddr)
template AccountLeaf() {
    signal input tokenNonce;
    signal input balance;
    signal input Ax;
    signal input Ay;
    signal input ethAddr;
    signal input present;
    signal output leaf;

    component hash = Poseidon(5);
    hash.inputs[0] <== tokenNonce;
    hash.inputs[1] <== balance;
    hash.inputs[2] <== Ax;
    hash.inputs[3] <== Ay;
    hash.inputs[4] <== ethAddr;
    leaf <== present * hash.out;
}
