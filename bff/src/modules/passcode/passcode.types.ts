/**
 * What other modules may use of the passcode module (issue 17, level 2): checking a resident's e-ID
 * passcode. Stored as a memory-hard hash (scrypt); wrong tries in a row pause further tries for growing
 * times, never lock for good, and a face check (reset) ends a pause at once. The resident's routes
 * (`/api/v1/passcode`) are the module's own.
 */
import type { PasscodeStatus, ResetPasscodeRequest, SetPasscodeRequest } from '@eid/shared';
import type { IdentityWithdrawnHook } from '../enrollment/enrollment.types';

export interface PasscodeChecker {
  /** True when the resident has set one. */
  isSet(residentId: string): Promise<boolean>;
  /**
   * Checks `passcode` and counts the try: PASSCODE_NOT_SET, PASSCODE_PAUSED (429, `details.pausedUntil`),
   * PASSCODE_WRONG (`details.triesLeft`); resolves when it matches (which clears the count).
   */
  check(residentId: string, passcode: string, requestId?: string): Promise<void>;
}

export interface PasscodeService extends PasscodeChecker {
  status(residentId: string): Promise<PasscodeStatus>;
  /** Sets the first passcode, or changes it with the current one (checked as `check` does). */
  set(residentId: string, input: SetPasscodeRequest, requestId?: string): Promise<PasscodeStatus>;
  /** Replaces a forgotten passcode after a face check (the single-use reauth token); ends any pause. */
  reset(residentId: string, input: ResetPasscodeRequest, requestId?: string): Promise<PasscodeStatus>;
  /** Erases the passcode when the identity stops being valid. */
  onIdentityWithdrawn: IdentityWithdrawnHook;
}
