/**
 * China keeps one zone, UTC+8, with no daylight saving: a resident's "today", a card's validity dates and
 * every date a page shows are Beijing dates, whatever the zone of the server or the phone.
 */
export const CHINA_OFFSET_MS = 8 * 3_600_000;

const DAY_MS = 86_400_000;

/**
 * The Beijing calendar date of an instant, `YYYY-MM-DD`.
 *
 * @example
 * beijingDate(Date.UTC(2026, 0, 1, 16)) // '2026-01-02': midnight has passed in Beijing
 */
export function beijingDate(ms: number): string {
  return new Date(ms + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/**
 * The Beijing calendar day containing `ms`: its date and its bounds as epoch ms (`start` inclusive,
 * `end` exclusive, the next Beijing midnight). Per-day limits count within these bounds.
 */
export function beijingDayOf(ms: number): { date: string; start: number; end: number } {
  const start = Math.floor((ms + CHINA_OFFSET_MS) / DAY_MS) * DAY_MS - CHINA_OFFSET_MS;
  return { date: beijingDate(start), start, end: start + DAY_MS };
}

/** The first Beijing midnight after `ms`: when today's per-day limits reset. */
export function nextBeijingMidnight(ms: number): number {
  return beijingDayOf(ms).end;
}

/**
 * The instant a Beijing calendar date (`YYYY-MM-DD`) ends, i.e. the midnight that starts the next day;
 * undefined when `date` is not of that form (a card "valid for life" says `长期`).
 *
 * @example
 * beijingDateEnd('2030-05-01') // Date.UTC(2030, 4, 1, 16): 00:00 on 2 May in Beijing
 */
export function beijingDateEnd(date: string): number | undefined {
  const m = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(date);
  if (!m) return undefined;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + 1) - CHINA_OFFSET_MS;
}
