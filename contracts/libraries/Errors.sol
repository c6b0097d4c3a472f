// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

// ─── Bridge: token registry ────────────────────────────────────────────────────────────────

/// @notice The token id has not been registered.
/// @param tokenId The unknown id.
error UnknownToken(uint32 tokenId);

/// @notice The token already has an id.
/// @param token   The token address.
/// @param tokenId Its existing id.
error TokenAlreadyRegistered(address token, uint32 tokenId);

/// @notice The address to register holds no code, so it cannot be an ERC20.
/// @param token The address.
error TokenNotContract(address token);

/// @notice Every token id below NO_TOKEN is taken.
/// @param nextTokenId The id that would have been assigned.
error TokenIdsExhausted(uint32 nextTokenId);

// ─── Bridge: the L1 queue ──────────────────────────────────────────────────────────────────

/// @notice msg.value does not match what the call requires (the amount for ETH, 0 for ERC20).
/// @param sent     msg.value.
/// @param expected The required value.
error IncorrectEthValue(uint256 sent, uint256 expected);

/// @notice The public key is not a point of BabyJubJub (or a coordinate is not below r).
/// @param ax The x coordinate.
/// @param ay The y coordinate.
error PublicKeyNotOnCurve(uint256 ax, uint256 ay);

/// @notice The deposit would make the bridge hold more than MAX_BALANCE of the token.
/// @param tokenId The token.
/// @param locked  What the bridge holds of it now.
/// @param amount  The deposit.
error LockedAmountExceedsCap(uint32 tokenId, uint256 locked, uint256 amount);

/// @notice The bridge received a different amount of the ERC20 than was deposited
///         (a fee-on-transfer or rebasing token).
/// @param token    The token.
/// @param expected The deposited amount.
/// @param received The bridge's balance increase.
error TransferAmountMismatch(address token, uint256 expected, uint256 received);

// ─── Bridge: withdrawal claims ─────────────────────────────────────────────────────────────

/// @notice The batch does not exist or its challenge window has not passed.
/// @param batchIndex The batch.
error BatchNotFinal(uint256 batchIndex);

/// @notice This withdrawal leaf has already been paid.
/// @param batchIndex The batch.
/// @param position   The leaf's position in the batch's withdrawal tree.
error WithdrawalAlreadyClaimed(uint256 batchIndex, uint256 position);

/// @notice The leaf and proof do not hash to the batch's withdrawals root.
/// @param batchIndex The batch.
/// @param position   The claimed position.
error InvalidWithdrawalProof(uint256 batchIndex, uint256 position);

/// @notice The position is outside the withdrawal tree (8^5 positions).
/// @param position The position.
error PositionOutOfRange(uint256 position);

/// @notice A withdrawal amount above MAX_BALANCE, which no withdrawal leaf can hold.
/// @param amount The amount.
error WithdrawalAmountOutOfRange(uint256 amount);

/// @notice Sending ETH to the recipient failed.
/// @param recipient The recipient.
/// @param amount    The amount.
error EthTransferFailed(address recipient, uint256 amount);

// ─── Rollup: deployment ────────────────────────────────────────────────────────────────────

/// @notice The account tree depth is outside [1, 10].
/// @param levels The depth.
error InvalidLevels(uint256 levels);

/// @notice The bridge was deployed for another rollup address.
/// @param bridge       The bridge.
/// @param bridgeRollup The rollup address the bridge holds.
error BridgeRollupMismatch(address bridge, address bridgeRollup);

// ─── Rollup: batch submission ──────────────────────────────────────────────────────────────

/// @notice The payload is not a whole number of L2 op records.
/// @param length     The payload length in bytes.
/// @param recordSize Bytes of one L2 op.
error PayloadLengthNotMultiple(uint256 length, uint256 recordSize);

/// @notice The batch consumes queue entries the bridge does not have.
/// @param queueEnd    The batch's queueEnd.
/// @param queueLength Entries in the bridge's queue.
error QueueEndBeyondQueue(uint64 queueEnd, uint256 queueLength);

