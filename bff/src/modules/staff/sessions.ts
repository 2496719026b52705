import { randomBytes } from 'node:crypto';
import type { StaffServiceDeps } from './deps';
import type { StaffSessionRecord } from './session.repository';

/** Requests are recorded as activity at most this often per session, to spare the database a write each. */
export const ACTIVITY_EVERY_MS = 60_000;
/** Ended sessions stay this long past their absolute end (what a revocation looks up), then go. */
const KEEP_AFTER_END_MS = 24 * 3600 * 1000;

/** Why a session no longer counts: `idle`, `expired` (the absolute end), or ended by someone. */
export type SessionProblem = 'idle' | 'expired' | 'ended';

/** When a session ends at the latest, however busy it is. */
export const sessionEndsAt = (deps: StaffServiceDeps, s: Pick<StaffSessionRecord, 'startedAt'>): number =>
  s.startedAt + deps.config.STAFF_SESSION_MAX_S * 1000;

/**
 * Null while the session is live at `now`, else why not. The idle limit is measured from the last activity
 * recorded, which lags a request by less than ACTIVITY_EVERY_MS: a session may end up to that much early,
 * never late.
 */
export function sessionProblem(
  deps: StaffServiceDeps,
  s: StaffSessionRecord,
  now: number,
): SessionProblem | null {
  if (s.endedAt !== undefined) return 'ended';
  if (now >= sessionEndsAt(deps, s)) return 'expired';
  if (now - s.lastSeenAt >= deps.config.STAFF_IDLE_TIMEOUT_S * 1000) return 'idle';
  return null;
}

/** Opens a session for a sign-in that succeeded. */
export async function startSession(deps: StaffServiceDeps, staffId: string): Promise<StaffSessionRecord> {
  const now = deps.clock.now();
  const session: StaffSessionRecord = {
    id: randomBytes(16).toString('base64url'),
    staffId,
    startedAt: now,
    lastSeenAt: now,
  };
  await deps.repo.sessions.create(session, sessionEndsAt(deps, session) + KEEP_AFTER_END_MS);
  return session;
}

/**
 * Records a request of a live session when the last one recorded is ACTIVITY_EVERY_MS old (`force`: now,
 * as a refresh does); answers the session as it now stands.
 */
export async function recordActivity(
  deps: StaffServiceDeps,
  s: StaffSessionRecord,
  force = false,
): Promise<StaffSessionRecord> {
  const now = deps.clock.now();
  if (!force && now - s.lastSeenAt < ACTIVITY_EVERY_MS) return s;
  const since = force ? now : now - ACTIVITY_EVERY_MS + 1;
  await deps.repo.sessions.touch(s.id, now, since);
  return { ...s, lastSeenAt: Math.max(s.lastSeenAt, now) };
}
