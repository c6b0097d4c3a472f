import { mkdirSync, openSync, readFileSync, existsSync, ftruncateSync, closeSync } from "node:fs";
import { write, fdatasync } from "node:fs";
import { promisify } from "node:util";
import { join } from "node:path";
import { type DataAvailability } from "../core/index.js";
import { WriteAheadLogError } from "./errors.js";

// sequencer/node.ts imports it from here.
export { type DataAvailability };

const writeAsync = promisify(write);
const fdatasyncAsync = promisify(fdatasync);

/** An op the sequencer acknowledged: its optimistic L1 bytes and the nonce it was accepted at. */
export interface OpRecord {
  readonly t: "op";
  /** Sequence number, from 0, in acceptance order. */
  readonly seq: number;
  /** Hex of the optimistic encoding (signature included). */
  readonly op: string;
  readonly nonce: number;
  /** Acceptance time, ms since the epoch. */
  readonly at: number;
}

/** The sequencer opened a batch and applied these queue entries first. */
export interface OpenRecord {
  readonly t: "open";
  readonly batch: number;
  readonly queueStart: number;
  readonly queueEnd: number;
  /** Opening time, ms since the epoch. */
  readonly at: number;
  readonly feeRecipient: string;
  readonly feeTokens: readonly number[];
}

/** The sequencer closed the open batch; the ops since its opening are its ops. */
export interface SealRecord {
  readonly t: "seal";
  readonly batch: number;
}

/** A batch was included on L1. */
export interface PostedRecord {
  readonly t: "posted";
  readonly batch: number;
  readonly tx: string;
  readonly l1Block: number;
  /** Where the batch's data went (absent in logs written before it was recorded). */
  readonly da?: DataAvailability;
}

export type WalRecord = OpenRecord | OpRecord | SealRecord | PostedRecord;

/**
 * The sequencer's write-ahead log: one JSON record per line in `<dataDir>/sequencer.wal`.
 * `append` resolves only after the record is on disk (fdatasync); records appended while a
 * sync is running share the next sync (group commit), so durability does not cost one
 * disk flush per op. A torn last line (a crash mid-write) is dropped on open.
 *
 * @example
 * const wal = WriteAheadLog.open(dataDir)
 * for (const r of wal.records) replay(r)
 * await wal.append({ t: "op", seq, op, nonce, at: Date.now() })
 */
export class WriteAheadLog {
  readonly path: string;
  /** Records found on disk when opened. */
  readonly records: readonly WalRecord[];
  private readonly fd: number;
  private position: number;
  private queued: string[] = [];
  private waiters: { resolve: () => void; reject: (e: unknown) => void }[] = [];
  private flushing: Promise<void> | undefined;
  private closed = false;

  private constructor(path: string, fd: number, records: WalRecord[], position: number) {
    this.path = path;
    this.fd = fd;
    this.records = records;
    this.position = position;
  }

  /** Opens (creating if needed) the log in `dataDir` and reads its records. */
  static open(dataDir: string): WriteAheadLog {
    mkdirSync(dataDir, { recursive: true });
    const path = join(dataDir, "sequencer.wal");
    const data = existsSync(path) ? readFileSync(path) : Buffer.alloc(0);
    const records: WalRecord[] = [];
    let valid = 0;
    for (let end = data.indexOf(10, valid); end >= 0; end = data.indexOf(10, valid)) {
      try {
        records.push(JSON.parse(data.toString("utf8", valid, end)) as WalRecord);
      } catch {
        break;
      }
      valid = end + 1;
    }
    const fd = openSync(path, existsSync(path) ? "r+" : "w+");
    ftruncateSync(fd, valid);
    return new WriteAheadLog(path, fd, records, valid);
  }

  /** Appends records; resolves once they are durable. */
  append(...records: WalRecord[]): Promise<void> {
    if (this.closed) {
      return Promise.reject(new WriteAheadLogError("the write-ahead log is closed", { details: "append before close(); a closed log takes no records" }));
    }
    for (const r of records) this.queued.push(`${JSON.stringify(r)}\n`);
    const done = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    this.flushing ??= this.flushLoop();
    return done;
  }

  /** Waits for pending appends, then closes the file. */
  async close(): Promise<void> {
    await this.flushing;
    this.closed = true;
    closeSync(this.fd);
  }

  private async flushLoop(): Promise<void> {
    while (this.queued.length > 0) {
      const chunk = Buffer.from(this.queued.join(""));
      const waiters = this.waiters;
      this.queued = [];
      this.waiters = [];
      try {
        let written = 0;
        while (written < chunk.length) {
          const { bytesWritten } = await writeAsync(this.fd, chunk, written, chunk.length - written, this.position + written);
          written += bytesWritten;
        }
        await fdatasyncAsync(this.fd);
        this.position += chunk.length;
        waiters.forEach((w) => w.resolve());
      } catch (e) {
        const error = new WriteAheadLogError(`cannot write the write-ahead log ${this.path}: ${(e as Error).message}`, {
          details: "the ops of this write were not acknowledged; check the data folder's disk (space, permissions) and restart the sequencer",
          cause: e,
        });
        waiters.forEach((w) => w.reject(error));
      }
    }
    this.flushing = undefined;
  }
}
