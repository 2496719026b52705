import type { Context } from 'koa';
import type { SignInPageStatus } from '@eid/shared';
import type { OidcDeps } from './deps';
import { newNonce, pageHeaders } from './html';
import { boundSignIn } from './interaction';
import type { ProviderRegistry } from './issuers';
import { renderSignInPage } from './signin-page';

/**
 * `GET /signin/:uid`: starts the interaction's sign-in (or finds it) and shows the desktop page: who asks
 * (the name from the party's signed registration), where the browser returns (the redirect URI's origin in
 * full), the level, the QR code of the request code, the control code, the same-device link and cancel.
 */
export async function showSignInPage(
  deps: OidcDeps,
  registry: ProviderRegistry,
  ctx: Context,
  uid: string,
): Promise<void> {
  const bound = await boundSignIn(deps, registry, ctx, uid);
  const outcome = await deps.signins.outcome(bound.signin.id);
  const nonce = newNonce();
  ctx.set(pageHeaders(nonce));
  ctx.type = 'html';
  ctx.body = await renderSignInPage({
    uid: bound.interaction.uid,
    partyName: bound.party.registration.payload.name,
    returnOrigin: new URL(bound.returnUri).origin,
    level: bound.level,
    requestCode: bound.signin.requestCode,
    requestUrl: bound.signin.requestUrl,
    controlCode: bound.signin.controlCode,
    state: outcome.state,
    expiresAt: outcome.expiresAt,
    nonce,
  });
}

/** `GET /signin/:uid/status`: what the page polls. */
export async function signInPageStatus(
  deps: OidcDeps,
  registry: ProviderRegistry,
  ctx: Context,
  uid: string,
): Promise<SignInPageStatus> {
  const bound = await boundSignIn(deps, registry, ctx, uid);
  const { state, controlCode, expiresAt } = await deps.signins.outcome(bound.signin.id);
  return { state, controlCode, expiresAt };
}
