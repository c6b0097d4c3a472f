pragma circom 2.1.0;

include "circomlib/circuits/poseidon.circom";
include "circomlib/circuits/comparators.circom";

// WithdrawalLeaf: a withdrawal-tree leaf (docs/protocol.md §7); an amount of 0 writes nothing.
//   inputs : ethAddr   u160
//            tokenId   u32
//            amount    field (u128 for ops, any size for fee totals)
//   outputs: leaf      0 if amount = 0, else Poseidon_2(ethAddr·2^32 + tokenId, amount)
template WithdrawalLeaf() {
    signal input ethAddr;
    signal input tokenId;
    signal input amount;
    signal output leaf;

    component hash = Poseidon(2);
    hash.inputs[0] <== ethAddr * 2 ** 32 + tokenId;
    hash.inputs[1] <== amount;
    component empty = IsZero();
    empty.in <== amount;
    leaf <== (1 - empty.out) * hash.out;
}
