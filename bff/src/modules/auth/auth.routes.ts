import Router from '@koa/router';
import type { Middleware } from 'koa';
import { z } from 'zod';
import { validate } from '../../middleware/validate';
import type { AuthService } from './auth.service';
import { REFRESH_TOKEN_PATTERN } from './auth.service';

const LoginBody = z.strictObject({ code: z.string().regex(/^[\x21-\x7e]{1,256}$/) });
const RefreshBody = z.strictObject({ refreshToken: z.string().regex(REFRESH_TOKEN_PATTERN) });

export interface AuthRoutesDeps {
  auth: AuthService;
  residentAuth: Middleware;
  /** Throttle for the unauthenticated endpoints (login and refresh), per client address. */
  throttle: Middleware;
}

/** `/api/v1/auth`: resident login, refresh and logout. */
export function authRoutes({ auth, residentAuth, throttle }: AuthRoutesDeps): Router {
  const router = new Router({ prefix: '/api/v1/auth' });

  router.post('/login', throttle, async function login(ctx) {
    const { code } = validate(LoginBody, ctx.request.body);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await auth.login(code);
  });

  router.post('/refresh', throttle, async function refresh(ctx) {
    const { refreshToken } = validate(RefreshBody, ctx.request.body);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await auth.refresh(refreshToken);
  });

  router.post('/logout', residentAuth, async function logout(ctx) {
    const { refreshToken } = validate(RefreshBody, ctx.request.body);
    await auth.logout(ctx.state.auth, refreshToken);
    ctx.status = 204;
  });

  return router;
}
