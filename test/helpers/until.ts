/**
 * Polls `probe` every 100 ms until it returns a truthy value and resolves to it; throws
 * `timed out waiting for <what>` after `timeoutMs`. For end-to-end tests that wait on
 * separate processes (sequencer, challenger agent) through L1 or the L2 RPC.
 *
 * @example
 * const events = await until("the game to resolve", async () => (await gameEvents()).length > 0 && events)
 */
export async function until<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
