import Router from '@koa/router';
import { z } from 'zod';
import type { AppState } from '../../middleware/state';
import { validate } from '../../middleware/validate';
import type { OidcDeps } from './deps';
import { cancelSignIn, finishSignIn } from './finish';
import type { ProviderRegistry } from './issuers';
import { showSignInPage, signInPageStatus } from './page';

const NoBody = z.strictObject({});

/**
 * The desktop sign-in page the provider's interactions point at (`/signin/:uid`), its status, finish and
 * cancel. Each is bound to the browser's interaction cookie (interaction.ts); the provider itself is under
 * `/oidc` (mount.ts).
 */
export function signInPageRoutes(deps: OidcDeps, registry: ProviderRegistry): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/signin' });

  router.get('/:uid', async function signInPage(ctx) {
    await showSignInPage(deps, registry, ctx, ctx.params.uid!);
  });

  router.get('/:uid/status', async function signInStatus(ctx) {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await signInPageStatus(deps, registry, ctx, ctx.params.uid!);
  });

  router.get('/:uid/finish', async function signInFinish(ctx) {
    await finishSignIn(deps, registry, ctx, ctx.params.uid!);
  });

  router.post('/:uid/cancel', async function signInCancel(ctx) {
    validate(NoBody, ctx.request.body ?? {});
    await cancelSignIn(deps, registry, ctx, ctx.params.uid!);
  });

  return router;
}
