import Router from '@koa/router';
import type { Middleware } from 'koa';
import { z } from 'zod';
import { validate } from '../../middleware/validate';
import type { AdminKeysService } from './admin-keys.types';

const NoQuery = z.strictObject({});

export interface AdminKeysRoutesDeps {
  adminKeys: AdminKeysService;
  /** The staff guard of CAPABILITIES.keys. */
  keysAuth: Middleware;
}

/** `GET /api/v1/admin/keys`: this province's keys, their ends, and the trust list (public halves only). */
export function adminKeysRoutes({ adminKeys, keysAuth }: AdminKeysRoutesDeps): Router {
  const router = new Router({ prefix: '/api/v1/admin' });

  router.get('/keys', keysAuth, function respondKeys(ctx) {
    validate(NoQuery, ctx.query);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = adminKeys.report();
  });

  return router;
}
