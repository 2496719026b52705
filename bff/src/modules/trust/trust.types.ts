/**
 * What other modules may use of the trust module: the issuers this node vouches for and the signed
 * trust list (docs/formats/trust-list.md). Implemented by trust.service.ts; the federation of province
 * nodes will grow it.
 */
import type { TrustedIssuer } from '@eid/shared';
import type { SignedDocument } from '../../middleware/conditional-get';

/** Key id the trust-list signature names. */
export const TRUST_ROOT_KID = 'root';

export interface TrustService {
  /** The issuers this node vouches for: every issuer key the key store holds. */
  issuers(): TrustedIssuer[];
  /** Today's signed trust list; the same bytes at every process. */
  signed(): SignedDocument;
}
