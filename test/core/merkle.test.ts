import { expect } from "chai";
import { MerkleTree, computeMerkleRoot, emptyRoot, verifyMerkleProof, poseidon8, ValueOutOfRangeError } from "../../core/index.js";

/** Root of a full tree computed level by level from a dense leaf array. */
function naiveRoot(leaves: bigint[], levels: number): bigint {
  let layer = leaves.slice();
  for (let l = 0; l < levels; l++) {
    const next: bigint[] = [];
    for (let i = 0; i < layer.length; i += 8) next.push(poseidon8(layer.slice(i, i + 8)));
    layer = next;
  }
  return layer[0]!;
}

describe("Merkle tree (8-ary Poseidon)", () => {
  it("emptyRoot_isHashOfEightEmptyChildren", () => {
    expect(emptyRoot(0)).to.equal(0n);
    expect(emptyRoot(1)).to.equal(poseidon8(new Array(8).fill(0n)));
    expect(emptyRoot(2)).to.equal(poseidon8(new Array(8).fill(emptyRoot(1))));
    expect(new MerkleTree(3).root).to.equal(emptyRoot(3));
  });

  it("set_matchesNaiveFullTree", () => {
    const tree = new MerkleTree(2);
    const leaves = new Array<bigint>(64).fill(0n);
    for (const [i, v] of [[0, 5n], [7, 9n], [8, 1n], [63, 123456789n], [30, 2n ** 200n]] as const) {
      tree.set(i, v);
      leaves[i] = v;
      expect(tree.root).to.equal(naiveRoot(leaves, 2));
    }
    expect(tree.get(63)).to.equal(123456789n);
    expect(tree.get(62)).to.equal(0n);
  });

  it("proof_verifiesForEveryTouchedAndEmptyLeaf_andFailsWhenTampered", () => {
    const tree = new MerkleTree(3);
    for (let i = 0; i < 40; i++) tree.set((i * 37) % 512, BigInt(i + 1));
    for (const i of [0, 37, 74, 511, 500]) {
      const proof = tree.proof(i);
      expect(proof).to.have.length(3);
      expect(proof.every((level) => level.length === 7)).to.equal(true);
      expect(verifyMerkleProof(tree.root, i, tree.get(i), proof)).to.equal(true);
      expect(verifyMerkleProof(tree.root, i, tree.get(i) + 1n, proof)).to.equal(false);
      // Moving a leaf to its neighbour's slot breaks the proof unless both slots hold the same value.
      expect(verifyMerkleProof(tree.root, i ^ 1, tree.get(i), proof)).to.equal(tree.get(i) === tree.get(i ^ 1));
      const bad = proof.map((level) => level.slice());
      bad[1]![3] = bad[1]![3]! + 1n;
      expect(verifyMerkleProof(tree.root, i, tree.get(i), bad)).to.equal(false);
    }
  });

  it("proof_predictsRootAfterUpdate", () => {
    const tree = new MerkleTree(2);
    tree.set(10, 1n);
    const proof = tree.proof(10);
    expect(computeMerkleRoot(10, 99n, proof)).to.equal(tree.set(10, 99n));
  });

  it("badIndex_orMalformedProof_throw", () => {
    const tree = new MerkleTree(1);
    expect(() => tree.set(8, 1n)).to.throw(ValueOutOfRangeError, "tree index 8 is outside [0, 8)");
    expect(() => tree.get(-1)).to.throw(ValueOutOfRangeError);
    expect(() => computeMerkleRoot(0, 1n, [[1n, 2n]])).to.throw(ValueOutOfRangeError, "a proof level has 7 siblings, got 2");
    expect(() => computeMerkleRoot(9, 1n, tree.proof(0))).to.throw(ValueOutOfRangeError, "too large");
  });

  it("clone_evolvesIndependently", () => {
    const a = new MerkleTree(2);
    a.set(3, 3n);
    const b = a.clone();
    b.set(4, 4n);
    expect(a.get(4)).to.equal(0n);
    expect(a.root).to.not.equal(b.root);
  });
});
