// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title IRollup
/// @notice What the bridge needs from the rollup to pay withdrawal claims.
interface IRollup {
    /// @notice True iff the batch exists and is final (its challenge window and every earlier
    ///         batch's have passed), whether or not anyone called finalizeUpTo.
    /// @param index The batch index.
    /// @return True iff final.
    function isFinal(uint256 index) external view returns (bool);

    /// @notice The withdrawals root of an existing batch.
    /// @param index The batch index.
    /// @return The root of the batch's withdrawal tree.
    function withdrawalsRootOf(uint256 index) external view returns (uint256);
}
