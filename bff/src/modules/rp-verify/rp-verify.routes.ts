import Router from '@koa/router';
import type { Middleware } from 'koa';
import { z } from 'zod';
import { validate } from '../../middleware/validate';
import type { RpVerifyService } from './rp-verify.service';

// As the staff verify (verify.routes.ts): a code of at most 4096 characters, a purpose code.
const PartyVerifyBody = z.strictObject({
  code: z.string().min(1).max(4096),
  purpose: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/),
});

/** `POST /api/v1/rp/verify`: a party checks a bright code it scanned (signed, behind `signed`). */
export function rpVerifyRoutes(deps: { rpVerify: RpVerifyService; signed: Middleware }): Router {
  const router = new Router({ prefix: '/api/v1/rp' });

  router.post('/verify', deps.signed, async function verifyPresentedCode(ctx) {
    const input = validate(PartyVerifyBody, ctx.request.body);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await deps.rpVerify.verify(ctx.state.signed.party, input, ctx.state.requestId);
  });

  return router;
}
