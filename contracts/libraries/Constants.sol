// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title Constants
/// @notice Protocol constants of docs/protocol.md, shared by the L1 contracts. The TypeScript
///         mirror is core/params.ts.
library Constants {
    /// @notice The BN254 scalar field modulus `r`; every Poseidon input and output lies in [0, r).
    uint256 internal constant FIELD_MODULUS =
        21888242871839275222246405745257275088548364400416034343698204186575808495617;

    /// @notice BabyJubJub twisted Edwards coefficient `a`.
    uint256 internal constant BABYJUBJUB_A = 168700;

    /// @notice BabyJubJub twisted Edwards coefficient `d`.
    uint256 internal constant BABYJUBJUB_D = 168696;

    /// @notice Children per node of every Poseidon tree.
    uint256 internal constant ARITY = 8;

    /// @notice Depth of a batch's withdrawal tree.
    uint256 internal constant WITHDRAWAL_LEVELS = 5;

    /// @notice Positions in a batch's withdrawal tree, 8^5.
    uint256 internal constant WITHDRAWAL_POSITIONS = 32_768;

    /// @notice Fee tokens a batch may name.
    uint256 internal constant FEE_SLOTS = 4;

    /// @notice Queue entries plus L2 ops in one batch, 8^5 - FEE_SLOTS.
    uint256 internal constant MAX_BATCH_OPS = 32_764;

    /// @notice Largest balance, largest queue amount and the bridge's cap on the amount of a
    ///         token it holds (docs/protocol.md §7 Conservation).
    uint256 internal constant MAX_BALANCE = type(uint128).max;

    /// @notice Token id of ETH.
    uint32 internal constant ETH_TOKEN_ID = 0;

    /// @notice Marks an unused fee slot; never assigned to a token.
    uint32 internal constant NO_TOKEN = type(uint32).max;

    /// @notice Queue entry kind: create an account (docs/protocol.md §6).
    uint8 internal constant KIND_CREATE_ACCOUNT = 1;

    /// @notice Queue entry kind: deposit into an existing account.
    uint8 internal constant KIND_DEPOSIT = 2;

    /// @notice Queue entry kind: exit an account's whole balance to its L1 owner.
    uint8 internal constant KIND_FORCED_EXIT = 3;

    /// @notice Smallest account tree depth.
    uint256 internal constant MIN_LEVELS = 1;

    /// @notice Largest account tree depth.
    uint256 internal constant MAX_LEVELS = 10;
}
