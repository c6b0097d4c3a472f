// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IPoseidonT3} from "../hashing/IPoseidon.sol";
import {IDisputableRollup} from "../L1/interfaces/IRollup.sol";
import {Constants} from "../libraries/Constants.sol";
import {Types} from "../libraries/Types.sol";
import {
    BatchNotFound,
    IncorrectEthValue,
    EthTransferFailed,
    GameNotFound,
    HeaderMismatch,
    ChallengeWindowClosed,
    UnexpectedGameStatus,
    CallerNotChallenger,
    ClockExpired,
    ClockNotExpired,
    StepProofLengthMismatch,
    StepLeafNotInRoot,
    StartStateRootMismatch,
    StartWithdrawalsRootNotEmpty,
    StartFeeTotalNotZero,
    EndStateRootMismatch,
    EndWithdrawalsRootMismatch,
    PayloadMismatch,
    PayloadLengthMismatch,
    BlobHashesMismatch,
    PreStateMismatch,
    GameBatchInvalidated,
    GameBatchNotInvalidated,
    NoCredit,
    UnexpectedEthSender,
    GameAlreadyEnded
} from "../libraries/Errors.sol";
import {BlobOpenings, BlobReader} from "../libraries/BlobReader.sol";
import {IOneStepProver, MachineState, StepContext} from "./IOneStepProver.sol";
import {IDisputeGame, LeafReveal, StateReveal} from "./IDisputeGame.sol";

