import Provider, {
  errors,
  interactionPolicy,
  type Configuration,
  type KoaContextWithOIDC,
} from 'oidc-provider';
import { ACR_VALUES } from '@eid/shared';
import { createReplayStore, type ReplayStore } from '../../infra/replay-store';
import { createMongoAdapter } from './adapter';
import { clientMetadataOf } from './clients';
import type { OidcDeps } from './deps';
import { renderError } from './error-page';
import { SIGNIN_SCOPE_CLAIMS, SIGNIN_SCOPES } from './scopes';

/** Seconds of clock difference allowed on a party's client assertion: more than this in the future is refused. */
export const CLOCK_TOLERANCE_S = 5;
/** The longest a client assertion may live (exp - iat): a captured one is worth little for long. */
export const MAX_ASSERTION_LIFETIME_S = 300;
/** Grace after a sign-in lapses during which its page still shows why and sends the browser back to the party. */
const INTERACTION_GRACE_S = 300;

/** Cookie names of the provider: the interaction cookie is the one the sign-in page routes are bound to. */
export const COOKIE_NAMES = {
  session: 'eid_oidc_session',
  interaction: 'eid_oidc_interaction',
  resume: 'eid_oidc_resume',
} as const;

/** Everything a Provider is built from that does not depend on its issuer: one per process. */
export interface ProviderParts {
  adapter: ReturnType<typeof createMongoAdapter>;
  replays: ReplayStore;
}

export function providerParts(deps: OidcDeps): ProviderParts {
  return {
    adapter: createMongoAdapter(deps, (clientId) => clientMetadataOf(deps, clientId)),
    replays: createReplayStore(deps.db, deps.clock),
  };
}

/**
 * The interaction policy: the provider's own prompts, with a first login check that always asks. There is
 * no single sign-on: every authorization is approved on the phone, whatever session the browser holds, and
 * `prompt=none` is therefore always answered `login_required`. The check passes only on the resume after the
 * sign-in page reported a login for this very interaction.
 */
function phoneEveryTime() {
  const policy = interactionPolicy.base();
  const login = policy.get('login')!;
  login.checks.add(
    new interactionPolicy.Check(
      'phone_approval',
      'every sign-in is approved on the phone',
      'login_required',
      (ctx) =>
        ctx.oidc.route === 'resume' && ctx.oidc.result?.login
          ? interactionPolicy.Check.NO_NEED_TO_PROMPT
          : interactionPolicy.Check.REQUEST_PROMPT,
    ),
    0,
  );
  return policy;
}

/**
 * Refuses, at PAR, any scope but `openid` and the sign-in scopes. The provider itself checks only the scopes
 * it knows against the client's and silently drops the others (before any validator sees the parameter);
 * `card_face` and `document:*` are consent scopes a party may hold, and asking for them in a sign-in is a
 * mistake the party should hear about. Registered as the validator of the (standard) `scope` parameter, which
 * the provider runs for every authorization request; it reads the scope as pushed (the form body), the only
 * way a request gets in (PAR is required, request objects are off).
 */
async function onlySignInScopes(ctx: KoaContextWithOIDC, scope: string | undefined): Promise<void> {
  const pushed = ctx.oidc.route === 'pushed_authorization_request' ? ctx.oidc.body?.scope : scope;
  const asked = typeof pushed === 'string' ? pushed : (scope ?? '');
  for (const value of asked.split(' ')) {
    if (value !== '' && value !== 'openid' && !Object.hasOwn(SIGNIN_SCOPE_CLAIMS, value)) {
      throw new errors.InvalidScope('requested scope is not offered for sign-in', value);
    }
  }
}

/**
 * Checks of a party's client assertion beyond the provider's own (signature by an active key, iss = sub =
 * client_id, aud, exp, a jti): `iat` is required and at most CLOCK_TOLERANCE_S in the future and `exp` not past,
 * both by the injected clock (the provider reads Date.now, and would accept a future `iat` whenever `exp` is
 * set); the assertion lives at most MAX_ASSERTION_LIFETIME_S; and its jti is used once, decided atomically by
 * the shared replay store (the provider's own replay check is a read then a write, which two racing requests
 * can both pass).
 */
function assertionChecks(
  deps: OidcDeps,
  replays: ReplayStore,
): Configuration['assertJwtClientAuthClaimsAndHeader'] {
  return async function checkClientAssertion(_ctx, claims, _header, client) {
    const now = Math.floor(deps.clock.now() / 1000);
    const { iat, exp, jti } = claims;
    if (typeof iat !== 'number')
      throw new errors.InvalidClientAuth('iat must be provided in the client_assertion JWT');
    if (iat > now + CLOCK_TOLERANCE_S)
      throw new errors.InvalidClientAuth('client assertion issued in the future');
    if (typeof exp !== 'number' || exp <= now - CLOCK_TOLERANCE_S)
      throw new errors.InvalidClientAuth('client assertion expired');
    if (exp - iat > MAX_ASSERTION_LIFETIME_S)
      throw new errors.InvalidClientAuth(
        `client assertion must not live more than ${MAX_ASSERTION_LIFETIME_S}s`,
      );
    const first = await replays.unique(
      'oidc_client_assertion',
      `${client.clientId}\u0000${String(jti)}`,
      (exp + CLOCK_TOLERANCE_S) * 1000,
    );
    if (!first) throw new errors.InvalidClientAuth('client assertion tokens must only be used once');
  };
}

