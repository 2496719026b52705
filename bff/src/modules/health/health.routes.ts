import Router from '@koa/router';
import { AppError } from '@eid/shared';

/** Liveness answers while the process runs; readiness only while the database answers. */
export function healthRoutes(isDatabaseReady: () => Promise<boolean>): Router {
  const router = new Router();
  router.get('/healthz', function respondAlive(ctx) {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { status: 'ok' };
  });
  router.get('/readyz', async function respondReady(ctx) {
    ctx.set('Cache-Control', 'no-store');
    // A 503's message is not shown, so the reason travels in details for the operator and the balancer.
    if (!(await isDatabaseReady())) {
      throw new AppError('NOT_READY', 'The database is not reachable', {
        reason: 'database_unreachable',
        retryAfterS: 1,
      });
    }
    ctx.body = { status: 'ready' };
  });
  return router;
}
