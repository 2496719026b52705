import Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import { z } from 'zod';
import { CONTROL_CODE, PASSCODE_PATTERN } from '@eid/shared';
import type { AppState } from '../../middleware/state';
import { validate } from '../../middleware/validate';
import type { SignInService } from './signin.types';

const OpenBody = z.strictObject({ code: z.string().min(1).max(256) });
const ApproveBody = z.strictObject({
  controlCode: z.string().regex(CONTROL_CODE),
  at: z.number().int().positive(),
  // 64 bytes are 86 base64url characters; the strict decoding happens with the signature check.
  deviceSignature: z.string().regex(/^[A-Za-z0-9_-]{86}$/),
  passcode: z.string().regex(PASSCODE_PATTERN).optional(),
  reauthToken: z.string().min(1).max(4096).optional(),
});
const NoBody = z.strictObject({});
const IdParams = z.strictObject({ id: z.string().regex(/^[A-Za-z0-9_-]{22}$/) });

const who = (ctx: Context): string => ctx.state.auth.sub;
const rid = (ctx: Context): string | undefined => ctx.state.requestId;

/**
 * The resident's side of remote sign-in, `/api/v1/signins` (docs/api.md, Remote sign-in): open a scanned or
 * linked request code, read it, approve it with the device signature (and the passcode, the face token the
 * level needs), or decline it. Static paths before `/:id`.
 */
export function signInRoutes({
  signins,
  residentAuth,
}: {
  signins: SignInService;
  residentAuth: Middleware;
}): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api/v1/signins' });

  router.post('/open', residentAuth, async function openSignIn(ctx) {
    ctx.set('Cache-Control', 'no-store');
    const { code } = validate(OpenBody, ctx.request.body);
    ctx.body = await signins.open(who(ctx), code, rid(ctx));
  });

  router.get('/:id', residentAuth, async function getSignIn(ctx) {
    ctx.set('Cache-Control', 'no-store');
    const { id } = validate(IdParams, ctx.params);
    ctx.body = await signins.forResident(who(ctx), id, rid(ctx));
  });

  router.post('/:id/approve', residentAuth, async function approveSignIn(ctx) {
    ctx.set('Cache-Control', 'no-store');
    const body = validate(ApproveBody, ctx.request.body);
    const { id } = validate(IdParams, ctx.params);
    ctx.body = await signins.approve(who(ctx), id, body, rid(ctx));
  });

  router.post('/:id/decline', residentAuth, async function declineSignIn(ctx) {
    ctx.set('Cache-Control', 'no-store');
    validate(NoBody, ctx.request.body ?? {});
    const { id } = validate(IdParams, ctx.params);
    ctx.body = await signins.decline(who(ctx), id, rid(ctx));
  });

  return router;
}
