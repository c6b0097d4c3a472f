// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {MachineState} from "./IOneStepProver.sol";
import {BlobOpenings} from "../libraries/BlobReader.sol";
import {Types} from "../libraries/Types.sol";

/// @notice A step hash with its preimage and its proof against the batch's stepsRoot.
/// @custom:field state The machine state; its step hash is keccak256(abi.encode(state)).
/// @custom:field proof Siblings from the leaf up, ceil(log2(stepCount + 1)) of them
///                     (core/commitments.ts stepsProof).
struct StateReveal {
    MachineState state;
    bytes32[] proof;
}

/// @notice The disputed op of a calldata batch with its path to the batch's opsRoot
///         (docs/protocol.md §8); both empty when the disputed step is a queue entry or a fee payout.
/// @custom:field record The op's record, recordSize bytes.
/// @custom:field path   The siblings from the leaf keccak256(record) up, ceil(log2(L2 ops)) of them.
struct OpProof {
    bytes record;
    bytes32[] path;
}

/// @notice A step hash with its proof against the batch's stepsRoot.
/// @custom:field leaf  The step hash.
/// @custom:field proof Siblings from the leaf up (core/commitments.ts stepsProof).
struct LeafReveal {
    bytes32 leaf;
    bytes32[] proof;
}

/// @title IDisputeGame
/// @notice Bisection games over a batch's step hashes (docs/protocol.md §7, §8).
///
///         The defender is the batch's proposer; its step hashes s_0 … s_n (n = stepCount) are
///         committed by the header's stepsRoot. The game keeps a range [lo, hi] such that the
///         challenger agrees with s_lo and disputes s_hi:
///
///           challenge ─► open (defender: s_0, s_n with preimages, s_mid) ─► answer (challenger)
///                         ▲                                                   │ hi − lo > 1
///                         └─────────── revealMidpoint (defender: s_mid) ◄─────┘
///           hi − lo = 1 ─► proveStep (challenger): the one-step prover re-executes step lo
///                          from s_lo's preimage; a result ≠ s_hi wins for the challenger.
///
///         Each party has a chess clock; `timeout` ends the game against the party to move once
///         its clock is spent. Defender moves reveal only committed data, so anyone may make
///         them; challenger moves are the challenger's.
interface IDisputeGame {
    /// @notice A batch was challenged.
    /// @param gameId     The new game.
    /// @param batchIndex The disputed batch.
    /// @param challenger Who challenged (and posted the bond).
    /// @param defender   The batch's proposer.
    /// @param stepCount  The batch's step count n.
    event GameStarted(
        uint256 indexed gameId, uint256 indexed batchIndex, address indexed challenger, address defender, uint256 stepCount
    );

    /// @notice The defender opened: its first and last step hashes are consistent with the header.
    /// @param gameId    The game.
    /// @param firstLeaf Step hash 0.
    /// @param lastLeaf  Step hash n.
    event LeavesRevealed(uint256 indexed gameId, bytes32 firstLeaf, bytes32 lastLeaf);

    /// @notice The defender revealed its step hash at the midpoint of [lo, hi].
    /// @param gameId The game.
    /// @param index  The midpoint.
    /// @param leaf   The step hash.
    event MidpointRevealed(uint256 indexed gameId, uint256 index, bytes32 leaf);

    /// @notice The challenger answered the midpoint; [lo, hi] is the new range.
    /// @param gameId The game.
    /// @param agreed True iff the challenger agreed with the midpoint (lo moved up).
    /// @param lo     Step hash index the challenger agrees with.
    /// @param hi     Step hash index the challenger disputes.
    event Bisected(uint256 indexed gameId, bool agreed, uint256 lo, uint256 hi);

    /// @notice The one-step prover re-executed the disputed step.
    /// @param gameId       The game.
    /// @param step         The step (= lo).
    /// @param postStepHash The prover's step hash after it.
    /// @param claimed      The defender's step hash after it.
    event StepProven(uint256 indexed gameId, uint256 step, bytes32 postStepHash, bytes32 claimed);

