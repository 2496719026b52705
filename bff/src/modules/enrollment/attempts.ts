import type { AttemptsView } from './enrollment.types';

export type AttemptKind = 'real_name' | 'face';

const DAY_MS = 24 * 3600 * 1000;
// Limits are "per day" as residents read it: the day turns at midnight Beijing time (UTC+8).
const CHINA_OFFSET_MS = 8 * 3600 * 1000;

/** The Beijing-time calendar day containing `now`, as epoch ms bounds. */
export function dayWindow(now: number): { start: number; end: number } {
  const start = Math.floor((now + CHINA_OFFSET_MS) / DAY_MS) * DAY_MS - CHINA_OFFSET_MS;
  return { start, end: start + DAY_MS };
}

/** Today's date in Beijing as `YYYY-MM-DD` (card validity dates are Beijing dates). */
export function chinaDate(now: number): string {
  return new Date(now + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/**
 * Tries each account still has on one ID number once every account's failed tries on it today have
 * reached the cap (the per-account limit: one stranger's day of guesses reaches it). One, so that the
 * holder always has a try of their own, and a crowd of accounts gets one guess each, not five.
 */
export const HELD_TRIES_PER_ACCOUNT = 1;

/** Why a try was refused: the caller's own tries are spent, or its one try on a capped number is. */
export type ExhaustedScope = 'account' | 'id_number';

/** The id of an account's own counter for one kind of try today: the only thing `remaining` reports. */
export function ownCounter(kind: AttemptKind, windowStart: number, residentId: string): string {
  return `${kind}:resident:${residentId}:${windowStart}`;
}

/**
 * Counter ids for one kind of try on one ID number today. `own`: the account's tries. `number`: every
 * account's failed tries on that number (by its blind index, never the number), capped. `held`: the
 * account's tries on that number once `number` is at its cap.
 */
export function counterKeys(kind: AttemptKind, windowStart: number, residentId: string, idIndex: string) {
  return {
    own: ownCounter(kind, windowStart, residentId),
    number: `${kind}:id:${idIndex}:${windowStart}`,
    held: `${kind}:held:${residentId}:${idIndex}:${windowStart}`,
  };
}

/** The account's own tries today, from its own counter only (others' tries never show). */
export function attemptsView(limit: number, ownCount: number, windowEnd: number): AttemptsView {
  const remaining = Math.max(0, limit - ownCount);
  return { limit, remaining, unlockAt: remaining === 0 ? windowEnd : null };
}

/** Which counter would refuse the next try, or null when it may go ahead. */
export function refusal(
  limit: number,
  counts: { own: number; number: number; held: number },
): ExhaustedScope | null {
  if (counts.own >= limit) return 'account';
  if (counts.number >= limit && counts.held >= HELD_TRIES_PER_ACCOUNT) return 'id_number';
  return null;
}
