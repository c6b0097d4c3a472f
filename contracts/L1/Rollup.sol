// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IPoseidonT3, IPoseidonT6, IPoseidonT9} from "../hashing/IPoseidon.sol";
import {Constants} from "../libraries/Constants.sol";
import {Types} from "../libraries/Types.sol";
import {
    EthTransferFailed,
    InvalidLevels,
    BridgeRollupMismatch,
    DisputeGameRollupMismatch,
    PayloadLengthNotMultiple,
    QueueEndBeyondQueue,
    QueueEndBeforeQueueStart,
    TooManyBatchOps,
    QueueEntryOverdue,
    InsufficientBond,
    BondLocked,
    BondWithdrawalExceedsBalance,
    BatchNotFound,
    ChallengeWindowOpen,
    BatchAlreadyFinalized,
    CallerNotDisputeGame,
    BatchContested,
    NoOpenGame,
    OptimisticSettlementDisabled,
    ProposerNotEOA,
    ZkVerifierNotSet,
    InvalidZkSlots,
    TooManyZkOps,
    ZkParentNotFinal,
    ZkDataCommitmentOutOfField,
    InvalidZkProof,
    ExodusActive,
    QueueIndexOutOfRange,
    QueueEntryConsumed,
    ExodusNotDue
} from "../libraries/Errors.sol";
import {IGroth16Verifier} from "../zk/IGroth16Verifier.sol";
import {BlobCountMismatch, BlobMissing, UnexpectedBlob} from "../libraries/Errors.sol";
import {IBridge} from "./interfaces/IBridge.sol";
import {IRollup, IDisputableRollup} from "./interfaces/IRollup.sol";

/// @dev What the rollup checks of the dispute game it is deployed with.
interface IRollupBound {
    function rollup() external view returns (address);
}

