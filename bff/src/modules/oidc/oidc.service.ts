import Router from '@koa/router';
import type { AppState } from '../../middleware/state';
import type { OidcDeps } from './deps';
import type { OidcService } from './oidc.types';

/** Placeholder of the skeleton commit: the OpenID provider's helper replaces it. */
export function createOidcService(deps: OidcDeps): OidcService {
  void deps;
  return {
    mount: () => async (_ctx, next) => next(),
    routes: () => new Router<AppState>(),
  };
}
