// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IPoseidonT6, IPoseidonT9} from "../hashing/IPoseidon.sol";
import {Constants} from "./Constants.sol";

/// @title AccountProof
/// @notice Account leaves and their Merkle proofs in the 8-ary Poseidon account tree
///         (docs/protocol.md §2); the TypeScript mirror is core/account.ts and core/merkle.ts.
library AccountProof {
    /// @notice leaf = Poseidon_5(tokenId + nonce·2^32, balance, Ax, Ay, ethAddr).
    /// @param t6      Poseidon with 5 inputs.
    /// @param tokenId The account's token.
    /// @param nonce   Its nonce.
    /// @param balance Its balance.
    /// @param ax      Its public key x.
    /// @param ay      Its public key y.
    /// @param ethAddr Its L1 owner.
    /// @return The leaf.
    function leaf(
        IPoseidonT6 t6,
        uint32 tokenId,
        uint40 nonce,
        uint128 balance,
        uint256 ax,
        uint256 ay,
        address ethAddr
    ) internal pure returns (uint256) {
        return t6.hash([uint256(tokenId) | (uint256(nonce) << 32), balance, ax, ay, uint256(uint160(ethAddr))]);
    }

    /// @notice The root implied by `leaf_` at `index` and its siblings.
    /// @dev    Per level from the bottom, `siblings[k]` holds the 7 siblings in position order
    ///         (the path node's own slot skipped); the path node's slot at level k is
    ///         `(index >> 3k) & 7`. The caller checks `index < 8^siblings.length`.
    /// @param t9       Poseidon with 8 inputs.
    /// @param index    The leaf's index.
    /// @param leaf_    The leaf.
    /// @param siblings The siblings, bottom level first.
    /// @return node The root.
    function computeRoot(IPoseidonT9 t9, uint256 index, uint256 leaf_, uint256[7][] calldata siblings)
        internal
        pure
        returns (uint256 node)
    {
        node = leaf_;
        uint256[8] memory children;
        uint256 levels = siblings.length;
        for (uint256 level; level < levels; ++level) {
            uint256 slot = (index >> (3 * level)) & 7;
            uint256 sibling;
            for (uint256 i; i < Constants.ARITY; ++i) {
                if (i == slot) {
                    children[i] = node;
                } else {
                    children[i] = siblings[level][sibling];
                    ++sibling;
                }
            }
            node = t9.hash(children);
        }
    }
}
