import { expect } from "chai";
import {
  type Batch,
  type L2Op,
  type Outcome,
  type QueueEntry,
  BatchExecutor,
  L2State,
  MAX_BALANCE,
  MAX_NONCE,
  NO_TOKEN,
  encodeBatchPayload,
  encodeFloat40,
  encodeFloat8,
  evaluateChunks,
  l2OpMessage,
  poseidon2,
  signMessage,
  zkDataCommitment,
  zkPublicInput,
} from "../../core/index.js";
import { type CircuitBuild, buildCircuit } from "../../prover/circuit.js";
import { type CircuitInput, type CircuitValue, buildCircuitInput } from "../../core/zk-witness.js";
import { calculateWitness } from "../../prover/witness.js";
import {
  ETH,
  TOKEN,
  type User,
  createAccount,
  deposit,
  domain,
  feeRecipient,
  forcedExit,
  header,
  params,
  stateWith,
  user,
} from "../core/fixtures.js";

const N_OPS = 4;
const LEVELS = params.levels;

const users = [user(1), user(2), user(3), user(4), user(5)];
const [alice, bob, carol, dave, erin] = users as [User, User, User, User, User];
/** Index → key holder, in creation order. */
const holders = new Map<number, User>();

/** alice 2 (ETH 1000), bob 3 (ETH 500), carol 4 (TOKEN 700), dave 5 (ETH, near MAX_BALANCE), erin 6 (ETH, nonce at MAX_NONCE). */
function baseState(): L2State {
  const state = stateWith([
    createAccount(alice, ETH, 1000n),
    createAccount(bob, ETH, 500n),
    createAccount(carol, TOKEN, 700n),
    createAccount(dave, ETH, MAX_BALANCE - 10n),
    createAccount(erin, ETH, 50n),
  ]);
  state.writeAccount(6, { ...state.account(6)!, nonce: MAX_NONCE });
  [alice, bob, carol, dave, erin].forEach((u, i) => holders.set(2 + i, u));
  return state;
}

/** Draft of an L2 op; `sign` decides what the prover holds (a valid signature by default). */
interface OpDraft {
  fromIdx: number;
  toIdx: number;
  amount: bigint;
  fee?: bigint;
  /** Signature made for another nonce (a bad signature). */
  badNonce?: boolean;
}

/**
 * A batch whose ops are signed by their senders for the state they will be applied to: queue
 * entries run first on a scratch copy, then each op is signed with its sender's nonce at its turn.
 */
function makeBatch(state: L2State, queueEntries: QueueEntry[], drafts: OpDraft[] = [], feeTokens = header.feeTokens): Batch {
  const scratch = state.clone();
  const exec = new BatchExecutor(scratch, { feeRecipient, feeTokens }, { domain, mode: "zk" });
  let next = scratch.nextAccountIndex;
  for (const entry of queueEntries) {
    const result = exec.applyQueueEntry(entry);
    if (entry.kind === 1 && result.outcome === "Applied") {
      holders.set(next, users.find((u) => u.l1Address === entry.l1Address)!);
      next++;
    }
  }
  const ops: L2Op[] = drafts.map((d) => {
    const unsigned: L2Op = {
      fromIdx: d.fromIdx,
      toIdx: d.toIdx,
      amountFloat40: encodeFloat40(d.amount),
      feeFloat8: encodeFloat8(d.fee ?? 0n),
    };
    const sender = d.fromIdx < scratch.params.capacity ? scratch.account(d.fromIdx) : undefined;
    const signer = holders.get(d.fromIdx);
    const op =
      sender && signer
        ? {
            ...unsigned,
            signature: signMessage(
              signer.privateKey,
              l2OpMessage(unsigned, { tokenId: sender.tokenId, nonce: sender.nonce + (d.badNonce ? 1 : 0) }, domain),
            ),
          }
        : unsigned;
    exec.applyL2Op(op);
    return op;
  });
  return { queueEntries, ops, feeRecipient, feeTokens };
}

/** A small deterministic PRNG (LCG), so failures reproduce. */
function prng(seed: number): (n: number) => number {
  let x = seed >>> 0;
  return (n) => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x % n;
  };
}

const INDICES = [0, 1, 2, 3, 4, 5, 6, 7, 8, 66, 200];
const AMOUNTS = [0n, 1n, 7n, 100n, 499n, 1000n, 10n ** 18n, (2n ** 35n - 1n) * 10n ** 31n];
const QUEUE_AMOUNTS = [0n, 5n, 300n, 11n, MAX_BALANCE];

