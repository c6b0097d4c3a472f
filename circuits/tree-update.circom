pragma circom 2.1.0;

include "circomlib/circuits/poseidon.circom";

// PickChild8: the child at a 3-bit position, by a binary mux tree (7 constraints).
//   inputs : bits[3]      u1, the position, least significant first
//            children[8]  field
//   outputs: out          field, children[position]
template PickChild8() {
    signal input bits[3];
    signal input children[8];
    signal output out;

    signal pairs[4];
    for (var i = 0; i < 4; i++) pairs[i] <== children[2 * i] + bits[0] * (children[2 * i + 1] - children[2 * i]);
    signal quads[2];
    for (var i = 0; i < 2; i++) quads[i] <== pairs[2 * i] + bits[1] * (pairs[2 * i + 1] - pairs[2 * i]);
    out <== quads[0] + bits[2] * (quads[1] - quads[0]);
}

// RouteToChild8: `value` at a 3-bit position and 0 elsewhere, by splitting on each bit from the
// most significant (7 constraints).
//   inputs : bits[3]   u1, the position, least significant first
//            value     field
//   outputs: out[8]    field, out[position] = value
template RouteToChild8() {
    signal input bits[3];
    signal input value;
    signal output out[8];

    signal upper <== bits[2] * value;
    var halves[2] = [value - upper, upper];
    signal quarterUpper[2];
    var quarters[4];
    for (var h = 0; h < 2; h++) {
        quarterUpper[h] <== bits[1] * halves[h];
        quarters[2 * h] = halves[h] - quarterUpper[h];
        quarters[2 * h + 1] = quarterUpper[h];
    }
    signal eighthUpper[4];
    for (var q = 0; q < 4; q++) {
        eighthUpper[q] <== bits[0] * quarters[q];
        // quarter q = b2·2 + b1 covers positions 4·b2 + 2·b1 + b0
        var base = 4 * (q \ 2) + 2 * (q % 2);
        out[base] <== quarters[q] - eighthUpper[q];
        out[base + 1] <== eighthUpper[q];
    }
}

// MerkleUpdate8: replaces one leaf of an 8-ary Poseidon tree and returns the roots before and
// after. Per level the prover gives the node's 8 children before the update (its own child
// included); the circuit checks that the child at the path digit is the running value, then
// hashes the children as given (old root) and with that child replaced (new root).
//   params : levels        depth of the tree
//   inputs : pathBits[3·levels]     u1, the leaf index in binary, least significant first
//            children[levels][8]    field, the children of each path node (bottom first)
//            oldLeaf, newLeaf       field
//   outputs: oldRoot, newRoot       field
template MerkleUpdate8(levels) {
    signal input pathBits[3 * levels];
    signal input children[levels][8];
    signal input oldLeaf;
    signal input newLeaf;
    signal output oldRoot;
    signal output newRoot;

    component own[levels];
    component change[levels];
    component oldNode[levels];
    component newNode[levels];
    signal oldValue[levels + 1];
    signal newValue[levels + 1];
    oldValue[0] <== oldLeaf;
    newValue[0] <== newLeaf;

    for (var level = 0; level < levels; level++) {
        own[level] = PickChild8();
        change[level] = RouteToChild8();
        for (var b = 0; b < 3; b++) {
            own[level].bits[b] <== pathBits[3 * level + b];
            change[level].bits[b] <== pathBits[3 * level + b];
        }
        own[level].children <== children[level];
        own[level].out === oldValue[level];
        change[level].value <== newValue[level] - oldValue[level];

        oldNode[level] = Poseidon(8);
        newNode[level] = Poseidon(8);
        for (var i = 0; i < 8; i++) {
            oldNode[level].inputs[i] <== children[level][i];
            newNode[level].inputs[i] <== children[level][i] + change[level].out[i];
        }
        oldValue[level + 1] <== oldNode[level].out;
        newValue[level + 1] <== newNode[level].out;
    }
    oldRoot <== oldValue[levels];
    newRoot <== newValue[levels];
}