/// @title Rollup
/// @notice The chain of L2 batches: optimistic submissions with calldata or blob data
///         availability, ZK submissions with a validity proof, proposer bonds, the challenge
///         window and finality, the inclusion rule of the L1 queue, and the exodus
///         (docs/protocol.md §6, §8, §10, §11).
/// @dev    Finality: batch i is final once `block.timestamp >= submittedAt_i + challengeWindow`
///         and no game is open on it or an earlier batch. Batches are appended with
///         non-decreasing timestamps and one window, so a batch final by time has every earlier
///         batch final too. The bridge accepts a batch that is final by time; `finalizeUpTo`
///         only records it (`finalizedCount`) and emits events.
///
///         Submission pipeline: `_deriveHeader` / `_deriveRange` + `_appendBatch`, shared by the
///         calldata, blob and ZK paths. A dispute game invalidates batch i and every later one
///         by truncating `batches` to length i, which rolls `lastQueueEnd()` back to batch i's
///         queueStart and the state root back to batch i's preStateRoot; the entries it puts
///         back get a fresh deadline.
///
///         ZK batches (`submitZkBatch`): a Groth16 proof of the batch's execution replaces the
///         challenge window; the batch is final as soon as it is appended, which requires every
///         earlier batch to be final already, so finality stays a prefix of the chain. A final
///         batch can be neither disputed (`gameOpened` refuses it) nor invalidated.
///
///         Disputes: the dispute game (fixed at deployment) reports every game it opens and
///         closes; while a game on batch j is open, batch j and every later batch are not final
///         (`firstContested`). Games are counted per batch *instance*: appending at an index
///         whose previous batch still has open games starts a new instance, and the old games
///         neither count nor revive. A game the challenger wins calls `invalidateFrom` and `slash`.
///
///         Trust (docs/protocol.md §10): the admin grants and revokes PROPOSER_ROLE and nothing
///         else; the bridge, the dispute game and the ZK verifier are constructor arguments.
contract Rollup is IDisputableRollup, AccessControl {
    /// @notice Role allowed to submit batches (granted by the admin).
    bytes32 public constant PROPOSER_ROLE = keccak256("PROPOSER_ROLE");

    /// @notice The bridge holding the L1 queue and the funds.
    IBridge public immutable bridge;

    /// @notice Poseidon with 2 inputs: state roots, the domain, the ZK evaluation point.
    IPoseidonT3 public immutable poseidonT3;

    /// @notice Poseidon with 5 inputs (for the ZK public input).
    IPoseidonT6 public immutable poseidonT6;

    /// @notice Poseidon with 8 inputs: tree nodes.
    IPoseidonT9 public immutable poseidonT9;

    /// @notice Depth of the 8-ary account tree.
    uint256 public immutable levels;

    /// @notice Bytes of one optimistic L2 op in a payload: 2·ceil(3·levels/8) + 70.
    uint256 public immutable recordSize;

    /// @notice The L2 chain id, part of the signing domain.
    uint64 public immutable l2ChainId;

    /// @notice Seconds after submission during which a batch can be disputed.
    uint64 public immutable challengeWindow;

    /// @notice Bond a proposer must hold to submit.
    uint256 public immutable minBond;

    /// @notice Seconds an overdue queue entry waits, with no batch coming, before anyone may
    ///         activate the exodus.
    uint64 public immutable exodusDelay;

    /// @notice The bridge's inclusion window, the fresh deadline of entries an invalidation reopens.
    uint64 public immutable inclusionWindow;

    /// @notice State root of the empty L2: Poseidon_2(Z_levels, 2).
    uint256 public immutable genesisStateRoot;

    /// @notice The dispute game: the only caller of the dispute hooks (zero: no optimistic batches).
    address public immutable disputeGame;

    /// @notice The Groth16 verifier of ZK batches (zero: no ZK batches).
    IGroth16Verifier public immutable zkVerifier;

    /// @notice Step slots of the verifier's circuit: the most queue entries + L2 ops per ZK batch.
    uint256 public immutable zkSlots;

    /// @notice The batches, by index.
    Types.Batch[] public batches;

    /// @notice Number of batches recorded as final by finalizeUpTo (batches [0, finalizedCount)).
    uint256 public finalizedCount;

    /// @notice ETH bonded by each proposer.
    mapping(address proposer => uint256 amount) public bonds;

    /// @dev Index + 1 of each proposer's latest batch (0 = none).
    mapping(address proposer => uint256 indexPlusOne) internal _latestBatchPlusOne;

    /// @dev Open games and the instance number of each batch index (see batchInstance).
    ///
    ///         ┌────────────────────┬────────────────────┐
    ///         │ instance (128)     │ open games (128)   │
    ///         └────────────────────┴────────────────────┘
    struct IndexGames {
        uint128 instance;
        uint128 open;
    }

    /// @dev Per batch index: its instance number and the open games on that instance.
    mapping(uint256 index => IndexGames) internal _indexGames;

    /// @dev Levels of the bitmap over batch indices with open games (8 index bits per level).
    uint256 private constant CONTESTED_LEVELS = 4;

    /// @dev Bitmap of batch indices with open games, in CONTESTED_LEVELS levels of 256-bit words:
    ///      bit b of word w at level 0 is set iff the current instance of batch w·256 + b has
    ///      open games; bit b of word w at level l + 1 is set iff word w·256 + b of level l is
    ///      non-zero. Keyed `level << 64 | w`. Finding the earliest contested batch reads one word
    ///      per level.
    mapping(uint256 levelAndWord => uint256 bits) private _contested;

    /// @notice Queue entries below this index were put back by an invalidation; their effective
    ///         deadline is at least `reopenedDeadline` (docs/protocol.md §6).
    uint64 public reopenedEnd;

    /// @notice The fresh deadline of the entries below `reopenedEnd`.
    uint64 public reopenedDeadline;

    /// @notice True once the exodus is active (docs/protocol.md §11).
    bool public exodus;

    /// @dev The BN254 scalar field: the circuit's field, where y is evaluated.
    uint256 private constant FIELD_MODULUS =
        21888242871839275222246405745257275088548364400416034343698204186575808495617;

    /// @notice A batch was appended; carries every header field, so that a verifier rebuilds the
    ///         commitment from this event, the bridge's queue and the batch's data.
    /// @param index           The batch index.
    /// @param commitment      keccak256(abi.encode(Types.BatchHeader)).
    /// @param proposer        The submitter.
    /// @param preStateRoot    State root before the batch.
    /// @param postStateRoot   State root after the batch.
    /// @param withdrawalsRoot Root of the batch's withdrawal tree.
    /// @param stepsRoot       Keccak root over the step hashes.
    /// @param dataHash        The data commitment (docs/protocol.md §8).
    /// @param queueStart      First queue entry consumed.
    /// @param queueEnd        One past the last queue entry consumed.
    /// @param feeRecipient    Receiver of the fee payouts.
    /// @param feeTokens       Token id per fee slot.
    event BatchSubmitted(
        uint256 indexed index,
        bytes32 indexed commitment,
        address indexed proposer,
        uint256 preStateRoot,
        uint256 postStateRoot,
        uint256 withdrawalsRoot,
        bytes32 stepsRoot,
        bytes32 dataHash,
        uint64 queueStart,
        uint64 queueEnd,
        address feeRecipient,
        uint32[4] feeTokens
    );

    /// @notice A ZK batch was proven (right after its BatchSubmitted and before its
    ///         BatchFinalized). With BatchSubmitted's header fields, the bridge's queue and the
    ///         payload in the tx calldata, a verifier node recomputes everything the proof covers.
    /// @param index          The batch index.
    /// @param commitment     keccak256(abi.encode(Types.BatchHeader)).
    /// @param queueHashStart Bridge's rolling queue hash at queueStart.
    /// @param c              The circuit's commitment to the payload it proved.
    /// @param z              The evaluation point, Poseidon_2(c, keccak256(payload) mod r).
    /// @param y              Σ chunk_i·z^i over the posted payload's 31-byte chunks.
    /// @param publicInput    The proof's public input (docs/protocol.md §8).
    event ZkBatchProven(
        uint256 indexed index,
        bytes32 indexed commitment,
        uint256 queueHashStart,
        uint256 c,
        uint256 z,
        uint256 y,
        uint256 publicInput
    );

    /// @notice A batch was recorded as final.
    /// @param index The batch index.
    event BatchFinalized(uint256 indexed index);

    /// @notice Batches [fromIndex, fromIndex + count) were removed by a lost dispute (or, at
    ///         the exodus, for not being final).
    /// @param fromIndex The first batch removed.
    /// @param count     How many batches were removed.
    event BatchesInvalidated(uint256 indexed fromIndex, uint256 count);

    /// @notice Queue entries below `reopenedEnd` went back to the queue; none of them is overdue
    ///         before `reopenedDeadline`.
    /// @param reopenedEnd      One past the last entry with the fresh deadline.
    /// @param reopenedDeadline The fresh deadline.
    event QueueReopened(uint64 reopenedEnd, uint64 reopenedDeadline);

    /// @notice The rollup entered exodus (docs/protocol.md §11).
    /// @param queueIndex     The overdue queue entry that made it due.
    /// @param finalBatches   Batches kept (all final); the last one's post-state is the exit state.
    /// @param finalStateRoot The last final state root, from which accounts exit.
    /// @param finalQueueEnd  Queue entries from here on are refunded.
    event ExodusActivated(uint256 indexed queueIndex, uint256 finalBatches, uint256 finalStateRoot, uint64 finalQueueEnd);

    /// @notice Part of a proposer's bond was taken by a lost dispute.
    /// @param proposer The proposer.
    /// @param to       Who received it.
    /// @param amount   The amount taken.
    /// @param bond     The bond after.
    event BondSlashed(address indexed proposer, address indexed to, uint256 amount, uint256 bond);

    /// @notice A proposer added to its bond.
    /// @param proposer The proposer.
    /// @param amount   The amount added.
    /// @param bond     The bond after.
    event BondDeposited(address indexed proposer, uint256 amount, uint256 bond);

    /// @notice A proposer took back part of its bond.
    /// @param proposer The proposer.
    /// @param amount   The amount withdrawn.
    /// @param bond     The bond after.
    event BondWithdrawn(address indexed proposer, uint256 amount, uint256 bond);

    /// @notice Deploys the rollup; the bridge and the dispute game must have been deployed for
    ///         this address. Nothing of `config` can change afterwards.
    /// @param config The deployment (Types.RollupConfig).
    constructor(Types.RollupConfig memory config) {
        uint256 levels_ = config.levels;
        // INVARIANT: the depth is one the protocol defines (docs/protocol.md §1).
        if (levels_ < Constants.MIN_LEVELS || levels_ > Constants.MAX_LEVELS) revert InvalidLevels(levels_);
        IBridge bridge_ = IBridge(config.bridge);
        address bridgeRollup = bridge_.rollup();
        // INVARIANT: the bridge pays out only on this rollup's batches.
        if (bridgeRollup != address(this)) revert BridgeRollupMismatch(address(bridge_), bridgeRollup);
        if (config.disputeGame != address(0)) {
            address gameRollup = IRollupBound(config.disputeGame).rollup();
            // INVARIANT: the game that may invalidate and slash disputes only this rollup.
            if (gameRollup != address(this)) revert DisputeGameRollupMismatch(config.disputeGame, gameRollup);
        }
        // INVARIANT: a verifier comes with its circuit's slots, each with a withdrawal
        // position below the fee payouts; no verifier, no slots.
        if (
            (config.zkVerifier == address(0)) != (config.zkSlots == 0) || config.zkSlots > Constants.MAX_BATCH_OPS
        ) revert InvalidZkSlots(config.zkSlots);
        bridge = bridge_;
        poseidonT3 = IPoseidonT3(config.poseidonT3);
        poseidonT6 = IPoseidonT6(config.poseidonT6);
        poseidonT9 = IPoseidonT9(config.poseidonT9);
        levels = levels_;
        recordSize = 2 * ((3 * levels_ + 7) / 8) + 70;
        l2ChainId = config.l2ChainId;
        challengeWindow = config.challengeWindow;
        minBond = config.minBond;
        exodusDelay = config.exodusDelay;
        inclusionWindow = bridge_.inclusionWindow();
        disputeGame = config.disputeGame;
        zkVerifier = IGroth16Verifier(config.zkVerifier);
        zkSlots = config.zkSlots;
        uint256 emptyRoot;
        uint256[8] memory children;
        for (uint256 height; height < levels_; ++height) {
            for (uint256 i; i < Constants.ARITY; ++i) {
                children[i] = emptyRoot;
            }
            emptyRoot = IPoseidonT9(config.poseidonT9).hash(children);
        }
        genesisStateRoot = IPoseidonT3(config.poseidonT3).hash([emptyRoot, 2]);
        _grantRole(DEFAULT_ADMIN_ROLE, config.admin);
    }

    // ─── Views ─────────────────────────────────────────────────────────────────────────────

    /// @notice The signing domain: Poseidon_2(block.chainid·2^64 + l2ChainId, address(this))
    ///         (docs/protocol.md §3; core/keys.ts domainSeparator).
    /// @return The domain separator.
    function domain() public view returns (uint256) {
        return poseidonT3.hash([(block.chainid << 64) + l2ChainId, uint256(uint160(address(this)))]);
    }

    /// @notice Number of batches.
    /// @return The count.
    function batchCount() external view returns (uint256) {
        return batches.length;
    }

    /// @inheritdoc IRollup
    function lastQueueEnd() public view returns (uint64) {
        uint256 count = batches.length;
        return count == 0 ? 0 : uint64(batches[count - 1].queueEnd);
    }

    /// @inheritdoc IRollup
    function lastStateRoot() public view returns (uint256) {
        uint256 count = batches.length;
        return count == 0 ? genesisStateRoot : batches[count - 1].postStateRoot;
    }

    /// @notice The commitment of the latest batch (zero when there are none).
    /// @return The parent commitment of the next batch.
    function lastCommitment() public view returns (bytes32) {
        uint256 count = batches.length;
        return count == 0 ? bytes32(0) : batches[count - 1].commitment;
    }

    /// @inheritdoc IRollup
    function isFinal(uint256 index) public view returns (bool) {
        if (index >= batches.length) return false;
        if (index < finalizedCount) return true;
        return block.timestamp >= finalizableAt(index) && firstContested() > index;
    }

    /// @notice Number of batches final now: batches [0, finalBatchCount()) are final, the rest not.
    /// @return count The length of the final prefix.
    function finalBatchCount() public view returns (uint256 count) {
        uint256 lo = finalizedCount;
        uint256 hi = batches.length;
        // Timestamps are non-decreasing along the chain, so the batches past their window are a
        // prefix: find its end by bisection.
        while (lo < hi) {
            uint256 mid = (lo + hi) / 2;
            if (block.timestamp >= finalizableAt(mid)) lo = mid + 1;
            else hi = mid;
        }
        uint256 contested = firstContested();
        count = contested < lo ? contested : lo;
    }

    /// @notice The earliest batch index with an open dispute game (type(uint256).max if none).
    ///         That batch and every later one are not final.
    /// @return index The earliest contested batch index.
    function firstContested() public view returns (uint256 index) {
        for (uint256 level = CONTESTED_LEVELS; level > 0; --level) {
            uint256 bits = _contested[((level - 1) << 64) | index];
            // Only the top word can be empty here: a set bit above means a non-empty word below.
            if (bits == 0) return type(uint256).max;
            index = (index << 8) | _lowestSetBit(bits);
        }
    }

    /// @notice First timestamp at which a batch is final.
    /// @param index The batch, which must exist.
    /// @return submittedAt + challengeWindow.
    function finalizableAt(uint256 index) public view returns (uint256) {
        return uint256(batches[index].submittedAt) + challengeWindow;
    }

    /// @inheritdoc IRollup
    function withdrawalsRootOf(uint256 index) external view returns (uint256) {
        uint256 count = batches.length;
        // INVARIANT: only existing batches have a withdrawals root.
        if (index >= count) revert BatchNotFound(index, count);
        return batches[index].withdrawalsRoot;
    }

    /// @inheritdoc IDisputableRollup
    function batchInstance(uint256 index) external view returns (uint256) {
        return _indexGames[index].instance;
    }

    /// @inheritdoc IDisputableRollup
    function openGames(uint256 index) external view returns (uint256) {
        return _indexGames[index].open;
    }

    /// @notice The effective inclusion deadline of queue entry `index`: the bridge's, raised to
    ///         `reopenedDeadline` for entries an invalidation put back (docs/protocol.md §6).
    /// @param index Below the bridge's queue length.
    /// @return deadline The last timestamp at which a batch may leave the entry unconsumed.
    function effectiveDeadline(uint256 index) public view returns (uint64 deadline) {
        deadline = bridge.queueDeadline(index);
        if (index < reopenedEnd && reopenedDeadline > deadline) deadline = reopenedDeadline;
    }

    /// @notice The first timestamp after which `activateExodus(queueIndex)` succeeds, if no
    ///         batch consumes the entry before: max(effective deadline, last batch) + exodusDelay.
    /// @param queueIndex An entry no batch on the rollup consumed.
    /// @return The timestamp.
    function exodusDueAt(uint256 queueIndex) public view returns (uint256) {
        uint256 since = effectiveDeadline(queueIndex);
        uint256 count = batches.length;
        if (count != 0 && batches[count - 1].submittedAt > since) since = batches[count - 1].submittedAt;
        return since + exodusDelay;
    }

    // ─── Bonds ─────────────────────────────────────────────────────────────────────────────

    /// @notice Adds msg.value to the caller's bond.
    function depositBond() external payable {
        uint256 bond = bonds[msg.sender] + msg.value;
        bonds[msg.sender] = bond;
        emit BondDeposited(msg.sender, msg.value, bond);
    }

    /// @notice Sends `amount` of the caller's bond back to it; only while every batch it
    ///         submitted is final.
    /// @param amount The amount.
    function withdrawBond(uint256 amount) external {
        uint256 latest = _latestBatchPlusOne[msg.sender];
        uint256 count = batches.length;
        // A dispute removed the proposer's latest batch; its remaining batches lie below count.
        if (latest > count) latest = count;
        // INVARIANT: a bond backs its proposer's batches until they can no longer be disputed.
        if (latest != 0 && !isFinal(latest - 1)) revert BondLocked(msg.sender, latest - 1);
        uint256 bond = bonds[msg.sender];
        // INVARIANT: a proposer withdraws only its own bond.
        if (amount > bond) revert BondWithdrawalExceedsBalance(msg.sender, bond, amount);
        bonds[msg.sender] = bond - amount;
        emit BondWithdrawn(msg.sender, amount, bond - amount);
        (bool ok,) = msg.sender.call{value: amount}("");
        if (!ok) revert EthTransferFailed(msg.sender, amount);
    }

    // ─── Batches ───────────────────────────────────────────────────────────────────────────

    /// @notice Appends an optimistic batch whose L2 ops are `payload` (calldata data
    ///         availability). The rollup derives the index, queueStart, preStateRoot, the data
    ///         commitment (the opsRoot of the payload's records), step count and queueHashEnd.
    /// @param s       The proposer's claims: queueEnd, roots, fee recipient and fee tokens.
    /// @param payload The L2 ops, `recordSize` bytes each (docs/protocol.md §5).
    /// @return commitment The batch commitment.
    function submitBatch(Types.BatchSubmission calldata s, bytes calldata payload)
        external
        onlyRole(PROPOSER_ROLE)
        returns (bytes32 commitment)
    {
        _checkOptimisticProposer();
        uint256 size = recordSize;
        // INVARIANT: the payload decodes into whole L2 ops.
        if (payload.length % size != 0) revert PayloadLengthNotMultiple(payload.length, size);
        Types.BatchHeader memory header = _deriveHeader(s, _opsRoot(payload, size), payload.length / size);
        return _appendBatch(header, msg.sender);
    }

    /// @notice Appends a ZK batch whose L2 ops are `payload` (records of 2·idxBytes + 6 bytes,
    ///         no signatures: docs/protocol.md §5) with a validity proof, and records it as
    ///         final at once. The rollup derives the header as for `submitBatch` (stepsRoot 0,
    ///         dataHash keccak256(payload)), computes the evaluation point from the circuit's
    ///         commitment `c` and the payload it received, evaluates y there and recomputes the
    ///         public input (docs/protocol.md §8).
    /// @param s       The proposer's claims: queueEnd, roots, fee recipient and fee tokens.
    /// @param payload The L2 ops.
    /// @param c       The circuit's commitment to the payload it proved: Poseidon_2(h, length).
    /// @param proof   [A.x, A.y, B.x.c1, B.x.c0, B.y.c1, B.y.c0, C.x, C.y] (prover proofCalldata).
    /// @return commitment The batch commitment.
    function submitZkBatch(
        Types.ZkSubmission calldata s,
        bytes calldata payload,
        uint256 c,
        uint256[8] calldata proof
    ) external onlyRole(PROPOSER_ROLE) returns (bytes32 commitment) {
        _checkProposer();
        Types.BatchHeader memory header = _deriveZkHeader(s, payload, c);
        (uint256 queueHashStart, uint256 z, uint256 y, uint256 publicInput) = _checkZkProof(header, payload, c, proof);
        commitment = _appendBatch(header, msg.sender);
        emit ZkBatchProven(header.index, commitment, queueHashStart, c, z, y, publicInput);
        finalizedCount = header.index + 1;
        emit BatchFinalized(header.index);
    }

    /// @notice Records batches [finalizedCount, index] as final and emits BatchFinalized for each.
    ///         Permissionless; not required for claims.
    /// @param index The last batch to finalize.
    function finalizeUpTo(uint256 index) external {
        uint256 count = batches.length;
        // INVARIANT: only existing batches become final.
        if (index >= count) revert BatchNotFound(index, count);
        uint256 first = finalizedCount;
        // INVARIANT: each batch is finalized once.
        if (index < first) revert BatchAlreadyFinalized(index, first);
        uint256 readyAt = finalizableAt(index);
        // INVARIANT: a batch is final only after its challenge window (and so every earlier one's).
        if (block.timestamp < readyAt) revert ChallengeWindowOpen(index, readyAt);
        uint256 contested = firstContested();
        // INVARIANT: a batch stays disputable while a game on it or on an earlier batch is open.
        if (contested <= index) revert BatchContested(index, contested);
        finalizedCount = index + 1;
        for (uint256 i = first; i <= index; ++i) {
            emit BatchFinalized(i);
        }
    }

    // ─── Exodus (docs/protocol.md §11) ─────────────────────────────────────────────────────

    /// @notice Switches the rollup into exodus when queue entry `queueIndex` has been overdue
    ///         for `exodusDelay` and no batch consumed it or came in that time. Keeps the final
    ///         batches, removes the others, and stops batches, games and the queue for good.
    ///         Permissionless.
    /// @param queueIndex An entry no batch on the rollup consumed.
    function activateExodus(uint256 queueIndex) external {
        // INVARIANT: the exodus happens once.
        if (exodus) revert ExodusActive();
        uint256 queueLength = bridge.queueLength();
        // INVARIANT: only a recorded entry can be overdue.
        if (queueIndex >= queueLength) revert QueueIndexOutOfRange(queueIndex, queueLength);
        uint64 consumedEnd = lastQueueEnd();
        // INVARIANT: an entry a batch consumed is not being censored.
        if (queueIndex < consumedEnd) revert QueueEntryConsumed(queueIndex, consumedEnd);
        uint256 dueAt = exodusDueAt(queueIndex);
        // INVARIANT: an operator that posts (every batch after a deadline consumes the entry or a
        // full batch of the queue) is never switched off; one silent for exodusDelay is.
        if (block.timestamp <= dueAt) revert ExodusNotDue(queueIndex, dueAt);

        uint256 count = batches.length;
        uint256 kept = finalBatchCount();
        exodus = true;
        if (kept < count) {
            // SAFETY: truncation as in invalidateFrom; nothing is appended after this.
            assembly ("memory-safe") {
                sstore(batches.slot, kept)
            }
            emit BatchesInvalidated(kept, count - kept);
        }
        // Every kept batch is final; no loop over them, so activation costs the same whatever
        // their number (finalizeUpTo emits their BatchFinalized events for those who want them).
        finalizedCount = kept;
        emit ExodusActivated(queueIndex, kept, lastStateRoot(), lastQueueEnd());
    }

    // ─── Dispute hooks ─────────────────────────────────────────────────────────────────────

    /// @inheritdoc IDisputableRollup
    function gameOpened(uint256 index) external onlyDisputeGame returns (uint256 instance) {
        // INVARIANT: in exodus nothing is disputed any more.
        if (exodus) revert ExodusActive();
        uint256 count = batches.length;
        // INVARIANT: games are opened on existing batches only.
        if (index >= count) revert BatchNotFound(index, count);
        uint256 finalized = finalizedCount;
        // INVARIANT: a final batch (a proven ZK batch, or one past its window) is not disputed.
        if (index < finalized) revert BatchAlreadyFinalized(index, finalized);
        IndexGames memory games = _indexGames[index];
        // SAFETY: fewer than 2^128 games (each posts a bond) are ever open on one instance.
        _indexGames[index] = IndexGames({instance: games.instance, open: games.open + 1});
        // SAFETY: index < batches.length < 2^32 = 256^CONTESTED_LEVELS (a batch per block for
        // over 1,600 years at 12 s blocks).
        if (games.open == 0) _setContested(index, true);
        return games.instance;
    }

    /// @inheritdoc IDisputableRollup
    function gameClosed(uint256 index, uint256 instance) external onlyDisputeGame {
        IndexGames memory games = _indexGames[index];
        // A game of a removed instance was dropped from the count when the index was reused.
        if (instance != games.instance) return;
        // INVARIANT: each opened game is closed once.
        if (games.open == 0) revert NoOpenGame(index);
        _indexGames[index].open = games.open - 1;
        if (games.open == 1) _setContested(index, false);
    }

    /// @inheritdoc IDisputableRollup
    function invalidateFrom(uint256 index) external onlyDisputeGame {
        uint256 count = batches.length;
        // INVARIANT: only existing batches are invalidated.
        if (index >= count) revert BatchNotFound(index, count);
        uint256 finalized = finalizedCount;
        // INVARIANT: a final batch is never removed.
        if (index < finalized) revert BatchAlreadyFinalized(index, finalized);
        uint64 consumedEnd = lastQueueEnd();
        // SAFETY: truncates the array to `index` in O(1), whatever the number of later batches.
        // The removed elements' slots keep their old values but are out of bounds for every
        // read, and `push` rewrites all four slots of an element (slot 3's fields fill its 256
        // bits), so nothing stale is ever read back. lastQueueEnd, lastStateRoot and
        // lastCommitment now come from batch index - 1: the next batch starts where the
        // invalidated one started.
        assembly ("memory-safe") {
            sstore(batches.slot, index)
        }
        emit BatchesInvalidated(index, count - index);
        if (consumedEnd > lastQueueEnd()) {
            // INVARIANT: entries put back get a whole inclusion window again, however long the
            // dispute took, so an invalidation never makes every next batch impossible.
            uint64 end = consumedEnd > reopenedEnd ? consumedEnd : reopenedEnd;
            uint64 deadline = uint64(block.timestamp) + inclusionWindow;
            reopenedEnd = end;
            reopenedDeadline = deadline;
            emit QueueReopened(end, deadline);
        }
    }

    /// @inheritdoc IDisputableRollup
    function slash(address proposer, address to, uint256 amount) external onlyDisputeGame returns (uint256 slashed) {
        uint256 bond = bonds[proposer];
        slashed = amount < bond ? amount : bond;
        bonds[proposer] = bond - slashed;
        emit BondSlashed(proposer, to, slashed, bond - slashed);
        (bool ok,) = to.call{value: slashed}("");
        if (!ok) revert EthTransferFailed(to, slashed);
    }

    /// @dev Restricts the dispute hooks to the dispute game.
    modifier onlyDisputeGame() {
        address game = disputeGame;
        // INVARIANT: only the dispute game invalidates batches, slashes and holds back finality.
        if (msg.sender != game || game == address(0)) revert CallerNotDisputeGame(msg.sender, game);
        _;
    }

    // ─── Internals ─────────────────────────────────────────────────────────────────────────

    /// @dev Checks what every submission needs of its sender: no exodus, an EOA calling directly.
    function _checkProposer() internal view {
        // INVARIANT: in exodus the chain is frozen at its last final state.
        if (exodus) revert ExodusActive();
        // INVARIANT: the batch's data is the top-level calldata (or the blobs) of its own
        // transaction, so every node can read it back from L1. An EOA without code can call
        // the rollup only from the top of its own transaction; a contract, a constructor or an
        // EIP-7702-delegated account could pass a payload built in memory.
        if (msg.sender != tx.origin || msg.sender.code.length != 0) revert ProposerNotEOA(msg.sender);
    }

    /// @dev `_checkProposer`, a dispute game to dispute the batch, and the bond a dispute slashes.
    function _checkOptimisticProposer() internal view {
        _checkProposer();
        // INVARIANT: an optimistic batch is only as safe as the game that can disprove it.
        if (disputeGame == address(0)) revert OptimisticSettlementDisabled();
        uint256 bond = bonds[msg.sender];
        // INVARIANT: every batch is backed by a bond that a dispute can slash.
        if (bond < minBond) revert InsufficientBond(msg.sender, bond, minBond);
    }

    /// @dev The opsRoot of a calldata payload (docs/protocol.md §8): the binary keccak Merkle
    ///      root over keccak256(record_k), padded with zero leaves to a power of two; zero for no
    ///      records. A level's missing right-hand nodes are the root of an all-zero subtree of
    ///      that height, so only the nodes with a record below them are hashed.
    /// @param payload The records, `size` bytes each (checked by the caller).
    /// @param size    Bytes per record.
    /// @return root   The opsRoot.
    function _opsRoot(bytes calldata payload, uint256 size) internal pure returns (bytes32 root) {
        uint256 m = payload.length / size;
        if (m == 0) return bytes32(0);
        assembly ("memory-safe") {
            // The level's nodes, from the free memory pointer on; the record is copied past them.
            let nodes := mload(0x40)
            let scratch := add(nodes, shl(5, m))
            for { let k := 0 } lt(k, m) { k := add(k, 1) } {
                calldatacopy(scratch, add(payload.offset, mul(k, size)), size)
                mstore(add(nodes, shl(5, k)), keccak256(scratch, size))
            }
            // zero: the root of an all-zero subtree of the current height.
            let zero := 0
            for { let n := m } gt(n, 1) {} {
                let half := shr(1, add(n, 1))
                for { let k := 0 } lt(k, half) { k := add(k, 1) } {
                    let left := mload(add(nodes, shl(6, k)))
                    let right := zero
                    if lt(add(shl(1, k), 1), n) { right := mload(add(nodes, add(shl(6, k), 0x20))) }
                    mstore(0x00, left)
                    mstore(0x20, right)
                    mstore(add(nodes, shl(5, k)), keccak256(0x00, 0x40))
                }
                mstore(0x00, zero)
                mstore(0x20, zero)
                zero := keccak256(0x00, 0x40)
                n := half
            }
            root := mload(nodes)
        }
    }

    /// @dev Sets (or clears) the bit of `index` at level 0 and propagates to the levels above
    ///      as far as a word turns empty or non-empty.
    /// @param index     The batch index, below 2^32.
    /// @param contested Set (true) or clear (false).
    function _setContested(uint256 index, bool contested) private {
        for (uint256 level; level < CONTESTED_LEVELS; ++level) {
            uint256 key = (level << 64) | (index >> 8);
            uint256 bits = _contested[key];
            uint256 bit = 1 << (index & 0xff);
            uint256 updated = contested ? bits | bit : bits & ~bit;
            _contested[key] = updated;
            // The parent bit records only whether this word is empty.
            if ((bits == 0) == (updated == 0)) return;
            index >>= 8;
        }
    }

    /// @dev Position of the lowest set bit of a non-zero word.
    /// @param bits The word.
    /// @return position 0 to 255.
    function _lowestSetBit(uint256 bits) private pure returns (uint256 position) {
        // SAFETY: two's complement negation isolates the lowest set bit; no overflow is meant.
        unchecked {
            bits &= ~bits + 1;
        }
        for (uint256 shift = 128; shift > 0; shift >>= 1) {
            if (bits >> shift != 0) {
                bits >>= shift;
                position += shift;
            }
        }
    }

    /// @dev Checks the queue range of the next optimistic batch and derives its header.
    /// @param s        The proposer's claims.
    /// @param dataHash The data commitment.
    /// @param l2Ops    Number of L2 ops in the payload.
    /// @return header  The next batch's header.
    function _deriveHeader(Types.BatchSubmission calldata s, bytes32 dataHash, uint256 l2Ops)
        internal
        view
        returns (Types.BatchHeader memory header)
    {
        header = _deriveRange(s.queueEnd, l2Ops, false);
        header.dataHash = dataHash;
        header.postStateRoot = s.postStateRoot;
        header.withdrawalsRoot = s.withdrawalsRoot;
        header.stepsRoot = s.stepsRoot;
        header.feeRecipient = s.feeRecipient;
        header.feeTokens = s.feeTokens;
    }

    /// @dev Checks the queue range of the next batch and derives the header fields that do not
    ///      come from the proposer: index, parent, queue range and hash, preStateRoot, stepCount.
    /// @param queueEnd The proposer's queueEnd.
    /// @param l2Ops    Number of L2 ops in the payload.
    /// @param zk       A ZK batch (capacity zkSlots) rather than an optimistic one (MAX_BATCH_OPS).
    /// @return header  The next batch's header, the proposer's fields left zero.
    function _deriveRange(uint64 queueEnd, uint256 l2Ops, bool zk)
        internal
        view
        returns (Types.BatchHeader memory header)
    {
        uint64 queueStart = lastQueueEnd();
        // INVARIANT: queue entries are consumed in order, each once.
        if (queueEnd < queueStart) revert QueueEndBeforeQueueStart(queueEnd, queueStart);
        uint256 queueLength = bridge.queueLength();
        // INVARIANT: a batch consumes only entries the bridge recorded.
        if (queueEnd > queueLength) revert QueueEndBeyondQueue(queueEnd, queueLength);
        uint256 queued = queueEnd - queueStart;
        uint256 ops = queued + l2Ops;
        uint256 capacity = zk ? zkSlots : Constants.MAX_BATCH_OPS;
        if (ops > capacity) {
            // INVARIANT: the circuit proves at most `zkSlots` steps.
            if (zk) revert TooManyZkOps(ops, capacity);
            // INVARIANT: every step gets a withdrawal tree position below the fee payouts.
            revert TooManyBatchOps(ops, capacity);
        }
        if (queueEnd < queueLength && queued < capacity) {
            uint64 deadline = effectiveDeadline(queueEnd);
            // INVARIANT: no batch leaves an overdue entry behind unless it is full of queue
            // entries, so the sequencer cannot censor deposits and forced exits, and whatever
            // the queue holds some batch is always valid (docs/protocol.md §6).
            if (deadline < block.timestamp) revert QueueEntryOverdue(queueEnd, deadline);
        }
        uint256 index = batches.length;
        header.index = index;
        header.parentCommitment = lastCommitment();
        header.queueStart = queueStart;
        header.queueEnd = queueEnd;
        header.queueHashEnd = bridge.queueHash(queueEnd);
        header.preStateRoot = lastStateRoot();
        header.stepCount = ops + Constants.FEE_SLOTS;
    }

    /// @dev y = Σ d_i·z^i mod r over the payload's 31-byte big-endian chunks d_i, the last one
    ///      right-padded with zeros (docs/protocol.md §8), by Horner's rule from the last chunk.
    ///
    ///         payload  │ d_0 (31 B) │ d_1 (31 B) │ … │ d_c−1 (≤ 31 B, then zeros) │
    ///         y        = ((d_c−1·z + d_c−2)·z + …)·z + d_0
    /// @param payload The payload (calldata).
    /// @param z       The evaluation point, below r.
    /// @return y      The evaluation.
    function _evaluatePayload(bytes calldata payload, uint256 z) internal pure returns (uint256 y) {
        assembly ("memory-safe") {
            let length := payload.length
            let chunks := div(add(length, 30), 31)
            if chunks {
                let last := sub(chunks, 1)
                let at := add(payload.offset, mul(last, 31))
                // SAFETY: the bytes after the payload in calldata (ABI padding, or anything a
                // caller put there) are masked out: only the last chunk's own bytes stay.
                let own := sub(length, mul(last, 31))
                let mask := not(shr(mul(own, 8), not(0)))
                y := shr(8, and(calldataload(at), mask))
                for {} gt(at, payload.offset) {} {
                    at := sub(at, 31)
                    y := addmod(mulmod(y, z, FIELD_MODULUS), shr(8, calldataload(at)), FIELD_MODULUS)
                }
            }
        }
    }

    /// @dev The circuit's public input (docs/protocol.md §8):
    ///      Poseidon_5(Poseidon_5(domain, pre, post, withdrawals, queueHashStart), queueHashEnd,
    ///      z, y, Poseidon_2(feeRecipient, Σ feeTokens[j]·2^(32j) + payloadLength·2^128)).
    /// @param header         The batch header.
    /// @param queueHashStart Bridge's queue hash at queueStart.
    /// @param z              The evaluation point.
    /// @param y              The payload's evaluation at z.
    /// @param payloadLength  Bytes of the posted payload.
    /// @return The public input.
    function _zkPublicInput(
        Types.BatchHeader memory header,
        uint256 queueHashStart,
        uint256 z,
        uint256 y,
        uint256 payloadLength
    ) internal view returns (uint256) {
        uint256 inner = poseidonT6.hash(
            [
                domain(),
                header.preStateRoot,
                header.postStateRoot,
                header.withdrawalsRoot,
                queueHashStart
            ]
        );
        uint256 packed = payloadLength << 128;
        for (uint256 j; j < Constants.FEE_SLOTS; ++j) {
            packed |= uint256(header.feeTokens[j]) << (32 * j);
        }
        uint256 fees = poseidonT3.hash([uint256(uint160(header.feeRecipient)), packed]);
        return poseidonT6.hash([inner, header.queueHashEnd, z, y, fees]);
    }

    /// @dev Checks a ZK submission against the rollup and derives its header (stepsRoot 0).
    /// @param s       The proposer's claims.
    /// @param payload The L2 ops.
    /// @param c       The circuit's data commitment.
    /// @return header The next batch's header.
    function _deriveZkHeader(Types.ZkSubmission calldata s, bytes calldata payload, uint256 c)
        internal
        view
        returns (Types.BatchHeader memory header)
    {
        // INVARIANT: ZK batches are accepted only against the deployment's circuit.
        if (address(zkVerifier) == address(0)) revert ZkVerifierNotSet();
        uint256 count = batches.length;
        // INVARIANT: finality is a prefix of the chain: a final batch has only final parents.
        if (count != 0 && !isFinal(count - 1)) revert ZkParentNotFinal(count - 1);
        uint256 zkRecordSize = recordSize - 64;
        // INVARIANT: the payload decodes into whole L2 ops.
        if (payload.length % zkRecordSize != 0) revert PayloadLengthNotMultiple(payload.length, zkRecordSize);
        // INVARIANT: c is the field element the circuit computed.
        if (c >= FIELD_MODULUS) revert ZkDataCommitmentOutOfField(c);
        header = _deriveRange(s.queueEnd, payload.length / zkRecordSize, true);
        header.dataHash = keccak256(payload);
        header.postStateRoot = s.postStateRoot;
        header.withdrawalsRoot = s.withdrawalsRoot;
        header.feeRecipient = s.feeRecipient;
        header.feeTokens = s.feeTokens;
    }

    /// @dev Computes the evaluation point from both data commitments, evaluates the posted
    ///      payload there, recomputes the public input of a ZK batch and verifies its proof.
    /// @param header  The header from _deriveZkHeader (dataHash = keccak256(payload)).
    /// @param payload The L2 ops.
    /// @param c       The circuit's data commitment.
    /// @param proof   The proof (submitZkBatch's layout).
    /// @return queueHashStart Bridge's queue hash at queueStart.
    /// @return z              Poseidon_2(c, keccak256(payload) mod r).
    /// @return y              The payload's evaluation at z.
    /// @return publicInput    The public input the proof verified against.
    function _checkZkProof(
        Types.BatchHeader memory header,
        bytes calldata payload,
        uint256 c,
        uint256[8] calldata proof
    ) internal view returns (uint256 queueHashStart, uint256 z, uint256 y, uint256 publicInput) {
        queueHashStart = bridge.queueHash(header.queueStart);
        // SAFETY: z depends on the payload as this contract received it (e) and on the one the
        // circuit proved (c), so neither can be chosen after z is known (docs/protocol.md §8).
        z = poseidonT3.hash([c, uint256(header.dataHash) % FIELD_MODULUS]);
        y = _evaluatePayload(payload, z);
        publicInput = _zkPublicInput(header, queueHashStart, z, y, payload.length);
        bool valid = zkVerifier.verifyProof(
            [proof[0], proof[1]], [[proof[2], proof[3]], [proof[4], proof[5]]], [proof[6], proof[7]], [publicInput]
        );
        // INVARIANT: a ZK batch is appended only with a proof of exactly these public data.
        if (!valid) revert InvalidZkProof(header.index, publicInput);
    }

    /// @dev Starts a new instance of batch index `index` if games of a removed batch are still
    ///      open there: they no longer count, and can only be dismissed.
    function _newInstanceIfContested(uint256 index) private {
        IndexGames memory games = _indexGames[index];
        if (games.open == 0) return;
        // INVARIANT: games of a removed batch never count for, nor revive on, a new batch at its
        // index, even an identical one (docs/protocol.md §10).
        // SAFETY: an instance is added only per removed batch with open games (each removal
        // costs a lost game and a bond), far below 2^128.
        _indexGames[index] = IndexGames({instance: games.instance + 1, open: 0});
        _setContested(index, false);
    }

    /// @dev Stores the batch, binds the proposer's bond to it, starts a new instance of the index
    ///      if games of a removed batch are still open there, and emits BatchSubmitted.
    /// @param header   The header from _deriveHeader.
    /// @param proposer The submitter.
    /// @return commitment keccak256(abi.encode(header)).
    function _appendBatch(Types.BatchHeader memory header, address proposer) internal returns (bytes32 commitment) {
        commitment = keccak256(abi.encode(header));
        _newInstanceIfContested(header.index);
        // SAFETY: queueEnd <= bridge.queueLength() and timestamps stay below 2^48 for millions
        // of years; one queue entry costs > 20k gas, so 2^48 entries are out of reach.
        batches.push(
            Types.Batch({
                commitment: commitment,
                postStateRoot: header.postStateRoot,
                withdrawalsRoot: header.withdrawalsRoot,
                proposer: proposer,
                submittedAt: uint48(block.timestamp),
                queueEnd: uint48(header.queueEnd)
            })
        );
        _latestBatchPlusOne[proposer] = header.index + 1;
        emit BatchSubmitted(
            header.index,
            commitment,
            proposer,
            header.preStateRoot,
            header.postStateRoot,
            header.withdrawalsRoot,
            header.stepsRoot,
            header.dataHash,
            header.queueStart,
            header.queueEnd,
            header.feeRecipient,
            header.feeTokens
        );
    }

    // ─── Blob batches (EIP-4844 data availability) ─────────────────────────────────────────
    //
    // A blob batch carries its payload in the blobs of its own type-3 transaction instead of
    // in calldata (docs/protocol.md §9). The contract cannot read blob contents; it records
    // their versioned hashes (BLOBHASH) as the data commitment, and derives everything else
    // as for a calldata batch from the payload length the proposer states. A node reads the
    // blobs from a Beacon API, checks them against the versioned hashes and decodes them.

    /// @notice Data availability kind of a batch whose payload is in blobs.
    uint8 public constant DA_BLOBS = 1;

    /// @dev Stream bytes per blob: 4096 field elements × 31 data bytes (docs/protocol.md §9).
    uint256 private constant BLOB_DATA_BYTES = 126_976;

    /// @dev Bytes of the blob stream's header (version, payload length), one element's data.
    uint256 private constant BLOB_HEADER_BYTES = 31;

    /// @notice Where a batch's data is, emitted right after its BatchSubmitted by
    ///         `submitBlobBatch` (calldata batches have their payload in their transaction).
    /// @param index         The batch index.
    /// @param daKind        DA_BLOBS.
    /// @param payloadLength Bytes of the payload the blobs encode.
    /// @param blobHashes    The versioned hashes of the batch's blobs, in order; the batch's
    ///                      dataHash is keccak256 of their concatenation.
    event BatchDataPosted(uint256 indexed index, uint8 daKind, uint256 payloadLength, bytes32[] blobHashes);

    /// @notice Appends an optimistic batch whose L2 ops are in the blobs of this transaction
    ///         (EIP-4844 data availability): the blobs encode a payload of `payloadLength`
    ///         bytes (docs/protocol.md §9), and every blob of the transaction belongs to the
    ///         batch. dataHash = keccak256(versioned hash 0 ‖ … ‖ versioned hash blobCount−1);
    ///         the header is derived as for `submitBatch`.
    /// @param s             The proposer's claims: queueEnd, roots, fee recipient and fee tokens.
    /// @param payloadLength Bytes of the payload, `recordSize` per L2 op.
    /// @param blobCount     Blobs of the transaction: exactly those the payload length takes.
    /// @return commitment The batch commitment.
    function submitBlobBatch(Types.BatchSubmission calldata s, uint256 payloadLength, uint256 blobCount)
        external
        onlyRole(PROPOSER_ROLE)
        returns (bytes32 commitment)
    {
        _checkOptimisticProposer();
        // INVARIANT: the payload decodes into whole L2 ops.
        if (payloadLength % recordSize != 0) revert PayloadLengthNotMultiple(payloadLength, recordSize);
        uint256 expected = (BLOB_HEADER_BYTES + payloadLength + BLOB_DATA_BYTES - 1) / BLOB_DATA_BYTES;
        // INVARIANT: the blob count follows from the length, so one payload has one encoding.
        if (blobCount != expected) revert BlobCountMismatch(blobCount, expected);
        bytes32[] memory blobHashes = new bytes32[](blobCount);
        for (uint256 i; i < blobCount; ++i) {
            bytes32 h = blobhash(i);
            // INVARIANT: the data the batch commits to was posted with it.
            if (h == bytes32(0)) revert BlobMissing(i);
            blobHashes[i] = h;
        }
        // INVARIANT: no blob of the transaction is left out of the commitment.
        if (blobhash(blobCount) != bytes32(0)) revert UnexpectedBlob(blobCount);
        Types.BatchHeader memory header = _deriveHeader(s, keccak256(abi.encodePacked(blobHashes)), payloadLength / recordSize);
        commitment = _appendBatch(header, msg.sender);
        emit BatchDataPosted(header.index, DA_BLOBS, payloadLength, blobHashes);
    }
}
