// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IPoseidonT9} from "../hashing/IPoseidon.sol";
import {Constants} from "./Constants.sol";

/// @title WithdrawalProof
/// @notice Merkle proofs of the 8-ary Poseidon withdrawal tree of a batch (docs/protocol.md §7);
///         the TypeScript mirror is core/merkle.ts computeMerkleRoot.
library WithdrawalProof {
    /// @notice The root implied by `leaf` at `position` and its proof.
    /// @dev    Per level from the bottom, `proof[k]` holds the 7 siblings in position order
    ///         (the path node's own slot skipped); the path node's slot at level k is
    ///         `(position >> 3k) & 7`. The caller checks `position < 8^5`.
    /// @param t9       Poseidon with 8 inputs.
    /// @param position The leaf's position, below 8^5.
    /// @param leaf     The leaf.
    /// @param proof    The siblings, bottom level first.
    /// @return node The root.
    function computeRoot(IPoseidonT9 t9, uint256 position, uint256 leaf, uint256[7][5] calldata proof)
        internal
        pure
        returns (uint256 node)
    {
        node = leaf;
        uint256[8] memory children;
        for (uint256 level; level < Constants.WITHDRAWAL_LEVELS; ++level) {
            uint256 slot = (position >> (3 * level)) & 7;
            uint256 sibling;
            for (uint256 i; i < Constants.ARITY; ++i) {
                if (i == slot) {
                    children[i] = node;
                } else {
                    children[i] = proof[level][sibling];
                    ++sibling;
                }
            }
            node = t9.hash(children);
        }
    }
}
