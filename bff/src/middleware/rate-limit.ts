import type { Middleware, Context } from 'koa';
import type { Connection } from 'mongoose';
import { AppError } from '@eid/shared';
import type { Clock } from '../infra/clock';

export interface RateLimitOptions {
  /** Name of the limit, part of the counter key. */
  name: string;
  /** Who is counted: an IP, a resident id... Return undefined to skip counting. */
  keyOf: (ctx: Context) => string | undefined;
  limit: number;
  windowMs: number;
}

interface Counter {
  _id: string;
  count: number;
  expiresAt: Date;
}

/**
 * Fixed-window counters kept in the database, so every BFF process counts the same requests.
 * Expired windows are removed by a TTL index.
 */
export function createRateLimiter(db: Connection, clock: Clock) {
  const counters = db.collection<Counter>('rate_limits');
  const ready = counters.createIndex({ expiresAt: 1 }, { expireAfterSeconds: 0 }).catch(() => undefined);

  /** Counts one hit; returns the hits in the current window and when it ends. */
  async function hit(key: string, windowMs: number): Promise<{ count: number; resetAt: number }> {
    await ready;
    const now = clock.now();
    const windowStart = now - (now % windowMs);
    const resetAt = windowStart + windowMs;
    const doc = await counters.findOneAndUpdate(
      { _id: `${key}:${windowStart}` },
      { $inc: { count: 1 }, $setOnInsert: { expiresAt: new Date(resetAt) } },
      { upsert: true, returnDocument: 'after' },
    );
    return { count: doc?.count ?? 1, resetAt };
  }

  function middleware(options: RateLimitOptions): Middleware {
    return async function limitRate(ctx, next) {
      const who = options.keyOf(ctx);
      if (who !== undefined) {
        const { count, resetAt } = await hit(`${options.name}:${who}`, options.windowMs);
        if (count > options.limit) {
          const retryAfterS = Math.max(1, Math.ceil((resetAt - clock.now()) / 1000));
          throw new AppError('RATE_LIMITED', 'Too many requests; try again shortly', { retryAfterS });
        }
      }
      await next();
    };
  }

  return { hit, middleware };
}

export type RateLimiter = ReturnType<typeof createRateLimiter>;
