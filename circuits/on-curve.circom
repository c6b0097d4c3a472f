pragma circom 2.1.0;

// OnCurveIfEnabled: when enabled, (x, y) is a point of BabyJubJub: a·x² + y² = 1 + d·x²·y².
//   inputs : enabled   u1
//            x, y      field
template OnCurveIfEnabled() {
    signal input enabled;
    signal input x;
    signal input y;

    signal x2 <== x * x;
    signal y2 <== y * y;
    signal x2y2 <== x2 * y2;
    enabled * (168700 * x2 + y2 - 1 - 168696 * x2y2) === 0;
}
