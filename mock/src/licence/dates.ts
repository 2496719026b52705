/** Calendar arithmetic on `YYYY-MM-DD` dates (UTC, no time of day), for the licence seed and renewals. */

export const DAY_MS = 86_400_000;
const BEIJING_OFFSET_MS = 8 * 3_600_000;

export function toDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function toMs(date: string): number {
  return Date.parse(`${date}T00:00:00Z`);
}

export function addDays(date: string, days: number): string {
  return toDate(toMs(date) + days * DAY_MS);
}

/** 29 February plus a year is 1 March, as a date calculator gives it. */
export function addYears(date: string, years: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return toDate(Date.UTC(y + years, m - 1, d));
}

/** Whole years of age on `date`. */
export function ageOn(birthDate: string, date: string): number {
  const years = Number(date.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return date.slice(5) < birthDate.slice(5) ? years - 1 : years;
}

/** The Beijing calendar date at epoch ms `ms`: what an issuing body prints as today. */
export function beijingDate(ms: number): string {
  return toDate(ms + BEIJING_OFFSET_MS);
}

export const maxDate = (a: string, b: string): string => (a > b ? a : b);
export const minDate = (a: string, b: string): string => (a < b ? a : b);