function randomBatch(state: L2State, seed: number): Batch {
  const pick = prng(seed);
  const choose = <T>(xs: readonly T[]): T => xs[pick(xs.length)]!;
  const k = pick(3);
  const entries: QueueEntry[] = [];
  for (let i = 0; i < k; i++) {
    const who = choose(users);
    switch (pick(3)) {
      case 0:
        entries.push(createAccount(who, choose([ETH, TOKEN, NO_TOKEN]), choose(QUEUE_AMOUNTS)));
        break;
      case 1:
        entries.push(deposit(who.l1Address, choose([...INDICES, 2 ** 32 - 1]), choose([ETH, TOKEN]), choose(QUEUE_AMOUNTS)));
        break;
      default:
        entries.push(forcedExit(pick(2) === 0 ? who.l1Address : holders.get(choose([2, 3, 4]))!.l1Address, choose(INDICES)));
    }
  }
  const drafts: OpDraft[] = [];
  const m = pick(N_OPS - k + 1);
  for (let i = 0; i < m; i++) {
    drafts.push({ fromIdx: choose(INDICES), toIdx: choose(INDICES), amount: choose(AMOUNTS), fee: choose([0n, 1n, 3n, 50n]) });
  }
  const feeTokens = pick(4) === 0 ? [TOKEN, NO_TOKEN, ETH, NO_TOKEN] : header.feeTokens;
  return makeBatch(state, entries, drafts, feeTokens);
}

function witnessInput(state: L2State, batch: Batch, queueHashStart = 0n) {
  return buildCircuitInput({ state, batch, domain, queueHashStart, nOps: N_OPS });
}

/** A copy of `input` with one leaf value replaced (path: signal name then array indices). */
function tampered(input: CircuitInput, path: [string, ...number[]], value: bigint | ((v: bigint) => bigint)): CircuitInput {
  const copy = structuredClone(input);
  const [name, ...indices] = path;
  const set = (old: CircuitValue): string => (typeof value === "function" ? value(BigInt(old as string)) : value).toString();
  if (indices.length === 0) {
    copy[name] = set(copy[name]!);
    return copy;
  }
  let holder = copy[name] as CircuitValue[];
  for (const i of indices.slice(0, -1)) holder = holder[i] as CircuitValue[];
  const last = indices[indices.length - 1]!;
  holder[last] = set(holder[last]!);
  return copy;
}

