// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IPoseidonT3, IPoseidonT6, IPoseidonT9} from "../hashing/IPoseidon.sol";
import {Constants} from "../libraries/Constants.sol";
import {WithdrawalProof} from "../libraries/WithdrawalProof.sol";
import {
    UnknownToken,
    TokenAlreadyRegistered,
    TokenNotContract,
    TokenIdsExhausted,
    IncorrectEthValue,
    PublicKeyNotOnCurve,
    LockedAmountExceedsCap,
    TransferAmountMismatch,
    BatchNotFinal,
    WithdrawalAlreadyClaimed,
    InvalidWithdrawalProof,
    PositionOutOfRange,
    WithdrawalAmountOutOfRange,
    EthTransferFailed
} from "../libraries/Errors.sol";
import {IBridge} from "./interfaces/IBridge.sol";
import {IRollup} from "./interfaces/IRollup.sol";

/// @title Bridge
/// @notice Custody of the rollup's ETH and ERC20s, the L1 queue through which users reach the
///         L2 (docs/protocol.md §6), and the claims of withdrawals from final batches (§7).
/// @dev    The bridge and the rollup reference each other. The bridge is deployed first with
///         the rollup's address predicted from the deployer's next nonce
///         (test/helpers/deploy.ts); the rollup's constructor checks `bridge.rollup()`.
contract Bridge is IBridge, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// @notice The rollup whose final batches authorize withdrawals.
    address public immutable rollup;

    /// @notice Poseidon with 2 inputs: withdrawal leaves.
    IPoseidonT3 public immutable poseidonT3;

    /// @notice Poseidon with 5 inputs: the rolling queue hash.
    IPoseidonT6 public immutable poseidonT6;

    /// @notice Poseidon with 8 inputs: withdrawal tree nodes.
    IPoseidonT9 public immutable poseidonT9;

    /// @notice Seconds a queue entry may wait before batches must consume it.
    uint64 public immutable inclusionWindow;

    /// @notice Number of registered tokens, ETH included; also the next token id.
    uint32 public tokenCount;

    /// @notice The ERC20 of each token id; address(0) for id 0 (ETH).
    mapping(uint32 tokenId => address token) public tokenAddress;

    /// @dev Token id + 1 of each registered ERC20 (0 = not registered).
    mapping(address token => uint32 tokenIdPlusOne) internal _tokenIdPlusOne;

    /// @notice What the bridge holds of each token on behalf of the L2; capped at MAX_BALANCE.
    mapping(uint32 tokenId => uint256 amount) public totalLocked;

    /// @dev `_queueHashes[i]` = queueHash_i; `_queueHashes[0] = 0`, so its length is queueLength + 1.
    uint256[] internal _queueHashes;

    /// @dev Inclusion deadline of each queue entry.
    uint64[] internal _queueDeadlines;

    /// @dev One bit per (batch, position) already paid.
    mapping(uint256 batchIndex => mapping(uint256 word => uint256 bits)) internal _claimed;

    /// @notice A token received an id.
    /// @param tokenId The new id.
    /// @param token   The ERC20.
    event TokenRegistered(uint32 indexed tokenId, address indexed token);

    /// @notice An entry was appended to the L1 queue; it carries every field of the entry.
    /// @param index      Position of the entry in the queue.
    /// @param kind       1 CreateAccount, 2 Deposit, 3 ForcedExit.
    /// @param l1Address  The sender.
    /// @param tokenId    The token (0 for ForcedExit).
    /// @param accountIdx The target account (0 for CreateAccount).
    /// @param amount     The amount taken into custody (0 for ForcedExit).
    /// @param ax         The new account's public key x (CreateAccount), else 0.
    /// @param ay         The new account's public key y (CreateAccount), else 0.
    /// @param queueHash  The rolling queue hash after this entry (queueHash_{index+1}).
    /// @param deadline   The entry's inclusion deadline.
    event QueueEntryAdded(
        uint256 indexed index,
        uint8 kind,
        address indexed l1Address,
        uint32 tokenId,
        uint32 accountIdx,
        uint128 amount,
        uint256 ax,
        uint256 ay,
        uint256 queueHash,
        uint64 deadline
    );

    /// @notice A withdrawal leaf was paid.
    /// @param batchIndex The batch.
    /// @param position   The leaf's position in the batch's withdrawal tree.
    /// @param recipient  Who was paid (the leaf's ethAddr).
    /// @param tokenId    The token.
    /// @param amount     The amount.
    event WithdrawalClaimed(
        uint256 indexed batchIndex, uint256 indexed position, address indexed recipient, uint32 tokenId, uint256 amount
    );

    /// @notice Deploys the bridge for a rollup that is (or will be) at `rollup_`.
    /// @param rollup_          The rollup address (predicted when the rollup is deployed next).
    /// @param t3               Poseidon with 2 inputs.
    /// @param t6               Poseidon with 5 inputs.
    /// @param t9               Poseidon with 8 inputs.
    /// @param inclusionWindow_ Seconds a queue entry may wait before batches must consume it.
    constructor(address rollup_, IPoseidonT3 t3, IPoseidonT6 t6, IPoseidonT9 t9, uint64 inclusionWindow_) {
        rollup = rollup_;
        poseidonT3 = t3;
        poseidonT6 = t6;
        poseidonT9 = t9;
        inclusionWindow = inclusionWindow_;
        tokenCount = 1;
        _queueHashes.push(0);
        emit TokenRegistered(Constants.ETH_TOKEN_ID, address(0));
    }

    // ─── Token registry ────────────────────────────────────────────────────────────────────

    /// @notice Gives an ERC20 the next token id. Permissionless; each token once.
    /// @param token The ERC20.
    /// @return tokenId The new id.
    function registerToken(address token) external returns (uint32 tokenId) {
        // INVARIANT: only contracts can be ERC20s (this also refuses address(0), i.e. ETH).
        if (token.code.length == 0) revert TokenNotContract(token);
        uint32 existing = _tokenIdPlusOne[token];
        // INVARIANT: a token has one id, so its L2 balances are never split.
        if (existing != 0) revert TokenAlreadyRegistered(token, existing - 1);
        tokenId = tokenCount;
        // INVARIANT: NO_TOKEN marks unused fee slots and is never a token.
        if (tokenId == Constants.NO_TOKEN) revert TokenIdsExhausted(tokenId);
        tokenCount = tokenId + 1;
        tokenAddress[tokenId] = token;
        _tokenIdPlusOne[token] = tokenId + 1;
        emit TokenRegistered(tokenId, token);
    }

    /// @notice The id of a registered ERC20.
    /// @param token The ERC20.
    /// @return registered True iff the token has an id.
    /// @return tokenId    Its id (0 when not registered).
    function tokenIdOf(address token) external view returns (bool registered, uint32 tokenId) {
        uint32 idPlusOne = _tokenIdPlusOne[token];
        return (idPlusOne != 0, idPlusOne == 0 ? 0 : idPlusOne - 1);
    }

    // ─── The L1 queue ──────────────────────────────────────────────────────────────────────

    /// @notice Creates an L2 account owned by msg.sender, holding `tokenId`, funded with
    ///         `amount` (may be 0), signed for by the BabyJubJub key (ax, ay).
    /// @dev    ETH: msg.value must equal amount. ERC20: msg.value must be 0 and the bridge
    ///         must be approved for amount.
    /// @param tokenId The account's token.
    /// @param amount  The initial deposit.
    /// @param ax      Public key x.
    /// @param ay      Public key y.
    function createAccount(uint32 tokenId, uint128 amount, uint256 ax, uint256 ay) external payable nonReentrant {
        // INVARIANT: the L2 only holds keys that can sign (docs/protocol.md §3).
        if (!_isOnCurve(ax, ay)) revert PublicKeyNotOnCurve(ax, ay);
        _takeCustody(tokenId, amount);
        _enqueue(Constants.KIND_CREATE_ACCOUNT, tokenId, 0, amount, ax, ay);
    }

    /// @notice Deposits `amount` of `tokenId` into L2 account `accountIdx`. If the account does
    ///         not exist or holds another token, the L2 refunds the amount to msg.sender as a
    ///         withdrawal (docs/protocol.md §7).
    /// @param accountIdx The target account.
    /// @param tokenId    The token.
    /// @param amount     The amount.
    function deposit(uint32 accountIdx, uint32 tokenId, uint128 amount) external payable nonReentrant {
        _takeCustody(tokenId, amount);
        _enqueue(Constants.KIND_DEPOSIT, tokenId, accountIdx, amount, 0, 0);
    }

    /// @notice Asks the L2 to withdraw the whole balance of `accountIdx` to its owner; the L2
    ///         applies it only if msg.sender owns the account. Batches must consume it before
    ///         its deadline, so a censoring sequencer cannot trap funds.
    /// @param accountIdx The account to exit.
    function forcedExit(uint32 accountIdx) external {
        _enqueue(Constants.KIND_FORCED_EXIT, 0, accountIdx, 0, 0, 0);
    }

    /// @inheritdoc IBridge
    function queueLength() external view returns (uint256) {
        return _queueDeadlines.length;
    }

    /// @inheritdoc IBridge
    function queueHash(uint256 index) external view returns (uint256) {
        return _queueHashes[index];
    }

    /// @inheritdoc IBridge
    function queueDeadline(uint256 index) external view returns (uint64) {
        return _queueDeadlines[index];
    }

    // ─── Withdrawal claims ─────────────────────────────────────────────────────────────────

    /// @notice Pays the withdrawal leaf `(recipient, tokenId, amount)` at `position` of final
    ///         batch `batchIndex` to `recipient`. Anyone may submit it; funds always go to the
    ///         recipient in the leaf. A batch is accepted once final by time, whether or not
    ///         anyone called Rollup.finalizeUpTo.
    /// @param batchIndex The batch.
    /// @param position   The leaf's position in the batch's withdrawal tree.
    /// @param recipient  The leaf's ethAddr.
    /// @param tokenId    The leaf's token.
    /// @param amount     The leaf's amount.
    /// @param proof      Per level from the bottom, the 7 siblings in position order.
    function claimWithdrawal(
        uint256 batchIndex,
        uint256 position,
        address recipient,
        uint32 tokenId,
        uint256 amount,
        uint256[7][5] calldata proof
    ) external nonReentrant {
        // INVARIANT: the position addresses a leaf of the 5-level tree.
        if (position >= Constants.WITHDRAWAL_POSITIONS) revert PositionOutOfRange(position);
        // INVARIANT: the amount is a Poseidon input below r, so no other value hashes alike.
        if (amount > Constants.MAX_BALANCE) revert WithdrawalAmountOutOfRange(amount);
        // INVARIANT: only batches past their challenge window pay out.
        if (!IRollup(rollup).isFinal(batchIndex)) revert BatchNotFinal(batchIndex);
        uint256 word = position >> 8;
        uint256 bit = 1 << (position & 0xff);
        uint256 bits = _claimed[batchIndex][word];
        // INVARIANT: each leaf pays once.
        if (bits & bit != 0) revert WithdrawalAlreadyClaimed(batchIndex, position);
        uint256 leaf = poseidonT3.hash([(uint256(uint160(recipient)) << 32) | tokenId, amount]);
        uint256 root = WithdrawalProof.computeRoot(poseidonT9, position, leaf, proof);
        // INVARIANT: the leaf is in the batch's withdrawal tree.
        if (root != IRollup(rollup).withdrawalsRootOf(batchIndex)) revert InvalidWithdrawalProof(batchIndex, position);

        _claimed[batchIndex][word] = bits | bit;
        // SAFETY: conservation (docs/protocol.md §7) keeps the withdrawals of a valid batch within
        // what was deposited; the checked subtraction stops a fraudulent final batch at the
        // bridge's holdings of this token.
        totalLocked[tokenId] -= amount;
        emit WithdrawalClaimed(batchIndex, position, recipient, tokenId, amount);

        if (tokenId == Constants.ETH_TOKEN_ID) {
            (bool ok,) = recipient.call{value: amount}("");
            if (!ok) revert EthTransferFailed(recipient, amount);
        } else {
            IERC20(tokenAddress[tokenId]).safeTransfer(recipient, amount);
        }
    }

    /// @notice True iff the leaf at `position` of batch `batchIndex` has been paid.
    /// @param batchIndex The batch.
    /// @param position   The position.
    /// @return True iff claimed.
    function isClaimed(uint256 batchIndex, uint256 position) external view returns (bool) {
        return _claimed[batchIndex][position >> 8] & (1 << (position & 0xff)) != 0;
    }

    // ─── Internals ─────────────────────────────────────────────────────────────────────────

    /// @dev Takes `amount` of `tokenId` from msg.sender into custody.
    function _takeCustody(uint32 tokenId, uint128 amount) internal {
        // INVARIANT: only registered tokens enter the L2.
        if (tokenId >= tokenCount) revert UnknownToken(tokenId);
        uint256 locked = totalLocked[tokenId];
        // INVARIANT: the bridge never holds more than MAX_BALANCE of a token, so no L2 balance
        // can overflow (docs/protocol.md §7 Conservation).
        if (amount > Constants.MAX_BALANCE - locked) revert LockedAmountExceedsCap(tokenId, locked, amount);
        if (tokenId == Constants.ETH_TOKEN_ID) {
            // INVARIANT: ETH deposits carry exactly the amount.
            if (msg.value != amount) revert IncorrectEthValue(msg.value, amount);
        } else {
            // INVARIANT: ERC20 deposits carry no ETH, which would be stuck.
            if (msg.value != 0) revert IncorrectEthValue(msg.value, 0);
            if (amount != 0) {
                IERC20 token = IERC20(tokenAddress[tokenId]);
                uint256 balanceBefore = token.balanceOf(address(this));
                token.safeTransferFrom(msg.sender, address(this), amount);
                uint256 received = token.balanceOf(address(this)) - balanceBefore;
                // INVARIANT: the L2 credits exactly what the bridge received.
                if (received != amount) revert TransferAmountMismatch(address(token), amount, received);
            }
        }
        totalLocked[tokenId] = locked + amount;
    }

    /// @dev Appends a queue entry from msg.sender: head = kind + tokenId·2^8 + accountIdx·2^40
    ///      + l1Address·2^72, queueHash_{i+1} = Poseidon_5(queueHash_i, head, amount, Ax, Ay).
    function _enqueue(uint8 kind, uint32 tokenId, uint32 accountIdx, uint128 amount, uint256 ax, uint256 ay)
        internal
    {
        uint256 index = _queueDeadlines.length;
        uint256 head = uint256(kind) | (uint256(tokenId) << 8) | (uint256(accountIdx) << 40)
            | (uint256(uint160(msg.sender)) << 72);
        uint256 hash = poseidonT6.hash([_queueHashes[index], head, amount, ax, ay]);
        uint64 deadline = uint64(block.timestamp) + inclusionWindow;
        _queueHashes.push(hash);
        _queueDeadlines.push(deadline);
        emit QueueEntryAdded(index, kind, msg.sender, tokenId, accountIdx, amount, ax, ay, hash, deadline);
    }

    /// @dev True iff (x, y) has canonical coordinates and lies on BabyJubJub:
    ///      a·x^2 + y^2 = 1 + d·x^2·y^2 (mod r).
    function _isOnCurve(uint256 x, uint256 y) internal pure returns (bool) {
        uint256 r = Constants.FIELD_MODULUS;
        if (x >= r || y >= r) return false;
        uint256 x2 = mulmod(x, x, r);
        uint256 y2 = mulmod(y, y, r);
        uint256 lhs = addmod(mulmod(Constants.BABYJUBJUB_A, x2, r), y2, r);
        uint256 rhs = addmod(1, mulmod(Constants.BABYJUBJUB_D, mulmod(x2, y2, r), r), r);
        return lhs == rhs;
    }
}
