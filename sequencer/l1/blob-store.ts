/**
 * The blob sidecars the devnet's poster publishes, one JSON file per blob named by its
 * versioned hash. Hardhat has no consensus layer to gossip blobs to, so the poster writes
 * each sidecar here before it sends the transaction, and the devnet's Beacon API server
 * (devnet/beacon.ts) serves them for the L1 blocks whose blob transactions reference them.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Hex } from "../../core/index.js";
import { BlobStoreError } from "./errors.js";

/**
 * One blob with its KZG commitment and proof, 0x-hex.
 *
 * @example
 * const { blob, kzgCommitment, kzgProof }: StoredSidecar = store.get(versionedHash)!
 */
export interface StoredSidecar {
  readonly versionedHash: Hex;
  readonly blob: Hex;
  readonly kzgCommitment: Hex;
  readonly kzgProof: Hex;
}

/**
 * A folder of sidecars keyed by versioned hash.
 *
 * @example
 * const store = new BlobSidecarStore(".devnet/blobs")
 * store.put(sidecar)
 * store.get(sidecar.versionedHash) // the sidecar
 */
export class BlobSidecarStore {
  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  /** Writes a sidecar (atomically: a reader never sees half a file). */
  put(sidecar: StoredSidecar): void {
    const path = this.pathOf(sidecar.versionedHash);
    writeFileSync(`${path}.tmp`, JSON.stringify(sidecar));
    renameSync(`${path}.tmp`, path);
  }

  /** The sidecar of a versioned hash, or `undefined` if this store never had it. */
  get(versionedHash: Hex): StoredSidecar | undefined {
    try {
      return JSON.parse(readFileSync(this.pathOf(versionedHash), "utf8")) as StoredSidecar;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw new BlobStoreError(`cannot read the sidecar of ${versionedHash} from ${this.dir}`, {
        details: "the file is unreadable or not JSON: check the folder's permissions, or delete the file so the blob counts as unknown",
        cause: e,
      });
    }
  }

  private pathOf(versionedHash: Hex): string {
    if (!/^0x[0-9a-f]{64}$/.test(versionedHash)) {
      throw new BlobStoreError(`not a versioned hash: ${versionedHash}`, { details: "a versioned hash is 32 bytes, 0x and 64 lowercase hex digits" });
    }
    return join(this.dir, `${versionedHash}.json`);
  }
}
