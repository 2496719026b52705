import { AppError } from '@eid/shared';
import type { StaffServiceDeps } from './deps';
import type { StaffRecord } from './staff.repository';
import { newRecoveryCodes, newTotpSecret, recoveryCodeHash, totpAad, totpStepOf, totpUri } from './totp';

/** What enrolment answers, this once: the secret is never shown again, the recovery codes never stored. */
export interface TotpEnrolment {
  otpauthUri: string;
  /** base32, for typing into an app that cannot scan the URI. */
  secret: string;
  recoveryCodes: string[];
}

function alreadyEnrolled(): AppError {
  return new AppError('TOTP_ALREADY_ENROLLED', 'This account has a confirmed authenticator already');
}

async function activeAccount(deps: StaffServiceDeps, staffId: string): Promise<StaffRecord> {
  const staff = await deps.repo.byId(staffId);
  if (!staff || staff.disabled)
    throw new AppError('SESSION_REVOKED', 'This staff account is no longer active');
  return staff;
}

/**
 * Starts a TOTP enrolment for the signed-in account: a fresh secret, sealed, and fresh recovery codes,
 * hashed. It stays pending (sign-in does not ask for codes) until confirmTotp; enrolling again while
 * pending replaces it, as when the first QR code was never scanned. A confirmed one is not replaced
 * here: whoever holds a session only must not be able to move the second factor to their own phone.
 */
export async function enrolTotp(deps: StaffServiceDeps, staffId: string): Promise<TotpEnrolment> {
  const staff = await activeAccount(deps, staffId);
  if (staff.totp?.confirmedAt !== undefined) throw alreadyEnrolled();
  const secret = newTotpSecret();
  const recoveryCodes = newRecoveryCodes();
  const started = await deps.repo.startTotp(staffId, {
    sealed: deps.keys.seal(secret, totpAad(staffId)),
    recoveryHashes: recoveryCodes.map(recoveryCodeHash),
    createdAt: deps.clock.now(),
    lastStep: 0,
  });
  if (!started) throw alreadyEnrolled();
  deps.logger.info({ staffId }, 'staff TOTP enrolment started');
  return { otpauthUri: totpUri(secret, staff.username), secret, recoveryCodes };
}

/**
 * Confirms the pending enrolment with a code of the user's app: from then on sign-in needs a code. The
 * confirming code's step is spent, so that very code cannot also sign in. Resolves with the account.
 */
export async function confirmTotp(
  deps: StaffServiceDeps,
  staffId: string,
  code: string,
): Promise<StaffRecord> {
  const staff = await activeAccount(deps, staffId);
  const totp = staff.totp;
  if (totp?.confirmedAt !== undefined) throw alreadyEnrolled();
  if (!totp) {
    throw new AppError('TOTP_INVALID', 'Start the enrolment first', { reason: 'not_enrolling' });
  }
  const step = totpStepOf(deps.keys.open(totp.sealed, totpAad(staffId)), code, deps.clock.now());
  if (step === null) throw new AppError('TOTP_INVALID', 'The code is wrong', { reason: 'wrong' });
  if (!(await deps.repo.confirmTotp(staffId, totp.sealed, step, deps.clock.now()))) {
    throw new AppError('CONFLICT', 'The enrolment changed meanwhile; enrol again', { retryable: false });
  }
  deps.logger.info({ staffId }, 'staff TOTP confirmed');
  return { ...staff, totp: { ...totp, confirmedAt: deps.clock.now(), lastStep: step } };
}
