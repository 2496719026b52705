import {
  createLicenceCache,
  licenceTextKid,
  licenceVerifyAnswer,
  trustListOf,
  verifyLicenceText,
  type LicenceVerifyAnswer,
  type TrustedIssuer,
} from '@eid/shared';
import type { LicenceDeps } from './deps';

/** What the public verification needs beyond the licence deps: the BFF keys that sign bindings and annotations. */
export interface PublicVerifyDeps extends Pick<LicenceDeps, 'issuers' | 'statusLists' | 'clock' | 'ed25519'> {
  trustedIssuers: () => TrustedIssuer[];
}

/**
 * The public online check of a document code (`EIDD1:`) or an annotated copy's payload (`EIDA1:`), with the
 * shared offline verifier (shared/src/licence/verify.ts) over this node's current lists: the licence-issuer
 * list, the trust list and the issuing body's status list (fetched for the document the text carries).
 */
export function createPublicVerifier(deps: PublicVerifyDeps) {
  const cache = createLicenceCache(2_000);
  return async function verifyText(text: string): Promise<LicenceVerifyAnswer> {
    const kid = licenceTextKid(text);
    const [licenceIssuers, statusLists] = await Promise.all([
      deps.issuers.list(),
      deps.statusLists.opened(kid === undefined ? [] : [kid]),
    ]);
    const result = verifyLicenceText(text, {
      licenceIssuers,
      trustList: trustListOf(deps.trustedIssuers()),
      statusLists,
      clock: deps.clock,
      ed25519: deps.ed25519,
      cache,
    });
    return licenceVerifyAnswer(result);
  };
}
