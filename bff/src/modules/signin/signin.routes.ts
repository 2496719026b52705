import Router from '@koa/router';
import type { Middleware } from 'koa';
import type { AppState } from '../../middleware/state';
import type { SignInService } from './signin.types';

/** Placeholder of the skeleton commit: `/api/v1/signins` (docs/api.md, Remote sign-in). */
export function signInRoutes(deps: { signins: SignInService; residentAuth: Middleware }): Router<AppState> {
  void deps;
  return new Router<AppState>({ prefix: '/api/v1/signins' });
}
