// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title IBridge
/// @notice What the rollup needs from the bridge to check a batch's queue range.
interface IBridge {
    /// @notice The rollup this bridge serves.
    /// @return The rollup address.
    function rollup() external view returns (address);

    /// @notice Number of entries in the L1 queue.
    /// @return The queue length.
    function queueLength() external view returns (uint256);

    /// @notice The rolling queue hash after the first `index` entries (0 for index 0).
    /// @param index From 0 to queueLength inclusive.
    /// @return queueHash_index of docs/protocol.md §6.
    function queueHash(uint256 index) external view returns (uint256);

    /// @notice The inclusion deadline of queue entry `index`.
    /// @param index Below queueLength.
    /// @return The last timestamp at which a batch may leave the entry unconsumed.
    function queueDeadline(uint256 index) external view returns (uint64);

    /// @notice Seconds a queue entry may wait before batches must consume it.
    /// @return The inclusion window.
    function inclusionWindow() external view returns (uint64);
}
