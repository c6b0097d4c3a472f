import { type ResolvedParams, FIRST_ACCOUNT_INDEX } from "./params.js";
import { type Account, accountLeaves } from "./account.js";
import { MerkleTree, type MerkleProof } from "./merkle.js";
import { poseidon2 } from "./hash.js";
import { InvalidParameterError } from "./errors.js";

/** Options of `L2State.genesis`. */
export interface L2StateOptions {
  /**
   * Keep the account tree (default `true`). Without it the state holds only the accounts:
   * writes cost no hashing, and `accountsRoot`, `stateRoot` and `proof` throw. The
   * sequencer decides op outcomes on such a state and builds the commitments elsewhere.
   */
  readonly tree?: boolean;
}

/**
 * The L2 state (docs/protocol.md §2): the account tree and the index the next account
 * gets. Mutated in place by the STF; `clone()` gives an independent copy.
 *
 * @example
 * const state = L2State.genesis(resolveParams({ levels: 2 }))
 * state.stateRoot // Poseidon_2(Z_2, 2)
 * const accountsOnly = L2State.genesis(params, { tree: false }) // no roots, no hashing
 */
export class L2State {
  readonly params: ResolvedParams;
  private readonly tree: MerkleTree | undefined;
  private readonly accounts: Map<number, Account>;
  private next: number;

  private constructor(params: ResolvedParams, tree: MerkleTree | undefined, accounts: Map<number, Account>, next: number) {
    this.params = params;
    this.tree = tree;
    this.accounts = accounts;
    this.next = next;
  }

  /** The empty state every rollup starts from. */
  static genesis(params: ResolvedParams, options: L2StateOptions = {}): L2State {
    const tree = options.tree === false ? undefined : new MerkleTree(params.levels);
    return new L2State(params, tree, new Map(), FIRST_ACCOUNT_INDEX);
  }

  /** Whether this state keeps the account tree (and so has roots and proofs). */
  get hasTree(): boolean {
    return this.tree !== undefined;
  }

  /** Root of the account tree. Throws on a state without a tree. */
  get accountsRoot(): bigint {
    return this.requireTree("accountsRoot").root;
  }

  /** Index the next created account gets. */
  get nextAccountIndex(): number {
    return this.next;
  }

  /** `Poseidon_2(accountsRoot, nextAccountIndex)`. Throws on a state without a tree. */
  get stateRoot(): bigint {
    return poseidon2(this.requireTree("stateRoot").root, BigInt(this.next));
  }

  /** Number of accounts that exist. */
  get accountCount(): number {
    return this.accounts.size;
  }

  /** The account at `index`, or undefined if none exists there (or the index is out of range). */
  account(index: number): Account | undefined {
    return this.accounts.get(index);
  }

  /** All accounts, by index. */
  entries(): IterableIterator<[number, Account]> {
    return this.accounts.entries();
  }

  /** Merkle proof of the leaf at `index` against `accountsRoot`. Throws on a state without a tree. */
  proof(index: number): MerkleProof {
    return this.requireTree("proof").proof(index);
  }

  /** Writes an account (STF use only: the caller has checked the transition). */
  writeAccount(index: number, account: Account): void {
    this.writeAccounts([[index, account]]);
  }

  /** Writes several accounts with one tree update (STF use only). A later entry for the same index wins. */
  writeAccounts(writes: readonly (readonly [index: number, account: Account])[]): void {
    for (const [index, account] of writes) this.accounts.set(index, account);
    if (!this.tree) return;
    const leaves = accountLeaves(writes.map(([, account]) => account));
    this.tree.setMany(writes.map(([index], i) => [index, leaves[i]!] as const));
  }

  /** Creates an account at `nextAccountIndex` and advances it (STF use only). */
  createAccount(account: Account): number {
    const index = this.next;
    this.writeAccount(index, account);
    this.next = index + 1;
    return index;
  }

  /** An independent copy. */
  clone(): L2State {
    return new L2State(this.params, this.tree?.clone(), new Map(this.accounts), this.next);
  }

  private requireTree(what: string): MerkleTree {
    if (!this.tree) {
      throw new InvalidParameterError(`${what} needs the account tree, and this L2State was made without one`, {
        details: "create it with L2State.genesis(params) (tree: true) to compute roots and proofs",
      });
    }
    return this.tree;
  }
}
