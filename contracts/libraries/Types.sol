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

    /// @notice Where a dispute game stands; the first four are open, the last three final.
    ///         None marks a game id that was never started.
    enum GameStatus {
        None,
        AwaitingOpening,
        AwaitingMidpoint,
        AwaitingAnswer,
        AwaitingStep,
        ChallengerWon,
        DefenderWon,
        Dismissed
    }

    /// @notice Why a dispute game ended.
    /// @custom:value Timeout          The party to move spent its clock.
    /// @custom:value StepDisproved    The one-step prover computed a different post-step hash.
    /// @custom:value StepConfirmed    The one-step prover computed the defender's post-step hash.
    /// @custom:value BatchInvalidated Another game invalidated the batch (or an earlier one).
    enum GameEndReason {
        Timeout,
        StepDisproved,
        StepConfirmed,
        BatchInvalidated
    }

    /// @notice One dispute game over one batch (contracts/dispute/DisputeGame.sol). The
    ///         defender's step hashes are committed by `stepsRoot`; bisection keeps the range
    ///         `[lo, hi]` whose leaf `lo` the challenger agrees with and leaf `hi` it disputes.
    ///
    ///         ┌──────┬─────────────────────────────────────────────────────────────────┐
    ///         │ slot │ content                                                         │
    ///         ├──────┼─────────────────────────────────────────────────────────────────┤
    ///         │ 0    │ challenger (160) │ lastMoveAt (64) │ status (8)                  │
    ///         │ 1    │ defender (160) │ defenderClock (48) │ challengerClock (48)       │
    ///         │ 2    │ commitment (bytes32)                                            │
    ///         │ 3    │ stepsRoot (bytes32)                                             │
    ///         │ 4    │ batchIndex (64) │ stepCount (32) │ lo (32) │ hi (32)             │
    ///         │ 5    │ loLeaf (bytes32)                                                │
    ///         │ 6    │ hiLeaf (bytes32)                                                │
    ///         │ 7    │ midLeaf (bytes32)                                               │
    ///         └──────┴─────────────────────────────────────────────────────────────────┘
    /// @custom:field challenger      Who started the game and posted the challenge bond.
    /// @custom:field lastMoveAt      Timestamp of the last move (or of the start).
    /// @custom:field status          Where the game stands; also says whose turn it is.
    /// @custom:field defender        The batch's proposer, paid if the batch stands.
    /// @custom:field defenderClock   Seconds the defender has left, as of lastMoveAt.
    /// @custom:field challengerClock Seconds the challenger has left, as of lastMoveAt.
    /// @custom:field commitment      The disputed batch's commitment.
    /// @custom:field stepsRoot       The batch's keccak root over its step hashes.
    /// @custom:field batchIndex      The disputed batch.
    /// @custom:field stepCount       The batch's step count n (n + 1 step hashes).
    /// @custom:field lo              Step hash index the challenger agrees with.
    /// @custom:field hi              Step hash index the challenger disputes.
    /// @custom:field loLeaf          The defender's step hash at lo.
    /// @custom:field hiLeaf          The defender's step hash at hi.
    /// @custom:field midLeaf         The defender's step hash at (lo + hi) / 2, once revealed.
    struct Game {
        address challenger;
        uint64 lastMoveAt;
        GameStatus status;
        address defender;
        uint48 defenderClock;
        uint48 challengerClock;
        bytes32 commitment;
        bytes32 stepsRoot;
        uint64 batchIndex;
        uint32 stepCount;
        uint32 lo;
        uint32 hi;
        bytes32 loLeaf;
        bytes32 hiLeaf;
        bytes32 midLeaf;
    }

    /// @notice What a proposer posts with a ZK batch; the rollup derives everything else, and
    ///         the validity proof replaces the steps root.
    /// @custom:field queueEnd        One past the last queue entry the batch consumes.
    /// @custom:field postStateRoot   State root after the batch (docs/protocol.md §2).
    /// @custom:field withdrawalsRoot Root of the batch's withdrawal tree (docs/protocol.md §7).
    /// @custom:field feeRecipient    L1 address that receives the batch's fee payouts.
    /// @custom:field feeTokens       Token id per fee slot, NO_TOKEN for unused slots.
    struct ZkSubmission {
        uint64 queueEnd;
        uint256 postStateRoot;
        uint256 withdrawalsRoot;
        address feeRecipient;
        uint32[4] feeTokens;
    }
}
