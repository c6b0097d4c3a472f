/**
 * Shared by the ZK tests: the test-size circuit (levels 2, 4 slots), its INSECURE dev setup
 * (cached in .circuits/<hash>/setup/) and random batches signed as the circuit requires.
 */
import { type Batch, type L2State, type QueueEntry, NO_TOKEN } from "../../core/index.js";
import { type CircuitBuild, buildCircuit } from "../../prover/circuit.js";
import { type SetupResult, setup } from "../../prover/setup.js";
import { type OpDraft, buildSignedBatch } from "../../scripts/lib/signed-batch.js";
import { ETH, TOKEN, type User, createAccount, deposit, forcedExit, header, user } from "../core/fixtures.js";

export const ZK_LEVELS = 2;
export const ZK_SLOTS = 4;

let keys: Promise<{ build: CircuitBuild; keys: SetupResult }> | undefined;

/** The test circuit and its keys, built once per process (and cached on disk). */
export function zkTestKeys(): Promise<{ build: CircuitBuild; keys: SetupResult }> {
  keys ??= (async () => {
    const build = await buildCircuit({ levels: ZK_LEVELS, nOps: ZK_SLOTS });
    return { build, keys: await setup(build) };
  })();
  return keys;
}

export const users = [user(1), user(2), user(3)];

/**
 * A batch whose ops carry valid signatures for the nonces they will be applied with (the
 * circuit requires one for every op whose sender exists). `holders` maps account index to key.
 */
export function signedBatch(
  state: L2State,
  domain: bigint,
  holders: ReadonlyMap<number, User>,
  queueEntries: QueueEntry[],
  drafts: OpDraft[],
  feeRecipient = header.feeRecipient,
  feeTokens: number[] = [ETH, TOKEN, NO_TOKEN, NO_TOKEN],
): Batch {
  return buildSignedBatch({ state, domain, holders, queueEntries, drafts, feeRecipient, feeTokens });
}

/** A deterministic PRNG (LCG). */
export function prng(seed: number): (n: number) => number {
  let x = seed >>> 0;
  return (n) => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x % n;
  };
}

/**
 * A random batch over a state with accounts 2..4 (users 1..3): queue entries of every kind and
 * L2 ops that apply or are skipped (unknown sender or receiver, token mismatch, too poor).
 */
export function randomBatch(state: L2State, domain: bigint, holders: ReadonlyMap<number, User>, seed: number): Batch {
  const pick = prng(seed);
  const choose = <T>(xs: readonly T[]): T => xs[pick(xs.length)]!;
  const entries: QueueEntry[] = [];
  const k = pick(2);
  for (let i = 0; i < k; i++) {
    const who = choose(users);
    entries.push(
      choose([
        createAccount(who, ETH, 7n),
        deposit(who.l1Address, choose([2, 3, 4, 9]), choose([ETH, TOKEN]), 11n),
        forcedExit(who.l1Address, choose([2, 3, 4])),
      ]),
    );
  }
  const drafts: OpDraft[] = [];
  for (let i = k; i < ZK_SLOTS; i++) {
    drafts.push({ fromIdx: choose([2, 3, 4, 9]), toIdx: choose([1, 2, 3, 4, 9]), amount: choose([0n, 5n, 100n, 10n ** 9n]), fee: choose([0n, 1n, 2n]) });
  }
  return signedBatch(state, domain, holders, entries, drafts);
}
