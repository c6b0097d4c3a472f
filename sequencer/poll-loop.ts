/**
 * A poll loop: runs `poll` every `intervalMs` after the previous poll finished, so polls never
 * overlap; a failed poll is reported and the loop goes on.
 *
 * @example
 * const loop = startPollLoop(100, () => follower.poll(), (e) => console.error(e.message))
 * loop.stop()
 */
export function startPollLoop(intervalMs: number, poll: () => Promise<void>, onError: (error: Error) => void): { stop(): void } {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const schedule = (): void => {
    timer = setTimeout(() => {
      poll()
        .catch((e: unknown) => onError(e as Error))
        .finally(() => {
          if (!stopped) schedule();
        });
    }, intervalMs);
  };
  schedule();
  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
