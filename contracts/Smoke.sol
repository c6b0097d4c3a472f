// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;
contract Smoke { error Nope(uint256 v); function f(uint256 v) external pure returns (uint256) { if (v == 0) revert Nope(v); return v + 1; } }
