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
 * Counter keys for one kind of try today: one per resident and one per ID-number index, so neither
 * many accounts against one person nor one account against many people gets more tries.
 */
export function counterKeys(
  kind: AttemptKind,
  windowStart: number,
  residentId: string,
  idIndex?: string,
): string[] {
  const keys = [`${kind}:resident:${residentId}:${windowStart}`];
  if (idIndex) keys.push(`${kind}:id:${idIndex}:${windowStart}`);
  return keys;
}

/** Remaining tries given the counts of every counter that applies: the busiest counter decides. */
export function attemptsView(limit: number, counts: number[], windowEnd: number): AttemptsView {
  const remaining = Math.max(0, limit - Math.max(0, ...counts));
  return { limit, remaining, unlockAt: remaining === 0 ? windowEnd : null };
}
