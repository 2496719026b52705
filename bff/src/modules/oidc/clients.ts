import type { AdapterPayload } from 'oidc-provider';
import type { Party } from '../party/party.types';
import type { OidcDeps } from './deps';
import { SIGNIN_SCOPE_CLAIMS } from './scopes';

/** A party that may sign residents in now: active and registered for sign-in. */
export function canSignIn(
  party: Party | undefined,
): party is Party & { signIn: NonNullable<Party['signIn']> } {
  return party !== undefined && party.status === 'active' && party.signIn !== undefined;
}

/**
 * The OpenID client a party is (client_id = party id), or undefined when it may not sign residents in. Built
 * from the directory on every look-up, so its keys are the ones that verify now (`activeKeysOf` at the
 * injected clock): a retired key stops authenticating the moment it retires. What it may ask is `openid` and
 * the sign-in scopes of the grant for its sign-in purpose.
 */
export async function clientMetadataOf(
  deps: Pick<OidcDeps, 'parties' | 'clock'>,
  clientId: string,
): Promise<AdapterPayload | undefined> {
  const party = await deps.parties.get(clientId);
  if (!canSignIn(party)) return undefined;
  const keys = await deps.parties.activeKeysOf(party.id, deps.clock.now());
  const grant = deps.parties.grantOf(party, party.signIn.purpose);
  const scopes = (grant?.scopes ?? []).filter((s) => Object.hasOwn(SIGNIN_SCOPE_CLAIMS, s));
  return {
    client_id: party.id,
    client_name: party.registration.payload.name,
    application_type: 'web',
    redirect_uris: [...party.signIn.redirectUris],
    response_types: ['code'],
    grant_types: ['authorization_code'],
    scope: ['openid', ...scopes].join(' '),
    token_endpoint_auth_method: 'private_key_jwt',
    token_endpoint_auth_signing_alg: 'EdDSA',
    id_token_signed_response_alg: 'EdDSA',
    subject_type: 'pairwise',
    require_pushed_authorization_requests: true,
    jwks: {
      keys: keys.map((k) => ({
        kty: 'OKP',
        crv: 'Ed25519',
        x: k.publicKey,
        kid: k.kid,
        alg: 'EdDSA',
        use: 'sig',
      })),
    },
  };
}
