import type { Connection } from 'mongoose';
import type { Clock } from './clock';

/** One fixed window of one counter; `_id` is `<key>:<window start ms>`. */
export interface CounterDoc {
  _id: string;
  count: number;
  expiresAt: Date;
}

export interface Counters {
  /**
   * Counts one hit on `key` in the current fixed window of `windowMs` (aligned to the epoch) and returns
   * the hits so far in it, this one included, and when the window ends. `offsetMs` shifts the windows'
   * alignment: `CHINA_OFFSET_MS` with a day's window counts Beijing calendar days.
   */
  hit(key: string, windowMs: number, offsetMs?: number): Promise<{ count: number; resetAt: number }>;
}

/**
 * Fixed-window counters in the `rate_limits` collection, so every BFF process counts the same hits.
 * Windows past their end are removed by a TTL index; the window itself is chosen by the injected clock.
 *
 * @example
 * const { count, resetAt } = await counters.hit(`login:${ip}`, 60_000);
 * if (count > 10) throw new AppError('RATE_LIMITED', '...', { retryAfterS: Math.ceil((resetAt - now) / 1000) });
 */
export function createCounters(db: Connection, clock: Clock): Counters {
  const counters = db.collection<CounterDoc>('rate_limits');
  // A missing TTL index only leaves old windows behind; counting must not fail for it.
  const ready = counters.createIndex({ expiresAt: 1 }, { expireAfterSeconds: 0 }).catch(() => undefined);

  return {
    async hit(key, windowMs, offsetMs = 0) {
      await ready;
      const now = clock.now();
      const windowStart = now - ((now + offsetMs) % windowMs);
      const resetAt = windowStart + windowMs;
      const doc = await counters.findOneAndUpdate(
        { _id: `${key}:${windowStart}` },
        { $inc: { count: 1 }, $setOnInsert: { expiresAt: new Date(resetAt) } },
        { upsert: true, returnDocument: 'after' },
      );
      return { count: doc?.count ?? 1, resetAt };
    },
  };
}
