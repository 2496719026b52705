import Router from '@koa/router';
import type { Middleware } from 'koa';
import { z } from 'zod';
import { validate } from '../../middleware/validate';
import type { UsageService } from './usage.service';

const epochMs = z.coerce.number().int().min(0).max(8.64e15);

const ListQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  before: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional(),
  actorType: z.enum(['resident', 'staff', 'third_party', 'system']).optional(),
  purpose: z
    .string()
    .regex(/^[a-z][a-z0-9_.-]{0,63}$/)
    .optional(),
  from: epochMs.optional(),
  to: epochMs.optional(),
});

const EventParams = z.strictObject({ id: z.uuid() });

/** `/api/v1/usage`: a resident reads their own usage trace. */
export function usageRoutes(deps: { usage: UsageService; residentAuth: Middleware }): Router {
  const router = new Router({ prefix: '/api/v1/usage' });

  router.get('/', deps.residentAuth, async function listUsage(ctx) {
    const q = validate(ListQuery, ctx.query);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await deps.usage.list({ ...q, residentId: ctx.state.auth.sub });
  });

  router.get('/:id', deps.residentAuth, async function getUsage(ctx) {
    const { id } = validate(EventParams, ctx.params);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await deps.usage.get(ctx.state.auth.sub, id);
  });

  return router;
}
