/**
 * Runs `work` every `intervalMs`, one run at a time (a tick while a run is in flight does nothing), on a
 * timer that never keeps the process alive. The returned function stops the timer and waits for the run
 * in flight, so the caller may close the database right after. A failed run goes to `onError`; the next
 * tick runs again.
 *
 * @example
 * const stop = runEvery(60_000, () => sweep(), (err) => logger.error({ err }, 'sweep failed'));
 */
export function runEvery(
  intervalMs: number,
  work: () => Promise<unknown>,
  onError: (err: unknown) => void,
): () => Promise<void> {
  let running: Promise<void> | undefined;
  const timer = setInterval(() => {
    running ??= work()
      .then(() => undefined, onError)
      .finally(() => {
        running = undefined;
      });
  }, intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
