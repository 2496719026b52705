import { clock } from '../lib/clock';
import { request } from './request';
import { endSession, saveSession, sessionStore, type SignOutReason } from './session';
import type { Session } from '@eid/shared';

/** Signs the resident in with a one-time super-app code and keeps the session on the device. */
export async function login(code: string): Promise<Session> {
  const session = await request<Session>({
    method: 'POST',
    path: '/api/v1/auth/login',
    data: { code },
    auth: 'none',
  });
  saveSession(session, clock.now());
  return session;
}

/** Ends the session on the server (best effort) and on the device, then shows the welcome page. */
export async function logout(reason: SignOutReason = 'signed_out'): Promise<void> {
  const tokens = sessionStore.get().tokens;
  if (tokens) {
    await request<void>({
      method: 'POST',
      path: '/api/v1/auth/logout',
      data: { refreshToken: tokens.refreshToken },
    }).catch(() => undefined);
  }
  endSession(reason);
}
