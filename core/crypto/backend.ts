/**
 * Selects the crypto implementation: the native Node-API addon from
 * native/build/Release (built by scripts/build-native.mjs) when it loads,
 * otherwise the pure TypeScript fallback.
 *
 * ROLLUP_CRYPTO=js forces the fallback without loading the addon;
 * ROLLUP_CRYPTO=native makes a missing addon a hard error.
 * ROLLUP_CRYPTO_PORTABLE=1 makes the addon use its plain C arithmetic even
 * when the CPU has the x86-64 BMI2/ADX extensions (for testing that path).
 * ROLLUP_CRYPTO_THREADS=1 keeps poseidonMany on the calling thread; by default
 * (on machines with >= 2 cores) it splits batches of >= 2 hashes with one
 * native helper thread per JS thread.
 */
import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { InvalidParameterError } from "../errors.js";
import { POSEIDON_CONSTANTS_B64 } from "./poseidon-constants.js";

/** Raw interface of native/rollup_crypto.c; field values are bigints in [0, r). */
export interface NativeAddon {
  /**
   * Loads the Poseidon constants (once) and selects the field arithmetic;
   * portable = true forces plain C. Returns the arithmetic in use:
   * "x86-64-adx" or "portable". May be called again to switch arithmetic.
   */
  init(constants: Buffer, portable?: boolean): NativeArithmetic;
  poseidon(inputs: readonly bigint[]): bigint;
  poseidonMany(batch: readonly (readonly bigint[])[]): bigint[];
  unpackPoint(bytes: Uint8Array): [bigint, bigint] | null;
  verify(msg: bigint, r8x: bigint, r8y: bigint, s: bigint, ax: bigint, ay: bigint): boolean;
  verifyPacked(msg: bigint, sig: Uint8Array, ax: bigint, ay: bigint): boolean;
  mulBase8(k: bigint): [bigint, bigint];
  /**
   * Threads poseidonMany uses on the calling JS thread: 1 (no helper thread) or 2
   * (larger values mean 2); spinMicros is how long the idle helper spins before it
   * sleeps. Both optional; returns the thread setting in effect.
   */
  setThreads(threads?: number, spinMicros?: number): number;
  /** Counters of the calling JS thread's poseidonMany (tests and benchmarks). */
  threadStats(): NativeThreadStats;
}

/** See `NativeAddon.threadStats`. */
export interface NativeThreadStats {
  threads: number;
  spinMicros: number;
  /** 1 while the helper thread exists (it is created by the first batch of >= 2). */
  helperRunning: number;
  /** 1 while the helper thread is blocked waiting for work. */
  helperSleeping: number;
  /** Batches split between the two threads, and the items each thread hashed. */
  batches: number;
  callerItems: number;
  helperItems: number;
  /** Times the helper went to sleep and was woken. */
  helperWakeups: number;
  /** Total time the calling thread waited for the helper to finish its items. */
  callerWaitMicros: number;
}

/** Field arithmetic used by the native addon. */
export type NativeArithmetic = "x86-64-adx" | "portable";

/** Name of an implementation. */
export type BackendName = "native" | "js";

const ADDON_PATH = "../../native/build/Release/rollup_crypto.node";

interface Loaded {
  addon: NativeAddon | null;
  arithmetic: NativeArithmetic | null;
  error: string | null;
}

function loadAddon(): Loaded {
  if (process.env.ROLLUP_CRYPTO === "js") {
    return { addon: null, arithmetic: null, error: "disabled by ROLLUP_CRYPTO=js" };
  }
  try {
    const addon = createRequire(import.meta.url)(ADDON_PATH) as NativeAddon;
    const portable = process.env.ROLLUP_CRYPTO_PORTABLE === "1";
    const arithmetic = addon.init(Buffer.from(POSEIDON_CONSTANTS_B64, "base64"), portable);
    const threads = Number(process.env.ROLLUP_CRYPTO_THREADS || (availableParallelism() >= 2 ? 2 : 1));
    addon.setThreads(Number.isInteger(threads) && threads >= 1 ? threads : 1);
    return { addon, arithmetic, error: null };
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    if (process.env.ROLLUP_CRYPTO === "native") {
      throw new InvalidParameterError(`ROLLUP_CRYPTO=native but the addon failed to load: ${error}`, {
        details: "build it with `npm run build:native`, or unset ROLLUP_CRYPTO to fall back to TypeScript",
        cause: err,
      });
    }
    return { addon: null, arithmetic: null, error };
  }
}

const loaded = loadAddon();

/** The initialized native addon, or null when unavailable (see `nativeLoadError`). */
export const nativeAddon: NativeAddon | null = loaded.addon;

/** The native addon's field arithmetic, or null when it is not loaded. */
export const nativeArithmetic: NativeArithmetic | null = loaded.arithmetic;

/** Why the native addon is not in use, or null when it is loaded. */
export const nativeLoadError: string | null = loaded.error;

/** The implementation behind the default exports of this package. */
export const cryptoBackend: BackendName = nativeAddon ? "native" : "js";
