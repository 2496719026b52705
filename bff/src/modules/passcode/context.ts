import { AppError, passcodeProblem, type PasscodeStatus } from '@eid/shared';
import { residentActor, type Disclosure } from '../usage/usage.types';
import type { PasscodeDeps } from './deps';
import type { PasscodeRecord, PasscodeRepository } from './passcode.repository';

/** What the passcode use cases work with: the module's deps (deps.ts) over its repository. */
export interface PasscodeContext extends Omit<PasscodeDeps, 'db'> {
  repo: PasscodeRepository;
}

const MINUTE = 60_000;

/**
 * How long tries pause after each run of PASSCODE_MAX_TRIES wrong ones: 1 min, 5 min, 15 min, 1 h, 4 h,
 * then 24 h each time. Never for good: the resident of a lost memory waits or resets with a face check.
 */
export const PAUSES_MS: readonly number[] = [1, 5, 15, 60, 240, 1440].map((m) => m * MINUTE);

/** The key store binds each sealed hash to its resident: one resident's hash copied to another never opens. */
const aadOf = (residentId: string) => `passcode:${residentId}`;

export const sealHash = (ctx: PasscodeContext, residentId: string, encoded: string): string =>
  ctx.keys.seal(encoded, aadOf(residentId));

export const openHash = (ctx: PasscodeContext, record: PasscodeRecord): string =>
  ctx.keys.open(record.sealed, aadOf(record.residentId));

/** PASSCODE_WEAK with the shared rule's reason, before anything is counted, hashed or spent. */
export function refuseWeak(passcode: string): void {
  const reason = passcodeProblem(passcode);
  if (reason) {
    throw new AppError('PASSCODE_WEAK', 'Choose 6 to 8 digits that are not one digit repeated or a run', {
      reason,
    });
  }
}

/** VALIDATION_FAILED naming `currentPasscode`, in the shape validate() gives (nothing of the value echoed). */
export function currentPasscodeIssue(message: string): AppError {
  return new AppError('VALIDATION_FAILED', 'The request is not valid', {
    issues: [{ path: 'currentPasscode', message }],
  });
}

/** The resident's own account settings, as their usage trace records them (purpose `account`, no fields). */
export const residentTrace = (ctx: PasscodeContext, residentId: string, requestId?: string): Disclosure =>
  ctx.usage.disclosure({ residentId, actor: residentActor(residentId), purpose: 'account', requestId });

/** docs/api.md `PasscodeStatus` at `now`: while paused no try is left until the pause ends. */
export function statusOf(ctx: PasscodeContext, record: PasscodeRecord | null, now: number): PasscodeStatus {
  const max = ctx.config.PASSCODE_MAX_TRIES;
  if (!record) return { set: false, triesLeft: max };
  const paused = record.pausedUntil > now;
  return {
    set: true,
    triesLeft: paused ? 0 : Math.max(0, max - record.failures),
    ...(paused && { pausedUntil: record.pausedUntil }),
    updatedAt: record.updatedAt,
  };
}
