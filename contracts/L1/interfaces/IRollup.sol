// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IPoseidonT3, IPoseidonT9} from "../../hashing/IPoseidon.sol";

/// @title IRollup
/// @notice What the bridge needs from the rollup to pay withdrawal claims.
interface IRollup {
    /// @notice True iff the batch exists and is final (its challenge window and every earlier
    ///         batch's have passed, and no dispute game is open on it or an earlier batch),
    ///         whether or not anyone called finalizeUpTo.
    /// @param index The batch index.
    /// @return True iff final.
    function isFinal(uint256 index) external view returns (bool);

    /// @notice The withdrawals root of an existing batch.
    /// @param index The batch index.
    /// @return The root of the batch's withdrawal tree.
    function withdrawalsRootOf(uint256 index) external view returns (uint256);

    /// @notice True once the rollup is in exodus (docs/protocol.md §11).
    /// @return True iff in exodus.
    function exodus() external view returns (bool);

    /// @notice The state root after the last batch (genesis when there are none); in exodus,
    ///         the last final state root.
    /// @return The state root.
    function lastStateRoot() external view returns (uint256);

    /// @notice The first queue entry no batch on the rollup consumed; in exodus, the first one
    ///         no final batch consumed.
    /// @return The queue index.
    function lastQueueEnd() external view returns (uint64);

    /// @notice Depth of the account tree.
    /// @return The depth.
    function levels() external view returns (uint256);
}

/// @title IDisputableRollup
/// @notice What the dispute game needs from the rollup: the batches it disputes and the hooks
///         that hold back finality, invalidate batches and slash bonds.
interface IDisputableRollup is IRollup {
    /// @notice Number of batches.
    /// @return The count.
    function batchCount() external view returns (uint256);

    /// @notice A stored batch (Types.Batch).
    /// @param index The batch, below batchCount.
    /// @return commitment      keccak256(abi.encode(Types.BatchHeader)).
    /// @return postStateRoot   State root after the batch.
    /// @return withdrawalsRoot Root of the batch's withdrawal tree.
    /// @return proposer        Who submitted it.
    /// @return submittedAt     Block timestamp of the submission.
    /// @return queueEnd        One past the last queue entry consumed.
    function batches(uint256 index)
        external
        view
        returns (
            bytes32 commitment,
            uint256 postStateRoot,
            uint256 withdrawalsRoot,
            address proposer,
            uint48 submittedAt,
            uint48 queueEnd
        );

    /// @notice End of a batch's challenge window.
    /// @param index The batch, below batchCount.
    /// @return submittedAt + challengeWindow.
    function finalizableAt(uint256 index) external view returns (uint256);

    /// @notice Bytes of one L2 op in an optimistic payload (docs/protocol.md §5).
    /// @return The record size.
    function recordSize() external view returns (uint256);

    /// @notice The signing domain of L2 ops.
    /// @return The domain separator.
    function domain() external view returns (uint256);

    /// @notice Bond a proposer must hold to submit; what a lost dispute slashes.
    /// @return The bond in wei.
    function minBond() external view returns (uint256);

    /// @notice Poseidon with 2 inputs (state roots).
    /// @return The hasher.
    function poseidonT3() external view returns (IPoseidonT3);

    /// @notice Poseidon with 8 inputs (tree nodes).
    /// @return The hasher.
    function poseidonT9() external view returns (IPoseidonT9);

    /// @notice The instance number of the batch at `index`: it goes up when a batch is appended
    ///         at an index where games on a removed batch are still open, so a game can tell its
    ///         batch from an identical one appended again (docs/protocol.md §10).
    /// @param index The batch index.
    /// @return The instance number.
    function batchInstance(uint256 index) external view returns (uint256);

    /// @notice Number of open games on the current instance of batch `index`.
    /// @param index The batch index.
    /// @return The count.
    function openGames(uint256 index) external view returns (uint256);

    /// @notice Records a new open game on `index`: until it closes, that batch and every later
    ///         one are not final. Only the dispute game.
    /// @param index The batch, below batchCount, not final.
    /// @return instance The batch's instance number.
    function gameOpened(uint256 index) external returns (uint256 instance);

    /// @notice Records that a game opened on instance `instance` of batch `index` ended; a no-op
    ///         once that instance is gone. Only the dispute game.
    /// @param index    The batch index the game was opened on.
    /// @param instance The instance it was opened on.
    function gameClosed(uint256 index, uint256 instance) external;

    /// @notice Removes batch `index` and every later batch. Only the dispute game.
    /// @param index The first batch to remove, not final.
    function invalidateFrom(uint256 index) external;

    /// @notice Takes up to `amount` from the proposer's bond and sends it to `to`. Only the
    ///         dispute game.
    /// @param proposer The proposer.
    /// @param to       The receiver.
    /// @param amount   The most to take.
    /// @return slashed What was taken: min(amount, bond).
    function slash(address proposer, address to, uint256 amount) external returns (uint256 slashed);
}
