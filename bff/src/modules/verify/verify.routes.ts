import Router from '@koa/router';
import type { Middleware } from 'koa';
import { OFFLINE_CHECKS_MAX, VERDICTS } from '@eid/shared';
import { z } from 'zod';
import { validate } from '../../middleware/validate';
import type { VerifyService } from './verify.service';

const Code = z.string().min(1).max(4096);
const PurposeCode = z.string().regex(/^[a-z][a-z0-9_]{0,63}$/);

const VerifyBody = z.strictObject({ code: Code, purpose: PurposeCode });

// Ids are base64url without ':' (they are parts of usage keys) and shorter than a code digest (43).
const OfflineCheckBody = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9_-]{16,32}$/),
  code: Code,
  purpose: PurposeCode,
  terminalId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  // Epoch ms; the use case refuses a time ahead of the clock or older than the allowed age, per check.
  checkedAt: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  verdict: z.enum(VERDICTS),
});
const OfflineChecksBody = z.strictObject({
  checks: z.array(OfflineCheckBody).min(1).max(OFFLINE_CHECKS_MAX),
});

/**
 * `POST /api/v1/verify`: a staff terminal checks a bright code for a published purpose.
 * `POST /api/v1/verify/offline-checks`: it uploads the checks it made offline (docs/formats/offline-check.md).
 */
export function verifyRoutes(deps: { verify: VerifyService; staffAuth: Middleware }): Router {
  const router = new Router({ prefix: '/api/v1' });

  router.post('/verify', deps.staffAuth, async function verifyCode(ctx) {
    const { code, purpose } = validate(VerifyBody, ctx.request.body);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await deps.verify.verify(ctx.state.auth.sub, code, purpose, ctx.state.requestId);
  });

  router.post('/verify/offline-checks', deps.staffAuth, async function uploadOfflineChecks(ctx) {
    const { checks } = validate(OfflineChecksBody, ctx.request.body);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await deps.verify.uploadOffline(ctx.state.auth.sub, checks, ctx.state.requestId);
  });

  return router;
}
