import Router from '@koa/router';
import type { Middleware } from 'koa';
import type { ConsentService } from './consent.service';

// PLACEHOLDER (issue 16 skeleton): the consent helper replaces this file.
export function consentRoutes(_deps: {
  consents: ConsentService;
  residentAuth: Middleware;
  signed: Middleware;
}): Router {
  return new Router();
}
