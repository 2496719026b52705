import Router from '@koa/router';
import type { Middleware } from 'koa';
import type { AppState } from '../../middleware/state';
import type { PasscodeService } from './passcode.types';

/** Placeholder of the skeleton commit: `/api/v1/passcode` (docs/api.md, Remote sign-in). */
export function passcodeRoutes(deps: {
  passcodes: PasscodeService;
  residentAuth: Middleware;
}): Router<AppState> {
  void deps;
  return new Router<AppState>({ prefix: '/api/v1/passcode' });
}
