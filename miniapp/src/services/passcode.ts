import type { PasscodeStatus, ResetPasscodeRequest, SetPasscodeRequest } from '@eid/shared';
import { request } from './request';

/** Whether the resident has an e-ID passcode, the wrong tries left and any pause. */
export const getPasscodeStatus = () => request<PasscodeStatus>({ path: '/api/v1/passcode' });

/**
 * Sets the first passcode (needs a verified identity: CARD_NOT_ELIGIBLE otherwise), or changes it with the
 * current one, which counts as a try (PASSCODE_WRONG, PASSCODE_PAUSED).
 */
export const setPasscode = (body: SetPasscodeRequest) =>
  request<PasscodeStatus>({ method: 'PUT', path: '/api/v1/passcode', data: body });

/** Replaces a forgotten passcode after a face check; ends any pause at once. */
export const resetPasscode = (body: ResetPasscodeRequest) =>
  request<PasscodeStatus>({ method: 'POST', path: '/api/v1/passcode/reset', data: body });
