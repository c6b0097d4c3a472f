/**
 * The devnet's data folder: everything a devnet needs to stop and start again as it was.
 *
 * ```
 * <dataDir>/
 *   deployment.json   what was deployed on which L1 (devnet/deployment-file.ts)
 *   l1/               the Hardhat L1's journal (devnet/l1-journal.ts); absent with --l1-rpc
 *   sequencer/        the sequencer's write-ahead log
 *   blobs/            the sidecars of the blobs the devnet posted, by versioned hash
 *   sequencer.json    the sequencer's config, challenger.json the agent's (rewritten at each start)
 *   snapshots/        devnet.snapshot()'s copies of the write-ahead log (emptied at each start)
 * ```
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

/** What `--fresh` removes: only what the devnet writes, whatever else is in the folder. */
const OWNED = ["deployment.json", "l1", "sequencer", "blobs", "sequencer.json", "challenger.json", "prover.json", "snapshots"];

/**
 * The paths of a data folder.
 *
 * @example
 * const { root, l1Dir, sequencerDir, blobDir, deploymentFile, snapshotsDir, temporary }: DataDir = prepareDataDir(".devnet", { fresh: false })
 */
export interface DataDir {
  /** Absolute. */
  readonly root: string;
  readonly l1Dir: string;
  readonly sequencerDir: string;
  readonly blobDir: string;
  readonly deploymentFile: string;
  readonly snapshotsDir: string;
  /** A folder made for this devnet alone (no `dataDir` given): removed when it stops. */
  readonly temporary: boolean;
}

/**
 * Readies the data folder: a new temporary one when `dataDir` is undefined, else `dataDir`
 * (created if missing) with what it holds kept, unless `fresh`. A folder without a deployment
 * file holds no devnet to come back to and is started fresh too, so that a write-ahead log or
 * a journal left by a devnet that never finished deploying is not replayed against a new
 * deployment. Fresh removes only what the devnet writes. Snapshots do not outlive the devnet
 * that took them: emptied.
 *
 * @example
 * const data = prepareDataDir(".devnet", { fresh: false })
 */
export function prepareDataDir(dataDir: string | undefined, options: { readonly fresh: boolean }): DataDir {
  const temporary = dataDir === undefined;
  const root = temporary ? mkdtempSync(join(tmpdir(), "rollup-devnet-")) : resolve(dataDir);
  if (options.fresh || !existsSync(join(root, "deployment.json"))) for (const name of OWNED) rmSync(join(root, name), { recursive: true, force: true });
  const snapshotsDir = join(root, "snapshots");
  rmSync(snapshotsDir, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  return {
    root,
    l1Dir: join(root, "l1"),
    sequencerDir: join(root, "sequencer"),
    blobDir: join(root, "blobs"),
    deploymentFile: join(root, "deployment.json"),
    snapshotsDir,
    temporary,
  };
}
