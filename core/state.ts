import { type ResolvedParams, FIRST_ACCOUNT_INDEX } from "./params.js";
import { type Account, accountLeaves } from "./account.js";
import { MerkleTree, type MerkleProof } from "./merkle.js";
import { poseidon2 } from "./hash.js";

/**
 * The L2 state (docs/protocol.md §2): the account tree and the index the next account
 * gets. Mutated in place by the STF; `clone()` gives an independent copy.
 *
 * @example
 * const state = L2State.genesis(resolveParams({ levels: 2 }))
 * state.stateRoot // Poseidon_2(Z_2, 2)
 */
export class L2State {
  readonly params: ResolvedParams;
  private readonly tree: MerkleTree;
  private readonly accounts: Map<number, Account>;
  private next: number;

  private constructor(params: ResolvedParams, tree: MerkleTree, accounts: Map<number, Account>, next: number) {
    this.params = params;
    this.tree = tree;
    this.accounts = accounts;
    this.next = next;
  }

  /** The empty state every rollup starts from. */
  static genesis(params: ResolvedParams): L2State {
    return new L2State(params, new MerkleTree(params.levels), new Map(), FIRST_ACCOUNT_INDEX);
  }

  /** Root of the account tree. */
  get accountsRoot(): bigint {
    return this.tree.root;
  }

  /** Index the next created account gets. */
  get nextAccountIndex(): number {
    return this.next;
  }

  /** `Poseidon_2(accountsRoot, nextAccountIndex)`. */
  get stateRoot(): bigint {
    return poseidon2(this.tree.root, BigInt(this.next));
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

  /** Merkle proof of the leaf at `index` against `accountsRoot`. */
  proof(index: number): MerkleProof {
    return this.tree.proof(index);
  }

  /** Writes an account (STF use only: the caller has checked the transition). */
  writeAccount(index: number, account: Account): void {
    this.writeAccounts([[index, account]]);
  }

  /** Writes several accounts with one tree update (STF use only). A later entry for the same index wins. */
  writeAccounts(writes: readonly (readonly [index: number, account: Account])[]): void {
    for (const [index, account] of writes) this.accounts.set(index, account);
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
    return new L2State(this.params, this.tree.clone(), new Map(this.accounts), this.next);
  }
}
