import type { ResidentConsentView } from '@eid/shared';
import { residentActor } from '../usage/usage.types';
import { consentTrace, expired, partyOf, transition, wrongState, type ConsentDeps } from './deps';
import { settle } from './expire';
import { residentConsent } from './open';
import { residentView } from './view';

/**
 * The resident says no to a pending request: nothing is read, the code's secret is erased, the party learns
 * it by `consent.declined`, enqueued in the same transaction as the change. Declining twice answers the same.
 */
export async function declineConsent(
  deps: ConsentDeps,
  residentId: string,
  id: string,
  requestId?: string,
): Promise<ResidentConsentView> {
  const c = await settle(deps, await residentConsent(deps, id, residentId), requestId);
  const party = await partyOf(deps, c.partyId);
  if (c.state === 'declined') return residentView(c, party, deps.clock.now());
  if (c.state === 'expired') throw expired();
  if (c.state !== 'pending') throw wrongState(c.state, 'This request was already answered');
  const now = deps.clock.now();
  const declined = await transition(deps, (session) => deps.repo.decline(c.id, residentId, now, session), [
    { type: 'consent.declined' },
  ]);
  if (!declined) {
    const current = await settle(deps, (await deps.repo.byId(c.id)) ?? c, requestId);
    if (current.state === 'declined') return residentView(current, party, deps.clock.now());
    if (current.state === 'expired') throw expired();
    throw wrongState(current.state, 'This request was already answered');
  }
  await consentTrace(deps, { ...declined, residentId }, residentActor(residentId), requestId).once(
    { action: 'consent.decline', result: 'denied' },
    'declined',
  );
  return residentView(declined, party, deps.clock.now());
}
