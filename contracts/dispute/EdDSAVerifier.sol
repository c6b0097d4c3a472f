// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IPoseidonT6} from "../hashing/IPoseidon.sol";
import {BabyJubJub} from "../libraries/BabyJubJub.sol";

/// @title EdDSAVerifier
/// @notice Standalone EdDSA-Poseidon verification of L2 signatures (docs/protocol.md §3), the
///         same code the OneStepProver runs inline. For tools and tests that check one
///         signature on L1; see BabyJubJub for the algorithm and the square-root hint.
contract EdDSAVerifier {
    /// @notice Poseidon with 5 inputs: the challenge h.
    IPoseidonT6 public immutable poseidonT6;

    /// @param t6 Poseidon with 5 inputs.
    constructor(IPoseidonT6 t6) {
        poseidonT6 = t6;
    }

    /// @notice True iff `(packedR8, s)` is a valid signature of `message` by `(ax, ay)`.
    /// @dev    Returns false for any malformed signature or key; reverts with InvalidSqrtHint
    ///         only when `r8Hint` is wrong (BabyJubJub.decompress).
    /// @param message  The signed field element.
    /// @param packedR8 R8 packed: `y + sign·2^255`.
    /// @param s        The scalar S.
    /// @param r8Hint   √(x²) of R8, or √(5·x²) when x² is a non-residue.
    /// @param ax       Public key x.
    /// @param ay       Public key y.
    /// @return valid True iff the signature verifies.
    function verify(uint256 message, uint256 packedR8, uint256 s, uint256 r8Hint, uint256 ax, uint256 ay)
        external
        view
        returns (bool valid)
    {
        return BabyJubJub.verify(poseidonT6, message, packedR8, s, r8Hint, ax, ay);
    }

    /// @notice Decompresses a packed point (core `unpackPoint`).
    /// @param packed The packed point.
    /// @param hint   The square-root hint.
    /// @return ok True iff it is a curve point.
    /// @return x  Its x.
    /// @return y  Its y.
    function decompress(uint256 packed, uint256 hint) external pure returns (bool ok, uint256 x, uint256 y) {
        return BabyJubJub.decompress(packed, hint);
    }
}
