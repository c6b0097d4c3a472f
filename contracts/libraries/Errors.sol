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
