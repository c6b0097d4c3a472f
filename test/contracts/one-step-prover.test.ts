import { expect } from "chai";
import { network } from "hardhat";
import { AbiCoder, keccak256 as ethersKeccak } from "ethers";
import { type Hex, bytesToHex } from "viem";
import {
  type Account,
  type Address,
  type Batch,
  type L2Op,
  type Outcome,
  type QueueEntry,
  type StepKind,
  BatchExecutor,
  L2State,
  MAX_BALANCE,
  MAX_NONCE,
  NO_TOKEN,
  QueueKind,
  applyBatch,
  encodeFloat40,
  encodeFloat8,
  l2OpMessage,
  nextQueueHash,
  opRecordSize,
  publicKeyOf,
  resolveParams,
  signMessage,
} from "../../core/index.js";
import { FIELD_MODULUS, SUB_ORDER } from "../../core/crypto/index.js";
import { type TypedContract, deployRollup } from "../../scripts/lib/deploy-rollup.js";
import {
  type StepProof,
  type StepWitness,
  batchPayload,
  buildBatchWitnesses,
  buildStepWitness,
  encodeStepWitness,
  machineStateHash,
  stepContext,
  stepOp,
} from "../helpers/one-step.js";

const { ethers, networkHelpers } = await network.create();

/** Storage slot of Bridge._queueHashes (its length; elements from keccak256(slot)), after queueFeesHeld, tokenCount, tokenAddress, _tokenIdPlusOne and totalLocked. */
const QUEUE_HASHES_SLOT = 5n;
const QUEUE_HASHES_BASE = BigInt(ethersKeccak(AbiCoder.defaultAbiCoder().encode(["uint256"], [QUEUE_HASHES_SLOT])));

// ─── Deterministic randomness ──────────────────────────────────────────────────────────────

/** xorshift128+ so that failures reproduce from the seed. */
class Rng {
  private a: bigint;
  private b: bigint;
  constructor(seed: number) {
    this.a = BigInt(seed) * 0x9e3779b97f4a7c15n + 1n;
    this.b = BigInt(seed) ^ 0xdeadbeefcafebaben;
    for (let i = 0; i < 8; i++) this.next64();
  }
  next64(): bigint {
    const mask = (1n << 64n) - 1n;
    let s1 = this.a;
    const s0 = this.b;
    this.a = s0;
    s1 ^= (s1 << 23n) & mask;
    this.b = s1 ^ s0 ^ (s1 >> 17n) ^ (s0 >> 26n);
    return (this.b + s0) & mask;
  }
  int(n: number): number {
    return Number(this.next64() % BigInt(n));
  }
  bits(n: number): bigint {
    let v = 0n;
    for (let i = 0; i < n; i += 64) v = (v << 64n) | this.next64();
    return v & ((1n << BigInt(n)) - 1n);
  }
  chance(p: number): boolean {
    return this.int(1_000_000) < p * 1_000_000;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
  bytes(n: number): Uint8Array {
    return Uint8Array.from({ length: n }, () => this.int(256));
  }
}

// ─── Keys and addresses ────────────────────────────────────────────────────────────────────

const KEYS = Array.from({ length: 4 }, (_, i) => {
  const privateKey = new Uint8Array(32).fill(i + 11);
  return { privateKey, publicKey: publicKeyOf(privateKey) };
});
const ADDRESSES = Array.from({ length: 4 }, (_, i) => `0x${(0xa11ce0 + i).toString(16).padStart(40, "0")}` as Address);
const FEE_RECIPIENT = "0x00000000000000000000000000000000000fee00" as Address;

function privateKeyOf(account: Account): Uint8Array | undefined {
  return KEYS.find((k) => k.publicKey.x === account.Ax && k.publicKey.y === account.Ay)?.privateKey;
}

function signOp(op: Omit<L2Op, "signature">, privateKey: Uint8Array, signer: { tokenId: number; nonce: number }, domain: bigint): L2Op {
  return { ...op, signature: signMessage(privateKey, l2OpMessage(op, signer, domain)) };
}

// ─── Fixture ───────────────────────────────────────────────────────────────────────────────

async function deployFixture() {
  const { bridge, rollup, hashers } = await deployRollup(ethers, { levels: 2 });
  const prover = await ethers.deployContract("OneStepProver", [await bridge.getAddress(), hashers.t3, hashers.t6, hashers.t9]);
  await prover.waitForDeployment();
  return { bridge, prover: prover as unknown as TypedContract<"proveStep" | "bridge">, domain: (await rollup.domain()) as bigint };
}

type Fixture = Awaited<ReturnType<typeof deployFixture>>;

/** Appends entries to the bridge's queue by writing its rolling hashes (any field values). */
class Queue {
  private length = 0n;
  private last = 0n;
  constructor(private readonly bridge: Fixture["bridge"]) {}