    /// @notice A game ended.
    /// @param gameId The game.
    /// @param winner The winner (zero when dismissed).
    /// @param reason Why it ended.
    /// @param payout What the winner (or, dismissed, the challenger) was credited.
    event GameResolved(uint256 indexed gameId, address indexed winner, Types.GameEndReason reason, uint256 payout);

    /// @notice Half of a slashed proposer bond was burned (sent to the zero address) when the
    ///         challenger won; the other half was credited to the challenger.
    /// @param gameId The game.
    /// @param amount Wei burned.
    event SlashBurned(uint256 indexed gameId, uint256 amount);

    /// @notice An account took its credit.
    /// @param account The account.
    /// @param amount  The amount sent.
    event CreditClaimed(address indexed account, uint256 amount);

    /// @notice Challenges a batch in its challenge window with a bond of at least `challengeBond`
    ///         as msg.value; the bond buys the challenger's clock: min(clockBudget, bond / clockPrice).
    /// @param batchIndex The batch.
    /// @param header     Its header (hashes to the stored commitment).
    /// @return gameId The new game.
    function challenge(uint256 batchIndex, Types.BatchHeader calldata header) external payable returns (uint256 gameId);

    /// @notice Defender's first move: step hashes 0 and n with their preimages, and the first
    ///         midpoint n / 2.
    /// @param gameId The game.
    /// @param header The batch header.
    /// @param first  Step hash 0: the header's pre-state, empty withdrawal tree, no fees.
    /// @param last   Step hash n: the header's post-state and withdrawals root.
    /// @param mid    Step hash n / 2.
    function open(
        uint256 gameId,
        Types.BatchHeader calldata header,
        StateReveal calldata first,
        StateReveal calldata last,
        LeafReveal calldata mid
    ) external;

    /// @notice Defender's move: its step hash at (lo + hi) / 2.
    /// @param gameId The game.
    /// @param mid    The step hash and its proof.
    function revealMidpoint(uint256 gameId, LeafReveal calldata mid) external;

    /// @notice Challenger's move: agree (lo = mid) or disagree (hi = mid) with the midpoint.
    /// @param gameId The game.
    /// @param agree  True iff the challenger agrees with the defender's step hash at mid.
    function answer(uint256 gameId, bool agree) external;

    /// @notice Challenger's last move once hi = lo + 1, for a calldata batch: re-executes step
    ///         lo on L1. Its cost does not grow with the batch: it reads one op, checked against
    ///         the batch's opsRoot.
    /// @param gameId  The game.
    /// @param header  The batch header.
    /// @param op      The op step lo reads and its opsRoot path (empty for queue and fee steps).
    /// @param pre     The preimage of step hash lo.
    /// @param proof   The one-step prover's witness.
    function proveStep(
        uint256 gameId,
        Types.BatchHeader calldata header,
        OpProof calldata op,
        MachineState calldata pre,
        bytes calldata proof
    ) external;

    /// @notice Challenger's last move once hi = lo + 1, for a blob batch: re-executes step lo
    ///         on L1, reading the op (if step lo is an L2 op) from KZG openings of the blob
    ///         field elements that hold it, checked by the point-evaluation precompile
    ///         (docs/protocol.md §9, libraries/BlobReader.sol).
    /// @param gameId The game.
    /// @param header The batch header.
    /// @param blobs  The batch's versioned hashes (hashing to header.dataHash) and, for an L2
    ///               op step, the openings of the stream header and of the op's elements.
    /// @param pre    The preimage of step hash lo.
    /// @param proof  The one-step prover's witness.
    function proveBlobStep(
        uint256 gameId,
        Types.BatchHeader calldata header,
        BlobOpenings calldata blobs,
        MachineState calldata pre,
        bytes calldata proof
    ) external;

    /// @notice Ends the game for the party that is not to move, once the mover's clock is spent.
    /// @param gameId The game.
    function timeout(uint256 gameId) external;

    /// @notice Ends, without a winner, a game whose batch another game invalidated; refunds
    ///         the challenger's bond.
    /// @param gameId The game.
    function dismiss(uint256 gameId) external;

    /// @notice Sends the caller its credit (bonds and slashed bonds won, refunds).
    function claimCredit() external;
}
