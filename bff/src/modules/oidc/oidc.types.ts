/**
 * The OpenID Connect provider for relying parties (issue 17; docs/remote-signin.md), built on
 * node-oidc-provider. `mount()` is the middleware app.ts puts in front of the body parser: it hands every
 * `/oidc/...` request to the provider (discovery, JWKS, PAR, authorization, token, userinfo). `routes()` are
 * the sign-in page routes (`/signin/:uid...`) the provider's interactions point at, in the app's router.
 */
import type Router from '@koa/router';
import type { Middleware } from 'koa';
import type { AppState } from '../../middleware/state';

export interface OidcService {
  mount(): Middleware;
  routes(): Router<AppState>;
}
