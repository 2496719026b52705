import Router from '@koa/router';
import type { Middleware } from 'koa';
import type { RpVerifyService } from './rp-verify.service';

// PLACEHOLDER (issue 16 skeleton): the rp-verify helper replaces this file.
export function rpVerifyRoutes(_deps: { rpVerify: RpVerifyService; signed: Middleware }): Router {
  return new Router();
}
