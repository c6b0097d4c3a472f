pragma circom 2.1.0;

include "circomlib/circuits/bitify.circom";
include "circomlib/circuits/poseidon.circom";
include "batch-step.circom";
include "data-commitment.circom";
include "public-input.circom";
include "withdrawal-leaf.circom";
include "withdrawal-tree.circom";

// ZkBatch: the validity circuit of one ZK batch (docs/protocol.md §7, §8). Its nOps step slots
// hold the batch's queue entries, then its L2 ops, then empty slots; the fee payouts follow.
// Everything but `publicInput` is private; the circuit recomputes publicInput from the pre-state,
// the steps and the header and requires it to equal the given one.
//   params : levels       depth of the account tree (1..10)
//            nOps         step slots (1..8^5 − 4)
//   inputs : publicInput  field, public: Poseidon of everything the contract checks
//            domain       field
//            accountsRoot field, nextAccountIndex u32: the pre-state
//            queueHashStart field
//            feeRecipient u160; feeTokens[4] u32
//            dataHash     field: keccak256(posted payload) mod r, the contract's data commitment,
//                         bound through z (docs/protocol.md §8)
//            per slot s: the inputs of BatchStep (see batch-step.circom), as arrays [nOps]
template ZkBatch(levels, nOps) {
    var idxBytes = (3 * levels + 7) \ 8;

    signal input publicInput;
    signal input domain;
    signal input accountsRoot;
    signal input nextAccountIndex;
    signal input queueHashStart;
    signal input feeRecipient;
    signal input feeTokens[4];
    signal input dataHash;

    signal input isCreate[nOps];
    signal input isDeposit[nOps];
    signal input isExit[nOps];
    signal input isL2[nOps];
    signal input qTokenId[nOps];
    signal input qAccountIdx[nOps];
    signal input qL1Address[nOps];
    signal input qAmount[nOps];
    signal input qAx[nOps];
    signal input qAy[nOps];
    signal input fromIdx[nOps];
    signal input toIdx[nOps];
    signal input amountF[nOps];
    signal input feeF[nOps];
    signal input R8x[nOps];
    signal input R8y[nOps];
    signal input S[nOps];
    signal input aTokenNonce[nOps];
    signal input aBalance[nOps];
    signal input aAx[nOps];
    signal input aAy[nOps];
    signal input aEthAddr[nOps];
    signal input aPresent[nOps];
    signal input aChildren[nOps][levels][8];
    signal input bTokenNonce[nOps];
    signal input bBalance[nOps];
    signal input bAx[nOps];
    signal input bAy[nOps];
    signal input bEthAddr[nOps];
    signal input bPresent[nOps];
    signal input bChildren[nOps][levels][8];

    // ---- A. Header ranges ------------------------------------------------------------------
    component feeRecipientBits = Num2Bits(160);
    feeRecipientBits.in <== feeRecipient;
    component feeTokenBits[4];
    for (var j = 0; j < 4; j++) {
        feeTokenBits[j] = Num2Bits(32);
        feeTokenBits[j].in <== feeTokens[j];
    }

    // ---- B. Steps --------------------------------------------------------------------------
    component step[nOps];
    var queued = 0;
    var posted = 0;
    for (var s = 0; s < nOps; s++) {
        step[s] = BatchStep(levels, idxBytes);
        step[s].accountsRoot <== s == 0 ? accountsRoot : step[s - 1].accountsRootOut;
        step[s].nextAccountIndex <== s == 0 ? nextAccountIndex : step[s - 1].nextAccountIndexOut;
        step[s].queueHash <== s == 0 ? queueHashStart : step[s - 1].queueHashOut;
        for (var j = 0; j < 4; j++) {
            step[s].feeTotals[j] <== s == 0 ? 0 : step[s - 1].feeTotalsOut[j];
        }
        step[s].domain <== domain;
        step[s].feeTokens <== feeTokens;
        step[s].isCreate <== isCreate[s];
        step[s].isDeposit <== isDeposit[s];
        step[s].isExit <== isExit[s];
        step[s].isL2 <== isL2[s];
        step[s].qTokenId <== qTokenId[s];
        step[s].qAccountIdx <== qAccountIdx[s];
        step[s].qL1Address <== qL1Address[s];
        step[s].qAmount <== qAmount[s];
        step[s].qAx <== qAx[s];
        step[s].qAy <== qAy[s];
        step[s].fromIdx <== fromIdx[s];
        step[s].toIdx <== toIdx[s];
        step[s].amountF <== amountF[s];
        step[s].feeF <== feeF[s];
        step[s].R8x <== R8x[s];
        step[s].R8y <== R8y[s];
        step[s].S <== S[s];
        step[s].aTokenNonce <== aTokenNonce[s];
        step[s].aBalance <== aBalance[s];
        step[s].aAx <== aAx[s];
        step[s].aAy <== aAy[s];
        step[s].aEthAddr <== aEthAddr[s];
        step[s].aPresent <== aPresent[s];
        step[s].aChildren <== aChildren[s];
        step[s].bTokenNonce <== bTokenNonce[s];
        step[s].bBalance <== bBalance[s];
        step[s].bAx <== bAx[s];
        step[s].bAy <== bAy[s];
        step[s].bEthAddr <== bEthAddr[s];
        step[s].bPresent <== bPresent[s];
        step[s].bChildren <== bChildren[s];

        // INVARIANT: queue slots, then L2 slots, then empty slots.
        var isQueue = isCreate[s] + isDeposit[s] + isExit[s];
        if (s > 0) {
            var wasQueue = isCreate[s - 1] + isDeposit[s - 1] + isExit[s - 1];
            isQueue * (1 - wasQueue) === 0;
            isL2[s] * (1 - wasQueue - isL2[s - 1]) === 0;
        }
        queued += isQueue;
        posted += isL2[s];
    }
    var last = nOps - 1;

    // ---- C. Fee payouts and the withdrawal tree --------------------------------------------
    component feePayout[4];
    for (var j = 0; j < 4; j++) {
        feePayout[j] = WithdrawalLeaf();
        feePayout[j].ethAddr <== feeRecipient;
        feePayout[j].tokenId <== feeTokens[j];
        feePayout[j].amount <== step[last].feeTotalsOut[j];
    }
    component withdrawals = WithdrawalRoot(nOps);
    for (var s = 0; s < nOps; s++) withdrawals.slotLeaves[s] <== step[s].withdrawalLeaf;
    for (var j = 0; j < 4; j++) withdrawals.feeLeaves[j] <== feePayout[j].leaf;

    // ---- D. Data commitment ----------------------------------------------------------------
    component data = DataCommitment(nOps, 2 * idxBytes + 6);
    for (var s = 0; s < nOps; s++) data.records[s] <== step[s].record;
    data.queued <== queued;
    data.posted <== posted;
    data.e <== dataHash;

    // ---- E. Public input -------------------------------------------------------------------
    component preState = Poseidon(2);
    preState.inputs[0] <== accountsRoot;
    preState.inputs[1] <== nextAccountIndex;
    component postState = Poseidon(2);
    postState.inputs[0] <== step[last].accountsRootOut;
    postState.inputs[1] <== step[last].nextAccountIndexOut;

    component digest = PublicInput();
    digest.domain <== domain;
    digest.preStateRoot <== preState.out;
    digest.postStateRoot <== postState.out;
    digest.withdrawalsRoot <== withdrawals.root;
    digest.queueHashStart <== queueHashStart;
    digest.queueHashEnd <== step[last].queueHashOut;
    digest.z <== data.z;
    digest.y <== data.y;
    digest.feeRecipient <== feeRecipient;
    digest.feeTokens <== feeTokens;
    digest.payloadLength <== posted * (2 * idxBytes + 6);
    publicInput === digest.out;
}
