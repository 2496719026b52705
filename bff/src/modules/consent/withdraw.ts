import type { ResidentConsentView } from '@eid/shared';
import { residentActor, type UsageActor } from '../usage/usage.types';
import type { ConsentRecord } from './consent.repository';
import { consentTrace, partyOf, transition, wrongState, type ConsentDeps } from './deps';
import { residentConsent } from './open';
import { residentView } from './view';

const DAY_MS = 24 * 3600 * 1000;

/**
 * Ends one approved consent: state withdrawn, the sealed claims erased in the same write, the deletion
 * requested with its due date (DELETION_ACK_DAYS), and `consent.withdrawn` and `deletion.requested`
 * enqueued, all in one transaction; the winner then records `consent.withdraw`. Null when the consent was
 * not approved (any more); throws, nothing written, when the transaction fails.
 */
export async function endConsent(
  deps: ConsentDeps,
  c: ConsentRecord & { residentId: string },
  actor: UsageActor,
  detail: Record<string, string | boolean>,
  requestId?: string,
): Promise<ConsentRecord | null> {
  const now = deps.clock.now();
  const dueBy = now + deps.config.DELETION_ACK_DAYS * DAY_MS;
  const withdrawn = await transition(
    deps,
    (session) => deps.repo.withdraw(c.id, c.residentId, { requestedAt: now, dueBy }, now, session),
    [{ type: 'consent.withdrawn' }, { type: 'deletion.requested', dueBy }],
  );
  if (!withdrawn) return null;
  // The erasure stands whatever happens next; a failed trace write is logged, not undone.
  await consentTrace(deps, { ...withdrawn, residentId: c.residentId }, actor, requestId)
    .once({ action: 'consent.withdraw', detail: { erased: true, ...detail } }, 'withdrawn')
    .catch((err: unknown) => deps.logger.error({ err, consentId: c.id }, 'usage record failed'));
  deps.logger.info({ consentId: c.id, partyId: c.partyId }, 'consent withdrawn');
  return withdrawn;
}

/**
 * The resident withdraws an approval: the party reads nothing more, and must acknowledge the deletion of
 * what it received with a signed request by `dueBy`. Withdrawing twice answers the same.
 */
export async function withdrawConsent(
  deps: ConsentDeps,
  residentId: string,
  id: string,
  requestId?: string,
): Promise<ResidentConsentView> {
  const c = await residentConsent(deps, id, residentId);
  const party = await partyOf(deps, c.partyId);
  if (c.state === 'withdrawn') return residentView(c, party, deps.clock.now());
  if (c.state !== 'approved') throw wrongState(c.state, 'Only an approved consent can be withdrawn');
  const withdrawn =
    (await endConsent(deps, c, residentActor(residentId), {}, requestId)) ?? (await deps.repo.byId(id));
  if (withdrawn?.state !== 'withdrawn') throw wrongState(withdrawn?.state ?? 'unknown');
  return residentView(withdrawn, party, deps.clock.now());
}
