import type { PartyConsentView } from '@eid/shared';
import type { Party } from '../party/party.types';
import type { ConsentRecord } from './consent.repository';
import { consentTrace, notFound, partyActor, type ConsentDeps } from './deps';
import { settledForRead } from './expire';
import { partyView } from './view';

/** The party's own consent, or NOT_FOUND (another party's consent reads exactly as one that does not exist). */
export async function partyConsent(
  deps: Pick<ConsentDeps, 'repo'>,
  party: Party,
  id: string,
): Promise<ConsentRecord> {
  const c = await deps.repo.byId(id);
  if (!c || c.partyId !== party.id) throw notFound();
  return c;
}

/**
 * The party polls its consent (`GET /api/v1/rp/consents/:id`). While approved the answer carries the
 * approved claims and documents: each such read is recorded in the resident's trace (`consent.read`, the
 * party as actor, the field names) before it is answered, and is the consent's last use.
 */
export async function readConsent(
  deps: ConsentDeps,
  party: Party,
  id: string,
  requestId?: string,
): Promise<PartyConsentView> {
  const c = await settledForRead(deps, await partyConsent(deps, party, id), requestId);
  const now = deps.clock.now();
  if (c.state !== 'approved' || c.residentId === undefined) return partyView(deps, c, now);
  await consentTrace(deps, { ...c, residentId: c.residentId }, partyActor(party), requestId).record({
    action: 'consent.read',
    fields: c.fields ?? [],
  });
  await deps.repo.touch(c.id, now);
  return partyView(deps, { ...c, lastUsedAt: now }, now, true);
}
