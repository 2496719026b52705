import Router from '@koa/router';
import type { Middleware } from 'koa';
import { z } from 'zod';
import { validate } from '../../middleware/validate';
import { CAPABILITIES } from './roles';
import type { StaffService } from './staff.service';

const totpCode = z.string().regex(/^\d{6}$/, 'must be the 6 digits the authenticator app shows');

const LoginBody = z
  .strictObject({
    username: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/),
    password: z.string().min(1).max(256),
    // The second factor of an account with a confirmed TOTP (docs/api.md, Sessions): one or the other.
    totp: totpCode.optional(),
    recoveryCode: z.string().min(1).max(64).optional(),
  })
  .refine((b) => b.totp === undefined || b.recoveryCode === undefined, {
    message: 'send totp or recoveryCode, not both',
  });

const EnrolBody = z.strictObject({});
const EmptyBody = z.strictObject({});
const ConfirmBody = z.strictObject({ code: totpCode });

export interface StaffRoutesDeps {
  staff: StaffService;
  /**
   * Tries per client address, whatever the usernames (counted in the database); failures per username and
   * per username and address are slowed down by the service (sign-in-throttle.ts).
   */
  throttleByAddress: Middleware;
}

/** `/api/v1/staff`: staff terminal sign-in and sign-out, sessions, TOTP enrolment and the signed-in profile. */
export function staffRoutes({ staff, throttleByAddress }: StaffRoutesDeps): Router {
  const router = new Router({ prefix: '/api/v1/staff' });

  router.post(
    '/login',
    throttleByAddress,
    async function parseLogin(ctx, next) {
      ctx.state.staffLogin = validate(LoginBody, ctx.request.body);
      await next();
    },
    async function login(ctx) {
      // parseLogin, one step up, set it.
      const { username, password, totp, recoveryCode } = ctx.state.staffLogin!;
      ctx.set('Cache-Control', 'no-store');
      ctx.body = await staff.login(
        username,
        password,
        {
          ...(totp !== undefined && { totp }),
          ...(recoveryCode !== undefined && { recoveryCode }),
        },
        ctx.ip,
      );
    },
  );

  // The enrol-only token of an account that must enrol is accepted here and nowhere else.
  const enrolmentAuth = staff.requireStaff(CAPABILITIES.self, { enrolment: true });

  router.post('/totp/enrol', enrolmentAuth, async function enrolTotp(ctx) {
    validate(EnrolBody, ctx.request.body);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await staff.enrolTotp(ctx.state.auth.sub);
  });

  router.post('/totp/confirm', enrolmentAuth, async function confirmTotp(ctx) {
    const { code } = validate(ConfirmBody, ctx.request.body);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await staff.confirmTotp(ctx.state.auth, code);
  });

  // Signing out and renewing take an enrol-only token too: it belongs to a session like any other.
  router.post('/logout', enrolmentAuth, async function logout(ctx) {
    validate(EmptyBody, ctx.request.body);
    await staff.logout(ctx.state.auth);
    ctx.status = 204;
  });

  router.post('/session/refresh', enrolmentAuth, async function refreshSession(ctx) {
    validate(EmptyBody, ctx.request.body);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await staff.refresh(ctx.state.auth);
  });

  router.get('/me', staff.requireStaff(CAPABILITIES.self), async function me(ctx) {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await staff.profile(ctx.state.auth.sub);
  });

  return router;
}
