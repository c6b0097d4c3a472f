// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @notice The machine state between two steps of a batch (docs/protocol.md §7); its commitment
///         is `keccak256(abi.encode(state))` = the step hash of docs/protocol.md §8.
/// @custom:field accountsRoot     Root of the account tree.
/// @custom:field nextAccountIndex Index the next created account gets.
/// @custom:field withdrawalsRoot  Root of the batch's withdrawal tree so far.
/// @custom:field feeTotals        Fees collected so far per fee slot.
struct MachineState {
    uint256 accountsRoot;
    uint256 nextAccountIndex;
    uint256 withdrawalsRoot;
    uint256[4] feeTotals;
}

/// @notice What a step needs to know about its batch besides the op it may read.
/// @custom:field levels       Account tree depth (1..10).
/// @custom:field domain       Signing domain, Rollup.domain().
/// @custom:field queueStart   First queue index the batch consumes.
/// @custom:field queueEnd     One past the last queue index the batch consumes.
/// @custom:field l2Ops        L2 ops in the batch (header.stepCount − queue entries − FEE_SLOTS).
/// @custom:field feeRecipient L1 address paid the fees.
/// @custom:field feeTokens    Token per fee slot, NO_TOKEN for unused slots.
struct StepContext {
    uint256 levels;
    uint256 domain;
    uint64 queueStart;
    uint64 queueEnd;
    uint256 l2Ops;
    address feeRecipient;
    uint32[4] feeTokens;
}

/// @notice Preimage of an account leaf (docs/protocol.md §2):
///         `leaf = Poseidon_5(tokenId + nonce·2^32, balance, ax, ay, ethAddr)`.
struct AccountLeaf {
    uint32 tokenId;
    uint40 nonce;
    uint128 balance;
    uint256 ax;
    uint256 ay;
    address ethAddr;
}

/// @notice One slot of the account tree.
/// @custom:field exists   True iff the slot holds an account; false proves a zero leaf.
/// @custom:field account  The account when `exists` (ignored otherwise).
/// @custom:field siblings Per level from the bottom, the 7 siblings in position order
///                        (core/merkle.ts MerkleProof); `levels` entries, or none when the
///                        step does not read the slot (index 0, 1, ≥ capacity, or a check
///                        failed before it).
struct AccountWitness {
    bool exists;
    AccountLeaf account;
    uint256[7][] siblings;
}

/// @notice Every field of an L1 queue entry (docs/protocol.md §6), checked against the bridge's
///         rolling hash: `queueHash_{i+1} = Poseidon_5(queueHash_i, head, amount, ax, ay)`.
struct QueueEntryPreimage {
    uint8 kind;
    address l1Address;
    uint32 tokenId;
    uint32 accountIdx;
    uint128 amount;
    uint256 ax;
    uint256 ay;
}

/// @notice The witness of one step: `proof = abi.encode(StepWitness)`. Fields a step does not
///         read are left zero/empty. core/one-step-witness.ts `buildStepWitness` builds it from
///         core.
///
///         ┌──────────────────────┬──────────────────────────────────────────────────────────┐
///         │ field                │ read by                                                  │
///         ├──────────────────────┼──────────────────────────────────────────────────────────┤
///         │ entry                │ queue steps                                              │
///         │ first                │ CreateAccount: slot nextAccountIndex (if < capacity);    │
///         │                      │ Deposit/ForcedExit: slot accountIdx; L2 op: the sender   │
///         │                      │ (all against pre.accountsRoot)                           │
///         │ second               │ L2 transfer to another index in [2, capacity) once       │
///         │                      │ checks 1–3 passed: the receiver, against the root after  │
///         │                      │ the sender's write if the op is Applied, else against    │
///         │                      │ pre.accountsRoot                                         │
///         │ r8Hint               │ L2 ops: square-root hint of R8 (BabyJubJub.decompress)   │
///         │ withdrawalSiblings   │ steps that write a withdrawal: siblings of the (empty)   │
///         │                      │ position s, or 8^5 − 4 + j for fee payout j, against     │
///         │                      │ pre.withdrawalsRoot                                      │
///         └──────────────────────┴──────────────────────────────────────────────────────────┘
struct StepWitness {
    QueueEntryPreimage entry;
    AccountWitness first;
    AccountWitness second;
    uint256 r8Hint;
    uint256[7][5] withdrawalSiblings;
}

/// @title IOneStepProver
/// @notice Re-executes one step of a batch on L1 (docs/protocol.md §7) for the dispute game.
interface IOneStepProver {
    /// @notice Re-executes step `step` of a batch from `pre` and returns the commitment of the
    ///         state after it.
    /// @dev    The caller (the dispute game) authenticates the inputs: the context from the
    ///         batch header, `op` as the batch's L2 op for this step (a slice of the calldata
    ///         payload, or bytes opened from the batch's blobs), and `keccak256(abi.encode(pre))`
    ///         as the agreed step hash. The prover checks everything else and reverts with a
    ///         named error on a wrong witness.
    /// @param ctx   The batch's context.
    /// @param op    For an L2 op step, that op's record, `recordSize` bytes (docs/protocol.md §5);
    ///              ignored by queue and fee steps.
    /// @param step  The step, below queue entries + l2Ops + FEE_SLOTS.
    /// @param pre   The machine state before the step.
    /// @param proof `abi.encode(StepWitness)`.
    /// @return postStepHash `keccak256(abi.encode(post))`.
    function proveStep(
        StepContext calldata ctx,
        bytes calldata op,
        uint256 step,
        MachineState calldata pre,
        bytes calldata proof
    ) external view returns (bytes32 postStepHash);
}
