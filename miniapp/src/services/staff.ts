import { request, staffStore } from './request';
import type { StaffSession, VerifyAnswer } from '@eid/shared';

/** Signs a staff member in at a window terminal. */
export async function staffLogin(username: string, password: string): Promise<StaffSession> {
  const session = await request<StaffSession>({
    method: 'POST',
    path: '/api/v1/staff/login',
    data: { username, password },
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
