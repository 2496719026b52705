import { AppError, type PasscodeStatus, type SetPasscodeRequest } from '@eid/shared';
import { checkPasscode } from './check';
import {
  currentPasscodeIssue,
  refuseWeak,
  residentTrace,
  sealHash,
  statusOf,
  type PasscodeContext,
} from './context';
import { hashPasscode } from './hash';

/**
 * `PUT /api/v1/passcode`: sets the first passcode (the identity must be verified: CARD_NOT_ELIGIBLE), or
 * changes it with the current one, which is checked and counted exactly as a sign-in's is (a stolen session
 * cannot guess faster here). A weak new passcode is refused before any try is spent. Recorded as
 * `passcode.set` or `passcode.change`, no value.
 */
export async function setPasscode(
  ctx: PasscodeContext,
  residentId: string,
  input: SetPasscodeRequest,
  requestId?: string,
): Promise<PasscodeStatus> {
  refuseWeak(input.passcode);
  // Another request may set, change or erase the passcode between the read and the write; each write is
  // conditional, so a miss is judged again against what is stored now (a changed current passcode is then
  // simply wrong, and counted).
  for (let round = 0; round < 3; round++) {
    const stored = await ctx.repo.get(residentId);
    if (!stored) {
      if (input.currentPasscode !== undefined) {
        throw currentPasscodeIssue('no passcode is set yet: leave currentPasscode out');
      }
      await ctx.identity.getVerifiedIdentity(residentId);
      const sealed = sealHash(ctx, residentId, await hashPasscode(input.passcode));
      const now = ctx.clock.now();
      if (await ctx.repo.insert(residentId, sealed, now)) {
        await residentTrace(ctx, residentId, requestId).record({ action: 'passcode.set' });
        ctx.logger.info({ residentId, step: 'passcode_set' }, 'passcode set');
        return statusOf(ctx, await ctx.repo.get(residentId), now);
      }
      continue;
    }
    if (input.currentPasscode === undefined) {
      throw currentPasscodeIssue('a passcode is set: give it as currentPasscode to change it');
    }
    const checked = await checkPasscode(ctx, residentId, input.currentPasscode);
    const sealed = sealHash(ctx, residentId, await hashPasscode(input.passcode));
    const now = ctx.clock.now();
    if (await ctx.repo.replace(residentId, checked.sealed, sealed, now)) {
      await residentTrace(ctx, residentId, requestId).record({ action: 'passcode.change' });
      ctx.logger.info({ residentId, step: 'passcode_changed' }, 'passcode changed');
      return statusOf(ctx, await ctx.repo.get(residentId), now);
    }
  }
  throw new AppError('NOT_READY', 'The passcode changed meanwhile; try again shortly', { retryAfterS: 1 });
}