/// @title DisputeGame
/// @notice Anyone may challenge a batch in its challenge window with a bond; a bisection over
///         the batch's step hashes narrows the dispute to one step, which the one-step prover
///         re-executes on L1 (docs/protocol.md §7, §8). See IDisputeGame for the moves.
/// @dev    Why neither honest side can lose:
///         - Honest defender. Every leaf it reveals is proven against stepsRoot, so it can only
///           reveal its own (correct) step hashes; whatever the challenger answers, the game
///           ends on a step (lo, lo + 1) whose post-state is the correct one, so the prover
///           (deterministic in the pre-state) returns s_{lo+1} and the challenger cannot win.
///         - Honest challenger (it challenges a batch whose post roots differ from the correct
///           ones, given the correct pre-state). The defender must open with s_0 = the unique
///           canonical start (Poseidon is collision resistant and its inputs are range checked)
///           and with an s_n matching the header, hence not the correct one. Answering
///           "agree" iff s_mid is the correct step hash keeps s_lo correct and s_hi wrong, so
///           the last step re-executed from the correct s_lo gives a result ≠ s_hi.
///         Bonds are credited, never pushed, so no party can block a resolution by refusing ETH.
contract DisputeGame is IDisputeGame {
    /// @notice The rollup whose batches are disputed.
    IDisputableRollup public immutable rollup;

    /// @notice Re-executes the disputed step.
    IOneStepProver public immutable prover;

    /// @notice Poseidon with 2 inputs (state roots), the rollup's.
    IPoseidonT3 public immutable poseidonT3;

    /// @notice ETH a challenger posts; lost to the defender if the batch stands.
    uint256 public immutable challengeBond;

    /// @notice Where the burned half of a slashed bond goes: the zero address, whose ETH no one
    ///         can spend.
    address public constant BURN_ADDRESS = address(0);

    /// @notice Seconds each party may spend on its moves in one game.
    uint256 public immutable clockBudget;

    /// @notice Root of the empty withdrawal tree: every batch starts from it.
    uint256 public immutable emptyWithdrawalsRoot;

    /// @dev The games, by id.
    Types.Game[] internal _games;

    /// @notice ETH each account can take with claimCredit.
    mapping(address account => uint256 amount) public credits;

    /// @param rollup_        The rollup; the game must be set as its dispute game.
    /// @param prover_        The one-step prover.
    /// @param challengeBond_ The challenge bond in wei.
    /// @param clockBudget_   Seconds per party per game, below 2^48.
    constructor(IDisputableRollup rollup_, IOneStepProver prover_, uint256 challengeBond_, uint48 clockBudget_) {
        rollup = rollup_;
        prover = prover_;
        poseidonT3 = rollup_.poseidonT3();
        challengeBond = challengeBond_;
        clockBudget = clockBudget_;
        uint256 root;
        uint256[8] memory children;
        for (uint256 height; height < Constants.WITHDRAWAL_LEVELS; ++height) {
            for (uint256 i; i < Constants.ARITY; ++i) {
                children[i] = root;
            }
            root = rollup_.poseidonT9().hash(children);
        }
        emptyWithdrawalsRoot = root;
    }

    /// @notice Accepts the slashed bonds the rollup sends to a winning challenger's credit.
    receive() external payable {
        // INVARIANT: ETH arrives only as a challenge bond or a slashed bond, so the game holds
        // exactly the credits and the bonds of open games.
        if (msg.sender != address(rollup)) revert UnexpectedEthSender(msg.sender);
    }

    // ─── Views ─────────────────────────────────────────────────────────────────────────────

    /// @notice Number of games started.
    /// @return The count.
    function gameCount() external view returns (uint256) {
        return _games.length;
    }

    /// @notice A game.
    /// @param gameId The game.
    /// @return The game's state.
    function game(uint256 gameId) external view returns (Types.Game memory) {
        return _game(gameId);
    }

    /// @notice Seconds each party has left now (the party to move is charged the time since
    ///         the last move; zero once spent).
    /// @param gameId The game.
    /// @return defender   The defender's remaining time.
    /// @return challenger The challenger's remaining time.
    function clocks(uint256 gameId) external view returns (uint256 defender, uint256 challenger) {
        Types.Game storage g = _game(gameId);
        defender = g.defenderClock;
        challenger = g.challengerClock;
        if (!_isOpen(g.status)) return (defender, challenger);
        uint256 elapsed = block.timestamp - g.lastMoveAt;
        if (_defenderToMove(g.status)) defender = elapsed > defender ? 0 : defender - elapsed;
        else challenger = elapsed > challenger ? 0 : challenger - elapsed;
    }

    // ─── Moves ─────────────────────────────────────────────────────────────────────────────

    /// @inheritdoc IDisputeGame
    function challenge(uint256 batchIndex, Types.BatchHeader calldata header)
        external
        payable
        returns (uint256 gameId)
    {
        // INVARIANT: every game holds exactly one bond, which its outcome pays out.
        if (msg.value != challengeBond) revert IncorrectEthValue(msg.value, challengeBond);
        uint256 count = rollup.batchCount();
        // INVARIANT: only batches the rollup holds are disputed.
        if (batchIndex >= count) revert BatchNotFound(batchIndex, count);
        (bytes32 commitment,,, address proposer,,) = rollup.batches(batchIndex);
        bytes32 headerHash = keccak256(abi.encode(header));
        // INVARIANT: the game plays over the fields the batch committed to.
        if (headerHash != commitment) revert HeaderMismatch(batchIndex, headerHash, commitment);
        uint256 windowEnd = rollup.finalizableAt(batchIndex);
        // INVARIANT: a batch past its window stays unchallengeable, even while an open game on
        // an earlier batch holds back its finality.
        if (block.timestamp >= windowEnd) revert ChallengeWindowClosed(batchIndex, windowEnd);

        gameId = _games.length;
        // SAFETY: stepCount ≤ MAX_BATCH_OPS + FEE_SLOTS < 2^32 (the rollup derives it), batch
        // indices stay below 2^64, timestamps below 2^64, clockBudget below 2^48 (constructor).
        _games.push(
            Types.Game({
                challenger: msg.sender,
                lastMoveAt: uint64(block.timestamp),
                status: Types.GameStatus.AwaitingOpening,
                defender: proposer,
                defenderClock: uint48(clockBudget),
                challengerClock: uint48(clockBudget),
                commitment: commitment,
                stepsRoot: header.stepsRoot,
                batchIndex: uint64(batchIndex),
                stepCount: uint32(header.stepCount),
                lo: 0,
                hi: uint32(header.stepCount),
                loLeaf: bytes32(0),
                hiLeaf: bytes32(0),
                midLeaf: bytes32(0)
            })
        );
        rollup.gameOpened(batchIndex);
        emit GameStarted(gameId, batchIndex, msg.sender, proposer, header.stepCount);
    }

    /// @inheritdoc IDisputeGame
    function open(
        uint256 gameId,
        Types.BatchHeader calldata header,
        StateReveal calldata first,
        StateReveal calldata last,
        LeafReveal calldata mid
    ) external {
        Types.Game storage g = _game(gameId);
        _expect(g, gameId, Types.GameStatus.AwaitingOpening);
        _spendClock(g, gameId);
        bytes32 headerHash = keccak256(abi.encode(header));
        // INVARIANT: the opening is checked against the fields the batch committed to.
        if (headerHash != g.commitment) revert HeaderMismatch(g.batchIndex, headerHash, g.commitment);
        bytes32 root = g.stepsRoot;
        uint256 n = g.stepCount;

        _checkStart(first.state, header.preStateRoot);
        bytes32 firstLeaf = keccak256(abi.encode(first.state));
        _verifyLeaf(root, n, 0, firstLeaf, first.proof);

        uint256 stateRoot = poseidonT3.hash([last.state.accountsRoot, last.state.nextAccountIndex]);
        // INVARIANT: the disputed last step hash is the one the header's post roots stand for.
        if (stateRoot != header.postStateRoot) revert EndStateRootMismatch(stateRoot, header.postStateRoot);
        // INVARIANT: likewise for the withdrawals the batch would pay.
        if (last.state.withdrawalsRoot != header.withdrawalsRoot) {
            revert EndWithdrawalsRootMismatch(last.state.withdrawalsRoot, header.withdrawalsRoot);
        }
        bytes32 lastLeaf = keccak256(abi.encode(last.state));
        _verifyLeaf(root, n, n, lastLeaf, last.proof);

        // SAFETY: n ≥ FEE_SLOTS = 4, so 0 < n / 2 < n and the range needs a midpoint.
        _verifyLeaf(root, n, n / 2, mid.leaf, mid.proof);
        g.loLeaf = firstLeaf;
        g.hiLeaf = lastLeaf;
        g.midLeaf = mid.leaf;
        g.status = Types.GameStatus.AwaitingAnswer;
        emit LeavesRevealed(gameId, firstLeaf, lastLeaf);
        emit MidpointRevealed(gameId, n / 2, mid.leaf);
    }

    /// @inheritdoc IDisputeGame
    function revealMidpoint(uint256 gameId, LeafReveal calldata mid) external {
        Types.Game storage g = _game(gameId);
        _expect(g, gameId, Types.GameStatus.AwaitingMidpoint);
        _spendClock(g, gameId);
        uint256 index = (uint256(g.lo) + g.hi) / 2;
        _verifyLeaf(g.stepsRoot, g.stepCount, index, mid.leaf, mid.proof);
        g.midLeaf = mid.leaf;
        g.status = Types.GameStatus.AwaitingAnswer;
        emit MidpointRevealed(gameId, index, mid.leaf);
    }

    /// @inheritdoc IDisputeGame
    function answer(uint256 gameId, bool agree) external {
        Types.Game storage g = _game(gameId);
        _expect(g, gameId, Types.GameStatus.AwaitingAnswer);
        _onlyChallenger(g, gameId);
        _spendClock(g, gameId);
        uint32 lo = g.lo;
        uint32 hi = g.hi;
        // SAFETY: lo + hi < 2^33 fits in uint32 after halving.
        uint32 mid = uint32((uint256(lo) + hi) / 2);
        if (agree) {
            lo = mid;
            g.lo = mid;
            g.loLeaf = g.midLeaf;
        } else {
            hi = mid;
            g.hi = mid;
            g.hiLeaf = g.midLeaf;
        }
        g.status = hi - lo == 1 ? Types.GameStatus.AwaitingStep : Types.GameStatus.AwaitingMidpoint;
        emit Bisected(gameId, agree, lo, hi);
    }

    /// @inheritdoc IDisputeGame
    function proveStep(
        uint256 gameId,
        Types.BatchHeader calldata header,
        bytes calldata payload,
        MachineState calldata pre,
        bytes calldata proof
    ) external {
        Types.Game storage g = _game(gameId);
        _checkStepMove(g, gameId, header, pre);
        bytes32 dataHash = keccak256(payload);
        // INVARIANT: the step reads the ops the batch committed to.
        if (dataHash != header.dataHash) revert PayloadMismatch(dataHash, header.dataHash);
        StepContext memory ctx = _context(header);
        _resolveStep(g, gameId, prover.proveStep(ctx, _payloadOp(header, payload, g.lo), g.lo, pre, proof));
    }

    /// @inheritdoc IDisputeGame
    function proveBlobStep(
        uint256 gameId,
        Types.BatchHeader calldata header,
        BlobOpenings calldata blobs,
        MachineState calldata pre,
        bytes calldata proof
    ) external {
        Types.Game storage g = _game(gameId);
        _checkStepMove(g, gameId, header, pre);
        bytes32 hash = keccak256(abi.encodePacked(blobs.blobHashes));
        // INVARIANT: the openings are checked against the blobs the batch committed to.
        // SAFETY: a calldata batch's dataHash is keccak256(payload); passing its payload as
        // "versioned hashes" would need KZG commitments whose SHA-256 are those words, so no
        // opening of a calldata batch verifies, and queue and fee steps read no op.
        if (hash != header.dataHash) revert BlobHashesMismatch(hash, header.dataHash);
        StepContext memory ctx = _context(header);
        _resolveStep(g, gameId, prover.proveStep(ctx, _blobOp(header, blobs, g.lo, ctx.l2Ops), g.lo, pre, proof));
    }

    /// @inheritdoc IDisputeGame
    function timeout(uint256 gameId) external {
        Types.Game storage g = _game(gameId);
        Types.GameStatus status = g.status;
        // INVARIANT: only an open game times out.
        if (!_isOpen(status)) revert GameAlreadyEnded(gameId, uint8(status));
        uint256 elapsed = block.timestamp - g.lastMoveAt;
        bool defenderToMove = _defenderToMove(status);
        uint256 remaining = defenderToMove ? g.defenderClock : g.challengerClock;
        // INVARIANT: a party loses on time only once its own clock is spent.
        if (elapsed <= remaining) revert ClockNotExpired(gameId, elapsed, remaining);
        _expectBatchValid(g, gameId);
        if (defenderToMove) _challengerWins(g, gameId, Types.GameEndReason.Timeout);
        else _defenderWins(g, gameId, Types.GameEndReason.Timeout);
    }

    /// @inheritdoc IDisputeGame
    function dismiss(uint256 gameId) external {
        Types.Game storage g = _game(gameId);
        Types.GameStatus status = g.status;
        // INVARIANT: a game ends once.
        if (!_isOpen(status)) revert GameAlreadyEnded(gameId, uint8(status));
        uint256 batchIndex = g.batchIndex;
        // INVARIANT: only a game whose batch is gone ends without a winner.
        if (_batchValid(g)) revert GameBatchNotInvalidated(gameId, batchIndex);
        g.status = Types.GameStatus.Dismissed;
        uint256 refund = challengeBond;
        credits[g.challenger] += refund;
        rollup.gameClosed(batchIndex);
        emit GameResolved(gameId, address(0), Types.GameEndReason.BatchInvalidated, refund);
    }

    /// @inheritdoc IDisputeGame
    function claimCredit() external {
        uint256 amount = credits[msg.sender];
        // INVARIANT: a claim pays something that was credited.
        if (amount == 0) revert NoCredit(msg.sender);
        credits[msg.sender] = 0;
        emit CreditClaimed(msg.sender, amount);
        (bool ok,) = msg.sender.call{value: amount}("");
        if (!ok) revert EthTransferFailed(msg.sender, amount);
    }

    // ─── Internals ─────────────────────────────────────────────────────────────────────────

    /// @dev The challenger wins: the batch and every later one go; of the proposer's bond (up to
    ///      minBond) half is burned and half credited to the challenger, with its challenge bond.
    function _challengerWins(Types.Game storage g, uint256 gameId, Types.GameEndReason reason) private {
        g.status = Types.GameStatus.ChallengerWon;
        uint256 batchIndex = g.batchIndex;
        address challenger = g.challenger;
        rollup.gameClosed(batchIndex);
        rollup.invalidateFrom(batchIndex);
        uint256 slashed = rollup.slash(g.defender, address(this), rollup.minBond());
        // SAFETY: half the slashed bond is burned, so a proposer that challenges its own wrong
        // batch (or front-runs the honest challenger) still loses at least half its bond.
        uint256 burned = slashed / 2;
        uint256 payout = challengeBond + slashed - burned;
        credits[challenger] += payout;
        emit GameResolved(gameId, challenger, reason, payout);
        if (burned > 0) {
            emit SlashBurned(gameId, burned);
            (bool ok,) = BURN_ADDRESS.call{value: burned}("");
            if (!ok) revert EthTransferFailed(BURN_ADDRESS, burned);
        }
    }

    /// @dev The defender wins: the challenge bond is credited to it; the batch stands.
    function _defenderWins(Types.Game storage g, uint256 gameId, Types.GameEndReason reason) private {
        g.status = Types.GameStatus.DefenderWon;
        address defender = g.defender;
        uint256 payout = challengeBond;
        credits[defender] += payout;
        rollup.gameClosed(g.batchIndex);
        emit GameResolved(gameId, defender, reason, payout);
    }

    /// @dev Checks that the challenger may prove the step now, on the batch's header, from the
    ///      agreed step hash.
    function _checkStepMove(
        Types.Game storage g,
        uint256 gameId,
        Types.BatchHeader calldata header,
        MachineState calldata pre
    ) private {
        _expect(g, gameId, Types.GameStatus.AwaitingStep);
        _onlyChallenger(g, gameId);
        _spendClock(g, gameId);
        _expectBatchValid(g, gameId);
        bytes32 headerHash = keccak256(abi.encode(header));
        // INVARIANT: the step runs in the context the batch committed to.
        if (headerHash != g.commitment) revert HeaderMismatch(g.batchIndex, headerHash, g.commitment);
        bytes32 preHash = keccak256(abi.encode(pre));
        // INVARIANT: the step starts from the step hash both parties agreed on.
        if (preHash != g.loLeaf) revert PreStateMismatch(preHash, g.loLeaf);
    }

    /// @dev The one-step prover's context for a batch.
    function _context(Types.BatchHeader calldata header) private view returns (StepContext memory) {
        return StepContext({
            levels: rollup.levels(),
            domain: rollup.domain(),
            queueStart: header.queueStart,
            queueEnd: header.queueEnd,
            l2Ops: _l2Ops(header),
            feeRecipient: header.feeRecipient,
            feeTokens: header.feeTokens
        });
    }

    /// @dev L2 ops of a batch. SAFETY: the rollup derived stepCount = queue entries + L2 ops +
    ///      FEE_SLOTS, so this does not underflow.
    function _l2Ops(Types.BatchHeader calldata header) private pure returns (uint256) {
        return header.stepCount - (header.queueEnd - header.queueStart) - Constants.FEE_SLOTS;
    }

    /// @dev The op step `step` reads from a calldata payload; empty for queue and fee steps.
    function _payloadOp(Types.BatchHeader calldata header, bytes calldata payload, uint256 step)
        private
        view
        returns (bytes calldata op)
    {
        op = payload[0:0];
        uint256 queueOps = header.queueEnd - header.queueStart;
        uint256 l2Ops = _l2Ops(header);
        uint256 recordSize = rollup.recordSize();
        // INVARIANT: the payload is a calldata batch's. A blob batch's dataHash has a known
        // preimage too, its k versioned hashes (32·k bytes), but never of this length:
        // k = blobs(l2Ops·recordSize) makes 32·k = l2Ops·recordSize impossible (k = 1 needs
        // recordSize ≥ 72 to divide 32; k > 1 needs over 126,976·(k − 1) payload bytes).
        if (payload.length != l2Ops * recordSize) revert PayloadLengthMismatch(payload.length, l2Ops * recordSize);
        if (step < queueOps || step >= queueOps + l2Ops) return op;
        op = payload[(step - queueOps) * recordSize:][:recordSize];
    }

    /// @dev The op step `step` reads from a blob batch's openings; empty for queue and fee steps.
    function _blobOp(Types.BatchHeader calldata header, BlobOpenings calldata blobs, uint256 step, uint256 l2Ops)
        private
        view
        returns (bytes memory op)
    {
        uint256 queueOps = header.queueEnd - header.queueStart;
        if (step < queueOps || step >= queueOps + l2Ops) return op;
        uint256 recordSize = rollup.recordSize();
        op = BlobReader.readOp(blobs, step - queueOps, recordSize, l2Ops * recordSize);
    }

    /// @dev Ends the game on the one-step prover's result for step lo.
    function _resolveStep(Types.Game storage g, uint256 gameId, bytes32 post) private {
        bytes32 claimed = g.hiLeaf;
        emit StepProven(gameId, g.lo, post, claimed);
        if (post != claimed) _challengerWins(g, gameId, Types.GameEndReason.StepDisproved);
        else _defenderWins(g, gameId, Types.GameEndReason.StepConfirmed);
    }

    /// @dev Checks that the revealed first machine state is the canonical start of the batch.
    function _checkStart(MachineState calldata state, uint256 preStateRoot) private view {
        // SAFETY: PoseidonT3 rejects inputs ≥ r, so (accountsRoot, nextAccountIndex) is the
        // unique preimage of preStateRoot and s_0 the unique valid first step hash.
        uint256 stateRoot = poseidonT3.hash([state.accountsRoot, state.nextAccountIndex]);
        // INVARIANT: the batch starts from the state the previous batch ended in.
        if (stateRoot != preStateRoot) revert StartStateRootMismatch(stateRoot, preStateRoot);
        // INVARIANT: every batch starts from an empty withdrawal tree.
        if (state.withdrawalsRoot != emptyWithdrawalsRoot) {
            revert StartWithdrawalsRootNotEmpty(state.withdrawalsRoot, emptyWithdrawalsRoot);
        }
        for (uint256 slot; slot < Constants.FEE_SLOTS; ++slot) {
            // INVARIANT: no fees are collected before the first step.
            if (state.feeTotals[slot] != 0) revert StartFeeTotalNotZero(slot, state.feeTotals[slot]);
        }
    }

    /// @dev Checks `leaf` at `index` against the binary keccak root over stepCount + 1 leaves
    ///      padded with zero leaves to a power of two (core/commitments.ts stepsProof).
    function _verifyLeaf(bytes32 root, uint256 stepCount, uint256 index, bytes32 leaf, bytes32[] calldata proof)
        private
        pure
    {
        uint256 depth;
        while ((1 << depth) < stepCount + 1) ++depth;
        // INVARIANT: a proof of the tree's exact depth, so no inner node passes for a leaf.
        if (proof.length != depth) revert StepProofLengthMismatch(proof.length, depth);
        bytes32 node = leaf;
        for (uint256 height; height < depth; ++height) {
            bytes32 sibling = proof[height];
            bool isRight = (index >> height) & 1 == 1;
            assembly ("memory-safe") {
                // keccak256(left ‖ right) in the scratch space.
                switch isRight
                case 0 {
                    mstore(0x00, node)
                    mstore(0x20, sibling)
                }
                default {
                    mstore(0x00, sibling)
                    mstore(0x20, node)
                }
                node := keccak256(0x00, 0x40)
            }
        }
        // INVARIANT: the defender reveals only the step hashes its batch committed to.
        if (node != root) revert StepLeafNotInRoot(index, leaf, root);
    }

    /// @dev Charges the party to move for the time since the last move and restarts the clock
    ///      for the other party.
    function _spendClock(Types.Game storage g, uint256 gameId) private {
        uint256 elapsed = block.timestamp - g.lastMoveAt;
        bool defenderToMove = _defenderToMove(g.status);
        uint256 remaining = defenderToMove ? g.defenderClock : g.challengerClock;
        // INVARIANT: a party whose clock is spent cannot move; it has lost on time.
        if (elapsed > remaining) revert ClockExpired(gameId, elapsed, remaining);
        // SAFETY: elapsed ≤ remaining < 2^48.
        if (defenderToMove) g.defenderClock = uint48(remaining - elapsed);
        else g.challengerClock = uint48(remaining - elapsed);
        g.lastMoveAt = uint64(block.timestamp);
    }

    /// @dev The game, or GameNotFound.
    function _game(uint256 gameId) private view returns (Types.Game storage) {
        uint256 count = _games.length;
        // INVARIANT: moves address started games.
        if (gameId >= count) revert GameNotFound(gameId, count);
        return _games[gameId];
    }

    /// @dev Reverts unless the game is at `expected`.
    function _expect(Types.Game storage g, uint256 gameId, Types.GameStatus expected) private view {
        Types.GameStatus status = g.status;
        // INVARIANT: moves come in the order of the protocol, each on its party's turn.
        if (status != expected) revert UnexpectedGameStatus(gameId, uint8(status), uint8(expected));
    }

    /// @dev Reverts unless the caller is the challenger.
    function _onlyChallenger(Types.Game storage g, uint256 gameId) private view {
        address challenger = g.challenger;
        // INVARIANT: the challenger's choices are the challenger's.
        if (msg.sender != challenger) revert CallerNotChallenger(gameId, msg.sender, challenger);
    }

    /// @dev Reverts if another game removed the batch: such a game only ends by dismiss.
    function _expectBatchValid(Types.Game storage g, uint256 gameId) private view {
        // INVARIANT: a game never invalidates or pays on a batch that is no longer the one it disputes.
        if (!_batchValid(g)) revert GameBatchInvalidated(gameId, g.batchIndex);
    }

    /// @dev True iff the rollup still holds the disputed batch.
    function _batchValid(Types.Game storage g) private view returns (bool) {
        uint256 batchIndex = g.batchIndex;
        if (batchIndex >= rollup.batchCount()) return false;
        (bytes32 commitment,,,,,) = rollup.batches(batchIndex);
        return commitment == g.commitment;
    }

    /// @dev True for the statuses of a game in progress.
    function _isOpen(Types.GameStatus status) private pure returns (bool) {
        return status >= Types.GameStatus.AwaitingOpening && status <= Types.GameStatus.AwaitingStep;
    }

    /// @dev True iff the defender is to move at `status`.
    function _defenderToMove(Types.GameStatus status) private pure returns (bool) {
        return status == Types.GameStatus.AwaitingOpening || status == Types.GameStatus.AwaitingMidpoint;
    }
}
