/**
 * The devnet L1's journal on disk. Hardhat 3's simulated chain (EDR) lives in memory and has
 * no state dump (EDR issue 409, Hardhat issue 3599), so the devnet writes down what made the
 * chain instead: its genesis time, every block with its timestamp and its transactions as
 * signed bytes (a blob transaction with its sidecars, as it was sent), and the state edits
 * between blocks (`hardhat_setBalance`, …). `devnet/l1-recorder.ts` writes it while the L1
 * runs and replays it into a fresh EDR on the next start; the replayed blocks hash the same.
 *
 * Files in the journal's folder (`<dataDir>/l1/`):
 *
 * ```
 * genesis.json    { version, chainId, genesisTime, genesisHash, hardhat }   written once per chain
 * journal.ndjson  one JournalEntry a line, appended before the L1 answers the request
 * ```
 *
 * An entry is appended before the RPC request that caused it is answered (no fsync: the
 * journal survives the devnet process being killed, not the machine losing power). A torn
 * last line (a crash mid-write) is dropped on open. `mark` and `truncate` follow
 * `evm_snapshot` and `evm_revert`.
 */
import { closeSync, existsSync, ftruncateSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { type Hex } from "viem";
import { type Address } from "../core/index.js";
import { L1JournalError } from "./errors.js";

/** The journal's format; a journal of another version is refused with a clear error. */
export const JOURNAL_VERSION = 1;

/**
 * The chain a journal belongs to: replaying it needs the same genesis.
 *
 * @example
 * const { chainId, genesisTime }: JournalGenesis = journal.genesis!
 */
export interface JournalGenesis {
  readonly version: number;
  readonly chainId: number;
  /** Seconds since the epoch: the genesis block's timestamp (Hardhat's `initialDate`). */
  readonly genesisTime: number;
  readonly genesisHash: Hex;
  /** The Hardhat version that wrote it: another may build different blocks from the same transactions. */
  readonly hardhat: string;
}

/**
 * One transaction of a journaled block: its signed bytes (for a blob transaction, the
 * network form with blobs, commitments and proofs) and its sender.
 *
 * @example
 * const { raw, from }: JournalTransaction = entry.txs[0]!
 */
export interface JournalTransaction {
  readonly raw: Hex;
  readonly from: Address;
  /** Sent from an impersonated account (`hardhat_impersonateAccount`): its signature is not real. */
  readonly impersonated?: true;
}

/**
 * A mined block.
 *
 * @example
 * const entry: BlockEntry = { t: "block", number: 1, hash, timestamp: 1_700_000_000, wall: 1_700_000_000.2, txs: [] }
 */
export interface BlockEntry {
  readonly t: "block";
  readonly number: number;
  readonly hash: Hex;
  readonly timestamp: number;
  /** Wall-clock seconds when it was journaled: `timestamp - wall` is the L1 clock's offset then. */
  readonly wall: number;
  readonly txs: readonly JournalTransaction[];
}

/**
 * A JSON-RPC request that changed the chain without a block, replayed in place.
 *
 * @example
 * const entry: EditEntry = { t: "edit", method: "hardhat_setBalance", params: [address, "0x1"] }
 */
export interface EditEntry {
  readonly t: "edit";
  readonly method: string;
  readonly params: readonly unknown[];
}

/** One line of `journal.ndjson`. */
export type JournalEntry = BlockEntry | EditEntry;

/**
 * A point of the journal to come back to (`evm_snapshot`).
 *
 * @example
 * const mark: JournalMark = journal.mark()
 * journal.truncate(mark)
 */
export interface JournalMark {
  readonly bytes: number;
  readonly lastBlock: { readonly number: number; readonly hash: Hex };
}

/**
 * The journal of one devnet L1, open for appending.
 *
 * @example
 * const journal = L1Journal.open(".devnet/l1")
 * if (!journal.genesis) journal.begin({ version: JOURNAL_VERSION, chainId: 31337, genesisTime, genesisHash, hardhat: "3.18.0" })
 * journal.append({ t: "edit", method: "hardhat_setBalance", params: [address, "0x1"] })
 */
export class L1Journal {
  private fd: number | undefined;
  private bytes: number;
  private last: { number: number; hash: Hex };

  private constructor(
    readonly dir: string,
    /** The genesis, or undefined for a journal not begun. */
    public genesis: JournalGenesis | undefined,
    /** The entries found on disk when opened: what a start replays. */
    readonly entries: readonly JournalEntry[],
    bytes: number,
    last: { number: number; hash: Hex },
  ) {
    this.bytes = bytes;
    this.last = last;
  }

  /**
   * Opens (creating the folder) the journal in `dir`, reading its entries; a torn last line is
   * cut off.
   */
  static open(dir: string): L1Journal {
    mkdirSync(dir, { recursive: true });
    const genesisPath = join(dir, "genesis.json");
    if (!existsSync(genesisPath)) return new L1Journal(dir, undefined, [], 0, { number: 0, hash: "0x" });
    const genesis = readJson<JournalGenesis>(genesisPath);
    if (genesis.version !== JOURNAL_VERSION) {
      throw new L1JournalError(`the L1 journal in ${dir} has format ${genesis.version}, this devnet reads ${JOURNAL_VERSION}`, {
        details: "start over with --fresh (fresh: true), or run the rollup-devnet version that wrote it",
      });
    }
    const path = join(dir, "journal.ndjson");
    const text = existsSync(path) ? readFileSync(path, "utf8") : "";
    const entries: JournalEntry[] = [];
    let bytes = 0;
    let last = { number: 0, hash: genesis.genesisHash };
    // Every whole entry ends with a newline: what follows the last one is empty, or torn by a crash.
    for (const line of text.split("\n").slice(0, -1)) {
      const entry = JSON.parse(line) as JournalEntry;
      entries.push(entry);
      if (entry.t === "block") last = { number: entry.number, hash: entry.hash };
      bytes += Buffer.byteLength(line) + 1;
    }
    if (bytes !== Buffer.byteLength(text)) writeFileSync(path, text.slice(0, bytes));
    return new L1Journal(dir, genesis, entries, bytes, last);
  }

  /** The last journaled block (block 0 right after `begin`). */
  get lastBlock(): { readonly number: number; readonly hash: Hex } {
    return this.last;
  }

  /** Starts the journal of a new chain: writes its genesis and empties the entries. */
  begin(genesis: JournalGenesis): void {
    this.closeFile();
    rmSync(join(this.dir, "journal.ndjson"), { force: true });
    const path = join(this.dir, "genesis.json");
    writeFileSync(`${path}.tmp`, `${JSON.stringify(genesis, null, 2)}\n`);
    renameSync(`${path}.tmp`, path);
    this.genesis = genesis;
    this.bytes = 0;
    this.last = { number: 0, hash: genesis.genesisHash };
  }

  /** Appends an entry (written before this returns). */
  append(entry: JournalEntry): void {
    if (!this.genesis) throw new L1JournalError("append to an L1 journal that was not begun", { details: "a bug in devnet/l1-recorder.ts: begin() comes first" });
    if (entry.t === "block" && entry.number !== this.last.number + 1) {
      throw new L1JournalError(`journaling L1 block ${entry.number} after block ${this.last.number}`, { details: "a bug in devnet/l1-recorder.ts: blocks are journaled in order" });
    }
    const line = Buffer.from(`${JSON.stringify(entry)}\n`);
    writeSync(this.file(), line);
    this.bytes += line.length;
    if (entry.t === "block") this.last = { number: entry.number, hash: entry.hash };
  }

  /** The journal's current end. */
  mark(): JournalMark {
    return { bytes: this.bytes, lastBlock: this.last };
  }

  /** Cuts the journal back to `mark` (an L1 `evm_revert` to the snapshot taken there). */
  truncate(mark: JournalMark): void {
    ftruncateSync(this.file(), mark.bytes);
    this.bytes = mark.bytes;
    this.last = { ...mark.lastBlock };
  }

  /** Closes the file; the journal can be opened again. */
  close(): void {
    this.closeFile();
  }

  private file(): number {
    this.fd ??= openSync(join(this.dir, "journal.ndjson"), "a");
    return this.fd;
  }

  private closeFile(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

function readJson<T>(path: string): T {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as T;
  } catch (cause) {
    throw new L1JournalError(`cannot read ${path}`, { details: "the file is damaged: start over with --fresh (fresh: true)", cause });
  }
}
