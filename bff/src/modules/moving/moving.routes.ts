import Router from '@koa/router';
import type { Middleware } from 'koa';
import { z } from 'zod';
import { validate } from '../../middleware/validate';
import type { FederationService } from '../federation/federation.types';
import { MOVE_OUT_PATH, type MovingService } from './moving.service';

const MoveInBody = z.strictObject({ formerCode: z.string().min(1).max(4096) });
const MoveOutBody = z.strictObject({
  code: z.string().min(1).max(4096),
  holderDigest: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'must be base64url of 32 bytes'),
});
const RefParams = z.strictObject({ ref: z.string().regex(/^[A-Za-z0-9_-]{22}$/) });
const PageQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  before: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional(),
});

/**
 * Moving province (docs/federation.md "Moving province"): the resident's routes at the new home,
 * `/api/v1/moves`, and the node-to-node routes at the old home, behind the node guard.
 */
export function movingRoutes(deps: {
  moving: MovingService;
  residentAuth: Middleware;
  federation: Pick<FederationService, 'requireNodeSignature'>;
}): Router {
  const router = new Router();
  const { moving, residentAuth } = deps;

  router.post('/api/v1/moves', residentAuth, async function moveIn(ctx) {
    ctx.set('Cache-Control', 'no-store');
    const { formerCode } = validate(MoveInBody, ctx.request.body);
    ctx.body = await moving.moveIn(ctx.state.auth.sub, formerCode, ctx.state.requestId);
  });

  router.get('/api/v1/moves', residentAuth, async function formerHomes(ctx) {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { homes: await moving.formerHomes(ctx.state.auth.sub) };
  });

  router.get('/api/v1/moves/former-usage', residentAuth, async function formerUsage(ctx) {
    ctx.set('Cache-Control', 'no-store');
    const q = validate(PageQuery, ctx.query);
    ctx.body = { homes: await moving.formerUsageOf(ctx.state.auth.sub, q) };
  });

  router.post(MOVE_OUT_PATH, deps.federation.requireNodeSignature(), async function moveOut(ctx) {
    const { code, holderDigest } = validate(MoveOutBody, ctx.request.body);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await moving.moveOut(ctx.state.node.province, code, holderDigest, ctx.state.requestId);
  });

  router.get(
    '/api/v1/federation/node/former-residents/:ref/usage',
    deps.federation.requireNodeSignature(),
    async function formerResidentUsage(ctx) {
      const { ref } = validate(RefParams, ctx.params);
      const q = validate(PageQuery, ctx.query);
      ctx.set('Cache-Control', 'no-store');
      ctx.body = await moving.formerUsage(ctx.state.node.province, ref, q);
    },
  );
  return router;
}
