import {
  base64urlEncode,
  buildAnnotatedPayload,
  documentField,
  findService,
  fromHex,
  type DocValue,
} from '@eid/shared';
import { answeredElsewhere, remoteAnnotatedCopy } from './cross-province';
import { settle } from './expire';
import { openedDocuments, readable, type Delivered, type OpenedDocument } from './read';
import {
  callTrace,
  notFound,
  ownCall,
  signer,
  tracedFields,
  windowActor,
  type AnnotatedCopyRequest,
  type DocumentCallDeps,
} from './deps';
import type { DocumentCallRecord } from './document-call.repository';

/** Fields the renderer prints in its own rows; the rest of the call's fields follow them. */
const OWN_ROWS = new Set([
  'holderName',
  'documentNumber',
  'issuerName',
  'issueDate',
  'validFrom',
  'validUntil',
]);
/** Printed where the service may not read a field the copy's layout has a row for. */
const NOT_CALLED = '—（本事项未调取 not called）';

const STATUS_TEXT: Record<OpenedDocument['sealed']['status'], string> = {
  valid: '有效 valid',
  expired: '已过期 expired',
  revoked: '已注销/吊销 revoked',
  suspended: '已暂停使用 suspended',
};

function printed(v: DocValue | undefined): string {
  if (v === undefined) return '—';
  if (typeof v === 'boolean') return v ? '是 yes' : '否 no';
  if (v instanceof Uint8Array) return base64urlEncode(v);
  return String(v);
}

/** What the renderer draws of one delivered document: only the call's fields, and its standing at the pull. */
function copyOf(
  doc: OpenedDocument,
  call: DocumentCallRecord,
  now: number,
  qrText: string,
): AnnotatedCopyRequest {
  const { credential, secrets, fields, sealed } = doc;
  const value = (key: string) => (fields.includes(key) ? printed(secrets.values[key]) : NOT_CALLED);
  return {
    document: {
      typeName: credential.type.zh,
      licenceIdentifier: sealed.identifier,
      number: value('documentNumber'),
      holderName: value('holderName'),
      issuerName: value('issuerName'),
      issueDate: value('issueDate'),
      validity: { from: credential.claims.validFrom, until: credential.claims.validUntil ?? null },
      fields: [
        { label: '证照状态', labelEn: 'Status at retrieval', value: STATUS_TEXT[sealed.status] },
        ...fields
          .filter((key) => !OWN_ROWS.has(key))
          .map((key) => {
            const spec = documentField(credential.type, key)?.spec;
            return { label: spec?.zh ?? key, labelEn: spec?.en ?? key, value: printed(secrets.values[key]) };
          }),
      ],
    },
    annotation: {
      service: findService(call.service)?.zh ?? call.service,
      purpose: call.purpose,
      windowName: call.windowName,
      organisation: call.organisation,
      staffName: call.staffName,
      expiresAt: call.accessUntil!,
      annotatedAt: now,
    },
    qrText,
  };
}

/**
 * The window downloads a delivered document as an annotated copy (加注件): the call's fields printed, the
 * watermark naming the service, purpose, window and expiry, and a QR code (also the PDF's Keywords) with the
 * issuing body's credential, the disclosure of exactly the printed fields and the BFF's signed annotation.
 * Each export is in the resident's trace. NOT_FOUND for a document id this call was not delivered.
 */
export async function exportPdf(
  deps: DocumentCallDeps,
  staffId: string,
  id: string,
  docId: string,
  requestId?: string,
): Promise<{ pdf: Uint8Array; type: string }> {
  const own = await ownCall(deps, id, staffId);
  if (answeredElsewhere(own)) return remoteAnnotatedCopy(deps, own, docId);
  return annotatedCopyOf(deps, readable(await settle(deps, own, requestId)), docId, requestId);
}

/** The annotated copy of one document of a readable call, recorded in the resident's trace. */
export async function annotatedCopyOf(
  deps: DocumentCallDeps,
  call: Delivered,
  docId: string,
  requestId?: string,
): Promise<{ pdf: Uint8Array; type: string }> {
  const doc = openedDocuments(deps, call).find((d) => d.sealed.id === docId);
  if (!doc) throw notFound();
  // Whole seconds: the annotation signs them, and the PDF prints the same moment.
  const now = Math.floor(deps.clock.now() / 1000) * 1000;
  const { kid, province, sign } = signer(deps.keys);
  const qrText = buildAnnotatedPayload({
    document: doc.credential.bytes,
    secrets: doc.secrets,
    fields: doc.fields,
    annotation: {
      province,
      requestId: fromHex(call.id),
      service: call.service,
      purpose: call.purpose,
      windowName: call.windowName,
      organisation: call.organisation,
      accessUntil: call.accessUntil,
      annotatedAt: now,
    },
    kid,
    sign,
    sha256: deps.sha256,
  });
  const pdf = await deps.renderPdf(copyOf(doc, call, now, qrText));
  await callTrace(deps, call, windowActor(call), requestId).record({
    action: 'document_call.export',
    fields: tracedFields([{ type: doc.sealed.type, fields: doc.fields }]),
    detail: { document: doc.sealed.type, format: 'annotated_pdf' },
  });
  return { pdf, type: doc.sealed.type };
}
