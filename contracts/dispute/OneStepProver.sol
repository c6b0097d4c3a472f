// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IPoseidonT3, IPoseidonT6, IPoseidonT9} from "../hashing/IPoseidon.sol";
import {IBridge} from "../L1/interfaces/IBridge.sol";
import {BabyJubJub} from "../libraries/BabyJubJub.sol";
import {Constants} from "../libraries/Constants.sol";
import "../libraries/Errors.sol";
import {
    AccountLeaf,
    AccountWitness,
    IOneStepProver,
    MachineState,
    QueueEntryPreimage,
    StepContext,
    StepWitness
} from "./IOneStepProver.sol";

/// @title OneStepProver
/// @notice Re-executes exactly one step of a batch (docs/protocol.md §7) from an agreed machine
///         state and returns the step hash after it. It mirrors core/stf.ts BatchExecutor
///         outcome for outcome; the witness (StepWitness, IOneStepProver.sol) supplies the
///         account leaves, Merkle siblings, the queue entry and a square-root hint, and every
///         part of it is checked against the pre-state, the bridge or the payload.
/// @dev    Costs are dominated by Poseidon_8 calls: an Applied transfer verifies and rewrites two
///         account paths (4·levels hashes); a step that writes a withdrawal verifies and
///         rewrites one withdrawal path (10 hashes).
contract OneStepProver is IOneStepProver {
    /// @notice The bridge whose rolling queue hash authenticates queue entries.
    IBridge public immutable bridge;

    /// @notice Poseidon with 2 inputs: the signed message, withdrawal leaves.
    IPoseidonT3 public immutable poseidonT3;

    /// @notice Poseidon with 5 inputs: account leaves, the queue hash, the EdDSA challenge.
    IPoseidonT6 public immutable poseidonT6;

    /// @notice Poseidon with 8 inputs: account and withdrawal tree nodes.
    IPoseidonT9 public immutable poseidonT9;

    /// @dev Account indices below this are reserved (0 null, 1 exit) and never hold an account.
    uint256 internal constant FIRST_ACCOUNT_INDEX = 2;

    /// @dev The exit index: an L2 op to it is a withdrawal.
    uint256 internal constant EXIT_INDEX = 1;

    /// @dev Largest nonce; an account at it sends nothing more.
    uint256 internal constant MAX_NONCE = (1 << 40) - 1;

    /// @dev Bytes of an optimistic L2 op beyond its two indices: amount 5, fee 1, R8 32, S 32.
    uint256 internal constant RECORD_FIXED_BYTES = 70;

    /// @dev Position of fee payout 0 in the withdrawal tree, 8^5 − FEE_SLOTS.
    uint256 internal constant FEE_PAYOUT_POSITION = Constants.WITHDRAWAL_POSITIONS - Constants.FEE_SLOTS;

    /// @param bridge_ The bridge.
    /// @param t3      Poseidon with 2 inputs.
    /// @param t6      Poseidon with 5 inputs.
    /// @param t9      Poseidon with 8 inputs.
    constructor(IBridge bridge_, IPoseidonT3 t3, IPoseidonT6 t6, IPoseidonT9 t9) {
        bridge = bridge_;
        poseidonT3 = t3;
        poseidonT6 = t6;
        poseidonT9 = t9;
    }

    /// @inheritdoc IOneStepProver
    function proveStep(
        StepContext calldata ctx,
        bytes calldata op,
        uint256 step,
        MachineState calldata pre,
        bytes calldata proof
    ) external view returns (bytes32 postStepHash) {
        // INVARIANT: the tree depth is a deployment parameter in [1, 10].
        if (ctx.levels < Constants.MIN_LEVELS || ctx.levels > Constants.MAX_LEVELS) revert InvalidLevels(ctx.levels);
        // INVARIANT: a batch's queue range is ordered.
        if (ctx.queueEnd < ctx.queueStart) revert QueueEndBeforeQueueStart(ctx.queueEnd, ctx.queueStart);
        uint256 queueOps = ctx.queueEnd - ctx.queueStart;
        uint256 l2Ops = ctx.l2Ops;
        // INVARIANT: the step exists in the batch.
        if (step >= queueOps + l2Ops + Constants.FEE_SLOTS) {
            revert StepOutOfRange(step, queueOps + l2Ops + Constants.FEE_SLOTS);
        }

        StepWitness memory w = abi.decode(proof, (StepWitness));
        MachineState memory state = pre;
        if (step < queueOps) {
            _queueStep(ctx, step, w, state);
        } else if (step < queueOps + l2Ops) {
            uint256 recordSize = 2 * ((3 * ctx.levels + 7) / 8) + RECORD_FIXED_BYTES;
            // INVARIANT: an L2 op step reads exactly one op record.
            if (op.length != recordSize) revert OpLengthMismatch(op.length, recordSize);
            _l2OpStep(ctx, op, step, w, state);
        } else {
            _feePayout(ctx, step - queueOps - l2Ops, w, state);
        }
        return keccak256(abi.encode(state));
    }

    /// @dev Fee payout `slot`: withdraws the slot's total to the fee recipient at 8^5 − 4 + slot.
    function _feePayout(StepContext calldata ctx, uint256 slot, StepWitness memory w, MachineState memory state)
        internal
        view
    {
        _writeWithdrawal(
            state,
            FEE_PAYOUT_POSITION + slot,
            ctx.feeRecipient,
            ctx.feeTokens[slot],
            state.feeTotals[slot],
            w.withdrawalSiblings
        );
    }

    // ─── Queue entries ─────────────────────────────────────────────────────────────────────

    /// @dev Step `step` < queueOps: CreateAccount, Deposit or ForcedExit (docs/protocol.md §7).
    function _queueStep(StepContext calldata ctx, uint256 step, StepWitness memory w, MachineState memory state)
        internal
        view
    {
        QueueEntryPreimage memory e = w.entry;
        uint256 index = ctx.queueStart + step;
        uint256 head = uint256(e.kind) | (uint256(e.tokenId) << 8) | (uint256(e.accountIdx) << 40)
            | (uint256(uint160(e.l1Address)) << 72);
        uint256 computed = poseidonT6.hash([bridge.queueHash(index), head, e.amount, e.ax, e.ay]);
        uint256 expected = bridge.queueHash(index + 1);
        // INVARIANT: the entry is the one the bridge recorded at `index`.
        if (computed != expected) revert QueueEntryMismatch(index, expected, computed);

        uint256 capacity = 8 ** ctx.levels;
        if (e.kind == Constants.KIND_CREATE_ACCOUNT) {
            if (state.nextAccountIndex >= capacity) {
                _writeWithdrawal(state, step, e.l1Address, e.tokenId, e.amount, w.withdrawalSiblings); // TreeFull
                return;
            }
            // Core writes the leaf at nextAccountIndex whatever it held (always empty from genesis).
            uint256 oldLeaf = _leafOf(w.first);
            uint256 newLeaf = _leaf(AccountLeaf(e.tokenId, 0, e.amount, e.ax, e.ay, e.l1Address));
            state.accountsRoot =
                _update(ctx.levels, state.accountsRoot, state.nextAccountIndex, oldLeaf, newLeaf, w.first.siblings);
            ++state.nextAccountIndex;
        } else if (e.kind == Constants.KIND_DEPOSIT) {
            if (!_exists(ctx.levels, capacity, state.accountsRoot, e.accountIdx, w.first)) {
                _writeWithdrawal(state, step, e.l1Address, e.tokenId, e.amount, w.withdrawalSiblings); // UnknownAccount
                return;
            }
            AccountLeaf memory account = w.first.account;
            if (account.tokenId != e.tokenId || uint256(account.balance) + e.amount > Constants.MAX_BALANCE) {
                // TokenMismatch or BalanceOverflow
                _writeWithdrawal(state, step, e.l1Address, e.tokenId, e.amount, w.withdrawalSiblings);
                return;
            }
            // SAFETY: balance + amount <= MAX_BALANCE was checked above; _exists verified the
            // old leaf with these siblings, so they are the path's true siblings.
            account.balance += e.amount;
            state.accountsRoot = _rootOf(e.accountIdx, _leaf(account), w.first.siblings);
        } else if (e.kind == Constants.KIND_FORCED_EXIT) {
            // UnknownAccount, NotOwner: no change.
            if (!_exists(ctx.levels, capacity, state.accountsRoot, e.accountIdx, w.first)) return;
            AccountLeaf memory account = w.first.account;
            if (account.ethAddr != e.l1Address) return;
            uint256 balance = account.balance;
            account.balance = 0;
            state.accountsRoot = _rootOf(e.accountIdx, _leaf(account), w.first.siblings);
            _writeWithdrawal(state, step, account.ethAddr, account.tokenId, balance, w.withdrawalSiblings);
        } else {
            revert UnknownQueueKind(e.kind);
        }
    }

    // ─── L2 ops ────────────────────────────────────────────────────────────────────────────

    /// @dev One decoded optimistic L2 op (docs/protocol.md §5 layout) and its decoded amounts.
    struct L2Op {
        uint256 fromIdx;
        uint256 toIdx;
        uint256 amountBits;
        uint256 feeBits;
        uint256 packedR8;
        uint256 s;
        uint256 amount;
        uint256 feeSlot;
        uint256 charged;
    }

    /// @dev A transfer or withdrawal (docs/protocol.md §7). Every outcome but Applied leaves the
    ///      state as it was, so the checks only have to decide whether the op applies; any fact
    ///      taken from the witness on the way is verified before it decides.
    function _l2OpStep(
        StepContext calldata ctx,
        bytes calldata record,
        uint256 step,
        StepWitness memory w,
        MachineState memory state
    ) internal view {
        L2Op memory op = _decodeOp(record, (record.length - RECORD_FIXED_BYTES) / 2);

        // 1. UnknownSender
        if (!_exists(ctx.levels, 8 ** ctx.levels, state.accountsRoot, op.fromIdx, w.first)) return;
        AccountLeaf memory sender = w.first.account;
        // 2. BadSignature
        if (!_signatureValid(ctx.domain, op, sender, w.r8Hint)) return;
        // 3. NonceOverflow
        if (sender.nonce >= MAX_NONCE) return;

        op.amount = _decodeFloat(op.amountBits, 35);
        (op.feeSlot, op.charged) = _fee(ctx, sender.tokenId, op.feeBits);
        // 6. InsufficientBalance (checked early: 4 and 5 also change nothing, whatever they say)
        if (op.amount + op.charged > sender.balance) return;

        if (op.toIdx == EXIT_INDEX) {
            _debit(sender, op.amount + op.charged);
            state.accountsRoot = _rootOf(op.fromIdx, _leaf(sender), w.first.siblings);
            _collectFee(state, op.feeSlot, op.charged);
            _writeWithdrawal(state, step, sender.ethAddr, sender.tokenId, op.amount, w.withdrawalSiblings);
        } else if (op.toIdx == op.fromIdx) {
            // 4, 5 pass (the receiver is the sender); 7 holds: (balance − amount − fee) + amount ≤ balance.
            _debit(sender, op.charged);
            state.accountsRoot = _rootOf(op.fromIdx, _leaf(sender), w.first.siblings);
            _collectFee(state, op.feeSlot, op.charged);
        } else {
            _transferToOther(ctx.levels, op, sender, w, state);
        }
    }

    /// @dev Check 2: the signature on `Poseidon_2(domain, packed)` with the sender's nonce and token.
    function _signatureValid(uint256 domain, L2Op memory op, AccountLeaf memory sender, uint256 r8Hint)
        internal
        view
        returns (bool)
    {
        uint256 packed = op.fromIdx | (op.toIdx << 32) | (uint256(sender.tokenId) << 64)
            | (uint256(sender.nonce) << 96) | (op.amountBits << 136) | (op.feeBits << 176);
        uint256 message = poseidonT3.hash([domain, packed]);
        return BabyJubJub.verify(poseidonT6, message, op.packedR8, op.s, r8Hint, sender.ax, sender.ay);
    }

    /// @dev A transfer between two accounts whose checks 1–3 and 6 passed: checks 4, 5, 7, then
    ///      the sender's write and the receiver's (its proof is against the root after the
    ///      sender's write, as core applies them).
    function _transferToOther(
        uint256 levels,
        L2Op memory op,
        AccountLeaf memory sender,
        StepWitness memory w,
        MachineState memory state
    ) internal view {
        AccountWitness memory rw = w.second;
        // 4. UnknownReceiver: an in-range empty slot is verified against the unchanged root.
        if (op.toIdx < FIRST_ACCOUNT_INDEX || op.toIdx >= 8 ** levels) return;
        if (!rw.exists) {
            _verify(levels, state.accountsRoot, op.toIdx, 0, rw.siblings);
            return;
        }
        AccountLeaf memory receiver = rw.account;
        // 5. TokenMismatch, 7. BalanceOverflow: verified against the unchanged root.
        if (receiver.tokenId != sender.tokenId || uint256(receiver.balance) + op.amount > Constants.MAX_BALANCE) {
            _verify(levels, state.accountsRoot, op.toIdx, _leaf(receiver), rw.siblings);
            return;
        }
        _debit(sender, op.amount + op.charged);
        uint256 afterSender = _rootOf(op.fromIdx, _leaf(sender), w.first.siblings);
        uint256 oldReceiverLeaf = _leaf(receiver);
        // SAFETY: receiver.balance + amount <= MAX_BALANCE was checked above.
        receiver.balance += uint128(op.amount);
        state.accountsRoot = _update(levels, afterSender, op.toIdx, oldReceiverLeaf, _leaf(receiver), rw.siblings);
        _collectFee(state, op.feeSlot, op.charged);
    }

    /// @dev Reads one record: fromIdx, toIdx (idxBytes each), amount float40, fee float8, R8, S.
    function _decodeOp(bytes calldata record, uint256 idxBytes) internal pure returns (L2Op memory op) {
        uint256 idxShift = 256 - 8 * idxBytes;
        uint256 word0;
        uint256 word1;
        uint256 r8;
        uint256 s;
        assembly ("memory-safe") {
            word0 := calldataload(record.offset)
            word1 := calldataload(add(record.offset, idxBytes))
            r8 := calldataload(add(record.offset, add(shl(1, idxBytes), 6)))
            s := calldataload(add(record.offset, add(shl(1, idxBytes), 38)))
        }
        op.fromIdx = word0 >> idxShift;
        op.toIdx = word1 >> idxShift;
        // After the two indices: amount (40 bits) then fee (8 bits).
        uint256 tail = word1 << (8 * idxBytes);
        op.amountBits = tail >> 216;
        op.feeBits = (tail >> 208) & 0xff;
        op.packedR8 = r8;
        op.s = s;
    }

    /// @dev `mantissa · 10^exponent` with a 5-bit exponent above `mantissaBits` (docs/protocol.md §4).
    function _decodeFloat(uint256 bits, uint256 mantissaBits) internal pure returns (uint256) {
        // SAFETY: mantissa < 2^35 and 10^31 < 2^104, so the product fits easily.
        return (bits & ((1 << mantissaBits) - 1)) * 10 ** (bits >> mantissaBits);
    }

    /// @dev The first fee slot naming `tokenId` (none for NO_TOKEN) and the fee charged there.
    function _fee(StepContext calldata ctx, uint32 tokenId, uint256 feeBits)
        internal
        pure
        returns (uint256 slot, uint256 charged)
    {
        if (tokenId == Constants.NO_TOKEN) return (type(uint256).max, 0);
        for (slot = 0; slot < Constants.FEE_SLOTS; ++slot) {
            if (ctx.feeTokens[slot] == tokenId) return (slot, _decodeFloat(feeBits, 3));
        }
        return (type(uint256).max, 0);
    }

    /// @dev Debits `value` and bumps the nonce. The caller checked `value <= balance` and
    ///      `nonce < MAX_NONCE`.
    function _debit(AccountLeaf memory account, uint256 value) internal pure {
        account.balance -= uint128(value);
        ++account.nonce;
    }

    /// @dev Adds a charged fee to its slot's total (no slot: nothing was charged).
    function _collectFee(MachineState memory state, uint256 slot, uint256 charged) internal pure {
        if (slot < Constants.FEE_SLOTS) state.feeTotals[slot] += charged;
    }

    // ─── Account tree ──────────────────────────────────────────────────────────────────────

    /// @dev Whether `index` holds an account, as witnessed by `aw` and verified against `root`.
    ///      Indices 0, 1 and ≥ capacity hold none and need no proof.
    function _exists(uint256 levels, uint256 capacity, uint256 root, uint256 index, AccountWitness memory aw)
        internal
        view
        returns (bool)
    {
        if (index < FIRST_ACCOUNT_INDEX || index >= capacity) return false;
        _verify(levels, root, index, _leafOf(aw), aw.siblings);
        return aw.exists;
    }

    /// @dev The leaf `aw` claims: the account's hash, or 0 for an empty slot.
    function _leafOf(AccountWitness memory aw) internal view returns (uint256) {
        return aw.exists ? _leaf(aw.account) : 0;
    }

    /// @dev `Poseidon_5(tokenId + nonce·2^32, balance, ax, ay, ethAddr)`.
    function _leaf(AccountLeaf memory a) internal view returns (uint256) {
        return poseidonT6.hash(
            [uint256(a.tokenId) | (uint256(a.nonce) << 32), a.balance, a.ax, a.ay, uint256(uint160(a.ethAddr))]
        );
    }

    /// @dev Reverts unless `leaf` at `index` with `siblings` hashes to `root`.
    function _verify(uint256 levels, uint256 root, uint256 index, uint256 leaf, uint256[7][] memory siblings)
        internal
        view
    {
        // INVARIANT: one sibling set per level of the tree.
        if (siblings.length != levels) revert AccountProofLength(index, levels, siblings.length);
        uint256 computed = _rootOf(index, leaf, siblings);
        // INVARIANT: the witnessed leaf is the one under the agreed root.
        if (computed != root) revert AccountProofMismatch(index, root, computed);
    }

    /// @dev Verifies `oldLeaf` at `index` under `root`, then returns the root with `newLeaf` there.
    function _update(
        uint256 levels,
        uint256 root,
        uint256 index,
        uint256 oldLeaf,
        uint256 newLeaf,
        uint256[7][] memory siblings
    ) internal view returns (uint256) {
        _verify(levels, root, index, oldLeaf, siblings);
        return _rootOf(index, newLeaf, siblings);
    }

    /// @dev The root implied by `leaf` at `index` (core/merkle.ts computeMerkleRoot), for a path
    ///      of any height (account or withdrawal tree): per level, the node is Poseidon_8 of the
    ///      7 siblings with the path node inserted at slot `(index >> 3k) & 7`.
    function _rootOf(uint256 index, uint256 leaf, uint256[7][] memory siblings)
        internal
        view
        returns (uint256 node)
    {
        node = leaf;
        uint256[8] memory children;
        for (uint256 level; level < siblings.length; ++level) {
            uint256 slot = (index >> (3 * level)) & 7;
            uint256[7] memory level7 = siblings[level];
            for (uint256 i; i < 7; ++i) {
                children[i < slot ? i : i + 1] = level7[i];
            }
            children[slot] = node;
            node = poseidonT9.hash(children);
        }
    }

    // ─── Withdrawal tree ───────────────────────────────────────────────────────────────────

    /// @dev Writes withdrawal `(ethAddr, tokenId, amount)` at `position` (nothing for amount 0):
    ///      verifies the slot is empty under the current withdrawals root, then sets it.
    function _writeWithdrawal(
        MachineState memory state,
        uint256 position,
        address ethAddr,
        uint256 tokenId,
        uint256 amount,
        uint256[7][5] memory siblings
    ) internal view {
        if (amount == 0) return;
        uint256[7][] memory path = new uint256[7][](Constants.WITHDRAWAL_LEVELS);
        for (uint256 k; k < Constants.WITHDRAWAL_LEVELS; ++k) {
            path[k] = siblings[k];
        }
        uint256 computed = _rootOf(position, 0, path);
        // INVARIANT: each position is written once per batch, so it is empty before its step.
        if (computed != state.withdrawalsRoot) revert WithdrawalSlotMismatch(position, state.withdrawalsRoot, computed);
        uint256 leaf = poseidonT3.hash([(uint256(uint160(ethAddr)) << 32) | tokenId, amount]);
        state.withdrawalsRoot = _rootOf(position, leaf, path);
    }
}
