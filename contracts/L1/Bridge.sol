// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IPoseidonT3, IPoseidonT6, IPoseidonT9} from "../hashing/IPoseidon.sol";
import {Constants} from "../libraries/Constants.sol";
import {WithdrawalProof} from "../libraries/WithdrawalProof.sol";
import {AccountProof} from "../libraries/AccountProof.sol";
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
    EthTransferFailed,
    ExodusActive,
    ExodusNotActive,
    ExodusStateRootMismatch,
    NotAccountOwner,
    NothingToWithdraw,
    AccountAlreadyExited,
    InvalidAccountProof,
    AccountProofLength,
    QueueIndexOutOfRange,
    QueueEntryConsumed,
    QueueEntryMismatch,
    NothingToRefund,
    DepositAlreadyRefunded
} from "../libraries/Errors.sol";
import {IBridge} from "./interfaces/IBridge.sol";
import {IRollup} from "./interfaces/IRollup.sol";

/// @title Bridge
/// @notice Custody of the rollup's ETH and ERC20s, the L1 queue through which users reach the
///         L2 (docs/protocol.md §6), the claims of withdrawals from final batches (§7), and the
///         exits of the exodus (§11): account balances of the last final state and refunds of
///         deposits no final batch consumed.
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

    /// @notice ETH every queue entry pays on top of what it deposits (docs/protocol.md §6).
    uint256 public immutable queueFee;

    /// @notice Who receives the queue fees (the operator).
    address public immutable feeCollector;

    /// @notice Queue fees received and not yet sent to the fee collector.
    uint256 public queueFeesHeld;

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

    /// @dev One bit per account index whose balance was paid in exodus.
    mapping(uint256 word => uint256 bits) internal _exited;

    /// @dev One bit per queue index whose deposit was refunded in exodus.
    mapping(uint256 word => uint256 bits) internal _refunded;

    /// @notice An account's balance in the last final state, as it is in its leaf (docs/protocol.md §2).
    /// @custom:field tokenId The account's token.
    /// @custom:field nonce   Its nonce.
    /// @custom:field balance Its balance.
    /// @custom:field ax      Its public key x.
    /// @custom:field ay      Its public key y.
    /// @custom:field ethAddr Its L1 owner.
    struct ExitAccount {
        uint32 tokenId;
        uint40 nonce;
        uint128 balance;
        uint256 ax;
        uint256 ay;
        address ethAddr;
    }

    /// @notice The fields of a queue entry, as its QueueEntryAdded event carries them.
    /// @custom:field kind       1 CreateAccount, 2 Deposit, 3 ForcedExit.
    /// @custom:field l1Address  The sender.
    /// @custom:field tokenId    The token.
    /// @custom:field accountIdx The target account.
    /// @custom:field amount     The amount taken into custody.
    /// @custom:field ax         Public key x (CreateAccount), else 0.
    /// @custom:field ay         Public key y (CreateAccount), else 0.
    struct QueueEntry {
        uint8 kind;
        address l1Address;
        uint32 tokenId;
        uint32 accountIdx;
        uint128 amount;
        uint256 ax;
        uint256 ay;
    }

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

    /// @notice An account's balance in the last final state was paid in exodus.
    /// @param accountIdx The account.
    /// @param recipient  Its L1 owner.
    /// @param tokenId    The token.
    /// @param amount     The balance paid.
    event ExodusWithdrawal(uint256 indexed accountIdx, address indexed recipient, uint32 tokenId, uint256 amount);

    /// @notice A deposit no final batch consumed was refunded in exodus.
    /// @param queueIndex The queue entry.
    /// @param recipient  Its sender.
    /// @param tokenId    The token.
    /// @param amount     The amount refunded.
    event DepositRefunded(uint256 indexed queueIndex, address indexed recipient, uint32 tokenId, uint256 amount);

    /// @notice Queue fees were sent to the fee collector.
    /// @param collector The fee collector.
    /// @param amount    The amount sent.
    event QueueFeesCollected(address indexed collector, uint256 amount);

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
    /// @param queueFee_        ETH each queue entry pays (docs/protocol.md §6).
    /// @param feeCollector_    Who receives the queue fees.
    constructor(
        address rollup_,
        IPoseidonT3 t3,
        IPoseidonT6 t6,
        IPoseidonT9 t9,
        uint64 inclusionWindow_,
        uint256 queueFee_,
        address feeCollector_
    ) {
        rollup = rollup_;
        poseidonT3 = t3;
        poseidonT6 = t6;
        poseidonT9 = t9;
        inclusionWindow = inclusionWindow_;
        queueFee = queueFee_;
        feeCollector = feeCollector_;
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
    /// @dev    ETH: msg.value must equal amount + queueFee. ERC20: msg.value must be queueFee and
    ///         the bridge must be approved for amount.
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
    ///         withdrawal (docs/protocol.md §7). msg.value as for createAccount.
    /// @param accountIdx The target account.
    /// @param tokenId    The token.
    /// @param amount     The amount.
    function deposit(uint32 accountIdx, uint32 tokenId, uint128 amount) external payable nonReentrant {
        _takeCustody(tokenId, amount);
        _enqueue(Constants.KIND_DEPOSIT, tokenId, accountIdx, amount, 0, 0);
    }

    /// @notice Asks the L2 to withdraw the whole balance of `accountIdx` to its owner; the L2
    ///         applies it only if msg.sender owns the account. Batches must consume it before
    ///         its deadline, so a censoring sequencer cannot trap funds; if no batch comes, the
    ///         entry lets anyone switch the rollup into exodus (docs/protocol.md §11).
    ///         msg.value must be queueFee.
    /// @param accountIdx The account to exit.
    function forcedExit(uint32 accountIdx) external payable nonReentrant {
        // INVARIANT: every queue entry pays the queue fee.
        if (msg.value != queueFee) revert IncorrectEthValue(msg.value, queueFee);
        queueFeesHeld += queueFee;
        _enqueue(Constants.KIND_FORCED_EXIT, 0, accountIdx, 0, 0, 0);
    }

    /// @notice Sends the queue fees held to the fee collector. Permissionless.
    function collectQueueFees() external nonReentrant {
        uint256 amount = queueFeesHeld;
        queueFeesHeld = 0;
        emit QueueFeesCollected(feeCollector, amount);
        (bool ok,) = feeCollector.call{value: amount}("");
        if (!ok) revert EthTransferFailed(feeCollector, amount);
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
        emit WithdrawalClaimed(batchIndex, position, recipient, tokenId, amount);
        _pay(recipient, tokenId, amount);
    }

    /// @notice True iff the leaf at `position` of batch `batchIndex` has been paid.
    /// @param batchIndex The batch.
    /// @param position   The position.
    /// @return True iff claimed.
    function isClaimed(uint256 batchIndex, uint256 position) external view returns (bool) {
        return _claimed[batchIndex][position >> 8] & (1 << (position & 0xff)) != 0;
    }

    // ─── Exodus (docs/protocol.md §11) ─────────────────────────────────────────────────────

    /// @notice In exodus, pays account `accountIdx`'s balance in the last final state to its L1
    ///         owner, who sends this, once per account.
    /// @param accountIdx       The account's index in the account tree.
    /// @param account          The account's leaf fields in the last final state.
    /// @param accountsRoot     The last final state's accounts root.
    /// @param nextAccountIndex The last final state's next account index.
    /// @param siblings         Per level from the bottom, the 7 siblings (rollup.levels() levels).
    function exodusWithdraw(
        uint256 accountIdx,
        ExitAccount calldata account,
        uint256 accountsRoot,
        uint256 nextAccountIndex,
        uint256[7][] calldata siblings
    ) external nonReentrant {
        IRollup r = IRollup(rollup);
        // INVARIANT: balances leave through the L1 only once no batch can change them.
        if (!r.exodus()) revert ExodusNotActive();
        uint256 stateRoot = poseidonT3.hash([accountsRoot, nextAccountIndex]);
        uint256 finalRoot = r.lastStateRoot();
        // INVARIANT: exits pay from the last final state, never from a state that could be disputed.
        if (stateRoot != finalRoot) revert ExodusStateRootMismatch(stateRoot, finalRoot);
        // INVARIANT: the owner takes its own balance (a contract owner decides where it goes).
        if (msg.sender != account.ethAddr) revert NotAccountOwner(accountIdx, msg.sender, account.ethAddr);
        // INVARIANT: an exit pays something.
        if (account.balance == 0) revert NothingToWithdraw(accountIdx);
        uint256 levels = r.levels();
        // INVARIANT: the proof has the tree's depth and the index a leaf position of it.
        if (siblings.length != levels || accountIdx >> (3 * levels) != 0) {
            revert AccountProofLength(accountIdx, levels, siblings.length);
        }
        // INVARIANT: each account is paid once.
        if (_isSet(_exited, accountIdx)) revert AccountAlreadyExited(accountIdx);
        uint256 computed = AccountProof.computeRoot(poseidonT9, accountIdx, _accountLeaf(account), siblings);
        // INVARIANT: the balance is the account's in the last final state.
        if (computed != accountsRoot) revert InvalidAccountProof(accountIdx, accountsRoot, computed);

        _set(_exited, accountIdx);
        emit ExodusWithdrawal(accountIdx, account.ethAddr, account.tokenId, account.balance);
        _pay(account.ethAddr, account.tokenId, account.balance);
    }

    /// @notice In exodus, refunds the deposit of queue entry `queueIndex` (a CreateAccount or a
    ///         Deposit no final batch consumed) to its sender. Anyone may send it; once per entry.
    /// @param queueIndex The entry.
    /// @param entry      Its fields, as in its QueueEntryAdded event.
    function refundDeposit(uint256 queueIndex, QueueEntry calldata entry) external nonReentrant {
        IRollup r = IRollup(rollup);
        // INVARIANT: a deposit is refunded only once no batch can consume it.
        if (!r.exodus()) revert ExodusNotActive();
        uint256 length = _queueDeadlines.length;
        // INVARIANT: only recorded entries are refunded.
        if (queueIndex >= length) revert QueueIndexOutOfRange(queueIndex, length);
        uint256 finalEnd = r.lastQueueEnd();
        // INVARIANT: a deposit a final batch consumed is in the final state (or its withdrawals).
        if (queueIndex < finalEnd) revert QueueEntryConsumed(queueIndex, finalEnd);
        uint256 head = uint256(entry.kind) | (uint256(entry.tokenId) << 8) | (uint256(entry.accountIdx) << 40)
            | (uint256(uint160(entry.l1Address)) << 72);
        uint256 computed = poseidonT6.hash([_queueHashes[queueIndex], head, entry.amount, entry.ax, entry.ay]);
        uint256 expected = _queueHashes[queueIndex + 1];
        // INVARIANT: the fields are the entry's, so the amount is what the bridge took in.
        if (computed != expected) revert QueueEntryMismatch(queueIndex, expected, computed);
        // INVARIANT: only deposits of something are refunded (a forced exit took nothing in).
        if (entry.kind == Constants.KIND_FORCED_EXIT || entry.amount == 0) revert NothingToRefund(queueIndex);
        // INVARIANT: each deposit is refunded once.
        if (_isSet(_refunded, queueIndex)) revert DepositAlreadyRefunded(queueIndex);

        _set(_refunded, queueIndex);
        emit DepositRefunded(queueIndex, entry.l1Address, entry.tokenId, entry.amount);
        _pay(entry.l1Address, entry.tokenId, entry.amount);
    }

    /// @notice True iff account `accountIdx` was paid in exodus.
    /// @param accountIdx The account.
    /// @return True iff exited.
    function isExited(uint256 accountIdx) external view returns (bool) {
        return _isSet(_exited, accountIdx);
    }

    /// @notice True iff queue entry `queueIndex`'s deposit was refunded in exodus.
    /// @param queueIndex The entry.
    /// @return True iff refunded.
    function isRefunded(uint256 queueIndex) external view returns (bool) {
        return _isSet(_refunded, queueIndex);
    }

    // ─── Internals ─────────────────────────────────────────────────────────────────────────

    /// @dev The leaf of an exiting account (docs/protocol.md §2).
    function _accountLeaf(ExitAccount calldata a) internal view returns (uint256) {
        return AccountProof.leaf(poseidonT6, a.tokenId, a.nonce, a.balance, a.ax, a.ay, a.ethAddr);
    }

    /// @dev True iff bit `index` of a bitmap is set.
    function _isSet(mapping(uint256 => uint256) storage bitmap, uint256 index) internal view returns (bool) {
        return bitmap[index >> 8] & (1 << (index & 0xff)) != 0;
    }

    /// @dev Sets bit `index` of a bitmap.
    function _set(mapping(uint256 => uint256) storage bitmap, uint256 index) internal {
        bitmap[index >> 8] |= 1 << (index & 0xff);
    }

    /// @dev Pays `amount` of `tokenId` out of custody to `recipient`.
    function _pay(address recipient, uint32 tokenId, uint256 amount) internal {
        // SAFETY: conservation (docs/protocol.md §7, §11) keeps what a final state, its
        // withdrawals and the refunds pay within what was deposited; the checked subtraction
        // stops anything else at the bridge's holdings of this token.
        totalLocked[tokenId] -= amount;
        if (tokenId == Constants.ETH_TOKEN_ID) {
            (bool ok,) = recipient.call{value: amount}("");
            if (!ok) revert EthTransferFailed(recipient, amount);
        } else {
            IERC20(tokenAddress[tokenId]).safeTransfer(recipient, amount);
        }
    }

    /// @dev Takes `amount` of `tokenId` from msg.sender into custody, and the queue fee.
    function _takeCustody(uint32 tokenId, uint128 amount) internal {
        // INVARIANT: only registered tokens enter the L2.
        if (tokenId >= tokenCount) revert UnknownToken(tokenId);
        uint256 locked = totalLocked[tokenId];
        // INVARIANT: the bridge never holds more than MAX_BALANCE of a token, so no L2 balance
        // can overflow (docs/protocol.md §7 Conservation).
        if (amount > Constants.MAX_BALANCE - locked) revert LockedAmountExceedsCap(tokenId, locked, amount);
        uint256 fee = queueFee;
        if (tokenId == Constants.ETH_TOKEN_ID) {
            // INVARIANT: ETH deposits carry exactly the amount and the queue fee.
            if (msg.value != amount + fee) revert IncorrectEthValue(msg.value, amount + fee);
        } else {
            // INVARIANT: ERC20 deposits carry exactly the queue fee in ETH, nothing that would be stuck.
            if (msg.value != fee) revert IncorrectEthValue(msg.value, fee);
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
        queueFeesHeld += fee;
    }

    /// @dev Appends a queue entry from msg.sender: head = kind + tokenId·2^8 + accountIdx·2^40
    ///      + l1Address·2^72, queueHash_{i+1} = Poseidon_5(queueHash_i, head, amount, Ax, Ay).
    function _enqueue(uint8 kind, uint32 tokenId, uint32 accountIdx, uint128 amount, uint256 ax, uint256 ay)
        internal
    {
        // INVARIANT: no batch can consume an entry once the rollup is in exodus, so none is taken.
        if (IRollup(rollup).exodus()) revert ExodusActive();
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
