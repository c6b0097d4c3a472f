import { ARITY } from "./params.js";
import { poseidon8, poseidonBatch } from "./hash.js";
import { ValueOutOfRangeError } from "./errors.js";

/** Per level from the bottom: the 7 siblings of the path node, in position order. */
export type MerkleProof = readonly (readonly bigint[])[];

const zeroCache: bigint[] = [0n];

/**
 * Root of an empty subtree of the given height: `Z_0 = 0`, `Z_{k+1} = Poseidon_8(Z_k × 8)`.
 *
 * @example
 * emptyRoot(0) // 0n
 */
export function emptyRoot(height: number): bigint {
  while (zeroCache.length <= height) {
    const z = zeroCache[zeroCache.length - 1]!;
    zeroCache.push(poseidon8(new Array<bigint>(ARITY).fill(z)));
  }
  return zeroCache[height]!;
}

/**
 * A sparse 8-ary Poseidon Merkle tree (docs/protocol.md §2). Only non-empty subtrees are
 * stored: for every level, the children of each touched parent.
 *
 * @example
 * const tree = new MerkleTree(2)
 * tree.set(5, 123n)
 * verifyMerkleProof(tree.root, 5, 123n, tree.proof(5)) // true
 */
export class MerkleTree {
  readonly levels: number;
  readonly capacity: number;
  /** `children[k]` maps a parent index at height k+1 to its 8 children at height k. */
  private readonly children: Map<number, bigint[]>[];
  private rootValue: bigint;

  constructor(levels: number) {
    this.levels = levels;
    this.capacity = ARITY ** levels;
    this.children = Array.from({ length: levels }, () => new Map<number, bigint[]>());
    this.rootValue = emptyRoot(levels);
  }

  /** The current root. */
  get root(): bigint {
    return this.rootValue;
  }

  /** The leaf at `index` (0 when empty). */
  get(index: number): bigint {
    this.checkIndex(index);
    const node = this.children[0]!.get(Math.floor(index / ARITY));
    return node ? node[index % ARITY]! : 0n;
  }

  /** Sets the leaf at `index` and rehashes its path; returns the new root. */
  set(index: number, leaf: bigint): bigint {
    return this.setMany([[index, leaf]]);
  }

  /**
   * Sets several leaves, then rehashes every touched node once: paths that meet share
   * their upper nodes (a transfer between accounts created close together hashes the
   * common part of the two paths once). Returns the new root.
   */
  setMany(updates: readonly (readonly [index: number, leaf: bigint])[]): bigint {
    let dirty = new Map<number, bigint>();
    for (const [index, leaf] of updates) {
      this.checkIndex(index);
      dirty.set(index, leaf);
    }
    for (let height = 0; height < this.levels; height++) {
      const level = this.children[height]!;
      const parents = new Map<number, bigint[]>();
      for (const [position, value] of dirty) {
        const parent = Math.floor(position / ARITY);
        let node = level.get(parent);
        if (!node) {
          node = new Array<bigint>(ARITY).fill(emptyRoot(height));
          level.set(parent, node);
        }
        node[position % ARITY] = value;
        parents.set(parent, node);
      }
      const keys = [...parents.keys()];
      const hashes = poseidonBatch([...parents.values()]);
      dirty = new Map(keys.map((parent, i) => [parent, hashes[i]!]));
    }
    this.rootValue = dirty.get(0) ?? this.rootValue;
    return this.rootValue;
  }

  /** The Merkle proof of the leaf at `index`. */
  proof(index: number): MerkleProof {
    this.checkIndex(index);
    const proof: bigint[][] = [];
    let position = index;
    for (let height = 0; height < this.levels; height++) {
      const parent = Math.floor(position / ARITY);
      const node = this.children[height]!.get(parent);
      const siblings: bigint[] = [];
      for (let i = 0; i < ARITY; i++) {
        if (i !== position % ARITY) siblings.push(node ? node[i]! : emptyRoot(height));
      }
      proof.push(siblings);
      position = parent;
    }
    return proof;
  }

  /** A deep copy that evolves independently. */
  clone(): MerkleTree {
    const copy = new MerkleTree(this.levels);
    this.children.forEach((level, height) => {
      const target = copy.children[height]!;
      for (const [key, node] of level) target.set(key, node.slice());
    });
    copy.rootValue = this.rootValue;
    return copy;
  }

  private checkIndex(index: number): void {
    if (!Number.isInteger(index) || index < 0 || index >= this.capacity) {
      throw new ValueOutOfRangeError(`tree index ${index} is outside [0, ${this.capacity})`);
    }
  }
}

/** Root implied by `leaf` at `index` and its proof. */
export function computeMerkleRoot(index: number, leaf: bigint, proof: MerkleProof): bigint {
  let value = leaf;
  let position = index;
  for (const siblings of proof) {
    if (siblings.length !== ARITY - 1) {
      throw new ValueOutOfRangeError(`a proof level has ${ARITY - 1} siblings, got ${siblings.length}`);
    }
    const slot = position % ARITY;
    const node = [...siblings.slice(0, slot), value, ...siblings.slice(slot)];
    value = poseidon8(node);
    position = Math.floor(position / ARITY);
  }
  if (position !== 0) throw new ValueOutOfRangeError(`index ${index} is too large for a ${proof.length}-level proof`);
  return value;
}

/** True iff `leaf` sits at `index` under `root`. */
export function verifyMerkleProof(root: bigint, index: number, leaf: bigint, proof: MerkleProof): boolean {
  return computeMerkleRoot(index, leaf, proof) === root;
}
