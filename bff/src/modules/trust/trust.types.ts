/**
 * What other modules may use of the trust module: the issuers this node vouches for and the signed
 * trust list (docs/formats/trust-list.md). Implemented by trust.service.ts; with a federation (issue 18)
 * the issuers of every province come from the accepted national list (IssuerSource).
 */
import type { TrustList, TrustedIssuer } from '@eid/shared';
import type { SignedDocument } from '../../middleware/conditional-get';

/** Key id the trust-list signature names. */
export const TRUST_ROOT_KID = 'root';

/**
 * Issuer keys from outside the key store: the federation's accepted national list. `version` changes
 * whenever the answer may have (a new list, a key passing its time), so callers can keep what they built.
 */
export interface IssuerSource {
  (now: number): FederatedIssuers | undefined;
}

export interface FederatedIssuers {
  /** Changes whenever `issuers` or `excluded` may differ. */
  version: string;
  /** Every province's issuer keys usable now (compromised never; retired only with their notAfter). */
  issuers: TrustedIssuer[];
  /**
   * Key ids of this node's own key store that must not verify: the list names them and does not give them
   * as usable (compromised, or retired past their overlap).
   */
  excluded: ReadonlySet<string>;
  /** The list's issue time (epoch ms): the signed trust list is not older than it. */
  issuedAt: number;
}

export interface TrustService {
  /** The issuers this node accepts: its own key store's, and with a federation every province's usable ones. */
  issuers(): TrustedIssuer[];
  /** The same as a TrustList, rebuilt only when the issuers change (for verifiers on the hot path). */
  trustList(): TrustList;
  /** Today's signed trust list; the same bytes at every process holding the same national list. */
  signed(): SignedDocument;
}
