import Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import { z } from 'zod';
import type { AppState } from '../../middleware/state';
import { validate } from '../../middleware/validate';
import type { PasscodeService } from './passcode.types';

// Any string up to a bound: the passcode rules (6-8 digits, not trivial) answer PASSCODE_WEAK with a
// reason the page can show, which a pattern here would turn into a bare VALIDATION_FAILED.
const passcode = z.string().max(64);
const SetBody = z.strictObject({ passcode, currentPasscode: passcode.optional() });
// A missing token is REAUTH_REQUIRED (reason `missing`), as on every route a face check guards: the page
// switches on that code to start the face check.
const ResetBody = z.strictObject({ passcode, reauthToken: z.string().min(1).max(4096).optional() });

const who = (ctx: Context): string => ctx.state.auth.sub;
const rid = (ctx: Context): string | undefined => ctx.state.requestId;

/** The resident's e-ID passcode: `/api/v1/passcode` (docs/api.md, Remote sign-in). Never cached. */
export function passcodeRoutes(deps: {
  passcodes: PasscodeService;
  residentAuth: Middleware;
}): Router<AppState> {
  const { passcodes, residentAuth } = deps;
  const router = new Router<AppState>({ prefix: '/api/v1' });

  router.get('/passcode', residentAuth, async function passcodeStatus(ctx) {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await passcodes.status(who(ctx));
  });

  router.put('/passcode', residentAuth, async function setPasscode(ctx) {
    ctx.set('Cache-Control', 'no-store');
    const body = validate(SetBody, ctx.request.body);
    ctx.body = await passcodes.set(who(ctx), body, rid(ctx));
  });

  router.post('/passcode/reset', residentAuth, async function resetPasscode(ctx) {
    ctx.set('Cache-Control', 'no-store');
    const { passcode: next, reauthToken = '' } = validate(ResetBody, ctx.request.body);
    ctx.body = await passcodes.reset(who(ctx), { passcode: next, reauthToken }, rid(ctx));
  });

  return router;
}
