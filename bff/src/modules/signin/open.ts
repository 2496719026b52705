import { AppError, parseSignInCode, type SignInView } from '@eid/shared';
import { safeEqual, sha256b64url } from '../../infra/keystore';
import { expired, notFound, partyOf, settle, wrongState, type SignInContext } from './deps';
import type { SignInRecord } from './signin.repository';
import { residentView } from './view';

type Owned = SignInRecord & { residentId: string };

function invalid(reason: string): AppError {
  return new AppError('SIGNIN_CODE_INVALID', 'This is not a sign-in request of this service', { reason });
}

/** The resident's own sign-in (they opened it first), settled; NOT_FOUND for anyone else's. */
export async function residentSignIn(deps: SignInContext, id: string, residentId: string): Promise<Owned> {
  const s = await deps.repo.byId(id);
  if (!s || s.residentId !== residentId) throw notFound();
  return (await settle(deps, s)) as Owned;
}

/**
 * The resident opens a request code (scanned, or from the same-device link): the code must name a sign-in
 * of this node and carry its secret (compared with the kept SHA-256 in constant time), else
 * SIGNIN_CODE_INVALID. The first resident to open it binds it to themselves (one conditional write); anyone
 * else gets SIGNIN_WRONG_STATE, the same as for a sign-in already answered. Opening one's own again answers
 * its view.
 */
export async function openSignIn(deps: SignInContext, residentId: string, code: string): Promise<SignInView> {
  const parts = parseSignInCode(code);
  if (!parts) throw invalid('malformed');
  const found = await deps.repo.byId(parts.id);
  if (!found || !safeEqual(sha256b64url(parts.secret), found.secretHash)) throw invalid('unknown_request');
  let s = await settle(deps, found);
  if (s.state === 'expired') throw expired();
  if (s.residentId === undefined) {
    const now = deps.clock.now();
    s =
      (await deps.repo.open(s.id, residentId, now)) ??
      (await settle(deps, (await deps.repo.byId(s.id)) ?? s));
    if (s.state === 'expired') throw expired();
  }
  if (s.residentId === undefined) throw wrongState(s.state);
  if (s.residentId !== residentId) throw wrongState(s.state, 'Another resident has opened this sign-in');
  const mine = s as Owned;
  return residentView(deps, mine, await partyOf(deps, mine.partyId));
}

/** The resident reads their own sign-in again. */
export async function readSignIn(deps: SignInContext, residentId: string, id: string): Promise<SignInView> {
  const s = await residentSignIn(deps, id, residentId);
  return residentView(deps, s, await partyOf(deps, s.partyId));
}
