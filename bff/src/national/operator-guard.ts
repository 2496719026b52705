import { createHash } from 'node:crypto';
import type { Middleware } from 'koa';
import { AppError } from '@eid/shared';
import { safeEqual } from '../infra/keystore';
import type { Config } from '../config';
import { DEV_NATIONAL_OPERATOR_TOKEN } from './national.types';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * The operator's routes: `Authorization: Bearer <NATIONAL_OPERATOR_TOKEN>`, compared in constant time (over
 * digests, so not even the length leaks). The development token stands in when the setting is unset outside
 * production (config refuses that in production). Issue 19 brings operator roles and accounts.
 */
export function requireOperator(config: Pick<Config, 'NATIONAL_OPERATOR_TOKEN'>): Middleware {
  const expected = digest(config.NATIONAL_OPERATOR_TOKEN ?? DEV_NATIONAL_OPERATOR_TOKEN);
  return async function checkOperatorToken(ctx, next) {
    const header = ctx.get('authorization');
    const match = /^Bearer ([^\s]+)$/i.exec(header);
    if (!match) throw new AppError('UNAUTHENTICATED', 'The national operator token is missing');
    if (!safeEqual(digest(match[1]!), expected))
      throw new AppError('TOKEN_INVALID', 'The national operator token is not valid');
    await next();
  };
}
