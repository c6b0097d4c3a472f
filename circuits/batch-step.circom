pragma circom 2.1.0;

include "circomlib/circuits/bitify.circom";
include "circomlib/circuits/comparators.circom";
include "circomlib/circuits/poseidon.circom";
include "account-leaf.circom";
include "fee-slot.circom";
include "float-decode.circom";
include "l2-signature.circom";
include "tree-update.circom";
include "withdrawal-leaf.circom";

// BatchStep: one step of docs/protocol.md §7 — a queue entry (CreateAccount, Deposit,
// ForcedExit), an L2 op (transfer, or withdrawal to index 1) or an empty padding slot. It has
// every outcome of core/stf.ts: skipped ops change nothing, refused queue entries refund.
//
// Every step updates two account leaves in turn, A then B, through the intermediate root
// (the second proof is against the tree after the first update):
//   A: the L2 op's sender, or the queue entry's account (nextAccountIndex for CreateAccount);
//   B: the L2 op's receiver (a no-op update for withdrawals, queue entries and empty slots).
// Reading B after A's update makes a transfer to oneself come out as in core.
//
//   params : levels     depth of the account tree
//            idxBytes   bytes of an account index on L1, ceil(3·levels / 8)
//   inputs : state before the step
//              accountsRoot field; nextAccountIndex u32 (≤ 8^levels); queueHash field;
//              feeTotals[4] field
//            batch constants
//              domain field; feeTokens[4] u32 (range-checked by the caller)
//            kind
//              isCreate, isDeposit, isExit, isL2  u1, at most one set (none: empty slot)
//            queue entry (0 unless a queue step)
//              qTokenId u32; qAccountIdx u32 (0 for CreateAccount); qL1Address u160;
//              qAmount u128 (bound by the queue hash); qAx, qAy field
//            L2 op (0 unless an L2 step)
//              fromIdx, toIdx u(8·idxBytes); amountF u40 float40; feeF u8 float8;
//              R8x, R8y field; S u253 (signature, held by the prover, not posted)
//            account A and B, as read (A from the root before the step, B after A's update)
//              *TokenNonce u72; *Balance u128; *Ax, *Ay field; *EthAddr u160;
//              *Present u1 (leaf ≠ 0); *Children[levels][8] field (Merkle path)
//   outputs: state after the step: accountsRootOut, nextAccountIndexOut, queueHashOut,
//            feeTotalsOut[4]
//            withdrawalLeaf  field, the leaf the step writes at its own position (0 for none)
//            record          u(8·(2·idxBytes + 6)), the op's posted bytes (0 unless isL2)
template BatchStep(levels, idxBytes) {
    signal input accountsRoot;
    signal input nextAccountIndex;
    signal input queueHash;
    signal input feeTotals[4];
    signal input domain;
    signal input feeTokens[4];

    signal input isCreate;
    signal input isDeposit;
    signal input isExit;
    signal input isL2;

    signal input qTokenId;
    signal input qAccountIdx;
    signal input qL1Address;
    signal input qAmount;
    signal input qAx;
    signal input qAy;

    signal input fromIdx;
    signal input toIdx;
    signal input amountF;
    signal input feeF;
    signal input R8x;
    signal input R8y;
    signal input S;

    signal input aTokenNonce;
    signal input aBalance;
    signal input aAx;
    signal input aAy;
    signal input aEthAddr;
    signal input aPresent;
    signal input aChildren[levels][8];

    signal input bTokenNonce;
    signal input bBalance;
    signal input bAx;
    signal input bAy;
    signal input bEthAddr;
    signal input bPresent;
    signal input bChildren[levels][8];

    signal output accountsRootOut;
    signal output nextAccountIndexOut;
    signal output queueHashOut;
    signal output feeTotalsOut[4];
    signal output withdrawalLeaf;
    signal output record;

    var PATH_BITS = 3 * levels;
    var IDX_BITS = 8 * idxBytes;
    var B_IDX_BITS = IDX_BITS > PATH_BITS ? IDX_BITS : PATH_BITS;
    var MAX_BALANCE_BITS = 128;

    // ---- A. Kind ---------------------------------------------------------------------------
    isCreate * (isCreate - 1) === 0;
    isDeposit * (isDeposit - 1) === 0;
    isExit * (isExit - 1) === 0;
    isL2 * (isL2 - 1) === 0;
    signal isQueue <== isCreate + isDeposit + isExit;
    (isQueue + isL2) * (isQueue + isL2 - 1) === 0;
    var queueHead = isCreate + 2 * isDeposit + 3 * isExit + qTokenId * 2 ** 8 + qAccountIdx * 2 ** 40 + qL1Address * 2 ** 72;

    // ---- B. Indices ------------------------------------------------------------------------
    // A's index: the sender, the queue entry's account, or the next free index for a creation.
    // Only the low 3·levels bits address the tree; an index beyond the tree (or nextAccountIndex
    // at capacity) reads a real leaf there but counts as no account.
    signal fromPart <== isL2 * fromIdx;
    signal queuePart <== (isDeposit + isExit) * qAccountIdx;
    signal createPart <== isCreate * nextAccountIndex;
    isCreate * qAccountIdx === 0;
    signal aIdx <== fromPart + queuePart + createPart;
    signal bIdx <== isL2 * toIdx;

    component aIdxBits = Num2Bits(32);
    aIdxBits.in <== aIdx;
    // INVARIANT: posted indices fit in idxBytes bytes, so the record below is injective.
    component bIdxBits = Num2Bits(B_IDX_BITS);
    bIdxBits.in <== bIdx;
    var aHigh = 0;
    var bHigh = 0;
    var aBeyondIdx = 0;
    for (var i = PATH_BITS; i < 32; i++) aHigh += aIdxBits.out[i];
    for (var i = PATH_BITS; i < B_IDX_BITS; i++) bHigh += bIdxBits.out[i];
    for (var i = IDX_BITS; i < 32; i++) aBeyondIdx += aIdxBits.out[i] * 2 ** i;
    isL2 * aBeyondIdx === 0;
    component aInTree = IsZero();
    aInTree.in <== aHigh;
    component bInTree = IsZero();
    bInTree.in <== bHigh;

    // ---- C. Accounts as read ---------------------------------------------------------------
    aPresent * (aPresent - 1) === 0;
    bPresent * (bPresent - 1) === 0;
    // The packed tokenId + nonce·2^32 splits uniquely only with both parts range-checked.
    component aTokenNonceBits = Num2Bits(72);
    aTokenNonceBits.in <== aTokenNonce;
    component bTokenNonceBits = Num2Bits(72);
    bTokenNonceBits.in <== bTokenNonce;
    var aToken = 0;
    var bToken = 0;
    var aNonce = 0;
    var aNonceOnes = 0;
    for (var i = 0; i < 32; i++) {
        aToken += aTokenNonceBits.out[i] * 2 ** i;
        bToken += bTokenNonceBits.out[i] * 2 ** i;
    }
    for (var i = 32; i < 72; i++) {
        aNonce += aTokenNonceBits.out[i] * 2 ** (i - 32);
        aNonceOnes += aTokenNonceBits.out[i];
    }
    signal aExists <== aPresent * aInTree.out;
    signal bExists <== bPresent * bInTree.out;

    component aLeaf = AccountLeaf();
    aLeaf.tokenNonce <== aTokenNonce;
    aLeaf.balance <== aBalance;
    aLeaf.Ax <== aAx;
    aLeaf.Ay <== aAy;
    aLeaf.ethAddr <== aEthAddr;
    aLeaf.present <== aPresent;
    // B's leaf hasher doubles as the queue hash step (D): a queue step has no receiver, its B
    // is the empty leaf at index 0.
    component bRead = Poseidon(5);
    signal bLeafInputs[5];
    bLeafInputs[0] <== bTokenNonce + isQueue * (queueHash - bTokenNonce);
    bLeafInputs[1] <== bBalance + isQueue * (queueHead - bBalance);
    bLeafInputs[2] <== bAx + isQueue * (qAmount - bAx);
    bLeafInputs[3] <== bAy + isQueue * (qAx - bAy);
    bLeafInputs[4] <== bEthAddr + isQueue * (qAy - bEthAddr);
    bRead.inputs <== bLeafInputs;
    signal bOldLeaf <== bPresent * bRead.out;

    // ---- D. Queue entry fields -------------------------------------------------------------
    // INVARIANT: the head packs kind, tokenId, accountIdx (range-checked through aIdx, or 0)
    // and l1Address injectively, so the queue hash binds each field.
    component qTokenIdBits = Num2Bits(32);
    qTokenIdBits.in <== qTokenId;
    component qL1AddressBits = Num2Bits(160);
    qL1AddressBits.in <== qL1Address;
    // Poseidon_5(queueHash, head, amount, Ax, Ay) is B's leaf hasher in C.
    queueHashOut <== queueHash + isQueue * (bRead.out - queueHash);

    // ---- E. L2 op amounts and fee ----------------------------------------------------------
    component amount = DecodeFloat(35);
    amount.bits <== amountF;
    component fee = DecodeFloat(3);
    fee.bits <== feeF;
    component feeSlot = FeeSlot();
    feeSlot.tokenId <== aToken;
    for (var j = 0; j < 4; j++) feeSlot.feeTokens[j] <== feeTokens[j];
    signal chargedFee <== feeSlot.charged * fee.value;
    signal debit <== amount.value + chargedFee;

    // ---- F. Checks, shared by L2 ops and queue entries -------------------------------------
    component toExit = IsEqual();
    toExit.in[0] <== bIdx;
    toExit.in[1] <== 1;
    component toSelf = IsEqual();
    toSelf.in[0] <== aIdx;
    toSelf.in[1] <== bIdx;
    component nonceAtMax = IsEqual();
    nonceAtMax.in[0] <== aNonceOnes;
    nonceAtMax.in[1] <== 40;
    // Token compared with A's: B's for an L2 op, the entry's for a deposit.
    component sameToken = IsEqual();
    sameToken.in[0] <== aToken;
    sameToken.in[1] <== isL2 * (bToken - qTokenId) + qTokenId;
    component sameOwner = IsEqual();
    sameOwner.in[0] <== aEthAddr;
    sameOwner.in[1] <== qL1Address;
    // debit ≤ A's balance: debit < 2^140, balance < 2^128.
    component covered = LessEqThan(140);
    covered.in[0] <== debit;
    covered.in[1] <== aBalance;
    // The credited balance fits in u128: B's plus the amount, or A's plus the deposit. An amount
    // the sender cannot cover skips the op before this check matters, so it enters as 0 and the
    // sum stays below 2^129.
    signal coveredAmount <== covered.out * amount.value;
    signal creditedL2 <== isL2 * (bBalance + coveredAmount - aBalance - qAmount);
    component credited = Num2Bits(MAX_BALANCE_BITS + 1);
    credited.in <== creditedL2 + aBalance + qAmount;
    signal fits <== 1 - credited.out[MAX_BALANCE_BITS];

    // ---- G. Outcomes -----------------------------------------------------------------------
    // L2 op, checks 1, 3–7 in order (2, the signature, is enforced in H for every existing sender).
    signal senderLive <== aExists * (1 - nonceAtMax.out);
    signal receiverOk <== toExit.out + bExists - toExit.out * bExists;
    signal tokenOk <== toExit.out + sameToken.out - toExit.out * sameToken.out;
    signal l2Reaches5 <== senderLive * receiverOk;
    signal l2Reaches6 <== l2Reaches5 * tokenOk;
    signal l2Reaches7 <== l2Reaches6 * covered.out;
    // Check 7 passes for a withdrawal, a transfer to oneself (the debit covers the amount) or a fit.
    signal overflowSkipped <== (1 - toExit.out) * (1 - toSelf.out);
    signal overflowOk <== 1 - overflowSkipped * (1 - fits);
    signal l2Passes <== l2Reaches7 * overflowOk;
    signal l2Applied <== isL2 * l2Passes;
    signal withdrawApplied <== l2Applied * toExit.out;
    signal transferApplied <== l2Applied - withdrawApplied;
    // Queue entries.
    signal createApplied <== isCreate * aInTree.out;
    signal depositKnown <== isDeposit * aExists;
    signal depositTokenOk <== depositKnown * sameToken.out;
    signal depositApplied <== depositTokenOk * fits;
    signal exitKnown <== isExit * aExists;
    signal exitApplied <== exitKnown * sameOwner.out;
    signal refund <== isDeposit - depositApplied + isCreate - createApplied;

    // ---- H. Signature ----------------------------------------------------------------------
    component signature = L2Signature();
    signature.enabled <== isL2 * aExists;
    signature.domain <== domain;
    signature.packed <== aIdx + bIdx * 2 ** 32 + aToken * 2 ** 64 + aNonce * 2 ** 96 + amountF * 2 ** 136 + feeF * 2 ** 176;
    signature.Ax <== aAx;
    signature.Ay <== aAy;
    signature.R8x <== R8x;
    signature.R8y <== R8y;
    signature.S <== S;

    // ---- I. Account writes: A, then B on the intermediate root -----------------------------
    signal aDebited <== l2Applied * debit;
    signal aDeposited <== depositApplied * qAmount;
    signal aExited <== exitApplied * aBalance;
    signal aCreatedBalance <== createApplied * (qAmount - aBalance);
    signal aCreatedTokenNonce <== createApplied * (qTokenId - aTokenNonce);
    signal aCreatedAx <== createApplied * (qAx - aAx);
    signal aCreatedAy <== createApplied * (qAy - aAy);
    signal aCreatedEthAddr <== createApplied * (qL1Address - aEthAddr);
    component aNewLeaf = AccountLeaf();
    aNewLeaf.tokenNonce <== aTokenNonce + l2Applied * 2 ** 32 + aCreatedTokenNonce;
    aNewLeaf.balance <== aBalance - aDebited + aDeposited - aExited + aCreatedBalance;
    aNewLeaf.Ax <== aAx + aCreatedAx;
    aNewLeaf.Ay <== aAy + aCreatedAy;
    aNewLeaf.ethAddr <== aEthAddr + aCreatedEthAddr;
    aNewLeaf.present <== aPresent + createApplied - aPresent * createApplied;

    component aTree = MerkleUpdate8(levels);
    for (var i = 0; i < PATH_BITS; i++) aTree.pathBits[i] <== aIdxBits.out[i];
    aTree.children <== aChildren;
    aTree.oldLeaf <== aLeaf.leaf;
    aTree.newLeaf <== aNewLeaf.leaf;
    aTree.oldRoot === accountsRoot;

    signal bCredited <== transferApplied * amount.value;
    component bNewLeaf = AccountLeaf();
    bNewLeaf.tokenNonce <== bTokenNonce;
    bNewLeaf.balance <== bBalance + bCredited;
    bNewLeaf.Ax <== bAx;
    bNewLeaf.Ay <== bAy;
    bNewLeaf.ethAddr <== bEthAddr;
    bNewLeaf.present <== bPresent;

    component bTree = MerkleUpdate8(levels);
    for (var i = 0; i < PATH_BITS; i++) bTree.pathBits[i] <== bIdxBits.out[i];
    bTree.children <== bChildren;
    bTree.oldLeaf <== bOldLeaf;
    bTree.newLeaf <== bNewLeaf.leaf;
    bTree.oldRoot === aTree.newRoot;
    accountsRootOut <== bTree.newRoot;
    nextAccountIndexOut <== nextAccountIndex + createApplied;

    // ---- J. Fees and the withdrawal leaf ---------------------------------------------------
    signal feeCollected <== l2Applied * chargedFee;
    for (var j = 0; j < 4; j++) feeTotalsOut[j] <== feeTotals[j] + feeCollected * feeSlot.slot[j];

    signal fromAccount <== withdrawApplied + exitApplied;
    signal payAccountAddr <== fromAccount * aEthAddr;
    signal payRefundAddr <== refund * qL1Address;
    signal payAccountToken <== fromAccount * aToken;
    signal payRefundToken <== refund * qTokenId;
    signal payWithdrawn <== withdrawApplied * amount.value;
    signal payRefunded <== refund * qAmount;
    component payout = WithdrawalLeaf();
    payout.ethAddr <== payAccountAddr + payRefundAddr;
    payout.tokenId <== payAccountToken + payRefundToken;
    payout.amount <== payWithdrawn + aExited + payRefunded;
    withdrawalLeaf <== payout.leaf;

    // ---- K. Posted record ------------------------------------------------------------------
    record <== isL2 * (aIdx * 2 ** (8 * (idxBytes + 6)) + bIdx * 2 ** 48 + amountF * 2 ** 8 + feeF);
}
