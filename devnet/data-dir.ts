import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";

/**
 * Readies the devnet's data folder: the sequencer's write-ahead log (`sequencer/`) is emptied,
 * since a fresh deployment needs a fresh log, and so are the blob sidecars (`blobs/`) unless
 * `keepBlobs` (an existing L1 whose blobs they are).
 *
 * @example
 * const { blobDir } = prepareDataDir("/abs/.devnet", { keepBlobs: false })
 */
export function prepareDataDir(dataDir: string, options: { readonly keepBlobs: boolean }): { readonly blobDir: string } {
  rmSync(join(dataDir, "sequencer"), { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  const blobDir = join(dataDir, "blobs");
  if (!options.keepBlobs) rmSync(blobDir, { recursive: true, force: true });
  return { blobDir };
}