/// @notice The batch's queueEnd precedes the first unconsumed entry.
/// @param queueEnd   The batch's queueEnd.
/// @param queueStart The first unconsumed entry.
error QueueEndBeforeQueueStart(uint64 queueEnd, uint64 queueStart);

/// @notice Queue entries plus L2 ops exceed MAX_BATCH_OPS.
/// @param ops Queue entries plus L2 ops in the batch.
/// @param max MAX_BATCH_OPS.
error TooManyBatchOps(uint256 ops, uint256 max);

/// @notice The batch leaves a queue entry unconsumed past its inclusion deadline.
/// @param index    The first entry the batch does not consume.
/// @param deadline Its inclusion deadline.
error QueueEntryOverdue(uint256 index, uint64 deadline);

// ─── Rollup: bonds ─────────────────────────────────────────────────────────────────────────

/// @notice The proposer's bond is below what the action requires.
/// @param proposer The proposer.
/// @param bond     Its bond.
/// @param required The minimum bond.
error InsufficientBond(address proposer, uint256 bond, uint256 required);

/// @notice The proposer's bond backs a batch that is not final yet.
/// @param proposer   The proposer.
/// @param batchIndex Its latest batch.
error BondLocked(address proposer, uint256 batchIndex);

/// @notice The withdrawal exceeds the proposer's bond.
/// @param proposer The proposer.
/// @param bond     Its bond.
/// @param amount   The requested amount.
error BondWithdrawalExceedsBalance(address proposer, uint256 bond, uint256 amount);

// ─── Rollup: finality ──────────────────────────────────────────────────────────────────────

/// @notice No batch has this index.
/// @param index      The index.
/// @param batchCount Number of batches.
error BatchNotFound(uint256 index, uint256 batchCount);

/// @notice The batch's challenge window has not passed.
/// @param index         The batch.
/// @param finalizableAt First timestamp at which it is final.
error ChallengeWindowOpen(uint256 index, uint256 finalizableAt);

/// @notice The batch was already finalized.
/// @param index          The batch.
/// @param finalizedCount Number of batches finalized so far.
error BatchAlreadyFinalized(uint256 index, uint256 finalizedCount);

// ─── Dispute: one-step prover ──────────────────────────────────────────────────────────────

/// @notice The step index is not a step of the batch (queue entries + L2 ops + FEE_SLOTS).
/// @param step      The step.
/// @param stepCount Steps in the batch.
error StepOutOfRange(uint256 step, uint256 stepCount);

/// @notice An L2 op step was given an op of the wrong length.
/// @param length     Bytes given.
/// @param recordSize Bytes of an op record at this tree depth.
error OpLengthMismatch(uint256 length, uint256 recordSize);

/// @notice The witnessed queue entry does not hash to the bridge's rolling queue hash.
/// @param index    The entry's queue index.
/// @param expected bridge.queueHash(index + 1).
/// @param computed Poseidon_5(bridge.queueHash(index), head, amount, Ax, Ay) of the witness.
error QueueEntryMismatch(uint256 index, uint256 expected, uint256 computed);

/// @notice The witnessed queue entry has a kind the bridge never writes.
/// @param kind The kind.
error UnknownQueueKind(uint8 kind);

/// @notice An account proof has the wrong number of levels.
/// @param index    The account index.
/// @param expected The tree depth.
/// @param actual   Levels in the proof.
error AccountProofLength(uint256 index, uint256 expected, uint256 actual);

/// @notice The witnessed account leaf and siblings do not hash to the account root.
/// @param index    The account index.
/// @param root     The root the proof must reach.
/// @param computed The root it reaches.
error AccountProofMismatch(uint256 index, uint256 root, uint256 computed);

/// @notice The witnessed siblings do not prove an empty withdrawal slot under the withdrawals root.
/// @param position The slot's position.
/// @param root     The withdrawals root.
/// @param computed The root the proof reaches.
error WithdrawalSlotMismatch(uint256 position, uint256 root, uint256 computed);

/// @notice The square-root hint of a packed BabyJubJub point is neither a root of x² nor a
///         non-residue certificate (BabyJubJub.decompress).
/// @param y    The point's y.
/// @param hint The hint.
error InvalidSqrtHint(uint256 y, uint256 hint);

