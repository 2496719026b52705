import type { Middleware } from 'koa';
import { AppError } from '@eid/shared';
import type { Audience, KeyStore, VerifiedToken } from '../infra/keystore';

export interface AuthOptions {
  /** Checked on every request: false answers SESSION_REVOKED (e.g. the refresh family was revoked). */
  isSessionActive?: (token: VerifiedToken) => Promise<boolean>;
  /** Roles allowed, for staff and admin audiences. */
  roles?: string[];
}

/** Requires `Authorization: Bearer <token>` for `audience`; puts the verified claims on `ctx.state.auth`. */
export function requireAuth(keys: KeyStore, audience: Audience, options: AuthOptions = {}): Middleware {
  return async function authenticate(ctx, next) {
    const header = ctx.get('authorization');
    const match = /^Bearer ([A-Za-z0-9._-]{10,4096})$/.exec(header);
    if (!match) throw new AppError('UNAUTHENTICATED', 'Sign in first');
    const token = keys.verifyToken(match[1]!, audience);
    if (options.roles && !options.roles.includes(String(token.role))) {
      throw new AppError('FORBIDDEN', 'Your role may not do this');
    }
    if (options.isSessionActive && !(await options.isSessionActive(token))) {
      throw new AppError('SESSION_REVOKED', 'This session has ended; sign in again');
    }
    ctx.state.auth = token;
    await next();
  };
}
