// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title Types
/// @notice Structs shared by the L1 contracts.
library Types {
    /// @notice Everything the rollup is deployed with; nothing of it changes afterwards
    ///         (docs/protocol.md §10).
    /// @custom:field bridge          The bridge (deployed for the rollup's predicted address).
    /// @custom:field poseidonT3      Poseidon with 2 inputs.
    /// @custom:field poseidonT6      Poseidon with 5 inputs.
    /// @custom:field poseidonT9      Poseidon with 8 inputs.
    /// @custom:field levels          Account tree depth, 1 to 10.
    /// @custom:field l2ChainId       The L2 chain id, part of the signing domain.
    /// @custom:field challengeWindow Seconds a batch can be disputed.
    /// @custom:field minBond         Bond a proposer must hold to append.
    /// @custom:field exodusDelay     Seconds an overdue queue entry waits, with no batch coming,
    ///                               before anyone may activate the exodus (docs/protocol.md §11).
    /// @custom:field admin           Holder of DEFAULT_ADMIN_ROLE, who grants PROPOSER_ROLE.
    /// @custom:field disputeGame     The dispute game (deployed for the rollup's predicted
    ///                               address); zero: no optimistic batches.
    /// @custom:field zkVerifier      The Groth16 verifier of ZK batches; zero: no ZK batches.
    /// @custom:field zkSlots         Step slots of the verifier's circuit (0 without a verifier).
    struct RollupConfig {
        address bridge;
        address poseidonT3;
        address poseidonT6;
        address poseidonT9;
        uint256 levels;
        uint64 l2ChainId;
        uint64 challengeWindow;
        uint256 minBond;
        uint64 exodusDelay;
        address admin;
        address disputeGame;
        address zkVerifier;
        uint256 zkSlots;
    }

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
    /// @custom:field dataHash         The data commitment (docs/protocol.md §8): the opsRoot of a
    ///                                calldata payload, keccak256 of a blob batch's versioned hashes
    ///                                or of a ZK payload.
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
    ///         │ 4    │ batchIndex (64) │ stepCount (32) │ lo (32) │ hi (32) │ instance (96) │
    ///         │ 5    │ loLeaf (bytes32)                                                │
    ///         │ 6    │ hiLeaf (bytes32)                                                │
    ///         │ 7    │ midLeaf (bytes32)                                               │
    ///         │ 8    │ bond (uint256)                                                  │
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
    /// @custom:field instance        The disputed batch's instance (Rollup.batchInstance).
    /// @custom:field loLeaf          The defender's step hash at lo.
    /// @custom:field hiLeaf          The defender's step hash at hi.
    /// @custom:field midLeaf         The defender's step hash at (lo + hi) / 2, once revealed.
    /// @custom:field bond            The challenger's bond (it bought the challenger's clock).
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
        uint96 instance;
        bytes32 loLeaf;
        bytes32 hiLeaf;
        bytes32 midLeaf;
        uint256 bond;
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
