// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Bridge} from "../L1/Bridge.sol";

/// @title QueueFlooder
/// @notice Appends many forced exits to the L1 queue per transaction, each paying the queue
///         fee, for the tests of the full-queue-batch rule (docs/protocol.md §6).
contract QueueFlooder {
    /// @notice The bridge whose queue is flooded.
    Bridge public immutable bridge;

    /// @param bridge_ The bridge.
    constructor(Bridge bridge_) {
        bridge = bridge_;
    }

    /// @notice Enqueues `count` forced exits of `accountIdx`; msg.value is count × queueFee.
    /// @param accountIdx The account the exits name.
    /// @param count      How many.
    function flood(uint32 accountIdx, uint256 count) external payable {
        uint256 fee = bridge.queueFee();
        for (uint256 i; i < count; ++i) {
            bridge.forcedExit{value: fee}(accountIdx);
        }
    }
}
