import { AppError, CHINA_OFFSET_MS, nextBeijingMidnight } from '@eid/shared';
import type { PartyDeps } from './deps';
import type { PartyRecord } from './party.repository';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/**
 * Counts one signed request of the party against its per-minute limit and its quota per Beijing calendar
 * day (database counters, so every BFF process counts the same requests). Over either: 429 with
 * `details.retryAfterS` (the error handler sends it as Retry-After): PARTY_RATE_LIMITED until the minute's
 * window ends, PARTY_QUOTA_EXCEEDED until the next Beijing midnight.
 */
export async function countRequest(
  deps: Pick<PartyDeps, 'counters' | 'clock'>,
  party: Pick<PartyRecord, 'id' | 'limits'>,
): Promise<void> {
  const [minute, day] = await Promise.all([
    deps.counters.hit(`rp-minute:${party.id}`, MINUTE_MS),
    deps.counters.hit(`rp-day:${party.id}`, DAY_MS, CHINA_OFFSET_MS),
  ]);
  const now = deps.clock.now();
  const secondsUntil = (t: number) => Math.max(1, Math.ceil((t - now) / 1000));
  if (day.count > party.limits.perDay)
    throw new AppError('PARTY_QUOTA_EXCEEDED', "The party's daily quota is used up", {
      retryAfterS: secondsUntil(nextBeijingMidnight(now)),
      perDay: party.limits.perDay,
    });
  if (minute.count > party.limits.perMinute)
    throw new AppError('PARTY_RATE_LIMITED', 'Too many requests from this party; slow down', {
      retryAfterS: secondsUntil(minute.resetAt),
      perMinute: party.limits.perMinute,
    });
}
