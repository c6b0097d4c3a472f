// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title ReentrantClaimer
/// @notice A withdrawal recipient that, when paid ETH, calls back into the bridge with a
///         prepared call and records how that call ended; for reentrancy tests.
contract ReentrantClaimer {
    /// @notice The contract called back on receipt of ETH.
    address public immutable target;

    /// @notice The call made on receipt of ETH.
    bytes public reentryCall;

    /// @notice Whether the reentering call succeeded.
    bool public reentrySucceeded;

    /// @notice Revert data of the reentering call.
    bytes public reentryRevertData;

    /// @notice Deploys the claimer.
    /// @param target_ The contract to call back.
    constructor(address target_) {
        target = target_;
    }

    /// @notice Sets the call made on receipt of ETH.
    /// @param data Calldata for `target`.
    function arm(bytes calldata data) external {
        reentryCall = data;
    }

    /// @notice Calls back into `target` and records the outcome without reverting.
    receive() external payable {
        (bool ok, bytes memory ret) = target.call(reentryCall);
        reentrySucceeded = ok;
        reentryRevertData = ret;
    }
}