/**
 * The resident behind an authorization. At the token and userinfo endpoints (`token` given) a resident whose
 * card is gone or suspended has no account, so the code exchange is refused (invalid_grant): suspending the
 * card stops sign-ins that were approved but not yet redeemed. During the authorization itself the sign-in
 * page has just checked the same thing before reporting the login. Claims are those of the granted scopes.
 */
function accounts(deps: OidcDeps): Configuration['findAccount'] {
  return async function findAccount(_ctx, accountId, token) {
    if (token !== undefined && !(await deps.signins.accountActive(accountId))) return undefined;
    return {
      accountId,
      async claims(_use, scope) {
        const scopes = (scope ?? '').split(' ').filter((s) => Object.hasOwn(SIGNIN_SCOPE_CLAIMS, s));
        const claims = scopes.length > 0 ? await deps.signins.claimsFor(accountId, scopes) : {};
        return { ...claims, sub: accountId };
      },
    };
  };
}

/**
 * One node-oidc-provider instance for `issuer` (docs/remote-signin.md): clients are the parties registered
 * for sign-in (`private_key_jwt` with their EdDSA keys), pushed authorization requests only, code flow with
 * PKCE S256, pairwise subjects as the rest of the BFF gives them, EdDSA ID tokens carrying `acr`/`amr` and
 * the claims of the granted scopes, interactions at `/signin/<uid>`.
 */
export function buildProvider(deps: OidcDeps, parts: ProviderParts, issuer: string): Provider {
  const { config, keys } = deps;
  const configuration: Configuration = {
    adapter: parts.adapter,
    findAccount: accounts(deps),
    jwks: { keys: keys.oidcSigningJwks() },
    cookies: {
      keys: keys.oidcCookieKeys(),
      names: COOKIE_NAMES,
      long: { httpOnly: true, sameSite: 'lax' },
      short: { httpOnly: true, sameSite: 'lax' },
    },
    clientDefaults: {
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'private_key_jwt',
      id_token_signed_response_alg: 'EdDSA',
    },
    clientAuthMethods: ['private_key_jwt'],
    enabledJWA: {
      clientAuthSigningAlgValues: ['EdDSA'],
      idTokenSigningAlgValues: ['EdDSA'],
      userinfoSigningAlgValues: ['EdDSA'],
      requestObjectSigningAlgValues: ['EdDSA'],
    },
    responseTypes: ['code'],
    scopes: ['openid', ...SIGNIN_SCOPES],
    claims: {
      // Every ID token says how the resident signed in (level, methods, when), not only when a party asks.
      openid: ['sub', 'acr', 'amr', 'auth_time'],
      ...Object.fromEntries(
        Object.entries(SIGNIN_SCOPE_CLAIMS).map(([scope, claims]) => [scope, [...claims]]),
      ),
    },
    // The claims of the granted scopes go in the ID token: it is all a party needs from a sign-in.
    conformIdTokenClaims: false,
    subjectTypes: ['pairwise'],
    pairwiseIdentifier: async (_ctx, accountId, client) => deps.parties.subjectOf(client.clientId, accountId),
    acrValues: [...ACR_VALUES],
    clockTolerance: CLOCK_TOLERANCE_S,
    assertJwtClientAuthClaimsAndHeader: assertionChecks(deps, parts.replays),
    extraParams: { scope: onlySignInScopes },
    pkce: { required: () => true },
    allowOmittingSingleRegisteredRedirectUri: false,
    // Parties call the back-channel endpoints from their servers, never from a browser.
    clientBasedCORS: () => false,
    features: {
      devInteractions: { enabled: false },
      pushedAuthorizationRequests: { enabled: true, requirePushedAuthorizationRequests: true },
      rpInitiatedLogout: { enabled: false },
      dPoP: { enabled: false },
      resourceIndicators: { enabled: false },
      claimsParameter: { enabled: false },
      userinfo: { enabled: true },
      revocation: { enabled: false },
      introspection: { enabled: false },
    },
    interactions: {
      policy: phoneEveryTime(),
      url: (_ctx, interaction) => new URL(`/signin/${interaction.uid}`, issuer).href,
    },
    // No single sign-on: a grant is the one the sign-in page made for this interaction, never an earlier one.
    loadExistingGrant: async (ctx) => {
      const grantId = ctx.oidc.result?.consent?.grantId;
      return grantId ? ctx.oidc.provider.Grant.find(grantId) : undefined;
    },
    ttl: {
      AuthorizationCode: config.OIDC_CODE_TTL_S,
      AccessToken: 300,
      IdToken: 300,
      Grant: 600,
      Session: 600,
      Interaction: config.SIGNIN_TTL_S + INTERACTION_GRACE_S,
    },
    renderError,
    discovery: {
      ui_locales_supported: ['zh-CN', 'en'],
      claims_locales_supported: ['zh-CN'],
    },
  };
  return new Provider(issuer, configuration);
}
