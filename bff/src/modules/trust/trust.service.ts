import { signTrustList, type TrustedIssuer } from '@eid/shared';
import type { Clock } from '../../infra/clock';
import type { KeyStore } from '../../infra/keystore';
import { etagOf, type SignedDocument } from '../../middleware/conditional-get';
import { TRUST_ROOT_KID, type TrustService } from './trust.types';

const DAY = 86_400_000;

/** The issuers this node vouches for: every issuer key the key store holds. */
export function trustedIssuersOf(keys: Pick<KeyStore, 'issuerKeys'>): TrustedIssuer[] {
  return keys.issuerKeys().map(({ kid, province, publicKey }) => ({ kid, province, publicKey }));
}

/**
 * The signed trust list, re-issued once a day with that day's start as issue time (and sequence), so
 * all processes serve the same bytes.
 */
export function createTrustService(deps: { keys: KeyStore; clock: Clock }): TrustService {
  let cached: SignedDocument | undefined;
  return {
    issuers: () => trustedIssuersOf(deps.keys),
    signed(): SignedDocument {
      const issuedAt = Math.floor(deps.clock.now() / DAY) * DAY;
      if (cached?.issuedAt === issuedAt) return cached;
      const bytes = signTrustList(
        { sequence: issuedAt / DAY, issuedAt, issuers: trustedIssuersOf(deps.keys) },
        TRUST_ROOT_KID,
        (tbs) => deps.keys.signAsTrustRoot(tbs),
      );
      cached = { bytes, issuedAt, etag: etagOf(bytes) };
      return cached;
    },
  };
}
