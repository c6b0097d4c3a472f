// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IPoseidonT3, IPoseidonT9} from "../hashing/IPoseidon.sol";
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
    OpNotInBatch,
    OpProofLengthMismatch,
    UnexpectedOp,
    OpLengthMismatch,
    BlobHashesMismatch,
    PreStateMismatch,
    GameBatchInvalidated,
    GameBatchNotInvalidated,
    NoCredit,
    UnexpectedEthSender,
    GameAlreadyEnded,
    InsufficientChallengeBond,
    InvalidGameParameters
} from "../libraries/Errors.sol";
import {BlobOpenings, BlobReader} from "../libraries/BlobReader.sol";
import {IOneStepProver, MachineState, StepContext} from "./IOneStepProver.sol";
import {IDisputeGame, LeafReveal, OpProof, StateReveal} from "./IDisputeGame.sol";

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
///
///         Economics (docs/protocol.md §10, docs/disputes.md): a game belongs to one batch
///         instance and ends by dismissal once that instance is gone; the challenger buys its
///         clock with its bond (`clockPrice` wei per second), so holding a batch's finality back
///         for D seconds costs at least clockPrice·D; every game open on an instance proven
///         wrong shares the unburned half of the slash.
contract DisputeGame is IDisputeGame {
    /// @notice The rollup whose batches are disputed.
    IDisputableRollup public immutable rollup;

    /// @notice Re-executes the disputed step.
    IOneStepProver public immutable prover;

    /// @notice Poseidon with 2 inputs (state roots), the rollup's.
    IPoseidonT3 public immutable poseidonT3;

    /// @notice The least ETH a challenger posts; lost to the defender if the batch stands.
    uint256 public immutable challengeBond;

    /// @notice Wei per second of challenger clock: a bond `b` buys min(clockBudget, b / clockPrice).
    uint256 public immutable clockPrice;

    /// @notice Where the burned half of a slashed bond goes: the zero address, whose ETH no one
    ///         can spend.
    address public constant BURN_ADDRESS = address(0);

    /// @notice Seconds the defender may spend on its moves in one game, and the most a
    ///         challenger's clock can be.
    uint256 public immutable clockBudget;

    /// @notice Root of the empty withdrawal tree: every batch starts from it.
    uint256 public immutable emptyWithdrawalsRoot;

    /// @dev The games, by id.
    Types.Game[] internal _games;

    /// @notice ETH each account can take with claimCredit.
    mapping(address account => uint256 amount) public credits;

    /// @notice What each game open on a batch instance proven wrong receives besides its bond,
    ///         keyed keccak256(batchIndex, instance); paid to the others when they are dismissed.
    mapping(bytes32 instanceKey => uint256 share) public disprovenShare;

    /// @notice Games started when a batch instance was proven wrong (keyed as disprovenShare):
    ///         only games with a lower id can have been open on it then and share its reward.
    /// @dev    FIX (security branch): an index reused while no game is open on it keeps its
    ///         instance number (Rollup._newInstanceIfContested), so a game opened on the new batch
    ///         has the key of the disproven one; without this bound, dismissing it once the new
    ///         batch is removed too paid the old share a second time, out of other games' bonds.
    mapping(bytes32 instanceKey => uint256 gameCount) public disprovenAtGameCount;

    /// @notice A game proved a batch instance wrong; every game open on it shares the reward.
    /// @param batchIndex The batch index.
    /// @param instance   Its instance.
    /// @param games      Games open on it at that moment (the winner included).
    /// @param share      What each receives besides its bond.
    event InstanceDisproven(uint256 indexed batchIndex, uint256 instance, uint256 games, uint256 share);

    /// @param rollup_        The rollup (its predicted address: the rollup is deployed after
    ///                       this game and checks that it points back at it).
    /// @param prover_        The one-step prover.
    /// @param t3             Poseidon with 2 inputs (state roots), the rollup's.
    /// @param t9             Poseidon with 8 inputs (tree nodes), the rollup's.
    /// @param challengeBond_ The least challenge bond in wei.
    /// @param clockPrice_    Wei per second of challenger clock; challengeBond_ buys at least 1 s.
    /// @param clockBudget_   The defender's seconds per game, and the challenger's most; below 2^48.
    constructor(
        IDisputableRollup rollup_,
        IOneStepProver prover_,
        IPoseidonT3 t3,
        IPoseidonT9 t9,
        uint256 challengeBond_,
        uint256 clockPrice_,
        uint48 clockBudget_
    ) {
        // INVARIANT: every bond buys a clock; the minimum bond at least one second of it.
        if (clockPrice_ == 0 || challengeBond_ / clockPrice_ == 0 || clockBudget_ == 0) {
            revert InvalidGameParameters(challengeBond_, clockPrice_, clockBudget_);
        }
        rollup = rollup_;
        prover = prover_;
        poseidonT3 = t3;
        challengeBond = challengeBond_;
        clockPrice = clockPrice_;
        clockBudget = clockBudget_;
        uint256 root;
        uint256[8] memory children;
        for (uint256 height; height < Constants.WITHDRAWAL_LEVELS; ++height) {
            for (uint256 i; i < Constants.ARITY; ++i) {
                children[i] = root;
            }
            root = t9.hash(children);
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
        // INVARIANT: every game holds exactly its challenger's bond, which its outcome pays out.
        if (msg.value < challengeBond) revert InsufficientChallengeBond(msg.value, challengeBond);
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
        uint256 instance = rollup.gameOpened(batchIndex);
        // SAFETY: the bond buys the challenger's clock, so holding the batch's finality back for
        // D seconds takes a bond of at least clockPrice·D, lost if the batch stands.
        uint256 bought = msg.value / clockPrice;
        uint256 challengerClock = bought < clockBudget ? bought : clockBudget;

        gameId = _games.length;
        // SAFETY: stepCount ≤ MAX_BATCH_OPS + FEE_SLOTS < 2^32 (the rollup derives it), batch
        // indices stay below 2^64, timestamps below 2^64, clocks below 2^48 (constructor), and
        // instances below 2^96 (one per removed batch with open games).
        _games.push(
            Types.Game({
                challenger: msg.sender,
                lastMoveAt: uint64(block.timestamp),
                status: Types.GameStatus.AwaitingOpening,
                defender: proposer,
                defenderClock: uint48(clockBudget),
                challengerClock: uint48(challengerClock),
                commitment: commitment,
                stepsRoot: header.stepsRoot,
                batchIndex: uint64(batchIndex),
                stepCount: uint32(header.stepCount),
                lo: 0,
                hi: uint32(header.stepCount),
                instance: uint96(instance),
                loLeaf: bytes32(0),
                hiLeaf: bytes32(0),
                midLeaf: bytes32(0),
                bond: msg.value
            })
        );
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
        _expectBatchValid(g, gameId);
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
        _expectBatchValid(g, gameId);
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
        _expectBatchValid(g, gameId);
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
        OpProof calldata op,
        MachineState calldata pre,
        bytes calldata proof
    ) external {
        Types.Game storage g = _game(gameId);
        _checkStepMove(g, gameId, header, pre);
        StepContext memory ctx = _context(header);
        _resolveStep(g, gameId, prover.proveStep(ctx, _calldataOp(header, op, g.lo, ctx.l2Ops), g.lo, pre, proof));
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
        // INVARIANT: only a game whose batch instance is gone ends without a winner.
        if (_batchValid(g)) revert GameBatchNotInvalidated(gameId, batchIndex);
        g.status = Types.GameStatus.Dismissed;
        bytes32 key = _instanceKey(batchIndex, g.instance);
        uint256 refund = g.bond;
        // INVARIANT: a game open on an instance another game proved wrong shares that reward;
        // a game started after that (on a later batch with the same key) does not.
        if (gameId < disprovenAtGameCount[key]) refund += disprovenShare[key];
        credits[g.challenger] += refund;
        rollup.gameClosed(batchIndex, g.instance);
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
    ///      minBond) half is burned and half shared by every game open on the batch instance,
    ///      this one at once with its bond, the others when they are dismissed.
    function _challengerWins(Types.Game storage g, uint256 gameId, Types.GameEndReason reason) private {
        g.status = Types.GameStatus.ChallengerWon;
        uint256 batchIndex = g.batchIndex;
        uint256 instance = g.instance;
        address challenger = g.challenger;
        // SAFETY: the caller checked the instance is the batch's current one, so this game is
        // among its open games: games ≥ 1.
        uint256 games = rollup.openGames(batchIndex);
        rollup.gameClosed(batchIndex, instance);
        rollup.invalidateFrom(batchIndex);
        uint256 slashed = rollup.slash(g.defender, address(this), rollup.minBond());
        // SAFETY: half the slashed bond is burned, so a proposer that challenges its own wrong
        // batch (or front-runs the honest challenger) still loses at least half its bond.
        uint256 burned = slashed / 2;
        uint256 pot = slashed - burned;
        uint256 share = pot / games;
        bytes32 key = _instanceKey(batchIndex, instance);
        disprovenShare[key] = share;
        disprovenAtGameCount[key] = _games.length;
        emit InstanceDisproven(batchIndex, instance, games, share);
        // The rounding dust of the split goes to the winner.
        uint256 payout = g.bond + pot - share * (games - 1);
        credits[challenger] += payout;
        emit GameResolved(gameId, challenger, reason, payout);
        if (burned > 0) {
            emit SlashBurned(gameId, burned);
            (bool ok,) = BURN_ADDRESS.call{value: burned}("");
            if (!ok) revert EthTransferFailed(BURN_ADDRESS, burned);
        }
    }

    /// @dev The defender wins: the challenger's bond is credited to it; the batch stands.
    function _defenderWins(Types.Game storage g, uint256 gameId, Types.GameEndReason reason) private {
        g.status = Types.GameStatus.DefenderWon;
        address defender = g.defender;
        uint256 payout = g.bond;
        credits[defender] += payout;
        rollup.gameClosed(g.batchIndex, g.instance);
        emit GameResolved(gameId, defender, reason, payout);
    }

    /// @dev The key of a batch instance in disprovenShare.
    function _instanceKey(uint256 batchIndex, uint256 instance) private pure returns (bytes32) {
        return keccak256(abi.encode(batchIndex, instance));
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

    /// @dev The op step `step` reads from a calldata batch, checked against its opsRoot (the
    ///      header's dataHash, docs/protocol.md §8); empty for queue and fee steps.
    /// @param header The batch header.
    /// @param op     The op's record and its opsRoot path (both empty for queue and fee steps).
    /// @param step   The disputed step.
    /// @param l2Ops  The batch's L2 ops.
    /// @return The op's record.
    function _calldataOp(Types.BatchHeader calldata header, OpProof calldata op, uint256 step, uint256 l2Ops)
        private
        view
        returns (bytes calldata)
    {
        uint256 queueOps = header.queueEnd - header.queueStart;
        if (step < queueOps || step >= queueOps + l2Ops) {
            // INVARIANT: a step that reads no op is proven with none.
            if (op.record.length != 0 || op.path.length != 0) revert UnexpectedOp(step);
            return op.record;
        }
        uint256 recordSize = rollup.recordSize();
        // INVARIANT: the leaf is one whole record (never an inner node of 64 bytes).
        if (op.record.length != recordSize) revert OpLengthMismatch(op.record.length, recordSize);
        uint256 depth;
        while ((1 << depth) < l2Ops) ++depth;
        // INVARIANT: a path of the tree's exact depth, so no inner node passes for a leaf.
        if (op.path.length != depth) revert OpProofLengthMismatch(op.path.length, depth);
        uint256 opIndex = step - queueOps;
        bytes32 node = _keccakPathRoot(keccak256(op.record), opIndex, op.path);
        // INVARIANT: the step reads the op the batch committed to. SAFETY: a blob batch's
        // dataHash hashes 32·k bytes of versioned hashes; a path to it would need a keccak
        // preimage of a versioned hash (docs/protocol.md §8).
        if (node != header.dataHash) revert OpNotInBatch(opIndex, node, header.dataHash);
        return op.record;
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
        bytes32 node = _keccakPathRoot(leaf, index, proof);
        // INVARIANT: the defender reveals only the step hashes its batch committed to.
        if (node != root) revert StepLeafNotInRoot(index, leaf, root);
    }

    /// @dev The root of a binary keccak tree (node = keccak256(left ‖ right)) implied by `leaf`
    ///      at `index` and its siblings from the bottom up: the stepsRoot and opsRoot proofs
    ///      (core/commitments.ts stepsProof, opsProof). The callers check the path's length.
    function _keccakPathRoot(bytes32 leaf, uint256 index, bytes32[] calldata path) private pure returns (bytes32 node) {
        node = leaf;
        uint256 depth = path.length;
        for (uint256 height; height < depth; ++height) {
            bytes32 sibling = path[height];
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

    /// @dev Reverts if the batch instance was removed: such a game only ends by dismiss.
    function _expectBatchValid(Types.Game storage g, uint256 gameId) private view {
        // INVARIANT: a game never invalidates or pays on a batch that is no longer the one it disputes.
        if (!_batchValid(g)) revert GameBatchInvalidated(gameId, g.batchIndex);
    }

    /// @dev True iff the rollup still holds the disputed batch instance (not an identical batch
    ///      appended again after it was removed).
    function _batchValid(Types.Game storage g) private view returns (bool) {
        uint256 batchIndex = g.batchIndex;
        if (batchIndex >= rollup.batchCount()) return false;
        if (rollup.batchInstance(batchIndex) != g.instance) return false;
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
