import type { Services } from './app';

/**
 * How often the outbox worker looks for due events. A request delivers its own events at once; the
 * worker is for those a crash or a failure left, which wait a minute or more (backoff) anyway.
 */
export const OUTBOX_INTERVAL_MS = 10_000;

/**
 * How often document calls whose time ran out are settled: unanswered requests expire and deliveries past
 * their access time are erased. A request touching a call settles it at once; this is for the others.
 */
export const DOCUMENT_CALL_SWEEP_INTERVAL_MS = 60_000;

/** How often unanswered consent requests expire and overdue deletion acknowledgements are marked. */
export const CONSENT_SWEEP_INTERVAL_MS = 60_000;

/**
 * Starts the work that runs without a request: the registry revocation check on its interval, the
 * outbox worker, the licence change-feed refresh, and the identity hooks an older release or a crash left pending. Building services or an app never does this; server.ts calls it
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
export function startBackgroundWork(
  services: Services,
  { outboxIntervalMs = OUTBOX_INTERVAL_MS }: { outboxIntervalMs?: number } = {},
): () => Promise<void> {
  const { config, logger, card, enrollment, outbox, licence, documentCalls, consents, federation } = services;
  const stops: (() => Promise<void>)[] = [];

  if (config.REVOCATION_CHECK_INTERVAL_S > 0) {
    stops.push(card.startRevocationChecks(config.REVOCATION_CHECK_INTERVAL_S * 1000));
  }
  // Callbacks to relying parties go through the outbox too, and their first retry is due after 5 s.
  const callbackMs = config.CALLBACK_INTERVAL_MS > 0 ? config.CALLBACK_INTERVAL_MS : outboxIntervalMs;
  stops.push(outbox.start(Math.min(outboxIntervalMs, callbackMs)));
  stops.push(consents.startSweeps(CONSENT_SWEEP_INTERVAL_MS));
  stops.push(documentCalls.startSweeps(DOCUMENT_CALL_SWEEP_INTERVAL_MS));
  if (config.LICENCE_REFRESH_INTERVAL_S > 0) {
    stops.push(licence.startChangeFeed(config.LICENCE_REFRESH_INTERVAL_S * 1000));
  }
  // A federated node: the national bundle at once and on its timer, gossip, peers' status lists (none standalone).
  stops.push(federation.start());
  // Signed checkpoints of the usage-chain heads (docs/admin.md "Audit"), cosigned by peers once federated.
  if (config.AUDIT_CHECKPOINT_INTERVAL_S > 0) {
    stops.push(services.audit.startCheckpoints(config.AUDIT_CHECKPOINT_INTERVAL_S * 1000));
  }

  if (config.RETENTION_SWEEP_INTERVAL_S > 0) {
    stops.push(services.retention.startSweeps(config.RETENTION_SWEEP_INTERVAL_S * 1000));
  }

  // Hooks left pending are finished once, at start; one that fails again waits in the outbox for its worker.
  const resuming = enrollment.resumePendingHooks().then(
    () => undefined,
    (err: unknown) => logger.error({ err }, 'resuming identity hooks failed'),
  );
  stops.push(() => resuming);

  let stopping: Promise<void> | undefined;
  return () => (stopping ??= Promise.all(stops.map((stop) => stop())).then(() => undefined));
}
