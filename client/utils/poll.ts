import { type WaitResult, waitFor } from "../../core/wait.js";

/** How long and how often a `waitFor*` action polls. */
export interface PollOptions {
  /** Milliseconds before giving up (default 120 000). */
  readonly timeout?: number;
  /** Milliseconds between polls (default 500). */
  readonly pollingInterval?: number;
}

/**
 * Core's `waitFor` with the client's option names and defaults: calls `check` until it
 * returns a value other than `undefined`, then returns it; throws `WaitTimeoutError`
 * ("timed out after 2 s waiting for <what>") when `timeout` passes first.
 *
 * @example
 * const account = await poll(() => getAccount(clients, { index: 2 }).then((a) => a ?? undefined), "account 2", {})
 */
export async function poll<T>(check: () => Promise<T | undefined>, what: string, options: PollOptions): Promise<WaitResult<T>> {
  return waitFor(what, check, {
    timeoutMs: options.timeout ?? 120_000,
    intervalMs: options.pollingInterval ?? 500,
    details: "the sequencer may be slow or stopped; check `status`, or wait longer with a larger timeout",
  });
}