  async append(entries: readonly QueueEntry[]): Promise<bigint> {
    const address = await this.bridge.getAddress();
    const start = this.length;
    for (const entry of entries) {
      this.last = nextQueueHash(this.last, entry);
      this.length += 1n;
      await networkHelpers.setStorageAt(address, QUEUE_HASHES_BASE + this.length, this.last);
    }
    await networkHelpers.setStorageAt(address, QUEUE_HASHES_SLOT, this.length + 1n);
    return start;
  }
}

interface CheckedBatch {
  readonly proofs: readonly StepProof[];
  readonly outcomes: readonly { kind: StepKind; outcome: Outcome }[];
  readonly ctx: ReturnType<typeof stepContext>;
  readonly payload: Hex;
  /** The `op` argument for step `step`. */
  readonly op: (step: number) => Hex;
}

/**
 * Runs `batch` on `state` (mutated) through core and through proveStep for every step and
 * expects the same step hashes.
 */
async function checkBatch(f: Fixture, queue: Queue, state: L2State, batch: Batch): Promise<CheckedBatch> {
  const queueStart = await queue.append(batch.queueEntries);
  const proofs = buildBatchWitnesses(state, batch, f.domain);
  const result = applyBatch(state, batch, { domain: f.domain, mode: "optimistic" });
  const ctx = stepContext(batch, { levels: state.params.levels, domain: f.domain, queueStart });
  const payload = batchPayload(batch, state.params);
  const op = (step: number) => stepOp(payload, ctx, step, opRecordSize(state.params, "optimistic"));
  expect(proofs.length).to.equal(result.steps.length);
  const got: string[] = await Promise.all(proofs.map((p) => f.prover.proveStep(ctx, op(p.step), p.step, p.pre, p.proof)));
  proofs.forEach((p, i) => {
    expect(machineStateHash(p.pre), `pre of step ${i}`).to.equal(bytesToHex(result.stepHashes[i]!));
    const where = `step ${i} (${p.kind} ${p.outcome})`;
    expect(got[i], where).to.equal(bytesToHex(result.stepHashes[i + 1]!));
  });
  return { proofs, outcomes: result.steps.map((s) => ({ kind: s.kind, outcome: s.outcome })), ctx, payload, op };
}

function header(feeTokens: readonly number[] = [0, 1, NO_TOKEN, NO_TOKEN]) {
  return { feeRecipient: FEE_RECIPIENT, feeTokens };
}

const create = (owner: Address, tokenId: number, amount: bigint, key = KEYS[0]!.publicKey): QueueEntry => ({
  kind: QueueKind.CreateAccount,
  l1Address: owner,
  tokenId,
  accountIdx: 0,
  amount,
  Ax: key.x,
  Ay: key.y,
});
const deposit = (from: Address, accountIdx: number, tokenId: number, amount: bigint): QueueEntry => ({
  kind: QueueKind.Deposit,
  l1Address: from,
  tokenId,
  accountIdx,
  amount,
  Ax: 0n,
  Ay: 0n,
});
const forcedExit = (from: Address, accountIdx: number): QueueEntry => ({
  kind: QueueKind.ForcedExit,
  l1Address: from,
  tokenId: 0,
  accountIdx,
  amount: 0n,
  Ax: 0n,
  Ay: 0n,
});

/** A state at `levels` with accounts written directly (any nonce and balance). */
function seededState(levels: number, accounts: readonly Account[]): L2State {
  const state = L2State.genesis(resolveParams({ levels }));
  for (const account of accounts) state.createAccount(account);
  return state;
}

const acct = (keyIndex: number, tokenId: number, balance: bigint, nonce = 0, owner = ADDRESSES[keyIndex]!): Account => ({
  tokenId,
  nonce,
  balance,
  Ax: KEYS[keyIndex]!.publicKey.x,
  Ay: KEYS[keyIndex]!.publicKey.y,
  ethAddr: owner,
});

// Accounts 2..7 of the scenario state.
const SCENARIO_ACCOUNTS = [
  acct(0, 0, 10n ** 18n), // 2
  acct(1, 0, 5n * 10n ** 17n), // 3
  acct(2, 1, 1000n), // 4: another token
  acct(3, 0, MAX_BALANCE - 10n), // 5: nearly full
  acct(0, 0, 10n ** 18n, MAX_NONCE), // 6: nonce exhausted
  acct(1, 0, 0n), // 7: empty balance
];

function outcomesOf(checked: CheckedBatch, kind: StepKind): Outcome[] {
  return checked.outcomes.filter((o) => o.kind === kind).map((o) => o.outcome);
}

describe("OneStepProver", function () {
  this.timeout(600_000);

  describe("queue entries", () => {
    it("proveStep_createAccount_appliedAndTreeFullMatchCore", async () => {
      const f = await networkHelpers.loadFixture(deployFixture);
      const queue = new Queue(f.bridge);
      // levels 1: 8 leaves, indices 2..7 hold accounts, the 7th create finds the tree full.
      const state = L2State.genesis(resolveParams({ levels: 1 }));
      const entries = Array.from({ length: 8 }, (_, i) => create(ADDRESSES[i % 4]!, i % 2, BigInt(i) * 10n ** 15n, KEYS[i % 4]!.publicKey));
      const checked = await checkBatch(f, queue, state, { ...header(), queueEntries: entries, ops: [] });
      expect(outcomesOf(checked, "createAccount")).to.deep.equal([...Array(6).fill("Applied"), "TreeFull", "TreeFull"]);
    });

    it("proveStep_deposit_everyOutcomeMatchesCore", async () => {
      const f = await networkHelpers.loadFixture(deployFixture);
      const queue = new Queue(f.bridge);
      const state = seededState(2, SCENARIO_ACCOUNTS);
      const d = ADDRESSES[0]!;
      const entries = [
        deposit(d, 2, 0, 123n), // Applied
        deposit(d, 4, 1, 0n), // Applied, amount 0
        deposit(d, 0, 0, 5n), // UnknownAccount: null index
        deposit(d, 1, 0, 5n), // UnknownAccount: exit index
        deposit(d, 9, 0, 5n), // UnknownAccount: empty slot
        deposit(d, 64, 0, 5n), // UnknownAccount: = capacity
        deposit(d, 2 ** 32 - 1, 0, 5n), // UnknownAccount: far out of range
        deposit(d, 9, 0, 0n), // UnknownAccount, refund of 0 writes nothing
        deposit(d, 4, 0, 7n), // TokenMismatch
        deposit(d, 5, 0, 11n), // BalanceOverflow
        deposit(d, 5, 0, 10n), // Applied: exactly MAX_BALANCE
        deposit(d, 3, 0, MAX_BALANCE), // BalanceOverflow
      ];
      const checked = await checkBatch(f, queue, state, { ...header(), queueEntries: entries, ops: [] });
      expect(outcomesOf(checked, "deposit")).to.deep.equal([
        "Applied",
        "Applied",
        "UnknownAccount",
        "UnknownAccount",
        "UnknownAccount",
        "UnknownAccount",
        "UnknownAccount",
        "UnknownAccount",
        "TokenMismatch",
        "BalanceOverflow",
        "Applied",
        "BalanceOverflow",
      ]);
    });

    it("proveStep_forcedExit_everyOutcomeMatchesCore", async () => {
      const f = await networkHelpers.loadFixture(deployFixture);
      const queue = new Queue(f.bridge);
      const state = seededState(2, SCENARIO_ACCOUNTS);
      const entries = [
        forcedExit(ADDRESSES[0]!, 2), // Applied
        forcedExit(ADDRESSES[1]!, 7), // Applied, zero balance: no withdrawal
        forcedExit(ADDRESSES[0]!, 2), // Applied again: balance now 0
        forcedExit(ADDRESSES[0]!, 3), // NotOwner
        forcedExit(ADDRESSES[0]!, 0), // UnknownAccount
        forcedExit(ADDRESSES[0]!, 20), // UnknownAccount: empty
        forcedExit(ADDRESSES[0]!, 1000), // UnknownAccount: out of range
      ];
      const checked = await checkBatch(f, queue, state, { ...header(), queueEntries: entries, ops: [] });
      expect(outcomesOf(checked, "forcedExit")).to.deep.equal([
        "Applied",
        "Applied",
        "Applied",
        "NotOwner",
        "UnknownAccount",
        "UnknownAccount",
        "UnknownAccount",
      ]);
    });
  });

  describe("L2 ops", () => {
    it("proveStep_transferAndWithdraw_everyOutcomeMatchesCore", async () => {
      const f = await networkHelpers.loadFixture(deployFixture);
      const queue = new Queue(f.bridge);
      const state = seededState(2, SCENARIO_ACCOUNTS);
      const dom = f.domain;
      const k = (i: number) => KEYS[i]!.privateKey;
      const amt = (v: bigint) => encodeFloat40(v);
      const base = { amountFloat40: amt(1000n), feeFloat8: encodeFloat8(5n) };
      // Nonces move as ops apply: account 2 signs 0, 1, 2, ...
      const ops: L2Op[] = [
        signOp({ fromIdx: 2, toIdx: 3, ...base }, k(0), { tokenId: 0, nonce: 0 }, dom), // Applied
        signOp({ fromIdx: 2, toIdx: 2, ...base }, k(0), { tokenId: 0, nonce: 1 }, dom), // Applied: self
        signOp({ fromIdx: 2, toIdx: 1, ...base }, k(0), { tokenId: 0, nonce: 2 }, dom), // Applied: withdraw
        signOp({ fromIdx: 2, toIdx: 1, amountFloat40: 0, feeFloat8: 0 }, k(0), { tokenId: 0, nonce: 3 }, dom), // Applied: withdraw 0
        signOp({ fromIdx: 2, toIdx: 3, ...base }, k(0), { tokenId: 0, nonce: 3 }, dom), // BadSignature: stale nonce
        signOp({ fromIdx: 2, toIdx: 3, ...base }, k(1), { tokenId: 0, nonce: 4 }, dom), // BadSignature: wrong key
        signOp({ fromIdx: 0, toIdx: 3, ...base }, k(0), { tokenId: 0, nonce: 0 }, dom), // UnknownSender: 0
        signOp({ fromIdx: 1, toIdx: 3, ...base }, k(0), { tokenId: 0, nonce: 0 }, dom), // UnknownSender: 1
        signOp({ fromIdx: 30, toIdx: 3, ...base }, k(0), { tokenId: 0, nonce: 0 }, dom), // UnknownSender: empty
        signOp({ fromIdx: 200, toIdx: 3, ...base }, k(0), { tokenId: 0, nonce: 0 }, dom), // UnknownSender: >= capacity
        signOp({ fromIdx: 6, toIdx: 3, ...base }, k(0), { tokenId: 0, nonce: MAX_NONCE }, dom), // NonceOverflow
        signOp({ fromIdx: 2, toIdx: 0, ...base }, k(0), { tokenId: 0, nonce: 4 }, dom), // UnknownReceiver: 0
        signOp({ fromIdx: 2, toIdx: 33, ...base }, k(0), { tokenId: 0, nonce: 4 }, dom), // UnknownReceiver: empty
        signOp({ fromIdx: 2, toIdx: 255, ...base }, k(0), { tokenId: 0, nonce: 4 }, dom), // UnknownReceiver: >= capacity
        signOp({ fromIdx: 2, toIdx: 4, ...base }, k(0), { tokenId: 0, nonce: 4 }, dom), // TokenMismatch
        signOp({ fromIdx: 2, toIdx: 3, amountFloat40: 2 ** 40 - 1, feeFloat8: 0 }, k(0), { tokenId: 0, nonce: 4 }, dom), // InsufficientBalance
        signOp({ fromIdx: 7, toIdx: 1, amountFloat40: 1, feeFloat8: 0 }, k(1), { tokenId: 0, nonce: 0 }, dom), // InsufficientBalance: withdraw
        signOp({ fromIdx: 3, toIdx: 5, amountFloat40: amt(11n), feeFloat8: 0 }, k(1), { tokenId: 0, nonce: 0 }, dom), // BalanceOverflow
        signOp({ fromIdx: 3, toIdx: 5, amountFloat40: amt(10n), feeFloat8: encodeFloat8(7n * 10n ** 31n) }, k(1), { tokenId: 0, nonce: 0 }, dom), // InsufficientBalance: fee
        signOp({ fromIdx: 3, toIdx: 5, amountFloat40: amt(10n), feeFloat8: 255 }, k(1), { tokenId: 0, nonce: 0 }, dom), // InsufficientBalance: fee 7·10^31
        signOp({ fromIdx: 3, toIdx: 5, amountFloat40: amt(10n), feeFloat8: 1 }, k(1), { tokenId: 0, nonce: 0 }, dom), // Applied: exactly MAX
        signOp({ fromIdx: 4, toIdx: 4, amountFloat40: amt(990n), feeFloat8: 9 }, k(2), { tokenId: 1, nonce: 0 }, dom), // Applied: self, token 1
      ];
      const checked = await checkBatch(f, queue, state, { ...header([0, 1, 0, NO_TOKEN]), queueEntries: [], ops });
      expect(checked.outcomes.slice(0, ops.length).map((o) => o.outcome)).to.deep.equal([
        "Applied",
        "Applied",
        "Applied",
        "Applied",
        "BadSignature",
        "BadSignature",
        "UnknownSender",
        "UnknownSender",
        "UnknownSender",
        "UnknownSender",
        "NonceOverflow",
        "UnknownReceiver",
        "UnknownReceiver",
        "UnknownReceiver",
        "TokenMismatch",
        "InsufficientBalance",
        "InsufficientBalance",
        "BalanceOverflow",
        "InsufficientBalance",
        "InsufficientBalance",
        "Applied",
        "Applied",
      ]);
      expect(outcomesOf(checked, "withdraw")).to.deep.equal(["Applied", "Applied", "InsufficientBalance"]);
    });

    it("proveStep_malformedSignatures_badSignatureNotRevert", async () => {
      const f = await networkHelpers.loadFixture(deployFixture);
      const queue = new Queue(f.bridge);
      const state = seededState(2, SCENARIO_ACCOUNTS);
      const good = signOp({ fromIdx: 2, toIdx: 3, amountFloat40: 1, feeFloat8: 0 }, KEYS[0]!.privateKey, { tokenId: 0, nonce: 0 }, f.domain);
      const sig = good.signature!;
      const word = (v: bigint) => Uint8Array.from(Buffer.from(v.toString(16).padStart(64, "0"), "hex"));
      const withR8 = (r8: bigint) => ({ ...good, signature: Uint8Array.from([...word(r8), ...sig.slice(32)]) });
      const withS = (s: bigint) => ({ ...good, signature: Uint8Array.from([...sig.slice(0, 32), ...word(s)]) });
      const s = BigInt(bytesToHex(sig.slice(32)));
      const r8 = BigInt(bytesToHex(sig.slice(0, 32)));
      const ops: L2Op[] = [
        withS(s + SUB_ORDER), // S >= subOrder (S + l satisfies the equation)
        withS((1n << 256n) - 1n),
        withR8(FIELD_MODULUS), // y >= r
        withR8((1n << 256n) - 1n),
        withR8(1n), // y = 1: x = 0
        withR8(r8 ^ (1n << 255n)), // the other x
        withR8(7n), // y = 7: try a non-residue or another point
        withR8(11n),
        { ...good, signature: new Uint8Array(64) },
        good, // Applied
      ];
      const checked = await checkBatch(f, queue, state, { ...header(), queueEntries: [], ops });
      expect(checked.outcomes.slice(0, ops.length).map((o) => o.outcome)).to.deep.equal([
        ...Array(9).fill("BadSignature"),
        "Applied",
      ]);
    });
  });

  describe("fee payouts", () => {
    it("proveStep_feePayouts_slotsNoTokenAndZeroTotalsMatchCore", async () => {
      const f = await networkHelpers.loadFixture(deployFixture);
      const queue = new Queue(f.bridge);
      const state = seededState(2, SCENARIO_ACCOUNTS);
      const op = (from: number, key: number, tokenId: number, nonce: number, fee: bigint) =>
        signOp({ fromIdx: from, toIdx: 1, amountFloat40: 1, feeFloat8: encodeFloat8(fee) }, KEYS[key]!.privateKey, { tokenId, nonce }, f.domain);
      // Token 0 in slots 1 and 3 (the first matching slot collects), token 1 in slot 0, slot 2 unused.
      const ops = [op(2, 0, 0, 0, 5n), op(2, 0, 0, 1, 7n * 10n ** 5n), op(4, 2, 1, 0, 3n)];
      const checked = await checkBatch(f, queue, state, { ...header([1, 0, NO_TOKEN, 0]), queueEntries: [], ops });
      const payouts = checked.proofs.slice(-4);
      expect(payouts.map((p) => p.kind)).to.deep.equal(Array(4).fill("feePayout"));
      expect(payouts[3]!.pre.feeTotals).to.deep.equal([3n, 700_005n, 0n, 0n]);
    });
  });

  describe("wrong witnesses", () => {
    async function transferFixture() {
      const f = await deployFixture();
      const queue = new Queue(f.bridge);
      const state = seededState(2, SCENARIO_ACCOUNTS);
      const ops = [
        signOp({ fromIdx: 2, toIdx: 3, amountFloat40: 1000, feeFloat8: 1 }, KEYS[0]!.privateKey, { tokenId: 0, nonce: 0 }, f.domain),
        signOp({ fromIdx: 2, toIdx: 1, amountFloat40: 1000, feeFloat8: 1 }, KEYS[0]!.privateKey, { tokenId: 0, nonce: 1 }, f.domain),
      ];
      const batch: Batch = { ...header(), queueEntries: [deposit(ADDRESSES[0]!, 2, 0, 10n)], ops };
      const checked = await checkBatch(f, queue, state.clone(), batch);
      return { f, checked };
    }

    function tampered(p: StepProof, edit: (w: StepWitness) => StepWitness): string {
      return encodeStepWitness(edit(structuredClone(p.witness) as StepWitness));
    }

    const cases: [string, number, string, (w: StepWitness) => StepWitness][] = [
      ["senderSibling", 1, "AccountProofMismatch", (w) => ({ ...w, first: { ...w.first, siblings: w.first.siblings.map((l, i) => (i === 1 ? [l[0]! + 1n, ...l.slice(1)] : l)) } })],
      ["senderLeafPreimage", 1, "AccountProofMismatch", (w) => ({ ...w, first: { ...w.first, account: { ...w.first.account, balance: w.first.account.balance + 1n } } })],
      ["senderClaimedEmpty", 1, "AccountProofMismatch", (w) => ({ ...w, first: { ...w.first, exists: false } })],
      ["senderProofTooShort", 1, "AccountProofLength", (w) => ({ ...w, first: { ...w.first, siblings: w.first.siblings.slice(1) } })],
      ["receiverSibling", 1, "AccountProofMismatch", (w) => ({ ...w, second: { ...w.second, siblings: w.second.siblings.map((l) => [...l.slice(0, 6), l[6]! + 1n]) } })],
      ["receiverClaimedEmpty", 1, "AccountProofMismatch", (w) => ({ ...w, second: { ...w.second, exists: false } })],
      ["receiverNonce", 1, "AccountProofMismatch", (w) => ({ ...w, second: { ...w.second, account: { ...w.second.account, nonce: 9 } } })],
      ["r8Hint", 1, "InvalidSqrtHint", (w) => ({ ...w, r8Hint: w.r8Hint + 1n })],
      ["withdrawalSibling", 2, "WithdrawalSlotMismatch", (w) => ({ ...w, withdrawalSiblings: w.withdrawalSiblings.map((l, i) => (i === 4 ? [...l.slice(0, 6), 1n] : l)) })],
      ["queueEntryAmount", 0, "QueueEntryMismatch", (w) => ({ ...w, entry: { ...w.entry, amount: w.entry.amount + 1n } })],
      ["queueEntryAccount", 0, "QueueEntryMismatch", (w) => ({ ...w, entry: { ...w.entry, accountIdx: 3 } })],
      ["queueEntryKind", 0, "QueueEntryMismatch", (w) => ({ ...w, entry: { ...w.entry, kind: 4 } })],
      ["depositLeaf", 0, "AccountProofMismatch", (w) => ({ ...w, first: { ...w.first, account: { ...w.first.account, tokenId: 1 } } })],
    ];
    for (const [name, step, error, edit] of cases) {
      it(`proveStep_wrong_${name}_reverts${error}`, async () => {
        const { f, checked } = await networkHelpers.loadFixture(transferFixture);
        const p = checked.proofs[step]!;
        await expect(f.prover.proveStep(checked.ctx, checked.op(step), step, p.pre, tampered(p, edit))).to.be.revertedWithCustomError(
          f.prover,
          error,
        );
      });
    }

    it("proveStep_stepBeyondBatch_revertsStepOutOfRange", async () => {
      const { f, checked } = await networkHelpers.loadFixture(transferFixture);
      const p = checked.proofs[0]!;
      await expect(f.prover.proveStep(checked.ctx, "0x", checked.proofs.length, p.pre, p.proof))
        .to.be.revertedWithCustomError(f.prover, "StepOutOfRange")
        .withArgs(checked.proofs.length, checked.proofs.length);
    });

    it("proveStep_truncatedOp_revertsOpLengthMismatch", async () => {
      const { f, checked } = await networkHelpers.loadFixture(transferFixture);
      const p = checked.proofs[1]!;
      const op = checked.op(1);
      const recordSize = (op.length - 2) / 2;
      await expect(f.prover.proveStep(checked.ctx, op.slice(0, -2), 1, p.pre, p.proof))
        .to.be.revertedWithCustomError(f.prover, "OpLengthMismatch")
        .withArgs(recordSize - 1, recordSize);
    });
  });

  describe("buildStepWitness", () => {
    it("buildStepWitness_singleStep_equalsBatchWitness", async () => {
      const f = await networkHelpers.loadFixture(deployFixture);
      const state = seededState(2, SCENARIO_ACCOUNTS);
      const ops = [signOp({ fromIdx: 2, toIdx: 3, amountFloat40: 5, feeFloat8: 1 }, KEYS[0]!.privateKey, { tokenId: 0, nonce: 0 }, f.domain)];
      const batch: Batch = { ...header(), queueEntries: [deposit(ADDRESSES[0]!, 3, 0, 1n)], ops };
      const all = buildBatchWitnesses(state, batch, f.domain);
      for (const p of all) expect(buildStepWitness(state, batch, f.domain, p.step)).to.deep.equal(p);
    });
  });

  // ─── Differential test: random steps of every kind through core and the prover ──────────

  /** Generates a random batch against `state` (not mutated), tracking nonces as ops apply. */
  function randomBatch(rng: Rng, state: L2State, domain: bigint, queueCount: number, opCount: number): Batch {
    const params = state.params;
    const capacity = params.capacity;
    const maxIdx = 2 ** (8 * params.idxBytes) - 1;
    const feeTokens = Array.from({ length: 4 }, () => rng.pick([0, 0, 1, 2, NO_TOKEN, 77]));
    const sim = state.clone();
    const exec = new BatchExecutor(sim, { feeRecipient: FEE_RECIPIENT, feeTokens }, { domain, mode: "optimistic", commitments: false });
    const existing = () => [...sim.entries()].map(([i]) => i);
    const anyIndex = (): number => {
      const live = existing();
      switch (rng.int(8)) {
        case 0:
          return rng.pick([0, 1]);
        case 1:
          return 2 + rng.int(capacity - 2); // maybe empty
        case 2: // out of the tree when the index bytes can say so (not at levels 8: 2^24 = 3 bytes)
          return maxIdx >= capacity ? capacity + rng.int(maxIdx - capacity + 1) : 2 + rng.int(capacity - 2);
        default:
          return live.length ? rng.pick(live) : 2;
      }
    };
    const amount = (): bigint =>
      rng.pick([0n, 1n, rng.bits(20), rng.bits(64), rng.bits(128), MAX_BALANCE, MAX_BALANCE - rng.bits(8), 10n ** 18n]);
    const queueEntries: QueueEntry[] = [];
    for (let i = 0; i < queueCount; i++) {
      const kind = rng.pick([QueueKind.CreateAccount, QueueKind.Deposit, QueueKind.Deposit, QueueKind.ForcedExit]);
      let entry: QueueEntry;
      if (kind === QueueKind.CreateAccount) {
        entry = create(rng.pick(ADDRESSES), rng.pick([0, 1, 2]), amount(), rng.pick(KEYS).publicKey);
      } else if (kind === QueueKind.Deposit) {
        entry = deposit(rng.pick(ADDRESSES), rng.chance(0.05) ? 2 ** 32 - 1 : anyIndex(), rng.pick([0, 0, 1, 2]), amount());
      } else {
        const idx = anyIndex();
        const owner = sim.account(idx)?.ethAddr;
        entry = forcedExit(owner && rng.chance(0.6) ? owner : rng.pick(ADDRESSES), idx);
      }
      queueEntries.push(entry);
      exec.applyQueueEntry(entry);
    }
    const ops: L2Op[] = [];
    for (let i = 0; i < opCount; i++) {
      const fromIdx = anyIndex();
      const sender = sim.account(fromIdx);
      const toIdx = rng.chance(0.25) ? 1 : rng.chance(0.1) ? fromIdx : anyIndex();
      let amountFloat40: number;
      if (sender && rng.chance(0.6)) {
        const v = sender.balance === 0n ? 0n : BigInt(rng.int(1000)) * 10n ** BigInt(rng.int(Math.max(1, sender.balance.toString().length - 3)));
        amountFloat40 = encodeFloat40(v);
      } else {
        amountFloat40 = Number(rng.bits(40));
      }
      const feeFloat8 = rng.pick([0, Number(rng.bits(8)), rng.int(8), 8 + rng.int(8)]);
      const base = { fromIdx, toIdx, amountFloat40, feeFloat8 };
      const signer = sender ?? { tokenId: 0, nonce: 0 };
      const key = (sender && privateKeyOf(sender)) ?? rng.pick(KEYS).privateKey;
      let op: L2Op;
      switch (rng.int(10)) {
        case 0:
          op = signOp(base, key, { ...signer, nonce: signer.nonce + 1 }, domain); // wrong nonce
          break;
        case 1:
          op = signOp(base, rng.pick(KEYS).privateKey, signer, domain); // maybe the wrong key
          break;
        case 2:
          op = { ...base, signature: rng.bytes(64) }; // garbage: R8 rarely decompresses
          break;
        case 3: {
          const good = signOp(base, key, signer, domain).signature!;
          const sig = good.slice();
          sig[rng.int(64)]! ^= 1 << rng.int(8); // one bit flipped
          op = { ...base, signature: sig };
          break;
        }
        default:
          op = signOp(base, key, signer, domain);
      }
      ops.push(op);
      exec.applyL2Op(op);
    }
    return { feeRecipient: FEE_RECIPIENT, feeTokens, queueEntries, ops };
  }

  function randomAccounts(rng: Rng, count: number): Account[] {
    return Array.from({ length: count }, () => {
      const keyIndex = rng.int(KEYS.length);
      const nonce = rng.pick([0, 1, rng.int(1000), MAX_NONCE - 1, MAX_NONCE]);
      const balance = rng.pick([0n, rng.bits(10), rng.bits(70), 10n ** 18n, MAX_BALANCE - rng.bits(16), MAX_BALANCE]);
      return acct(keyIndex, rng.pick([0, 0, 1, 2]), balance, nonce, rng.pick(ADDRESSES));
    });
  }

  async function differential(levels: number, seed: number, targetSteps: number, accounts: number, queuePerBatch: number, opsPerBatch: number) {
    const f = await networkHelpers.loadFixture(deployFixture);
    const queue = new Queue(f.bridge);
    const rng = new Rng(seed);
    const state = seededState(levels, randomAccounts(rng, accounts));
    const seen = new Map<string, number>();
    let steps = 0;
    while (steps < targetSteps) {
      const batch = randomBatch(rng, state, f.domain, rng.int(queuePerBatch + 1), rng.int(opsPerBatch + 1));
      const checked = await checkBatch(f, queue, state, batch);
      for (const o of checked.outcomes) seen.set(`${o.kind}:${o.outcome}`, (seen.get(`${o.kind}:${o.outcome}`) ?? 0) + 1);
      steps += checked.outcomes.length;
    }
    return { steps, seen };
  }

  it("differential_levels2_3000RandomSteps_zeroDisagreements", async () => {
    const { steps, seen } = await differential(2, 1, 3000, 20, 10, 16);
    console.log(`      ${steps} steps at levels 2:`, Object.fromEntries([...seen].sort()));
    const expected = [
      "createAccount:Applied",
      "createAccount:TreeFull",
      "deposit:Applied",
      "deposit:UnknownAccount",
      "deposit:TokenMismatch",
      "deposit:BalanceOverflow",
      "forcedExit:Applied",
      "forcedExit:UnknownAccount",
      "forcedExit:NotOwner",
      "transfer:Applied",
      "transfer:UnknownSender",
      "transfer:BadSignature",
      "transfer:NonceOverflow",
      "transfer:UnknownReceiver",
      "transfer:TokenMismatch",
      "transfer:InsufficientBalance",
      "transfer:BalanceOverflow",
      "withdraw:Applied",
      "withdraw:UnknownSender",
      "withdraw:BadSignature",
      "withdraw:NonceOverflow",
      "withdraw:InsufficientBalance",
      "feePayout:Applied",
    ];
    for (const key of expected) expect(seen.get(key) ?? 0, key).to.be.greaterThan(0);
  });

  it("differential_levels8_300RandomSteps_zeroDisagreements", async () => {
    const { steps, seen } = await differential(8, 2, 300, 12, 6, 12);
    console.log(`      ${steps} steps at levels 8:`, Object.fromEntries([...seen].sort()));
    expect(seen.get("transfer:Applied") ?? 0).to.be.greaterThan(0);
  });
});
