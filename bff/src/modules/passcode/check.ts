import { AppError } from '@eid/shared';
import { PAUSES_MS, openHash, type PasscodeContext } from './context';
import { passcodeMatches } from './hash';
import type { PasscodeRecord } from './passcode.repository';

function paused(ctx: PasscodeContext, pausedUntil: number): AppError {
  return new AppError(
    'PASSCODE_PAUSED',
    'Too many wrong passcodes in a row: try again later, or reset it with a face check',
    { pausedUntil, retryAfterS: Math.max(1, Math.ceil((pausedUntil - ctx.clock.now()) / 1000)) },
  );
}

function notSet(): AppError {
  return new AppError('PASSCODE_NOT_SET', 'Set an e-ID passcode first');
}

/**
 * Takes one try, or says why none is left: PASSCODE_NOT_SET, PASSCODE_PAUSED. The try is counted before
 * anything is compared, so answers cannot outrun the count however many guesses arrive at once, and a
 * refused try costs no hashing.
 */
async function takeTry(ctx: PasscodeContext, residentId: string): Promise<PasscodeRecord> {
  // A miss is "paused" or "not set", decided by reading; the loop only covers a pause ending or a first
  // set landing between the update and the read.
  for (let round = 0; round < 3; round++) {
    const now = ctx.clock.now();
    const taken = await ctx.repo.takeTry(residentId, now, ctx.config.PASSCODE_MAX_TRIES, PAUSES_MS);
    if (taken) return taken;
    const record = await ctx.repo.get(residentId);
    if (!record) throw notSet();
    if (record.pausedUntil > ctx.clock.now()) throw paused(ctx, record.pausedUntil);
  }
  throw new AppError('NOT_READY', 'The passcode could not be checked; try again shortly', { retryAfterS: 1 });
}

/**
 * Checks the resident's passcode (docs/api.md, PASSCODE_*): resolves with the record it matched, whose
 * tries start again; otherwise PASSCODE_WRONG with `details.triesLeft` (and `pausedUntil` when this wrong
 * one started a pause), PASSCODE_PAUSED or PASSCODE_NOT_SET.
 */
export async function checkPasscode(
  ctx: PasscodeContext,
  residentId: string,
  passcode: string,
): Promise<PasscodeRecord> {
  const record = await takeTry(ctx, residentId);
  if (await passcodeMatches(passcode, openHash(ctx, record))) {
    await ctx.repo.clearTries(residentId, record.sealed);
    return record;
  }
  // The update that took the last try started the pause and the count again from 0 in the same write.
  if (record.failures === 0) {
    ctx.logger.warn(
      { residentId, pausedUntil: record.pausedUntil, pauses: record.pauses },
      'passcode tries paused',
    );
    throw new AppError('PASSCODE_WRONG', 'The passcode is wrong; tries pause now', {
      triesLeft: 0,
      pausedUntil: record.pausedUntil,
    });
  }
  throw new AppError('PASSCODE_WRONG', 'The passcode is wrong', {
    triesLeft: Math.max(0, ctx.config.PASSCODE_MAX_TRIES - record.failures),
  });
}
