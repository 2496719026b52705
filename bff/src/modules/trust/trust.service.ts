import { signTrustList, trustListOf, type TrustList, type TrustedIssuer } from '@eid/shared';
import type { Clock } from '../../infra/clock';
import type { KeyStore } from '../../infra/keystore';
import { etagOf, type SignedDocument } from '../../middleware/conditional-get';
import { TRUST_ROOT_KID, type IssuerSource, type TrustService } from './trust.types';

const DAY = 86_400_000;

/** The issuers this node vouches for: every issuer key the key store holds. */
export function trustedIssuersOf(keys: Pick<KeyStore, 'issuerKeys'>): TrustedIssuer[] {
  return keys.issuerKeys().map(({ kid, province, publicKey }) => ({ kid, province, publicKey }));
}

/**
 * The issuers this node accepts and the signed trust list, re-issued once a day with that day's start as
 * issue time (and sequence), so all processes serve the same bytes. With a federation (`federated`), the
 * national list's usable keys of every province join the key store's own, and an own key the list names
 * but does not give as usable (compromised, retired past its overlap) drops out; the signed list is then
 * re-issued whenever the national list changes, dated by it (sequence: its issue time in seconds).
 */
export function createTrustService(deps: {
  keys: KeyStore;
  clock: Clock;
  federated?: IssuerSource;
}): TrustService {
  let cached: SignedDocument | undefined;
  let cachedKey: string | undefined;
  let built: { version: string | undefined; issuers: TrustedIssuer[]; list: TrustList } | undefined;

  function current(): {
    version: string | undefined;
    issuers: TrustedIssuer[];
    list: TrustList;
    issuedAt?: number;
  } {
    const fed = deps.federated?.(deps.clock.now());
    if (built && built.version === fed?.version) return { ...built, issuedAt: fed?.issuedAt };
    const own = trustedIssuersOf(deps.keys);
    let issuers = own;
    if (fed) {
      const listed = new Set(fed.issuers.map((i) => i.kid));
      issuers = [...fed.issuers, ...own.filter((k) => !listed.has(k.kid) && !fed.excluded.has(k.kid))];
    }
    built = { version: fed?.version, issuers, list: trustListOf(issuers) };
    return { ...built, issuedAt: fed?.issuedAt };
  }

  return {
    issuers: () => current().issuers,
    trustList: () => current().list,
    signed(): SignedDocument {
      const now = deps.clock.now();
      const day = Math.floor(now / DAY) * DAY;
      const { version, issuers, issuedAt: listIssuedAt } = current();
      const key = `${day}:${version ?? ''}`;
      if (cached && cachedKey === key) return cached;
      // A national list of today dates the signed list; before one, each day starts a new one as before.
      const issuedAt = listIssuedAt === undefined ? day : Math.max(day, listIssuedAt);
      const sequence = listIssuedAt === undefined ? day / DAY : Math.floor(issuedAt / 1000);
      const bytes = signTrustList({ sequence, issuedAt, issuers }, TRUST_ROOT_KID, (tbs) =>
        deps.keys.signAsTrustRoot(tbs),
      );
      cached = { bytes, issuedAt, etag: etagOf(bytes) };
      cachedKey = key;
      return cached;
    },
  };
}