// ─── Rollup: dispute hooks ─────────────────────────────────────────────────────────────────

/// @notice The dispute game was built for another rollup.
/// @param game       The dispute game.
/// @param gameRollup The rollup it points at.
error DisputeGameRollupMismatch(address game, address gameRollup);

/// @notice This rollup was deployed without a dispute game, so it accepts no optimistic batches.
error OptimisticSettlementDisabled();

/// @notice Batches are appended only by an externally owned account without code calling the
///         rollup directly, so the payload is in the calldata of its own transaction.
/// @param proposer The caller.
error ProposerNotEOA(address proposer);

/// @notice Only the dispute game may call this.
/// @param caller The caller.
/// @param game   The dispute game (zero while unset).
error CallerNotDisputeGame(address caller, address game);

/// @notice A dispute game is open on this batch or an earlier one, so it cannot become final.
/// @param index          The batch.
/// @param contestedIndex The earliest batch with an open game.
error BatchContested(uint256 index, uint256 contestedIndex);

/// @notice The batch has no open dispute game to close.
/// @param index The batch.
error NoOpenGame(uint256 index);

// ─── Exodus (docs/protocol.md §11) ─────────────────────────────────────────────────────────

/// @notice The rollup is in exodus: no batches, games or queue entries any more.
error ExodusActive();

/// @notice The exodus has not been activated.
error ExodusNotActive();

/// @notice The queue entry has no index in the queue.
/// @param index       The index given.
/// @param queueLength Entries in the queue.
error QueueIndexOutOfRange(uint256 index, uint256 queueLength);

/// @notice A batch on the rollup (or, in exodus, a final batch) consumed this queue entry.
/// @param index    The entry.
/// @param queueEnd The first entry no such batch consumed.
error QueueEntryConsumed(uint256 index, uint256 queueEnd);

/// @notice The exodus may be activated for this entry only later.
/// @param index The entry.
/// @param dueAt The first timestamp after which it may (max(effective deadline, last batch) + exodusDelay).
error ExodusNotDue(uint256 index, uint256 dueAt);

/// @notice The exit is against another state than the last final one.
/// @param stateRoot Poseidon_2(accountsRoot, nextAccountIndex) as given.
/// @param expected  The last final state root.
error ExodusStateRootMismatch(uint256 stateRoot, uint256 expected);

/// @notice Only the account's L1 owner may take its balance out in exodus.
/// @param accountIdx The account.
/// @param sender     The caller.
/// @param owner      The account's ethAddr.
error NotAccountOwner(uint256 accountIdx, address sender, address owner);

/// @notice The account's balance in the last final state is zero.
/// @param accountIdx The account.
error NothingToWithdraw(uint256 accountIdx);

/// @notice The account's balance was already paid out in exodus.
/// @param accountIdx The account.
error AccountAlreadyExited(uint256 accountIdx);

/// @notice The account leaf and siblings do not lead to the given accounts root.
/// @param accountIdx The account.
/// @param root       The accounts root given.
/// @param computed   The root the proof leads to.
error InvalidAccountProof(uint256 accountIdx, uint256 root, uint256 computed);

/// @notice The queue entry deposited nothing (a forced exit, or an amount of 0).
/// @param index The entry.
error NothingToRefund(uint256 index);

/// @notice The queue entry's deposit was already refunded.
/// @param index The entry.
error DepositAlreadyRefunded(uint256 index);

// ─── Dispute game ──────────────────────────────────────────────────────────────────────────

/// @notice No game has this id.
/// @param gameId    The id.
/// @param gameCount Number of games started.
error GameNotFound(uint256 gameId, uint256 gameCount);

/// @notice The header does not hash to the batch's stored commitment.
/// @param batchIndex The batch.
/// @param commitment keccak256(abi.encode(header)).
/// @param expected   The commitment the rollup (or the game) holds.
error HeaderMismatch(uint256 batchIndex, bytes32 commitment, bytes32 expected);

/// @notice The batch's challenge window has passed, so it can no longer be challenged.
/// @param batchIndex    The batch.
/// @param finalizableAt The end of its challenge window.
error ChallengeWindowClosed(uint256 batchIndex, uint256 finalizableAt);

