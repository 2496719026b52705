import {
  AppError,
  base64urlDecode,
  base64urlEncode,
  decodeDocumentCredential,
  decodeDocumentSecrets,
  type DeliveredDocument,
  type DeliveredDocuments,
  type DeliveredFieldValue,
  type DocValue,
  type DocumentCredential,
  type DocumentSecrets,
} from '@eid/shared';
import { answeredElsewhere, remoteDocuments } from './cross-province';
import { settle } from './expire';
import {
  callTrace,
  openDocuments,
  ownCall,
  tracedFields,
  windowActor,
  type DocumentCallDeps,
  type SealedDocument,
} from './deps';
import type { DocumentCallRecord } from './document-call.repository';

export type Delivered = DocumentCallRecord & { residentId: string; accessUntil: number };

/**
 * The window's own call, settled, if its documents may be read now: 410 DOCUMENT_ACCESS_EXPIRED after
 * accessUntil or a withdrawal, 410 DOCUMENT_REQUEST_EXPIRED for a request left unanswered, 409 while it is
 * pending or after it was declined; NOT_FOUND when it is not this staff member's at this window.
 */
export async function readableCall(
  deps: DocumentCallDeps,
  staffId: string,
  id: string,
  requestId?: string,
): Promise<Delivered> {
  return readable(await settle(deps, await ownCall(deps, id, staffId), requestId));
}

/** A settled call, if its documents may be read now (the errors of readableCall). */
export function readable(call: DocumentCallRecord): Delivered {
  switch (call.state) {
    case 'delivered':
      return call as Delivered;
    case 'withdrawn':
      throw new AppError('DOCUMENT_ACCESS_EXPIRED', 'The resident withdrew the approval', {
        reason: 'withdrawn',
      });
    case 'access_expired':
      throw new AppError('DOCUMENT_ACCESS_EXPIRED', 'The access to these documents has ended', {
        reason: 'expired',
        accessUntil: call.accessUntil,
      });
    case 'expired':
      throw new AppError('DOCUMENT_REQUEST_EXPIRED', 'The request was not answered in time');
    default:
      throw new AppError('DOCUMENT_CALL_WRONG_STATE', 'The resident has not approved this request', {
        state: call.state,
      });
  }
}

/** A delivered document opened: its credential, its secrets, and the fields the call may read of it. */
export interface OpenedDocument {
  sealed: SealedDocument;
  credential: DocumentCredential;
  secrets: DocumentSecrets;
  fields: readonly string[];
}

/** The documents delivered to a call, decrypted and decoded. */
export function openedDocuments(deps: DocumentCallDeps, call: Delivered): OpenedDocument[] {
  return openDocuments(deps.keys, call).map((sealed) => {
    const credential = decodeDocumentCredential(base64urlDecode(sealed.credential));
    return {
      sealed,
      credential,
      secrets: decodeDocumentSecrets(credential.type, base64urlDecode(sealed.secrets)),
      fields: call.documents.find((d) => d.type === sealed.type)?.fields ?? [],
    };
  });
}

const wire = (v: DocValue | undefined): DeliveredFieldValue =>
  v === undefined ? null : v instanceof Uint8Array ? base64urlEncode(v) : v;

function deliveredView(doc: OpenedDocument): DeliveredDocument {
  const { sealed, credential, secrets, fields } = doc;
  return {
    id: sealed.id,
    type: sealed.type,
    zh: credential.type.zh,
    en: credential.type.en,
    identifier: sealed.identifier,
    status: sealed.status,
    validFrom: credential.claims.validFrom,
    validUntil: credential.claims.validUntil ?? null,
    issuer: credential.claims.issuer,
    // Only the service's fields: the rest of the secrets never leave this function.
    fields: Object.fromEntries(fields.map((key) => [key, wire(secrets.values[key])])),
    credential: sealed.credential,
  };
}

/** The window reads the delivered documents: only the service's fields, each read in the resident's trace. */
export async function readDocuments(
  deps: DocumentCallDeps,
  staffId: string,
  id: string,
  requestId?: string,
): Promise<DeliveredDocuments> {
  const own = await ownCall(deps, id, staffId);
  if (answeredElsewhere(own)) return remoteDocuments(deps, own);
  return documentsOf(deps, readable(await settle(deps, own, requestId)), requestId);
}

/** The documents of a readable call, as its window reads them: each read in the resident's trace. */
export async function documentsOf(
  deps: DocumentCallDeps,
  call: Delivered,
  requestId?: string,
): Promise<DeliveredDocuments> {
  const docs = openedDocuments(deps, call);
  await callTrace(deps, call, windowActor(call), requestId).record({
    action: 'document_call.read',
    fields: tracedFields(call.documents.filter((d) => docs.some((o) => o.sealed.type === d.type))),
    detail: { documents: docs.length },
  });
  return {
    id: call.id,
    accessUntil: call.accessUntil,
    documents: docs.map(deliveredView),
    missing: call.missing ?? [],
  };
}
