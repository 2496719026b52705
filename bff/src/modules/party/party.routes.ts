import Router from '@koa/router';
import type { Middleware } from 'koa';
import type { PartyService } from './party.types';

// PLACEHOLDER (issue 16 skeleton): the party helper replaces this file.
export function partyRoutes(_deps: {
  parties: PartyService;
  adminAuth: Middleware;
  signed: Middleware;
}): Router {
  return new Router();
}
