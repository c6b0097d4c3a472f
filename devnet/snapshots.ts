/**
 * Snapshots of a whole devnet, L1 and L2 together, for test suites (like Hardhat's
 * `loadFixture`, which does it for an L1 alone).
 *
 * The L2's state is the sequencer's write-ahead log replayed over the L1 (a sequencer that
 * restarts comes back from it); the challenger agent derives everything it knows from L1; the
 * blob store only grows, keyed by versioned hash, so it serves any chain the L1 is reverted
 * to. A snapshot is therefore a point where the L1 and the log agree, kept as an L1
 * `evm_snapshot` and a copy of the log: the services are paused for it inside their processes
 * (so no op is accepted and no batch posted between the two), and resumed. A revert pauses
 * them, reverts the L1, puts the log back and resumes them: they come back exactly as from a
 * restart at that point, without a new process.
 */
import { cpSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { InvalidParameterError } from "../core/index.js";
import { jsonRpc } from "./json-rpc.js";

/**
 * The services a snapshot must stop and start again around it.
 *
 * @example
 * const services: SnapshotServices = { stop: () => Promise.all([sequencer.stop(), agent?.stop()]).then(() => {}), start: async () => { await sequencer.restart(); await agent?.restart() } }
 */
export interface SnapshotServices {
  stop(): Promise<void>;
  start(): Promise<void>;
}

/**
 * Takes and restores whole-devnet snapshots.
 *
 * @example
 * const snapshots = new DevnetSnapshots({ l1Url, walDir, snapshotsDir, services })
 * const id = await snapshots.snapshot()
 * await snapshots.revert(id)
 */
export class DevnetSnapshots {
  private next = 1;
  /** Our id → the L1's snapshot id and the folder of the log's copy, in the order taken. */
  private readonly taken = new Map<number, { l1Id: string; dir: string }>();
  private readonly fixtures = new Map<unknown, { id: number; result: unknown }>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly parts: {
      readonly l1Url: string;
      readonly walDir: string;
      readonly snapshotsDir: string;
      readonly services: SnapshotServices;
    },
  ) {}

  /** Takes a snapshot of L1 and L2 and returns its id. */
  snapshot(): Promise<string> {
    return this.serialized(() => this.around(() => this.take()));
  }

  /**
   * Puts L1 and L2 back as they were at snapshot `id`. The snapshot stays usable (revert to it
   * again later); snapshots taken after it are dropped, as the L1 drops its own.
   */
  revert(id: string): Promise<void> {
    return this.serialized(async () => {
      const key = Number(id);
      const snapshot = this.taken.get(key);
      if (!snapshot) {
        throw new InvalidParameterError(`no devnet snapshot ${id}`, {
          details: "revert to an id devnet.snapshot() returned, not one dropped by a revert to an earlier snapshot, and on the same devnet (snapshots do not outlive a stop)",
        });
      }
      await this.around(async () => {
        if ((await jsonRpc(this.parts.l1Url, "evm_revert", [snapshot.l1Id])) !== true) {
          throw new InvalidParameterError(`the L1 refused to revert to its snapshot ${snapshot.l1Id} (devnet snapshot ${id})`, {
            details: "something else reverted the L1 past it (evm_revert on the L1 directly): take a new snapshot",
          });
        }
        // The L1 drops the snapshot it reverts to: take it again, so the same id can be reverted to again.
        snapshot.l1Id = String(await jsonRpc(this.parts.l1Url, "evm_snapshot"));
        for (const [later, dropped] of this.taken) {
          if (later <= key) continue;
          this.taken.delete(later);
          rmSync(dropped.dir, { recursive: true, force: true });
        }
        for (const [fixture, cached] of this.fixtures) if (cached.id > key) this.fixtures.delete(fixture);
        rmSync(this.parts.walDir, { recursive: true, force: true });
        cpSync(snapshot.dir, this.parts.walDir, { recursive: true });
      });
    });
  }

  /**
   * Runs `fixture` once and snapshots the devnet after it; every later call with the same
   * function reverts to that snapshot instead and returns the first call's result.
   */
  async loadFixture<T>(fixture: () => Promise<T>): Promise<T> {
    const cached = this.fixtures.get(fixture);
    if (cached && this.taken.has(cached.id)) {
      await this.revert(String(cached.id));
      return cached.result as T;
    }
    const result = await fixture();
    const id = Number(await this.snapshot());
    this.fixtures.set(fixture, { id, result });
    return result;
  }

  private async take(): Promise<string> {
    const l1Id = String(await jsonRpc(this.parts.l1Url, "evm_snapshot"));
    const id = this.next++;
    const dir = join(this.parts.snapshotsDir, String(id));
    mkdirSync(this.parts.snapshotsDir, { recursive: true });
    cpSync(this.parts.walDir, dir, { recursive: true });
    this.taken.set(id, { l1Id, dir });
    return String(id);
  }

  /** Runs `task` with the services stopped, and starts them again whatever happens. */
  private async around<T>(task: () => Promise<T>): Promise<T> {
    await this.parts.services.stop();
    try {
      return await task();
    } finally {
      await this.parts.services.start();
    }
  }

  private serialized<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
