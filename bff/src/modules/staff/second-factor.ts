import { AppError } from '@eid/shared';
import type { StaffServiceDeps } from './deps';
import type { StaffRecord } from './staff.repository';
import { recoveryCodeHash, totpAad, totpStepOf } from './totp';

/** The second factor a sign-in carries: a code of the authenticator app, or one recovery code. */
export interface SecondFactor {
  totp?: string;
  recoveryCode?: string;
}

/**
 * Checks the second factor of an account whose password was right: nothing to check without a confirmed
 * TOTP (the factor sent, if any, is ignored); otherwise TOTP_REQUIRED when none was sent and TOTP_INVALID
 * (`details.reason` `wrong` or `used`) when it does not count. A code counts once: its time step is spent
 * by one conditional write, and so is every earlier step. Guesses are bounded by the sign-in throttle
 * (sign-in-throttle.ts), which counts a wrong code as a failed sign-in.
 */
export async function checkSecondFactor(
  deps: StaffServiceDeps,
  staff: StaffRecord,
  factor: SecondFactor,
): Promise<void> {
  const totp = staff.totp;
  if (totp?.confirmedAt === undefined) return;
  if (factor.totp !== undefined) {
    const step = totpStepOf(deps.keys.open(totp.sealed, totpAad(staff.id)), factor.totp, deps.clock.now());
    if (step === null) throw new AppError('TOTP_INVALID', 'The code is wrong', { reason: 'wrong' });
    if (!(await deps.repo.spendTotpStep(staff.id, step))) {
      throw new AppError('TOTP_INVALID', 'This code was used already; wait for the next one', {
        reason: 'used',
      });
    }
    return;
  }
  if (factor.recoveryCode !== undefined) {
    // An unknown code and a spent one look alike here: both are simply not among the unused hashes.
    if (!(await deps.repo.spendRecoveryCode(staff.id, recoveryCodeHash(factor.recoveryCode)))) {
      throw new AppError('TOTP_INVALID', 'The recovery code is wrong or was used already', {
        reason: 'wrong',
      });
    }
    deps.logger.warn({ staffId: staff.id }, 'staff signed in with a recovery code');
    return;
  }
  throw new AppError('TOTP_REQUIRED', 'Enter the code of your authenticator app, or a recovery code');
}
