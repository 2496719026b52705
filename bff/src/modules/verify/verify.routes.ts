import Router from '@koa/router';
import type { Middleware } from 'koa';
import { z } from 'zod';
import { validate } from '../../middleware/validate';
import type { VerifyService } from './verify.service';

const VerifyBody = z.strictObject({
  code: z.string().min(1).max(4096),
  purpose: z.string().regex(/^[a-z][a-z_]{0,63}$/),
});

/** `POST /api/v1/verify`: a staff terminal checks a bright code for a published purpose. */
export function verifyRoutes(deps: { verify: VerifyService; staffAuth: Middleware }): Router {
  const router = new Router({ prefix: '/api/v1' });

  router.post('/verify', deps.staffAuth, async function verifyCode(ctx) {
    const { code, purpose } = validate(VerifyBody, ctx.request.body);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await deps.verify.verify(ctx.state.auth.sub, code, purpose, ctx.state.requestId);
  });

  return router;
}
