import type { LicenceVerifyAnswer } from '../api/licence';
import { base64urlEncode } from '../encoding/base64url';
import { ANNOTATED_PREFIX, parseAnnotatedPayload } from './annotated';
import { parseDocumentCode } from './doc-code';
import { decodeDocumentCredential, type DocValue } from './document';
import { documentType } from './registry';
import type { DocumentVerifyResult } from './verify';

/**
 * The issuing body's key id of the document a code (`EIDD1:`) or an annotated payload (`EIDA1:`) carries,
 * to fetch or look up its status list before verifying; undefined if unreadable.
 */
export function licenceTextKid(text: string): string | undefined {
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
 * The verifier's result as the public check answers it, online (the BFF) and offline (the check page):
 * minimum disclosure, only what the verdict rests on and what the text itself discloses.
 */
export function licenceVerifyAnswer(result: DocumentVerifyResult): LicenceVerifyAnswer {
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
    const { service, purpose, windowName, organisation, accessUntil, annotatedAt } = result.annotation;
    answer.annotation = { service, purpose, windowName, organisation, accessUntil, annotatedAt };
  }
  if (result.statusAgeMs !== undefined) answer.statusAgeMs = result.statusAgeMs;
  return answer;
}