describe("ZK batch circuit (levels 2, 4 slots)", function () {
  let build: CircuitBuild;

  before(async function () {
    this.timeout(600_000);
    build = await buildCircuit({ levels: LEVELS, nOps: N_OPS });
  });

  async function expectAccepted(state: L2State, batch: Batch, queueHashStart = 0n): Promise<Outcome[]> {
    const { input, publicInput, result } = witnessInput(state, batch, queueHashStart);
    const witness = await calculateWitness(build, input);
    expect(witness[1]).to.equal(publicInput);
    return result.steps.map((s) => s.outcome);
  }

  async function expectRejected(input: CircuitInput): Promise<void> {
    let error: unknown;
    try {
      await calculateWitness(build, input);
    } catch (e) {
      error = e;
    }
    expect(error, "the witness should not satisfy the circuit").to.be.instanceOf(Error);
  }

  describe("accepted batches match core's public input", () => {
    it("emptyBatch_allSlotsEmpty_matchesCore", async () => {
      await expectAccepted(baseState(), makeBatch(baseState(), [], []));
    });

    it("queueEntries_everyOutcome_matchesCore", async () => {
      const state = baseState();
      const outcomes = [
        ...(await expectAccepted(
          state,
          makeBatch(state, [
            createAccount(bob, TOKEN, 9n),
            deposit(bob.l1Address, 2, ETH, 5n),
            deposit(bob.l1Address, 4, ETH, 5n),
            deposit(bob.l1Address, 5, ETH, 11n),
          ]),
          123n,
        )),
        ...(await expectAccepted(
          state,
          makeBatch(state, [
            deposit(bob.l1Address, 1, ETH, 5n),
            deposit(bob.l1Address, 2 ** 32 - 1, ETH, 5n),
            forcedExit(alice.l1Address, 2),
            forcedExit(bob.l1Address, 2),
          ]),
        )),
        ...(await expectAccepted(state, makeBatch(state, [forcedExit(bob.l1Address, 9), forcedExit(bob.l1Address, 70)]))),
      ];
      expect(outcomes).to.include.members(["Applied", "TokenMismatch", "BalanceOverflow", "UnknownAccount", "NotOwner"]);
    });

    it("createAccount_treeFull_refunds", async () => {
      const full = stateWith(Array.from({ length: 62 }, (_, i) => createAccount(users[i % 5]!, ETH, 1n)));
      expect(full.nextAccountIndex).to.equal(full.params.capacity);
      const outcomes = await expectAccepted(full, makeBatch(full, [createAccount(alice, ETH, 77n), createAccount(bob, ETH, 0n)]));
      expect(outcomes.slice(0, 2)).to.deep.equal(["TreeFull", "TreeFull"]);
    });

    it("l2Ops_everyOutcome_matchesCore", async () => {
      const state = baseState();
      const batches: OpDraft[][] = [
        [
          { fromIdx: 2, toIdx: 3, amount: 100n, fee: 3n },
          { fromIdx: 3, toIdx: 1, amount: 50n, fee: 1n },
          { fromIdx: 2, toIdx: 2, amount: 10n, fee: 2n },
          { fromIdx: 4, toIdx: 4, amount: 700n, fee: 50n },
        ],
        [
          { fromIdx: 7, toIdx: 3, amount: 1n },
          { fromIdx: 6, toIdx: 3, amount: 1n },
          { fromIdx: 2, toIdx: 8, amount: 1n },
          { fromIdx: 2, toIdx: 4, amount: 1n },
        ],
        [
          { fromIdx: 3, toIdx: 2, amount: 501n },
          { fromIdx: 2, toIdx: 5, amount: 20n },
          { fromIdx: 66, toIdx: 3, amount: 1n },
          { fromIdx: 2, toIdx: 66, amount: 1n },
        ],
        [
          { fromIdx: 0, toIdx: 2, amount: 0n },
          { fromIdx: 1, toIdx: 2, amount: 0n },
          { fromIdx: 2, toIdx: 0, amount: 1n },
          { fromIdx: 3, toIdx: 3, amount: (2n ** 35n - 1n) * 10n ** 31n },
        ],
      ];
      const outcomes: Outcome[] = [];
      for (const drafts of batches) outcomes.push(...(await expectAccepted(state, makeBatch(state, [], drafts))));
      expect(outcomes).to.include.members([
        "Applied",
        "UnknownSender",
        "NonceOverflow",
        "UnknownReceiver",
        "TokenMismatch",
        "InsufficientBalance",
        "BalanceOverflow",
      ]);
    });

    it("feeTokens_noSlotOrDuplicateSlot_chargeAsCore", async () => {
      const state = baseState();
      const drafts = [
        { fromIdx: 2, toIdx: 3, amount: 10n, fee: 5n },
        { fromIdx: 4, toIdx: 1, amount: 10n, fee: 7n },
      ];
      await expectAccepted(state, makeBatch(state, [], drafts, [NO_TOKEN, ETH, ETH, NO_TOKEN]));
      await expectAccepted(state, makeBatch(state, [], drafts, [NO_TOKEN, NO_TOKEN, NO_TOKEN, NO_TOKEN]));
      const noToken = stateWith([createAccount(alice, NO_TOKEN, 100n), createAccount(bob, NO_TOKEN, 0n)]);
      holders.set(2, alice);
      await expectAccepted(noToken, makeBatch(noToken, [], [{ fromIdx: 2, toIdx: 3, amount: 10n, fee: 5n }]));
    });

    it("randomBatches_mixedValidAndInvalid_matchCore", async function () {
      this.timeout(300_000);
      const seen = new Set<Outcome>();
      for (let seed = 1; seed <= 24; seed++) {
        const state = baseState();
        const outcomes = await expectAccepted(state, randomBatch(state, seed), BigInt(seed));
        outcomes.forEach((o) => seen.add(o));
      }
      expect([...seen]).to.include.members(["Applied", "UnknownSender", "UnknownReceiver", "InsufficientBalance"]);
    });
  });

  describe("tampered witnesses are rejected", () => {
    const queue = [deposit(bob.l1Address, 2, ETH, 5n)];
    const drafts: OpDraft[] = [
      { fromIdx: 2, toIdx: 3, amount: 100n, fee: 3n },
      { fromIdx: 3, toIdx: 1, amount: 50n, fee: 1n },
    ];
    let state: L2State;
    let batch: Batch;
    let input: CircuitInput;

    before(async () => {
      state = baseState();
      batch = makeBatch(state, queue, drafts);
      input = witnessInput(state, batch).input;
      await calculateWitness(build, input);
    });

    /**
     * The public input the rollup recomputes when it receives `posted` (default: the batch's
     * own payload) with the circuit's commitment `c` of the proven payload: z = Poseidon_2(c, e)
     * with e = keccak256(posted) mod r, y and the length over `posted`.
     */
    function publicInputWith(changes: { postStateRoot?: bigint; posted?: Uint8Array; queueHashEnd?: bigint }): bigint {
      const { result, commitment, queueHashEnd, payload } = witnessInput(state, batch);
      const posted = changes.posted ?? payload;
      const { e, chunks } = zkDataCommitment(posted);
      const z = poseidon2(commitment.c, e);
      return zkPublicInput({
        domain,
        preStateRoot: result.preStateRoot,
        postStateRoot: changes.postStateRoot ?? result.postStateRoot,
        withdrawalsRoot: result.withdrawalsRoot,
        queueHashStart: 0n,
        queueHashEnd: changes.queueHashEnd ?? queueHashEnd,
        z,
        y: evaluateChunks(chunks, z),
        feeRecipient,
        feeTokens: batch.feeTokens,
        payloadLength: posted.length,
      });
    }

    /** `input` as a prover would give it for a batch whose posted payload is `posted`. */
    function postedAs(posted: Uint8Array): CircuitInput {
      const withE = tampered(input, ["dataHash"], zkDataCommitment(posted).e);
      return tampered(withE, ["publicInput"], publicInputWith({ posted }));
    }

    it("samePayloadPosted_recomputedAsTheContractDoes_accepted", async () => {
      const { payload } = witnessInput(state, batch);
      const witness = await calculateWitness(build, postedAs(payload));
      expect(witness[1]).to.equal(publicInputWith({}));
    });

    it("otherPayloadPosted_rejected", async () => {
      // The contract received another payload: its e, hence z, and its y differ from the proof's.
      const { payload } = witnessInput(state, batch);
      const other = Uint8Array.from(payload);
      other[0]! ^= 1;
      await expectRejected(postedAs(other));
    });

    it("trailingZeroRecordPosted_rejected", async () => {
      // Same polynomial (zeros add nothing), but the length is in the public input.
      const { payload } = witnessInput(state, batch);
      const longer = new Uint8Array(payload.length + params.zkOpBytes);
      longer.set(payload);
      await expectRejected(postedAs(longer));
    });

    it("wrongPostStateRoot_rejected", async () => {
      await expectRejected(tampered(input, ["publicInput"], publicInputWith({ postStateRoot: 12345n })));
    });

    it("changedAmountInData_rejected", async () => {
      const ops = batch.ops.map((op, i) => (i === 0 ? { ...op, amountFloat40: encodeFloat40(99n) } : op));
      const posted = encodeBatchPayload(ops, params, "zk");
      // The data says 99 while the state moved 100.
      await expectRejected(postedAs(posted));
      // Data and execution both say 99: the signature (on 100) no longer verifies.
      await expectRejected(tampered(postedAs(posted), ["amountF", 1], BigInt(encodeFloat40(99n))));
    });

    it("badSignature_rejected", async () => {
      const bad = makeBatch(state, queue, [{ ...drafts[0]!, badNonce: true }, drafts[1]!]);
      await expectRejected(witnessInput(state, bad).input);
      await expectRejected(tampered(input, ["S", 1], (s) => s + 1n));
    });

    it("wrongMerkleSibling_rejected", async () => {
      // Sender 2 sits at digit 2 of level 0; child 0 is a sibling.
      await expectRejected(tampered(input, ["aChildren", 1, 0, 0], (v) => v + 1n));
      await expectRejected(tampered(input, ["bChildren", 1, 1, 5], (v) => v + 1n));
    });

    it("wrongQueueEntry_rejected", async () => {
      await expectRejected(tampered(input, ["qAmount", 0], 6n));
      const other = witnessInput(state, makeBatch(state, [deposit(bob.l1Address, 2, ETH, 6n)], drafts));
      await expectRejected(tampered(input, ["publicInput"], other.publicInput));
    });

    it("skippingAValidOp_rejected", async () => {
      // Claiming the receiver is absent would skip the transfer: the empty leaf is not in the tree.
      let skip = input;
      for (const name of ["bPresent", "bTokenNonce", "bBalance", "bAx", "bAy", "bEthAddr"]) skip = tampered(skip, [name, 1], 0n);
      await expectRejected(skip);
    });

    it("slotOrder_l2BeforeQueue_rejected", async () => {
      const swapped = structuredClone(input);
      for (const key of Object.keys(swapped)) {
        const value = swapped[key]!;
        if (Array.isArray(value) && value.length === N_OPS) [value[0], value[1]] = [value[1]!, value[0]!];
      }
      await expectRejected(swapped);
    });
  });
});
