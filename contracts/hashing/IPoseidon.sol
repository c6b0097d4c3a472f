// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;
interface IPoseidonT3 { function hash(uint256[2] calldata inputs) external pure returns (uint256); }
interface IPoseidonT6 { function hash(uint256[5] calldata inputs) external pure returns (uint256); }
interface IPoseidonT9 { function hash(uint256[8] calldata inputs) external pure returns (uint256); }
