import Router from '@koa/router';
import type { Middleware } from 'koa';
import type { CallbackService } from './callbacks.service';

// PLACEHOLDER (issue 16 skeleton): the callbacks helper replaces this file.
export function callbackRoutes(_deps: { callbacks: CallbackService; adminAuth: Middleware }): Router {
  return new Router();
}
