import type { PartyView, UpdatePartyRequest } from '@eid/shared';
import { changeParty, partyView, type PartyDeps } from './deps';
import type { PartyRecord } from './party.repository';
import { checkCallbackUrl, checkGrants } from './register';
import { signStatement } from './registration-statement';
import { checkSignInForm, checkSignInPurpose, normalisedSignIn, signInStatement } from './sign-in';

/**
 * Changes a registration (admin staff): the same checks as at registration for what is given. A change of
 * what the signed statement says (name, grants, retention, the sign-in origin or level) signs it again,
 * version + 1; the callback URL, limits, status and the rest of sign-in are not part of it.
 * `status: 'suspended'` refuses the party's signed requests (PARTY_SUSPENDED) until it is set back to
 * `active`. `signIn: null` removes sign-in. The sign-in purpose is judged against the grants as they will
 * stand, so grants that drop it are refused (PARTY_SIGNIN_INVALID `purpose`) unless the same change moves
 * or removes sign-in.
 */
export async function updateParty(
  deps: PartyDeps,
  staffId: string,
  partyId: string,
  input: UpdatePartyRequest,
): Promise<PartyView> {
  if (input.grants) checkGrants(input.grants);
  if (input.callbackUrl !== undefined) checkCallbackUrl(deps, input.callbackUrl);
  if (input.signIn) checkSignInForm(deps, input.signIn);
  const keys = await deps.repo.keysOf(partyId);
  const p = await changeParty(deps, partyId, staffId, (party, now) => {
    const next: PartyRecord = {
      ...party,
      ...(input.name !== undefined && { name: input.name }),
      ...(input.grants && {
        grants: input.grants.map((g) => ({ purpose: g.purpose, scopes: [...g.scopes] })),
      }),
      ...(input.retentionDays !== undefined && { retentionDays: input.retentionDays }),
      ...(input.callbackUrl !== undefined && { callbackUrl: input.callbackUrl }),
      ...(input.status !== undefined && { status: input.status }),
      limits: { ...party.limits, ...input.limits },
      // Undefined is written as a removal (repository replace).
      ...(input.signIn !== undefined && {
        signIn: input.signIn === null ? undefined : normalisedSignIn(input.signIn),
      }),
    };
    // The purpose against the grants as they will stand in this attempt, whichever of the two changed (or
    // another request's concurrent change of the grants).
    if (next.signIn) checkSignInPurpose(next.signIn, next.grants);
    const statementOf = (r: PartyRecord) => (r.signIn ? signInStatement(r.signIn) : undefined);
    const stated =
      next.name !== party.name ||
      next.retentionDays !== party.retentionDays ||
      JSON.stringify(next.grants) !== JSON.stringify(party.grants) ||
      JSON.stringify(statementOf(next)) !== JSON.stringify(statementOf(party));
    const { id: _id, rev: _rev, ...set } = next;
    return {
      ...set,
      ...(stated && {
        registration: signStatement(deps, next, keys, party.registration.payload.version + 1, now),
      }),
    };
  });
  deps.logger.info(
    { partyId, staffId, changed: Object.keys(input), version: p.registration.payload.version },
    'party updated',
  );
  return partyView(p, keys, deps.clock.now());
}

/** Stops callbacks to the party from `at` (its endpoint answered 410); a later call keeps the first time. */
export async function disableCallback(deps: PartyDeps, partyId: string, at: number): Promise<void> {
  await changeParty(deps, partyId, undefined, (p) =>
    p.callbackDisabledAt === undefined ? { callbackDisabledAt: at } : undefined,
  );
  deps.logger.warn({ partyId }, 'party callbacks disabled: the endpoint answered 410');
}

/** Lets callbacks to the party flow again (admin staff, after the party fixed its endpoint). */
export async function enableCallback(deps: PartyDeps, staffId: string, partyId: string): Promise<PartyView> {
  const p = await changeParty(deps, partyId, staffId, (party) =>
    party.callbackDisabledAt === undefined ? undefined : { callbackDisabledAt: undefined },
  );
  return partyView(p, await deps.repo.keysOf(partyId), deps.clock.now());
}
