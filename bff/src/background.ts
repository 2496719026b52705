import type { Services } from './app';

/**
 * Starts the work that runs without a request: the registry revocation check on its interval and the
 * identity hooks a crash left pending. Building services or an app never does this; server.ts calls it
 * after listening, and a test calls it when it wants the timers.
 *
 * Returns the stop function: it stops every timer and waits for the runs in flight, so the caller may
 * close the database right after.
 * @example
 * const stopBackground = startBackgroundWork(services);
 * // ... on SIGTERM, after draining requests:
 * await stopBackground();
 * await services.stop();
 * await db.close();
 */
export function startBackgroundWork(services: Services): () => Promise<void> {
  const { config, logger, card, enrollment } = services;
  const stops: (() => Promise<void>)[] = [];

  if (config.REVOCATION_CHECK_INTERVAL_S > 0) {
    stops.push(card.startRevocationChecks(config.REVOCATION_CHECK_INTERVAL_S * 1000));
  }

  // Hooks left pending by a crash are finished once, at start; a hook that fails again is retried by the
  // resident's next request (enrollment's own retry) or at the next start.
  const resuming = enrollment.resumePendingHooks().then(
    () => undefined,
    (err: unknown) => logger.error({ err }, 'resuming identity hooks failed'),
  );
  stops.push(() => resuming);

  let stopping: Promise<void> | undefined;
  return () => (stopping ??= Promise.all(stops.map((stop) => stop())).then(() => undefined));
}
