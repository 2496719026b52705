import type { SignInView } from '@eid/shared';
import { expired, partyOf, settle, signInTrace, wrongState, type SignInContext } from './deps';
import { residentSignIn } from './open';
import type { SignInRecord } from './signin.repository';
import { residentView } from './view';

/**
 * The resident says no: the sign-in they opened becomes declined (the desktop page learns it by its poll,
 * the party gets access_denied), recorded as `signin.decline` in their trace. Declining twice answers the
 * same, as a retried request after a lost answer would.
 */
export async function declineSignIn(
  deps: SignInContext,
  residentId: string,
  id: string,
  requestId?: string,
): Promise<SignInView> {
  const s = await residentSignIn(deps, id, residentId);
  const party = await partyOf(deps, s.partyId);
  if (s.state === 'declined') return residentView(deps, s, party);
  if (s.state === 'expired') throw expired();
  if (s.state !== 'opened') throw wrongState(s.state);
  const declined = await deps.repo.refuse(s.id, residentId, 'declined', deps.clock.now());
  if (!declined) {
    const current = await settle(deps, (await deps.repo.byId(s.id)) ?? s);
    const mine = current as SignInRecord & { residentId: string };
    if (current.state === 'declined') return residentView(deps, mine, party);
    throw current.state === 'expired' ? expired() : wrongState(current.state);
  }
  const mine = declined as SignInRecord & { residentId: string };
  await signInTrace(deps, mine, party, requestId).once(
    { action: 'signin.decline', result: 'denied', detail: { level: s.level } },
    'declined',
  );
  deps.logger.info({ signinId: s.id, partyId: s.partyId }, 'sign-in declined');
  return residentView(deps, mine, party);
}
