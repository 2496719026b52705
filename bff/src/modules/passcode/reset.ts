import type { PasscodeStatus, ResetPasscodeRequest } from '@eid/shared';
import { refuseWeak, residentTrace, sealHash, statusOf, type PasscodeContext } from './context';
import { hashPasscode } from './hash';

/**
 * `POST /api/v1/passcode/reset`: a forgotten passcode is replaced after a passing face check (its
 * single-use reauth token, REAUTH_REQUIRED otherwise). Any pause ends at once and the tries start again;
 * it also sets a first passcode. A weak one is refused before the token is spent; the identity must still
 * be verified (CARD_NOT_ELIGIBLE), as for a first set. Recorded as `passcode.reset`, no value.
 */
export async function resetPasscode(
  ctx: PasscodeContext,
  residentId: string,
  input: ResetPasscodeRequest,
  requestId?: string,
): Promise<PasscodeStatus> {
  refuseWeak(input.passcode);
  await ctx.identity.getVerifiedIdentity(residentId);
  await ctx.identity.verifyReauthToken(residentId, input.reauthToken);
  const sealed = sealHash(ctx, residentId, await hashPasscode(input.passcode));
  const now = ctx.clock.now();
  const record = await ctx.repo.overwrite(residentId, sealed, now);
  await residentTrace(ctx, residentId, requestId).record({ action: 'passcode.reset' });
  ctx.logger.info({ residentId, step: 'passcode_reset' }, 'passcode reset with a face check');
  return statusOf(ctx, record, now);
}
