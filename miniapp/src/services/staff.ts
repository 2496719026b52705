import { request, staffStore } from './request';
import type {
  OfflineCheck,
  OfflineChecksAnswer,
  OfflineChecksRequest,
  StaffSession,
  StatusListAnswer,
  TrustListAnswer,
  VerifyAnswer,
} from '@eid/shared';

/**
 * Signs a staff member in at a window terminal. An account with a second factor needs `totp` (the app's
 * six digits) or a one-time `recoveryCode`; without one the BFF answers TOTP_REQUIRED.
 */
export async function staffLogin(
  username: string,
  password: string,
  second?: { totp: string } | { recoveryCode: string },
): Promise<StaffSession> {
  const session = await request<StaffSession>({
    method: 'POST',
    path: '/api/v1/staff/login',
    data: { username, password, ...second },
    auth: 'none',
  });
  staffStore.set(session);
  return session;
}

/** Signs the staff member out of this terminal. */
export function staffLogout(): void {
  staffStore.set(null);
}

/** Checks a resident's bright-card code for a purpose. */
export const verifyCode = (code: string, purpose: string) =>
  request<VerifyAnswer>({ method: 'POST', path: '/api/v1/verify', data: { code, purpose }, auth: 'staff' });

/** The signed trust list offline terminals verify issuers with (public). */
export const getTrustList = () => request<TrustListAnswer>({ path: '/api/v1/trust-list', auth: 'none' });

/** The signed status list of one issuer key (public). */
export const getStatusList = (kid: string) =>
  request<StatusListAnswer>({ path: `/api/v1/status-lists/${encodeURIComponent(kid)}`, auth: 'none' });

/**
 * Hands checks made offline to the BFF, which records each in the resident's trace once (by terminal
 * and check id), so sending the same batch again is harmless.
 */
export const uploadOfflineChecks = (checks: OfflineCheck[]) =>
  request<OfflineChecksAnswer>({
    method: 'POST',
    path: '/api/v1/verify/offline-checks',
    data: { checks } satisfies OfflineChecksRequest,
    auth: 'staff',
  });
