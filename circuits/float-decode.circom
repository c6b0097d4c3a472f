pragma circom 2.1.0;

include "circomlib/circuits/bitify.circom";

// DecodeFloat: value of a decimal float `exponent u5 ‖ mantissa` (docs/protocol.md §4).
// Every bit pattern decodes; the bits are range-checked here.
//   params : mantissaBits   35 for float40, 3 for float8
//   inputs : bits           u(mantissaBits + 5), the posted float
//   outputs: value          mantissa · 10^exponent (< 2^(mantissaBits + 104))
template DecodeFloat(mantissaBits) {
    signal input bits;
    signal output value;

    component split = Num2Bits(mantissaBits + 5);
    split.in <== bits;
    var mantissa = 0;
    for (var i = 0; i < mantissaBits; i++) mantissa += split.out[i] * 2 ** i;

    // 10^exponent as a product over the exponent bits: Π (1 + e_i·(10^(2^i) − 1)).
    signal scale[5];
    scale[0] <== 1 + split.out[mantissaBits] * 9;
    for (var i = 1; i < 5; i++) {
        scale[i] <== scale[i - 1] * (1 + split.out[mantissaBits + i] * (10 ** (2 ** i) - 1));
    }
    value <== mantissa * scale[4];
}
