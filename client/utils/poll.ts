import { WaitTimeoutError } from "../errors.js";

/** How long and how often a `waitFor*` action polls. */
export interface PollOptions {
  /** Milliseconds before giving up (default 120 000). */
  readonly timeout?: number;
  /** Milliseconds between polls (default 500). */
  readonly pollingInterval?: number;
}

/**
 * Calls `check` until it returns a value other than `undefined`, then returns it; throws
 * `WaitTimeoutError` ("timed out after 2s waiting for <what>") when `timeout` passes first.
 *
 * @example
 * const account = await poll(() => getAccount(clients, { index: 2 }).then((a) => a ?? undefined), "account 2", {})
 */
export async function poll<T>(check: () => Promise<T | undefined>, what: string, options: PollOptions): Promise<T> {
  const timeout = options.timeout ?? 120_000;
  const interval = options.pollingInterval ?? 500;
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() + interval > deadline) {
      throw new WaitTimeoutError(`timed out after ${timeout / 1000}s waiting for ${what}`, {
        details: "the sequencer may be slow or stopped; check `status`, or wait longer with a larger timeout",
      });
    }
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}