/// @notice The move does not fit where the game stands (not this move's turn, or the game ended).
/// @param gameId   The game.
/// @param status   Its status (Types.GameStatus).
/// @param expected The status the move requires.
error UnexpectedGameStatus(uint256 gameId, uint8 status, uint8 expected);

/// @notice Only the game's challenger makes the challenger's moves.
/// @param gameId     The game.
/// @param caller     The caller.
/// @param challenger The challenger.
error CallerNotChallenger(uint256 gameId, address caller, address challenger);

/// @notice The party to move has spent its clock; the other party may call timeout.
/// @param gameId    The game.
/// @param elapsed   Seconds since the last move.
/// @param remaining Seconds the mover had left at the last move.
error ClockExpired(uint256 gameId, uint256 elapsed, uint256 remaining);

/// @notice The party to move still has time.
/// @param gameId    The game.
/// @param elapsed   Seconds since the last move.
/// @param remaining Seconds the mover had left at the last move.
error ClockNotExpired(uint256 gameId, uint256 elapsed, uint256 remaining);

/// @notice A steps-root proof has the wrong number of siblings for the batch's step count.
/// @param length   Siblings given.
/// @param expected ceil(log2(stepCount + 1)).
error StepProofLengthMismatch(uint256 length, uint256 expected);

/// @notice The step hash and proof do not hash to the batch's stepsRoot.
/// @param index     The step hash index.
/// @param leaf      The step hash.
/// @param stepsRoot The batch's stepsRoot.
error StepLeafNotInRoot(uint256 index, bytes32 leaf, bytes32 stepsRoot);

/// @notice The revealed first machine state is not the batch's pre-state.
/// @param stateRoot    Poseidon_2(accountsRoot, nextAccountIndex) of the revealed state.
/// @param preStateRoot The header's preStateRoot.
error StartStateRootMismatch(uint256 stateRoot, uint256 preStateRoot);

/// @notice The revealed first machine state does not start from the empty withdrawal tree.
/// @param withdrawalsRoot The revealed withdrawals root.
/// @param emptyRoot       The empty withdrawal tree's root.
error StartWithdrawalsRootNotEmpty(uint256 withdrawalsRoot, uint256 emptyRoot);

/// @notice The revealed first machine state has collected fees before the first step.
/// @param slot  The fee slot.
/// @param total Its fee total.
error StartFeeTotalNotZero(uint256 slot, uint256 total);

/// @notice The revealed last machine state is not the header's post-state.
/// @param stateRoot     Poseidon_2(accountsRoot, nextAccountIndex) of the revealed state.
/// @param postStateRoot The header's postStateRoot.
error EndStateRootMismatch(uint256 stateRoot, uint256 postStateRoot);

/// @notice The revealed last machine state's withdrawal tree is not the header's.
/// @param withdrawalsRoot The revealed withdrawals root.
/// @param expected        The header's withdrawalsRoot.
error EndWithdrawalsRootMismatch(uint256 withdrawalsRoot, uint256 expected);

/// @notice The op and its path do not lead to the batch's opsRoot (docs/protocol.md §8).
/// @param opIndex  The op's index among the batch's L2 ops.
/// @param root     The root the op and path lead to.
/// @param expected The header's dataHash.
error OpNotInBatch(uint256 opIndex, bytes32 root, bytes32 expected);

/// @notice The op's opsRoot path has the wrong number of siblings.
/// @param length   Siblings given.
/// @param expected ceil(log2(max(L2 ops, 1))).
error OpProofLengthMismatch(uint256 length, uint256 expected);

/// @notice A queue or fee step reads no op, so its proof carries none.
/// @param step The step.
error UnexpectedOp(uint256 step);

/// @notice The pre-state given to the one-step proof is not the agreed step hash.
/// @param stepHash keccak256(abi.encode(pre)).
/// @param expected The defender's step hash at lo.
error PreStateMismatch(bytes32 stepHash, bytes32 expected);

