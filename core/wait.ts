/**
 * `waitFor`: the project's one polling loop ("until X, checking every Y, for at most Z").
 * The only module of core with a clock: it sits here because core is the one folder every
 * floor may import (the client's `waitFor*` actions, the challenger, scripts, tests), and it
 * stays out of `core/index.ts`, so protocol code never reaches it (ARCHITECTURE.md).
 */
import { BaseError } from "./errors.js";

/**
 * A wait gave up before the awaited condition held.
 *
 * @example
 * try { await waitFor("the game to resolve", resolved, { timeoutMs: 5_000 }) } catch (e) {
 *   if (e instanceof WaitTimeoutError) console.log(e.shortMessage) // "timed out after 5 s waiting for the game to resolve"
 * }
 */
export class WaitTimeoutError extends BaseError {
  override name = "WaitTimeoutError";
}

/** How long and how often `waitFor` checks. */
export interface WaitForOptions {
  /** Milliseconds before giving up (default 60 000). */
  readonly timeoutMs?: number;
  /** Milliseconds between checks (default 100). */
  readonly intervalMs?: number;
  /** What to do when it times out: the error's `details`. */
  readonly details?: string;
}

/** A value that ends the wait: anything but `undefined`, `null` and `false`. */
export type WaitResult<T> = Exclude<T, undefined | null | false>;

/**
 * Calls `check` until it returns something other than `undefined`, `null` or `false`, and
 * returns that; throws `WaitTimeoutError` ("timed out after 30 s waiting for <what>") when
 * `timeoutMs` passes first. `what` names what did not happen. The last check runs at the
 * deadline.
 *
 * @example
 * const events = await waitFor("the game to resolve", async () => {
 *   const events = await gameEvents()
 *   return events.some((e) => e.eventName === "GameResolved") && events
 * }, { timeoutMs: 90_000 })
 */
export async function waitFor<T>(what: string, check: () => T | Promise<T>, options: WaitForOptions = {}): Promise<WaitResult<T>> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const intervalMs = options.intervalMs ?? 100;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== null && value !== false) return value as WaitResult<T>;
    const left = deadline - Date.now();
    if (left <= 0) {
      throw new WaitTimeoutError(`timed out after ${timeoutMs / 1000} s waiting for ${what}`, {
        details: options.details ?? "check that the process that should make it happen is running, or wait longer with a larger timeout",
      });
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(intervalMs, left)));
  }
}
