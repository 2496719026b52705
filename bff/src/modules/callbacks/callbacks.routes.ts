import Router from '@koa/router';
import type { Middleware } from 'koa';
import { z } from 'zod';
import { validate } from '../../middleware/validate';
import type { CallbackService } from './callbacks.service';

const WebhookIdParams = z.strictObject({ id: z.string().regex(/^msg_[A-Za-z0-9_-]{22}$/) });
const DeadQuery = z.strictObject({
  limit: z
    .string()
    .regex(/^\d{1,3}$/)
    .transform(Number)
    .pipe(z.number().int().min(1).max(500))
    .optional(),
});
const NoBody = z.strictObject({});

export interface CallbackRoutesDeps {
  callbacks: CallbackService;
  adminAuth: Middleware;
}

/**
 * The callbacks module's routes: the public keys parties verify `v1a` signatures with, and the admin
 * staff's dead-letter list, redelivery and attempt log.
 */
export function callbackRoutes({ callbacks, adminAuth }: CallbackRoutesDeps): Router {
  const router = new Router({ prefix: '/api/v1' });

  router.get('/rp/callback-keys', function respondCallbackKeys(ctx) {
    // Public and the same for everyone; short-lived in caches so a rotation reaches parties within minutes.
    ctx.set('cache-control', 'public, max-age=300');
    ctx.body = callbacks.callbackKeys();
  });

  router.get('/admin/callbacks/dead', adminAuth, async function respondDeadCallbacks(ctx) {
    const { limit } = validate(DeadQuery, ctx.query);
    ctx.body = await callbacks.deadLetters(limit ?? 100);
  });

  router.post('/admin/callbacks/dead/:id/redeliver', adminAuth, async function respondRedeliver(ctx) {
    // The body first, as every route does: an unknown key is named as such whatever the id.
    validate(NoBody, ctx.request.body);
    const { id } = validate(WebhookIdParams, ctx.params);
    ctx.status = 202;
    ctx.body = await callbacks.redeliver(id);
  });

  router.get('/admin/callbacks/:id/attempts', adminAuth, async function respondAttempts(ctx) {
    const { id } = validate(WebhookIdParams, ctx.params);
    ctx.body = await callbacks.attempts(id);
  });

  return router;
}
