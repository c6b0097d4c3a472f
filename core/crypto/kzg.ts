/**
 * KZG commitments and proofs over blobs (EIP-4844), from the `c-kzg` native addon with the
 * mainnet trusted setup it bundles. Loaded on first use, so code that never touches blobs
 * never loads it.
 */
import { createRequire } from "node:module";
import { type Kzg, defineKzg } from "viem";
import { InvalidParameterError } from "../errors.js";

/** viem's KZG interface plus the check a node runs on a blob it receives. */
export interface BlobKzg extends Kzg {
  /** Whether `proof` shows that `commitment` commits to `blob`. */
  verifyBlobKzgProof(blob: Uint8Array, commitment: Uint8Array, proof: Uint8Array): boolean;
  /** Opens the blob's polynomial at `z` (32 bytes, big-endian): [proof, y = p(z)]. */
  computeKzgProof(blob: Uint8Array, z: Uint8Array): [Uint8Array, Uint8Array];
}

type CKzg = {
  loadTrustedSetup(precompute: number, path?: string): void;
  blobToKzgCommitment(blob: Uint8Array): Uint8Array;
  computeBlobKzgProof(blob: Uint8Array, commitment: Uint8Array): Uint8Array;
  verifyBlobKzgProof(blob: Uint8Array, commitment: Uint8Array, proof: Uint8Array): boolean;
  computeKzgProof(blob: Uint8Array, z: Uint8Array): [Uint8Array, Uint8Array];
};

let loaded: BlobKzg | undefined;

/**
 * The KZG backend, loading c-kzg and its bundled mainnet trusted setup the first time.
 *
 * @example
 * const kzg = loadKzg()
 * const commitment = kzg.blobToKzgCommitment(blob)
 * const proof = kzg.computeBlobKzgProof(blob, commitment)
 */
export function loadKzg(): BlobKzg {
  if (loaded) return loaded;
  let cKzg: CKzg;
  try {
    cKzg = createRequire(import.meta.url)("c-kzg") as CKzg;
  } catch (cause) {
    // c-kzg is an optional dependency: its native build needs a C compiler and Python at install.
    throw new InvalidParameterError("blobs need the c-kzg package, which is not installed or did not build", {
      details: "install a C compiler and Python, then `npm rebuild c-kzg`; or use calldata (--da calldata)",
      cause,
    });
  }
  try {
    cKzg.loadTrustedSetup(0);
  } catch (e) {
    if (!(e as Error).message.includes("already loaded")) throw e;
  }
  loaded = {
    ...defineKzg(cKzg),
    verifyBlobKzgProof: (blob, commitment, proof) => cKzg.verifyBlobKzgProof(blob, commitment, proof),
    computeKzgProof: (blob, z) => cKzg.computeKzgProof(blob, z),
  };
  return loaded;
}
