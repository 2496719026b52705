import { runEvery } from '../../infra/interval';
import type { ConsentRecord } from './consent.repository';
import { CONSENT_ACTOR, consentTrace, notify, type ConsentDeps } from './deps';

/** How many requests one sweep expires; the next tick takes the rest. */
export const SWEEP_BATCH = 200;

/**
 * Moves an unanswered request past expiresAt into `expired` (its code's secret erased): whoever wins the
 * conditional write enqueues `consent.expired` and, when a resident had opened it, records it in their
 * trace once. Returns the consent as it stands now; any other consent unchanged.
 */
export async function settle(
  deps: ConsentDeps,
  c: ConsentRecord,
  requestId?: string,
): Promise<ConsentRecord> {
  const now = deps.clock.now();
  if (c.state !== 'pending' || now < c.expiresAt) return c;
  const won = await deps.repo.expire(c.id, now);
  if (won) {
    await notify(deps, won, 'consent.expired');
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

/** Expires every unanswered request past its time (up to SWEEP_BATCH): what the background timer runs. */
export async function sweepExpired(deps: ConsentDeps): Promise<{ expired: number }> {
  let expired = 0;
  for (const id of await deps.repo.due(deps.clock.now(), SWEEP_BATCH)) {
    const c = await deps.repo.byId(id);
    if (!c) continue;
    const after = await settle(deps, c);
    if (c.state === 'pending' && after.state === 'expired') expired++;
  }
  return { expired };
}

/** Runs sweepExpired every `intervalMs`; the returned function stops it and waits for a run in flight. */
export function startSweeps(deps: ConsentDeps, intervalMs: number): () => Promise<void> {
  return runEvery(
    intervalMs,
    () => sweepExpired(deps),
    (err) => deps.logger.error({ err }, 'consent sweep failed'),
  );
}