/// @notice The game's batch was invalidated (by another game); only dismiss ends this game.
/// @param gameId     The game.
/// @param batchIndex The batch.
error GameBatchInvalidated(uint256 gameId, uint256 batchIndex);

/// @notice The game's batch is still in the rollup, so the game cannot be dismissed.
/// @param gameId     The game.
/// @param batchIndex The batch.
error GameBatchNotInvalidated(uint256 gameId, uint256 batchIndex);

/// @notice A challenge must post at least the minimum challenge bond.
/// @param sent     msg.value.
/// @param required The minimum challenge bond.
error InsufficientChallengeBond(uint256 sent, uint256 required);

/// @notice The dispute game's constructor parameters are inconsistent.
/// @param challengeBond The minimum challenge bond.
/// @param clockPrice    Wei per second of challenger clock.
/// @param clockBudget   Seconds of each party's clock.
error InvalidGameParameters(uint256 challengeBond, uint256 clockPrice, uint256 clockBudget);

/// @notice The account has no credit to claim.
/// @param account The account.
error NoCredit(address account);

/// @notice Only the rollup (paying out a slashed bond) sends ETH to the game outside challenge.
/// @param sender The sender.
error UnexpectedEthSender(address sender);

/// @notice The game has ended; nothing more can happen in it.
/// @param gameId The game.
/// @param status Its final status (Types.GameStatus).
error GameAlreadyEnded(uint256 gameId, uint8 status);

/// @notice ZK batches need a verifier, and the rollup has none.
error ZkVerifierNotSet();

/// @notice The circuit's step slots must be 1 .. MAX_BATCH_OPS.
/// @param slots The slots given.
error InvalidZkSlots(uint256 slots);

/// @notice A ZK batch holds more queue entries and L2 ops than the circuit has slots.
/// @param ops   Queue entries + L2 ops of the batch.
/// @param slots The circuit's step slots.
error TooManyZkOps(uint256 ops, uint256 slots);

/// @notice A ZK batch is final at once, so it may only follow a final batch.
/// @param parent The previous batch, not final.
error ZkParentNotFinal(uint256 parent);

/// @notice The circuit's data commitment `c` is not a field element (docs/protocol.md §8).
/// @param c The commitment.
error ZkDataCommitmentOutOfField(uint256 c);

/// @notice The proof does not verify for the public input the rollup recomputed.
/// @param index       The batch index it was submitted for.
/// @param publicInput The recomputed public input.
error InvalidZkProof(uint256 index, uint256 publicInput);

// ─── Blob batches (EIP-4844 data availability) ─────────────────────────────────────────────

/// @notice A blob batch must come with exactly the blobs its payload length takes
///         (docs/protocol.md §9).
/// @param blobCount The blob count the proposer gave.
/// @param expected  The blobs a payload of the given length takes.
error BlobCountMismatch(uint256 blobCount, uint256 expected);

/// @notice The transaction carries fewer blobs than the batch needs (BLOBHASH(index) is zero).
/// @param index The first missing blob.
error BlobMissing(uint256 index);

/// @notice The transaction carries more blobs than the batch commits to.
/// @param index The first blob beyond the batch's.
error UnexpectedBlob(uint256 index);

/// @notice The versioned hashes given for a blob batch do not hash to its dataHash.
/// @param hash     keccak256 of the given versioned hashes.
/// @param dataHash The header's dataHash.
error BlobHashesMismatch(bytes32 hash, bytes32 dataHash);

/// @notice A KZG opening failed the point-evaluation precompile: wrong commitment for the
///         versioned hash, wrong value or wrong proof.
/// @param blobIndex The blob's position in the batch.
/// @param element   The field element opened.
error BlobOpeningInvalid(uint256 blobIndex, uint256 element);

/// @notice The openings do not cover the disputed op exactly.
/// @param count    Openings given.
/// @param expected Field elements the op spans.
error BlobOpeningCountMismatch(uint256 count, uint256 expected);

/// @notice An opened element lies beyond the batch's blobs.
/// @param blobIndex The blob it would be in.
/// @param blobCount The batch's blobs.
error BlobOpeningOutOfRange(uint256 blobIndex, uint256 blobCount);
