// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title IGroth16Verifier
/// @notice The Groth16 verifier of the ZK batch circuit (one public input). Implemented by the
///         contract `scripts/gen-verifier.ts` generates from the proving key with snarkjs'
///         template into `contracts/zk/generated/` (never edited by hand).
interface IGroth16Verifier {
    /// @notice Checks a proof against the public input.
    /// @param pA         Proof point A (G1: x, y).
    /// @param pB         Proof point B (G2: [[x.c1, x.c0], [y.c1, y.c0]]).
    /// @param pC         Proof point C (G1: x, y).
    /// @param pubSignals The circuit's public input (docs/protocol.md §8).
    /// @return True iff the proof verifies.
    function verifyProof(
        uint256[2] calldata pA,
        uint256[2][2] calldata pB,
        uint256[2] calldata pC,
        uint256[1] calldata pubSignals
    ) external view returns (bool);
}
