import { runEvery } from '../../infra/interval';
import type { ConsentRecord } from './consent.repository';
import { CONSENT_ACTOR, consentTrace, transition, type ConsentDeps } from './deps';

/** How many requests one sweep expires; the next tick takes the rest. */
export const SWEEP_BATCH = 200;

/**
 * Moves an unanswered request past expiresAt into `expired` (its code's secret erased): whoever wins the
 * conditional write enqueues `consent.expired` in the same transaction and, when a resident had opened
 * it, records it in their trace once. Returns the consent as it stands now; any other consent unchanged.
 * When the transaction fails the request stays pending (shown as expired) and the next touch or sweep
 * tries again.
 */
export async function settle(
  deps: ConsentDeps,
  c: ConsentRecord,
  requestId?: string,
): Promise<ConsentRecord> {
  const now = deps.clock.now();
  if (c.state !== 'pending' || now < c.expiresAt) return c;
  const won = await transition(deps, (session) => deps.repo.expire(c.id, now, session), [
    { type: 'consent.expired' },
  ]);
  if (won) {
    if (won.residentId) {
      await consentTrace(deps, { ...won, residentId: won.residentId }, CONSENT_ACTOR, requestId).once(
        { action: 'consent.expired', result: 'denied', detail: { reason: 'unanswered' } },
        'expired',
      );
    }
    return won;
  }
  return (await deps.repo.byId(c.id)) ?? c;
}

/**
 * settle for a read: when the expiry cannot be written now, the read still answers (the views judge a
 * pending request past expiresAt as expired by the clock) and the next touch or sweep settles it.
 */
export async function settledForRead(
  deps: ConsentDeps,
  c: ConsentRecord,
  requestId?: string,
): Promise<ConsentRecord> {
  try {
    return await settle(deps, c, requestId);
  } catch (err) {
    deps.logger.error({ err, consentId: c.id }, 'consent expiry not written; the next touch tries again');
    return c;
  }
}

/**
 * Expires every unanswered request past its time (up to SWEEP_BATCH): what the background timer runs. One
 * request that cannot be settled now (its transaction failed) is logged and left for the next sweep; the
 * others go ahead.
 */
export async function sweepExpired(deps: ConsentDeps): Promise<{ expired: number; failed: number }> {
  let expired = 0;
  let failed = 0;
  for (const id of await deps.repo.due(deps.clock.now(), SWEEP_BATCH)) {
    try {
      const c = await deps.repo.byId(id);
      if (!c) continue;
      const after = await settle(deps, c);
      if (c.state === 'pending' && after.state === 'expired') expired++;
    } catch (err) {
      failed++;
      deps.logger.error({ err, consentId: id }, 'consent could not be expired; next sweep tries again');
    }
  }
  return { expired, failed };
}

/** Runs sweepExpired every `intervalMs`; the returned function stops it and waits for a run in flight. */
export function startSweeps(deps: ConsentDeps, intervalMs: number): () => Promise<void> {
  return runEvery(
    intervalMs,
    () => sweepExpired(deps),
    (err) => deps.logger.error({ err }, 'consent sweep failed'),
  );
}
