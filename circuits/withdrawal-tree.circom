pragma circom 2.1.0;

include "circomlib/circuits/poseidon.circom";

// Root of an empty 8-ary Poseidon subtree of the given height: Z_0 = 0, Z_{k+1} = Poseidon_8(Z_k × 8).
function emptySubtree(height) {
    var roots[6] = [
        0,
        1524321216038799095937469147836866648978083754965002674906449126183454401066,
        13474927003650916624948559013483641534091303357614646466210028459289321208378,
        6722121221429872704004552567900813701382746847619669545245890033059860131266,
        6190352091218036727882286149423839206305732835518369231577714611527246027376,
        5547047816417131547555295503363228730555114352328947344710749421214308019187
    ];
    return roots[height];
}

// Number of Poseidon_8 nodes WithdrawalRoot hashes: per level, the nodes above the slots'
// leaves (a prefix) and above the fee leaves (a suffix), merged once they meet.
function withdrawalNodes(nOps) {
    var total = 0;
    var prefix = nOps;
    var suffix = 8 ** 5 - 4;
    var width = 8 ** 5;
    for (var height = 0; height < 5; height++) {
        var parents = width \ 8;
        var prefixParents = (prefix + 7) \ 8;
        var suffixParents = suffix \ 8;
        if (suffixParents <= prefixParents) {
            total += parents;
            prefix = parents;
        } else {
            total += prefixParents + parents - suffixParents;
            prefix = prefixParents;
        }
        suffix = suffixParents;
        width = parents;
    }
    return total;
}

// WithdrawalRoot: the root of a batch's withdrawal tree (docs/protocol.md §7, 8-ary, 5 levels).
// Slot s writes position s and fee payout j position 8^5 − 4 + j, so every other leaf is empty
// and only the nodes above those positions are hashed; no Merkle paths are needed.
//   params : nOps            step slots (at most 8^5 − 4)
//   inputs : slotLeaves[nOps] field, the leaf of each slot (0: nothing written)
//            feeLeaves[4]     field, the leaf of each fee payout
//   outputs: root            field
template WithdrawalRoot(nOps) {
    signal input slotLeaves[nOps];
    signal input feeLeaves[4];
    signal output root;

    component node[withdrawalNodes(nOps)];
    var used = 0;
    // prefix: values of positions [0, prefix); suffix: values of positions [suffix, width).
    var prefixValue[nOps];
    var suffixValue[4];
    for (var i = 0; i < nOps; i++) prefixValue[i] = slotLeaves[i];
    for (var i = 0; i < 4; i++) suffixValue[i] = feeLeaves[i];
    var prefix = nOps;
    var suffix = 8 ** 5 - 4;
    var width = 8 ** 5;

    for (var height = 0; height < 5; height++) {
        var parents = width \ 8;
        var prefixParents = (prefix + 7) \ 8;
        var suffixParents = suffix \ 8;
        var merged = suffixParents <= prefixParents;
        var nextPrefix[nOps];
        var nextSuffix[4];
        for (var p = 0; p < parents; p++) {
            var live = p < prefixParents || p >= suffixParents;
            if (live) {
                node[used] = Poseidon(8);
                for (var i = 0; i < 8; i++) {
                    var child = 8 * p + i;
                    if (child < prefix) {
                        node[used].inputs[i] <== prefixValue[child];
                    } else if (child >= suffix) {
                        node[used].inputs[i] <== suffixValue[child - suffix];
                    } else {
                        node[used].inputs[i] <== emptySubtree(height);
                    }
                }
                if (merged || p < prefixParents) {
                    nextPrefix[p] = node[used].out;
                } else {
                    nextSuffix[p - suffixParents] = node[used].out;
                }
                used++;
            }
        }
        prefix = merged ? parents : prefixParents;
        suffix = suffixParents;
        if (merged) suffix = parents;
        for (var i = 0; i < prefix; i++) prefixValue[i] = nextPrefix[i];
        for (var i = 0; i < parents - suffix; i++) suffixValue[i] = nextSuffix[i];
        width = parents;
    }
    root <== prefixValue[0];
}
