/**
 * Keeps the staff session alive while the officer works: a minute before the token ends the page asks
 * `POST /api/v1/staff/session/refresh`, but only when a key was pressed or the pointer used since the last
 * renewal, so an unattended desk still reaches the server's idle timeout (a BFF without that route
 * answers 404: the token then simply runs out). `POST /api/v1/staff/logout` ends it (404 ignored too).
 */
import type { StaffSession } from '@eid/shared';
import { api, ApiError, currentSession, onSession, setSession } from './api';

let timer: ReturnType<typeof setTimeout> | undefined;
let refreshMissing = false;
let lastActivity = Date.now();
let lastRenewal = Date.now();

async function refresh(): Promise<void> {
  if (lastActivity <= lastRenewal) return;
  lastRenewal = Date.now();
  try {
    const next = await api<StaffSession>('POST', '/api/v1/staff/session/refresh', { body: {} });
    if (next?.accessToken) setSession({ ...currentSession()!, ...next });
  } catch (err) {
    if (err instanceof ApiError && (err.status === 404 || err.status === 405)) refreshMissing = true;
    else if (err instanceof ApiError && err.status === 401) setSession(null);
  }
}

function schedule(): void {
  if (timer) clearTimeout(timer);
  const s = currentSession();
  if (!s || refreshMissing) return;
  const inMs = Math.max(5_000, s.expiresAt - Date.now() - 60_000);
  timer = setTimeout(() => void refresh(), inMs);
}

/** Starts the refresh timer for every session set from now on. */
export function keepSessionAlive(): void {
  for (const type of ['keydown', 'pointerdown'])
    addEventListener(type, () => (lastActivity = Date.now()), { passive: true, capture: true });
  onSession(schedule);
  schedule();
}

export async function signOut(): Promise<void> {
  try {
    await api('POST', '/api/v1/staff/logout', { body: {} });
  } catch {
    // Ended here whatever the server says: the token is forgotten either way.
  }
  setSession(null);
}
