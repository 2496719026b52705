import { bodyParser } from '@koa/bodyparser';
import type { Middleware } from 'koa';
import { AppError } from '@eid/shared';

const WITH_BODY = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** JSON bodies only, under `limitBytes`; anything else is refused before it is read. */
export function jsonBody(limitBytes: number): Middleware[] {
  const parse = bodyParser({ enableTypes: ['json'], jsonLimit: limitBytes, encoding: 'utf-8' });
  return [
    async function refuseOtherBodies(ctx, next) {
      const length = Number(ctx.get('content-length') || 0);
      if (length > limitBytes) throw new AppError('BODY_TOO_LARGE', 'The request body is too large');
      if (
        WITH_BODY.has(ctx.method) &&
        (length > 0 || ctx.get('transfer-encoding')) &&
        !ctx.is('application/json')
      ) {
        throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the body as application/json');
      }
      await next();
    },
    parse as Middleware,
  ];
}
