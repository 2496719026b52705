import { AppError, errorCodeOf } from '@eid/shared';
import type { EnrollmentDeps } from './deps';
import { evaluate, ownCheck, startCheck, verifyIdInvalid } from './face-check';
import { load, outOfOrder } from './record';

/** Starts a face check that re-confirms an eligible resident. */
export function startReauth(deps: EnrollmentDeps, residentId: string, requestId?: string) {
  return startCheck(deps, residentId, 'reauth', requestId);
}

/** A passing re-confirmation face check gives a short, single-use `reauth` token. */
export async function completeReauth(
  deps: EnrollmentDeps,
  residentId: string,
  verifyId: string,
  requestId?: string,
): Promise<{ reauthToken: string; expiresIn: number }> {
  const check = await ownCheck(deps, residentId, verifyId, 'reauth');
  if (check.consumed) throw verifyIdInvalid('used');
  const record = await load(deps, residentId);
  if (record.state !== 'eligible') throw outOfOrder(record.state);
  if (record.boundIdIndex !== check.idIndex) throw verifyIdInvalid('unknown');
  if ((await evaluate(deps, check, requestId)) !== 'passed') throw verifyIdInvalid('used');
  const ttlSeconds = deps.config.REAUTH_TOKEN_TTL_S;
  const reauthToken = deps.keys.signToken({ sub: residentId }, { audience: 'reauth', ttlSeconds });
  return { reauthToken, expiresIn: ttlSeconds };
}

/** Accepts a fresh re-authentication token for this resident once; throws REAUTH_REQUIRED otherwise. */
export async function verifyReauthToken(
  deps: EnrollmentDeps,
  residentId: string,
  token: string | undefined,
): Promise<void> {
  const refuse = (reason: string) =>
    new AppError('REAUTH_REQUIRED', 'Confirm it is you with a face check first', { reason });
  if (!token) throw refuse('missing');
  let claims;
  try {
    claims = deps.keys.verifyToken(token, 'reauth');
  } catch (err) {
    throw refuse(errorCodeOf(err) === 'TOKEN_EXPIRED' ? 'expired' : 'invalid');
  }
  if (claims.sub !== residentId) throw refuse('invalid');
  // Kept a day past the token's own expiry: a used id must not be purged while the token could still verify.
  const keepUntil = claims.exp * 1000 + 24 * 3600 * 1000;
  if (!(await deps.repo.useReauthToken(claims.jti, residentId, keepUntil))) throw refuse('used');
}
