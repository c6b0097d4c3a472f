pragma circom 2.1.0;

include "circomlib/circuits/bitify.circom";
include "circomlib/circuits/comparators.circom";
include "circomlib/circuits/poseidon.circom";

// Number of bits that hold every integer in [0, x].
function bitsFor(x) {
    var bits = 1;
    while (2 ** bits <= x) bits++;
    return bits;
}

// Number of records of `recordBytes` bytes, laid end to end, that cross a 31-byte chunk boundary.
function crossingRecords(count, recordBytes) {
    var crossing = 0;
    for (var j = 0; j < count; j++) {
        if ((j * recordBytes) \ 31 != (j * recordBytes + recordBytes - 1) \ 31) crossing++;
    }
    return crossing;
}

// ShiftDown: out[j] = in[j + shift], 0 past the end; a barrel shifter, n constraints per bit of shift.
//   params : n           array length
//   inputs : in[n]       field
//            shift       u(bitsFor(n)), at most n
//   outputs: out[n]      field
template ShiftDown(n) {
    signal input in[n];
    signal input shift;
    signal output out[n];

    var shiftBits = bitsFor(n);
    component bits = Num2Bits(shiftBits);
    bits.in <== shift;
    signal stage[shiftBits + 1][n];
    stage[0] <== in;
    for (var b = 0; b < shiftBits; b++) {
        for (var j = 0; j < n; j++) {
            var moved = 0;
            if (j + 2 ** b < n) moved = stage[b][j + 2 ** b];
            stage[b + 1][j] <== stage[b][j] + bits.out[b] * (moved - stage[b][j]);
        }
    }
    out <== stage[shiftBits];
}

// DataCommitment: the ZK data commitment of docs/protocol.md §8 over the payload the batch posts.
// The payload is the records of the L2 slots in order; since the queue slots come first, the
// records are the slot records shifted down by the number of queue slots, then zeros. Records
// that straddle a 31-byte chunk boundary are split into bytes; the others enter their chunk whole.
// The evaluation point hashes this circuit's commitment c to its payload with the contract's
// commitment e to the payload it received, so that neither payload can be chosen after z.
//   params : nOps          step slots
//            recordBytes   bytes of one posted L2 op (2·idxBytes + 6, at most 31)
//   inputs : records[nOps] u(8·recordBytes), slot order, 0 for non-L2 slots
//            queued        number of queue slots (they come first)
//            posted        number of L2 slots (they follow the queue slots)
//            e             field, keccak256(posted payload) mod r, as the contract computes it
//   outputs: commitment    field, c = Poseidon_2(h, payload length)
//            z, y          field, the evaluation point Poseidon_2(c, e) and the value there
template DataCommitment(nOps, recordBytes) {
    signal input records[nOps];
    signal input queued;
    signal input posted;
    signal input e;
    signal output commitment;
    signal output z;
    signal output y;

    var chunkCount = (nOps * recordBytes + 30) \ 31;
    var groupCount = (chunkCount + 3) \ 4;
    var crossings = crossingRecords(nOps, recordBytes);

    // ---- A. Payload order ------------------------------------------------------------------
    component payload = ShiftDown(nOps);
    payload.in <== records;
    payload.shift <== queued;

    // ---- B. Chunks -------------------------------------------------------------------------
    var chunk[4 * groupCount];
    for (var k = 0; k < 4 * groupCount; k++) chunk[k] = 0;
    component split[crossings];
    var crossing = 0;
    for (var j = 0; j < nOps; j++) {
        var start = j * recordBytes;
        var first = start \ 31;
        var last = (start + recordBytes - 1) \ 31;
        if (first == last) {
            chunk[first] += payload.out[j] * 256 ** (31 * (first + 1) - start - recordBytes);
        } else {
            var headBytes = 31 * last - start;
            var tailBits = 8 * (recordBytes - headBytes);
            split[crossing] = Num2Bits(8 * recordBytes);
            split[crossing].in <== payload.out[j];
            for (var i = 0; i < tailBits; i++) {
                chunk[last] += split[crossing].out[i] * 2 ** (i + 8 * 31 - tailBits);
            }
            for (var i = tailBits; i < 8 * recordBytes; i++) {
                chunk[first] += split[crossing].out[i] * 2 ** (i - tailBits);
            }
            crossing++;
        }
    }

    // ---- C. h: Poseidon_5 chain over groups of 4 chunks, as far as the payload reaches --------
    var countBits = bitsFor(nOps);
    component group[groupCount];
    component reached[groupCount];
    signal chain[groupCount + 1];
    chain[0] <== 0;
    for (var g = 0; g < groupCount; g++) {
        group[g] = Poseidon(5);
        group[g].inputs[0] <== chain[g];
        for (var i = 0; i < 4; i++) group[g].inputs[1 + i] <== chunk[4 * g + i];
        // Group g is hashed iff the payload is longer than 124·g bytes.
        reached[g] = LessThan(countBits);
        reached[g].in[0] <== (124 * g) \ recordBytes;
        reached[g].in[1] <== posted;
        chain[g + 1] <== chain[g] + reached[g].out * (group[g].out - chain[g]);
    }

    // ---- D. c, z and y ---------------------------------------------------------------------
    component own = Poseidon(2);
    own.inputs[0] <== chain[groupCount];
    own.inputs[1] <== posted * recordBytes;
    commitment <== own.out;
    component point = Poseidon(2);
    point.inputs[0] <== commitment;
    point.inputs[1] <== e;
    z <== point.out;
    signal horner[chunkCount];
    horner[chunkCount - 1] <== chunk[chunkCount - 1];
    for (var k = chunkCount - 2; k >= 0; k--) horner[k] <== horner[k + 1] * z + chunk[k];
    y <== horner[0];
}
