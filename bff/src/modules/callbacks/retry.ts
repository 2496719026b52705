import { MAX_RETRY_AFTER_MS } from './deps';

/**
 * How long a `Retry-After` (delay-seconds or an HTTP date, RFC 9110) asks to wait from `now`, capped at
 * 24 h; undefined when absent or unreadable (the schedule alone decides then).
 */
export function retryAfterMs(header: string | undefined, now: number): number | undefined {
  const value = header?.trim();
  if (!value) return undefined;
  let ms: number;
  if (/^\d+$/.test(value)) ms = Number(value) * 1000;
  else {
    const date = Date.parse(value);
    if (Number.isNaN(date)) return undefined;
    ms = date - now;
  }
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, ms));
}
