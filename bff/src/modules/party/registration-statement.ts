import {
  base64urlEncode,
  signRegistration,
  signRegistryKeys,
  type PartyRegistryKeys,
  type SignedPartyRegistration,
} from '@eid/shared';
import { isRetired, type PartyDeps } from './deps';
import type { PartyKeyRecord, PartyRecord } from './party.repository';
import { signInStatement } from './sign-in';

/**
 * The registration as the BFF vouches for it (docs/formats/party-registration.md): what a resident is shown
 * as "registered for ...; may ask for ...", signed by the party-registry key. Signed anew, version + 1, on
 * every change of what it says: name, grants, retention, the keys in use or the sign-in origin and level.
 * `signIn` is in the payload only for a party registered for sign-in, so every other registration signs
 * the very bytes it did before sign-in existed.
 */
export function signStatement(
  deps: Pick<PartyDeps, 'keys'>,
  party: Pick<PartyRecord, 'id' | 'name' | 'uscc' | 'category' | 'grants' | 'retentionDays' | 'signIn'>,
  keys: readonly Pick<PartyKeyRecord, 'kid' | 'retiresAt'>[],
  version: number,
  now: number,
): SignedPartyRegistration {
  const payload = {
    v: 1 as const,
    partyId: party.id,
    name: party.name,
    uscc: party.uscc,
    category: party.category,
    grants: party.grants.map((g) => ({ purpose: g.purpose, scopes: [...g.scopes] })),
    retentionDays: party.retentionDays,
    kids: keys.filter((k) => !isRetired(k, now)).map((k) => k.kid),
    ...(party.signIn && { signIn: signInStatement(party.signIn) }),
    version,
    signedAt: now,
  };
  return signRegistration(payload, deps.keys.partyRegistryKid(), (m) => deps.keys.signAsPartyRegistry(m));
}

/** `GET /api/v1/party-registry-keys`: the keys registrations are signed with, signed by the trust root. */
export function registryKeys(deps: Pick<PartyDeps, 'keys' | 'clock'>): PartyRegistryKeys {
  return signRegistryKeys(
    {
      v: 1,
      keys: [
        { kid: deps.keys.partyRegistryKid(), publicKey: base64urlEncode(deps.keys.partyRegistryPublicKey()) },
      ],
      issuedAt: deps.clock.now(),
    },
    (m) => deps.keys.signAsTrustRoot(m),
  );
}
