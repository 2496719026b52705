import type { Middleware, Context } from 'koa';
import type { Connection } from 'mongoose';
import { AppError } from '@eid/shared';
import type { Clock } from '../infra/clock';
import { createCounters } from '../infra/counter';

export interface RateLimitOptions {
  /** Name of the limit, part of the counter key. */
  name: string;
  /** Who is counted: an IP, a resident id... Return undefined to skip counting. */
  keyOf: (ctx: Context) => string | undefined;
  limit: number;
  windowMs: number;
}

/**
 * Request limits over the database's fixed-window counters (infra/counter.ts), so every BFF process
 * counts the same requests.
 */
export function createRateLimiter(db: Connection, clock: Clock) {
  const { hit } = createCounters(db, clock);

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
