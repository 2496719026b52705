import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';

const ACCEPTABLE = /^[A-Za-z0-9._-]{8,64}$/;

/** Gives every request an id (the caller's, when it is well-formed) and echoes it in `X-Request-Id`. */
export function requestId(): Middleware {
  return async function assignRequestId(ctx, next) {
    const incoming = ctx.get('x-request-id');
    const id = ACCEPTABLE.test(incoming) ? incoming : randomUUID();
    ctx.state.requestId = id;
    ctx.set('X-Request-Id', id);
    await next();
  };
}
