import type { Context } from 'koa';
import type Provider from 'oidc-provider';
import { errors } from 'oidc-provider';
import { AppError, type SignInLevel } from '@eid/shared';
import type { Party } from '../party/party.types';
import type { StartedSignIn } from '../signin/signin.types';
import { canSignIn } from './clients';
import type { OidcDeps } from './deps';
import type { ProviderRegistry } from './issuers';
import { levelFor, signInScopesOf } from './scopes';

type Interaction = Awaited<ReturnType<Provider['interactionDetails']>>;

/** A sign-in page request bound to its interaction (the browser's interaction cookie). */
export interface BoundInteraction {
  provider: Provider;
  interaction: Interaction;
}

/** ... and the sign-in it started. */
export interface BoundSignIn extends BoundInteraction {
  party: Party;
  signin: StartedSignIn;
  /** The level the resident must reach. */
  level: SignInLevel;
  returnUri: string;
}

const UID = /^[A-Za-z0-9_-]{10,64}$/;

const notFound = () => new AppError('NOT_FOUND', 'No such sign-in in this browser');

/**
 * The interaction `uid` names, bound to this browser: its signed interaction cookie (path /signin/<uid>, set
 * by the provider when it sent the browser here) must name the same uid, so a sign-in page opened from a
 * copied link in another browser is NOT_FOUND. A cookie whose interaction has lapsed is SIGNIN_EXPIRED.
 */
export async function boundInteraction(
  registry: ProviderRegistry,
  ctx: Context,
  uid: string,
): Promise<BoundInteraction> {
  if (!UID.test(uid)) throw notFound();
  const provider = registry.providerFor(ctx);
  const own = provider.createContext(ctx.req, ctx.res);
  const cookieUid = own.cookies.get(provider.cookieName('interaction'), { signed: true });
  if (cookieUid !== uid) throw notFound();
  let interaction: Interaction;
  try {
    interaction = await provider.interactionDetails(ctx.req, ctx.res);
  } catch (err) {
    if (err instanceof errors.SessionNotFound)
      throw new AppError('SIGNIN_EXPIRED', 'This sign-in has expired; start again at the website');
    throw err;
  }
  if (interaction.uid !== uid || interaction.prompt.name !== 'login') throw notFound();
  return { provider, interaction };
}

const param = (interaction: Interaction, name: string): string | undefined => {
  const value = (interaction.params as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
};

/**
 * The interaction's sign-in (started here the first time, the same one every later time: start is idempotent
 * per interaction): the party is the client, the scopes those asked less `openid`, the level the party's or
 * higher when `acr_values` asked, the return URI the registered redirect URI the request named. Undefined
 * when the party may not sign residents in any more (suspended, its sign-in registration removed, gone).
 */
export async function signInOf(
  deps: OidcDeps,
  { provider, interaction }: BoundInteraction,
): Promise<BoundSignIn | undefined> {
  const party = await deps.parties.get(param(interaction, 'client_id') ?? '');
  const returnUri = param(interaction, 'redirect_uri');
  if (!canSignIn(party) || !returnUri) return undefined;
  const level = levelFor(party.signIn.level, param(interaction, 'acr_values'));
  const signin = await deps.signins.start({
    interactionUid: interaction.uid,
    party,
    scopes: signInScopesOf(param(interaction, 'scope')),
    level,
    returnUri,
  });
  return { provider, interaction, party, signin, level, returnUri };
}

/** The bound interaction's sign-in, for the page and its status: NOT_FOUND once the party may not sign in. */
export async function boundSignIn(
  deps: OidcDeps,
  registry: ProviderRegistry,
  ctx: Context,
  uid: string,
): Promise<BoundSignIn> {
  const bound = await signInOf(deps, await boundInteraction(registry, ctx, uid));
  if (!bound) throw notFound();
  return bound;
}
