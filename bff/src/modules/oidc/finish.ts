import type { Context } from 'koa';
import type { InteractionResults } from 'oidc-provider';
import { AppError, type SignInState } from '@eid/shared';
import type { OidcDeps } from './deps';
import { boundInteraction, signInOf, type BoundInteraction } from './interaction';
import type { ProviderRegistry } from './issuers';

/** Why the party hears `access_denied`, per ending state (its `error_description`; no personal data). */
const DENIED: Partial<Record<SignInState, string>> = {
  declined: 'the resident declined the sign-in',
  cancelled: 'the sign-in was cancelled',
  expired: 'the sign-in was not approved in time',
  completed: 'the sign-in was used already',
};

const PARTY_GONE = 'the party may not sign residents in now';

/**
 * Saves the interaction's result and sends the browser back into the provider (303 to its resume URL), which
 * redirects to the party with a code, or with the error. Never merged with an earlier submission: each
 * answer stands alone.
 */
async function answer(ctx: Context, bound: BoundInteraction, result: InteractionResults): Promise<void> {
  const returnTo = await bound.provider.interactionResult(ctx.req, ctx.res, result, {
    mergeWithLastSubmission: false,
  });
  ctx.set('Cache-Control', 'no-store');
  ctx.redirect(returnTo);
  ctx.status = 303;
}

const deny = (ctx: Context, bound: BoundInteraction, description: string) =>
  answer(ctx, bound, { error: 'access_denied', error_description: description });

/**
 * `GET /signin/:uid/finish`: an approved sign-in is taken over (signins.complete, once only) and reported to
 * the provider as the login of its resident, with the level's acr/amr and a grant of exactly the scopes asked;
 * a declined, cancelled, expired or used one ends in `access_denied`. While the resident has not answered
 * yet, SIGNIN_WRONG_STATE (the page only comes here once the status says it may). A party that lost its
 * sign-in registration or was suspended meanwhile, or a card gone or suspended since the approval, is denied.
 */
export async function finishSignIn(
  deps: OidcDeps,
  registry: ProviderRegistry,
  ctx: Context,
  uid: string,
): Promise<void> {
  const interaction = await boundInteraction(registry, ctx, uid);
  const bound = await signInOf(deps, interaction);
  if (!bound) return deny(ctx, interaction, PARTY_GONE);
  const { state } = await deps.signins.outcome(bound.signin.id);
  if (state === 'pending' || state === 'opened')
    throw new AppError('SIGNIN_WRONG_STATE', 'The resident has not answered this sign-in yet', { state });
  if (state !== 'approved') return deny(ctx, bound, DENIED[state] ?? 'the sign-in did not succeed');
  const done = await deps.signins.complete(bound.signin.id);
  if (!(await deps.signins.accountActive(done.residentId)))
    return deny(ctx, bound, 'the e-ID card is not usable');
  const grant = new bound.provider.Grant({ accountId: done.residentId, clientId: bound.party.id });
  grant.addOIDCScope(['openid', ...done.scopes].join(' '));
  const grantId = await grant.save();
  await answer(ctx, bound, {
    login: {
      accountId: done.residentId,
      acr: done.acr,
      amr: done.amr,
      remember: false,
      ts: Math.floor(done.approvedAt / 1000),
    },
    consent: { grantId },
  });
}

/**
 * `POST /signin/:uid/cancel`: the browser gives up. The sign-in becomes cancelled (unless the resident
 * answered already) and the party hears `access_denied`.
 */
export async function cancelSignIn(
  deps: OidcDeps,
  registry: ProviderRegistry,
  ctx: Context,
  uid: string,
): Promise<void> {
  const interaction = await boundInteraction(registry, ctx, uid);
  const bound = await signInOf(deps, interaction);
  if (bound) await deps.signins.cancel(bound.signin.id);
  await deny(ctx, interaction, DENIED.cancelled!);
}
