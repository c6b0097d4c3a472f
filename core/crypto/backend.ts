/**
 * Selects the crypto implementation: the native Node-API addon from
 * native/build/Release (built by scripts/build-native.mjs) when it loads,
 * otherwise the pure TypeScript fallback.
 *
 * ROLLUP_CRYPTO=js forces the fallback without loading the addon;
 * ROLLUP_CRYPTO=native makes a missing addon a hard error.
 */
import { createRequire } from "node:module";
import { POSEIDON_CONSTANTS_B64 } from "./poseidon-constants.js";

/** Raw interface of native/rollup_crypto.c; field values are bigints in [0, r). */
export interface NativeAddon {
  init(constants: Buffer): void;
  poseidon(inputs: readonly bigint[]): bigint;
  poseidonMany(batch: readonly (readonly bigint[])[]): bigint[];
  unpackPoint(bytes: Uint8Array): [bigint, bigint] | null;
  verify(msg: bigint, r8x: bigint, r8y: bigint, s: bigint, ax: bigint, ay: bigint): boolean;
  verifyPacked(msg: bigint, sig: Uint8Array, ax: bigint, ay: bigint): boolean;
  mulBase8(k: bigint): [bigint, bigint];
}

/** Name of an implementation. */
export type BackendName = "native" | "js";

const ADDON_PATH = "../../native/build/Release/rollup_crypto.node";

function loadAddon(): { addon: NativeAddon | null; error: string | null } {
  if (process.env.ROLLUP_CRYPTO === "js") return { addon: null, error: "disabled by ROLLUP_CRYPTO=js" };
  try {
    const addon = createRequire(import.meta.url)(ADDON_PATH) as NativeAddon;
    addon.init(Buffer.from(POSEIDON_CONSTANTS_B64, "base64"));
    return { addon, error: null };
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    if (process.env.ROLLUP_CRYPTO === "native") {
      throw new Error(`ROLLUP_CRYPTO=native but the addon failed to load: ${error}`);
    }
    return { addon: null, error };
  }
}

const loaded = loadAddon();

/** The initialized native addon, or null when unavailable (see `nativeLoadError`). */
export const nativeAddon: NativeAddon | null = loaded.addon;

/** Why the native addon is not in use, or null when it is loaded. */
export const nativeLoadError: string | null = loaded.error;

/** The implementation behind the default exports of this package. */
export const cryptoBackend: BackendName = nativeAddon ? "native" : "js";
