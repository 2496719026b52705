import {
  ANNOTATED_PREFIX,
  base64urlEncode,
  createLicenceCache,
  decodeDocumentCredential,
  documentType,
  parseAnnotatedPayload,
  parseDocumentCode,
  trustListOf,
  verifyLicenceText,
  type DocValue,
  type DocumentVerifyResult,
  type LicenceVerifyAnswer,
  type TrustedIssuer,
} from '@eid/shared';
import type { LicenceDeps } from './deps';

/** What the public verification needs beyond the licence deps: the BFF keys that sign bindings and annotations. */
export interface PublicVerifyDeps extends Pick<LicenceDeps, 'issuers' | 'statusLists' | 'clock' | 'ed25519'> {
  trustedIssuers: () => TrustedIssuer[];
}

/** The issuing body's key id a code or annotated payload names, to fetch its status list; undefined if unreadable. */
function documentKidOf(text: string): string | undefined {
  try {
    const document = text.startsWith(ANNOTATED_PREFIX)
      ? parseAnnotatedPayload(text).document
      : parseDocumentCode(text).document;
    return decodeDocumentCredential(document).kid;
  } catch {
    return undefined;
  }
}

const wire = (v: DocValue | null) => (v instanceof Uint8Array ? base64urlEncode(v) : v);

/**
 * Minimum disclosure: what the verifier found and only what the text itself discloses. Nothing is looked
 * up about the holder or the document beyond the issuing body's public status list.
 */
export function answerOf(result: DocumentVerifyResult): LicenceVerifyAnswer {
  const answer: LicenceVerifyAnswer = { verdict: result.verdict, checkedAt: result.checkedAt };
  if (result.format) answer.format = result.format;
  if (result.docType && result.issuer && result.identifier && result.validFrom) {
    const type = documentType(result.docType);
    answer.document = {
      type: result.docType,
      zh: type?.zh ?? result.docType,
      en: type?.en ?? result.docType,
      identifier: result.identifier,
      issuer: { uscc: result.issuer.uscc, name: result.issuer.name },
      validFrom: result.validFrom,
      validUntil: result.validUntil ?? null,
    };
  }
  if (result.purpose) answer.purpose = result.purpose;
  if (result.service) answer.service = result.service;
  if (result.fields) {
    answer.fields = Object.fromEntries(Object.entries(result.fields).map(([k, v]) => [k, wire(v)]));
  }
  if (result.annotation) {
    const a = result.annotation;
    answer.annotation = {
      service: a.service,
      purpose: a.purpose,
      windowName: a.windowName,
      organisation: a.organisation,
      accessUntil: a.accessUntil,
      annotatedAt: a.annotatedAt,
    };
  }
  if (result.statusAgeMs !== undefined) answer.statusAgeMs = result.statusAgeMs;
  return answer;
}

/**
 * The public online check of a document code (`EIDD1:`) or an annotated copy's payload (`EIDA1:`), with the
 * shared offline verifier (shared/src/licence/verify.ts) over this node's current lists: the licence-issuer
 * list, the trust list and the issuing body's status list (fetched for the document the text carries).
 */
export function createPublicVerifier(deps: PublicVerifyDeps) {
  const cache = createLicenceCache(2_000);
  return async function verifyText(text: string): Promise<LicenceVerifyAnswer> {
    const kid = documentKidOf(text);
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
    return answerOf(result);
  };
}
