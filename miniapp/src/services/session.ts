import Taro from '@tarojs/taro';
import { createStore } from '../lib/store';
import { readStored, removeStored, writeStored } from '../lib/storage';
import type { Enrollment, Session } from '@eid/shared';

/** Why the resident was returned to the welcome page, shown there once. */
export type SignOutReason = 'revoked' | 'expired' | 'signed_out' | 'withdrawn' | 'closed';

export interface ResidentTokens {
  accessToken: string;
  refreshToken: string;
  /** Epoch ms after which the access token is refreshed before use. */
  accessExpiresAt: number;
  residentId: string;
}

export interface SessionState {
  tokens: ResidentTokens | null;
  enrollment: Enrollment | null;
  signOutReason: SignOutReason | null;
}

const STORED_TOKENS = 'session';

export const sessionStore = createStore<SessionState>({
  tokens: readStored<ResidentTokens>(STORED_TOKENS) ?? null,
  enrollment: null,
  signOutReason: null,
});

/** Keeps a new session (login or refresh) on the device. */
export function saveSession(session: Session, now: number): void {
  const tokens: ResidentTokens = {
    accessToken: session.accessToken,
    refreshToken: session.refreshToken,
    // Refresh a little early so a request never leaves with a token about to lapse.
    accessExpiresAt: now + Math.max(0, session.expiresIn - 30) * 1000,
    residentId: session.resident.id,
  };
  writeStored(STORED_TOKENS, tokens);
  sessionStore.set({ tokens, enrollment: session.resident.enrollment, signOutReason: null });
}

/** Remembers the latest enrollment answer so pages can route without asking again. */
export function setEnrollment(enrollment: Enrollment): void {
  sessionStore.set((s) => ({ ...s, enrollment }));
}

/** Forgets the session and, unless told otherwise, returns to the welcome page which explains why. */
export function endSession(reason: SignOutReason, { navigate = true } = {}): void {
  removeStored(STORED_TOKENS);
  sessionStore.set({ tokens: null, enrollment: null, signOutReason: reason });
  if (navigate) Taro.reLaunch({ url: '/pages/index/index' }).catch(() => undefined);
}

/** Clears the one-time sign-out message after the welcome page has shown it. */
export function clearSignOutReason(): void {
  sessionStore.set((s) => (s.signOutReason ? { ...s, signOutReason: null } : s));
}
