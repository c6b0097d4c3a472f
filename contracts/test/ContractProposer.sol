// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Rollup} from "../L1/Rollup.sol";
import {Types} from "../libraries/Types.sol";

/// @dev A payload that exists only in memory: `records` records of `size` bytes derived from
///      keccak256 of their index, in no transaction's calldata.
function memoryPayload(uint256 records, uint256 size) pure returns (bytes memory payload) {
    payload = new bytes(records * size);
    for (uint256 i; i < payload.length; ++i) {
        payload[i] = keccak256(abi.encode(i / 32))[i % 32];
    }
}

/// @title ContractProposer
/// @notice A contract holding PROPOSER_ROLE and a bond that submits a payload built in memory,
///         for the test that the rollup refuses it (docs/protocol.md §8, ProposerNotEOA). Also
///         the delegate of an EIP-7702 account in that test.
contract ContractProposer {
    /// @notice The rollup it proposes to.
    Rollup public immutable rollup;

    /// @param rollup_ The rollup.
    constructor(Rollup rollup_) {
        rollup = rollup_;
    }

    /// @notice Bonds msg.value for this contract (or, as a delegate, for the delegating account).
    function depositBond() external payable {
        rollup.depositBond{value: msg.value}();
    }

    /// @notice Submits a batch of `records` ops built in memory.
    /// @param s       The batch's claims.
    /// @param records Number of ops.
    /// @return The batch commitment.
    function submit(Types.BatchSubmission calldata s, uint256 records) external returns (bytes32) {
        return rollup.submitBatch(s, memoryPayload(records, rollup.recordSize()));
    }
}

/// @title ConstructorProposer
/// @notice Bonds and submits a batch built in memory from its constructor, when it has no code yet.
contract ConstructorProposer {
    /// @param rollup  The rollup (PROPOSER_ROLE granted to this contract's predicted address).
    /// @param s       The batch's claims.
    /// @param records Number of ops.
    constructor(Rollup rollup, Types.BatchSubmission memory s, uint256 records) payable {
        rollup.depositBond{value: msg.value}();
        rollup.submitBatch(s, memoryPayload(records, rollup.recordSize()));
    }
}
