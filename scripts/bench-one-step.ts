/**
 * Gas of OneStepProver.proveStep per step kind at levels 8 (the default tree), including the
 * costliest steps: an Applied transfer and an Applied withdrawal.
 *
 *   npx hardhat run scripts/bench-one-step.ts
 *
 * The queue entries are enqueued through the bridge by their owner; the accounts the steps
 * read are written into core's state directly, so they can sit anywhere in the tree. Each op
 * step reads its record from the payload (`stepOp`), as `DisputeGame.proveStep` passes it
 * after checking its opsRoot path. Exits non-zero if a step costs more than the one-step
 * proof's limit, half a transaction (docs/protocol.md §10).
 */
import { network } from "hardhat";
import {
  type Account,
  type Address,
  type Batch,
  type L2Op,
  type QueueEntry,
  InvariantViolationError,
  L2State,
  NO_TOKEN,
  QueueKind,
  batchPayload,
  buildBatchWitnesses,
  encodeFloat40,
  encodeFloat8,
  l2OpMessage,
  opRecordSize,
  publicKeyOf,
  resolveParams,
  signMessage,
  stepContext,
  stepOp,
} from "../core/index.js";
import { deployRollup } from "./lib/deploy-rollup.js";
import { ONE_STEP_PROOF_GAS_LIMIT } from "./lib/largest-batch.js";

const LEVELS = 8;

const { ethers } = await network.create();
const { bridge, rollup, prover } = await deployRollup(ethers, { levels: LEVELS });
const domain = (await rollup.domain()) as bigint;

const keys = [1, 2].map((i) => {
  const privateKey = new Uint8Array(32).fill(i);
  return { privateKey, publicKey: publicKeyOf(privateKey) };
});
const [, ownerSigner] = await ethers.getSigners();
const owner = ownerSigner!.address.toLowerCase() as Address;
const account = (key: number, balance: bigint): Account => ({
  tokenId: 0,
  nonce: 0,
  balance,
  Ax: keys[key]!.publicKey.x,
  Ay: keys[key]!.publicKey.y,
  ethAddr: owner,
});

// Accounts 2 and 3, then the counter moved far away so paths share no node below the root.
const state = L2State.genesis(resolveParams({ levels: LEVELS }));
state.createAccount(account(0, 10n ** 18n));
state.createAccount(account(1, 10n ** 18n));

const entry = (kind: QueueEntry["kind"], accountIdx: number, amount: bigint): QueueEntry => ({
  kind,
  l1Address: owner,
  tokenId: 0,
  accountIdx,
  amount,
  Ax: kind === QueueKind.CreateAccount ? keys[0]!.publicKey.x : 0n,
  Ay: kind === QueueKind.CreateAccount ? keys[0]!.publicKey.y : 0n,
});
const sign = (op: Omit<L2Op, "signature">, key: number, nonce: number): L2Op => ({
  ...op,
  signature: signMessage(keys[key]!.privateKey, l2OpMessage(op, { tokenId: 0, nonce }, domain)),
});
const amount = encodeFloat40(10n ** 15n);
const fee = encodeFloat8(10n ** 3n);
const batch: Batch = {
  feeRecipient: "0x0000000000000000000000000000000000000fee",
  feeTokens: [0, NO_TOKEN, NO_TOKEN, NO_TOKEN],
  queueEntries: [
    entry(QueueKind.CreateAccount, 0, 10n ** 18n),
    entry(QueueKind.Deposit, 2, 10n ** 16n),
    entry(QueueKind.Deposit, 9_999_999, 10n ** 16n),
    entry(QueueKind.ForcedExit, 4, 0n),
  ],
  ops: [
    sign({ fromIdx: 2, toIdx: 3, amountFloat40: amount, feeFloat8: fee }, 0, 0),
    sign({ fromIdx: 3, toIdx: 1, amountFloat40: amount, feeFloat8: fee }, 1, 0),
    sign({ fromIdx: 2, toIdx: 3, amountFloat40: amount, feeFloat8: fee }, 1, 1),
    sign({ fromIdx: 2, toIdx: 3, amountFloat40: encodeFloat40(10n ** 30n), feeFloat8: fee }, 0, 1),
    sign({ fromIdx: 5_000_000, toIdx: 3, amountFloat40: amount, feeFloat8: fee }, 0, 0),
  ],
};
const labels = [
  "createAccount Applied",
  "deposit Applied",
  "deposit UnknownAccount (empty slot, refund)",
  "forcedExit Applied",
  "transfer Applied",
  "withdraw Applied",
  "transfer BadSignature",
  "transfer InsufficientBalance",
  "transfer UnknownSender (empty slot)",
  "feePayout 0 (total > 0)",
  "feePayout 1 (total 0)",
  "feePayout 2 (total 0)",
  "feePayout 3 (total 0)",
];

// The queue entries, enqueued by their owner with the queue fee.
const queueFee: bigint = await bridge.queueFee();
const ownerBridge = bridge.connect(ownerSigner!);
for (const e of batch.queueEntries) {
  const sent =
    e.kind === QueueKind.CreateAccount
      ? await ownerBridge.createAccount(e.tokenId, e.amount, e.Ax, e.Ay, { value: e.amount + queueFee })
      : e.kind === QueueKind.Deposit
        ? await ownerBridge.deposit(e.accountIdx, e.tokenId, e.amount, { value: e.amount + queueFee })
        : await ownerBridge.forcedExit(e.accountIdx, { value: queueFee });
  await sent.wait();
}

const proofs = buildBatchWitnesses(state, batch, domain);
const ctx = stepContext(batch, { levels: LEVELS, domain, queueStart: 0n });
const payload = batchPayload(batch, state.params);
const recordSize = opRecordSize(state.params, "optimistic");
const rows: { step: string; outcome: string; gas: bigint }[] = [];
for (const p of proofs) {
  const op = stepOp(payload, ctx, p.step, recordSize);
  const got = await prover.proveStep(ctx, op, p.step, p.pre, p.proof);
  if (got !== p.postStepHash) {
    throw new InvariantViolationError(`step ${p.step}: prover ${got}, core ${p.postStepHash}`, {
      details: "OneStepProver.sol and core's STF disagree on this step's post-step hash: a bug in one of them",
    });
  }
  const gas = await prover.proveStep.estimateGas(ctx, op, p.step, p.pre, p.proof);
  rows.push({ step: labels[p.step] ?? `${p.kind} ${p.outcome}`, outcome: `${p.kind} ${p.outcome}`, gas });
}

console.log(`\nOneStepProver.proveStep at levels ${LEVELS} (transaction gas: 21k base + calldata + execution)\n`);
console.log(`| step | core outcome | gas |`);
console.log(`| --- | --- | ---: |`);
for (const r of rows) console.log(`| ${r.step} | ${r.outcome} | ${r.gas.toLocaleString("en-US")} |`);
const max = rows.reduce((m, r) => (r.gas > m ? r.gas : m), 0n);
console.log(`\nmax ${max.toLocaleString("en-US")} gas; limit of a one-step proof 2^23 = ${ONE_STEP_PROOF_GAS_LIMIT.toLocaleString("en-US")}`);
if (max > ONE_STEP_PROOF_GAS_LIMIT) {
  console.error("over the limit");
  process.exitCode = 1;
}
const size = (await ethers.provider.getCode(await prover.getAddress())).length / 2 - 1;
console.log(`OneStepProver runtime size: ${size} bytes (limit 24,576)`);
