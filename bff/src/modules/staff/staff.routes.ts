import Router from '@koa/router';
import type { Middleware } from 'koa';
import { z } from 'zod';
import { validate } from '../../middleware/validate';
import type { StaffService } from './staff.service';

const LoginBody = z.strictObject({
  username: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/),
  password: z.string().min(1).max(256),
});

export interface StaffRoutesDeps {
  staff: StaffService;
  /** Throttles per client address and per username, counted in the database. */
  throttleByAddress: Middleware;
  throttleByUser: Middleware;
}

/** `/api/v1/staff`: staff terminal sign-in and the signed-in profile. */
export function staffRoutes({ staff, throttleByAddress, throttleByUser }: StaffRoutesDeps): Router {
  const router = new Router({ prefix: '/api/v1/staff' });

  router.post(
    '/login',
    throttleByAddress,
    async function parseLogin(ctx, next) {
      ctx.state.staffLogin = validate(LoginBody, ctx.request.body);
      await next();
    },
    throttleByUser,
    async function login(ctx) {
      // parseLogin, two steps up, set it.
      const { username, password } = ctx.state.staffLogin!;
      ctx.set('Cache-Control', 'no-store');
      ctx.body = await staff.login(username, password);
    },
  );

  router.get('/me', staff.requireStaff(), async function me(ctx) {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await staff.profile(ctx.state.auth.sub);
  });

  return router;
}
