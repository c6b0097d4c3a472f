// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title FeeOnTransferERC20
/// @notice A mintable ERC20 that burns 1% of every transfer, to test that the bridge refuses
///         tokens whose received amount differs from the sent one.
contract FeeOnTransferERC20 is ERC20 {
    /// @notice Deploys the token.
    constructor() ERC20("Fee Token", "FEE") {}

    /// @notice Mints `amount` to `to`; unrestricted (tests only).
    /// @param to     Receiver.
    /// @param amount Amount.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @dev Burns 1% of every transfer between two holders.
    function _update(address from, address to, uint256 value) internal override {
        if (from != address(0) && to != address(0)) {
            uint256 fee = value / 100;
            super._update(from, address(0), fee);
            value -= fee;
        }
        super._update(from, to, value);
    }
}
