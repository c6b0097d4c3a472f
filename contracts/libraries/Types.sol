// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title Types
/// @notice Structs shared by the L1 contracts.
library Types {
    /// @notice What a proposer posts with a calldata batch; the rollup derives everything else.
    /// @custom:field queueEnd        One past the last queue entry the batch consumes.
    /// @custom:field postStateRoot   State root after the batch (docs/protocol.md §2).
    /// @custom:field withdrawalsRoot Root of the batch's withdrawal tree (docs/protocol.md §7).
    /// @custom:field stepsRoot       Keccak root over the batch's step hashes (docs/protocol.md §8).
    /// @custom:field feeRecipient    L1 address that receives the batch's fee payouts.
    /// @custom:field feeTokens       Token id per fee slot, NO_TOKEN for unused slots.
    struct BatchSubmission {
        uint64 queueEnd;
        uint256 postStateRoot;
        uint256 withdrawalsRoot;
        bytes32 stepsRoot;
        address feeRecipient;
        uint32[4] feeTokens;
    }

    /// @notice Every field a batch commits to (docs/protocol.md §8). The batch commitment is
    ///         `keccak256(abi.encode(header))`; all fields are static, so this equals
    ///         `abi.encode` of the fields in this order.
    /// @custom:field index            Position of the batch in the chain of batches.
    /// @custom:field parentCommitment Commitment of the previous batch, zero for the first.
    /// @custom:field dataHash         keccak256 of the calldata payload.
    /// @custom:field queueStart       First queue entry consumed (the previous batch's queueEnd).
    /// @custom:field queueEnd         One past the last queue entry consumed.
    /// @custom:field queueHashEnd     Bridge's rolling queue hash at queueEnd.
    /// @custom:field preStateRoot     State root before the batch (the previous postStateRoot).
    /// @custom:field postStateRoot    State root after the batch.
    /// @custom:field withdrawalsRoot  Root of the batch's withdrawal tree.
    /// @custom:field stepsRoot        Keccak root over the batch's step hashes.
    /// @custom:field stepCount        Queue entries + L2 ops + FEE_SLOTS.
    /// @custom:field feeRecipient     L1 address that receives the fee payouts.
    /// @custom:field feeTokens        Token id per fee slot.
    struct BatchHeader {
        uint256 index;
        bytes32 parentCommitment;
        bytes32 dataHash;
        uint64 queueStart;
        uint64 queueEnd;
        uint256 queueHashEnd;
        uint256 preStateRoot;
        uint256 postStateRoot;
        uint256 withdrawalsRoot;
        bytes32 stepsRoot;
        uint256 stepCount;
        address feeRecipient;
        uint32[4] feeTokens;
    }

    /// @notice What the rollup stores per batch: what later batches, claims, finality and
    ///         disputes need. The full header is in the BatchSubmitted event.
    ///
    ///         ┌──────┬──────────────────────────────────────────────┐
    ///         │ slot │ content                                      │
    ///         ├──────┼──────────────────────────────────────────────┤
    ///         │ 0    │ commitment (bytes32)                         │
    ///         │ 1    │ postStateRoot (uint256)                      │
    ///         │ 2    │ withdrawalsRoot (uint256)                    │
    ///         │ 3    │ proposer (160) │ submittedAt (48) │ queueEnd (48) │
    ///         └──────┴──────────────────────────────────────────────┘
    /// @custom:field commitment      keccak256(abi.encode(BatchHeader)).
    /// @custom:field postStateRoot   State root after the batch.
    /// @custom:field withdrawalsRoot Root of the batch's withdrawal tree.
    /// @custom:field proposer        Who submitted the batch (and whose bond backs it).
    /// @custom:field submittedAt     Block timestamp of the submission.
    /// @custom:field queueEnd        One past the last queue entry consumed.
    struct Batch {
        bytes32 commitment;
        uint256 postStateRoot;
        uint256 withdrawalsRoot;
        address proposer;
        uint48 submittedAt;
        uint48 queueEnd;
    }
}
