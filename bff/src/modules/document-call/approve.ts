import { randomBytes } from 'node:crypto';
import {
  AppError,
  base64urlDecode,
  base64urlEncode,
  decodeDocumentCredential,
  documentDigest,
  fromHex,
  signReceipt,
  type ApproveDocumentCallRequest,
  type DocumentCallAnswer,
} from '@eid/shared';
import { safeEqual } from '../../infra/keystore';
import { receiptAnswer } from './receipt';
import { settle } from './expire';
import {
  DOCUMENT_CALL_ACTOR,
  callTrace,
  callView,
  residentCall,
  sealDocuments,
  signer,
  tracedFields,
  type DocumentCallDeps,
  type SealedDocument,
} from './deps';
import { residentActor } from '../usage/usage.types';
import type { DocumentCallRecord } from './document-call.repository';

type Mine = DocumentCallRecord & { residentId: string };

/** The answer of approve (and of a repeated approve, decline or withdraw): the call, its receipt, what was delivered. */
export function answerOf(
  deps: Pick<DocumentCallDeps, 'clock'>,
  call: DocumentCallRecord,
): DocumentCallAnswer {
  return {
    call: callView(call, deps.clock.now()),
    ...(call.receipt && { receipt: receiptAnswer(call.receipt) }),
    ...(call.delivered && {
      delivered: call.delivered.map((d) => ({
        type: d.type,
        identifier: d.identifier,
        status: d.status as SealedDocument['status'],
      })),
    }),
    ...(call.missing && call.missing.length > 0 && { missing: call.missing }),
  };
}

/**
 * The resident approves the request they were shown (named by its digest), optionally leaving out optional
 * documents. The BFF pulls the documents from the licence system now, signs the receipt, and writes the
 * delivery, receipt and state in one conditional update: the licence system down leaves the request pending
 * and approvable with nothing written; a repeated approval answers the same receipt.
 */
export async function approveCall(
  deps: DocumentCallDeps,
  residentId: string,
  id: string,
  body: ApproveDocumentCallRequest,
  requestId?: string,
): Promise<DocumentCallAnswer> {
  const call = await settle(deps, await residentCall(deps, id, residentId), requestId);
  if (!safeEqual(body.requestDigest, call.requestDigest)) {
    throw new AppError(
      'DOCUMENT_REQUEST_INVALID',
      'This is not the request you were shown; do not approve it',
      {
        reason: 'digest_mismatch',
      },
    );
  }
  if (call.receipt) return answerOf(deps, call);
  if (call.state === 'expired') {
    throw new AppError('DOCUMENT_REQUEST_EXPIRED', 'This request has expired; ask the window for a new one');
  }
  if (call.state !== 'pending') {
    throw new AppError('DOCUMENT_CALL_WRONG_STATE', 'This request was already answered', {
      state: call.state,
    });
  }
  const omit = body.omit ?? [];
  const required = omit.filter((t) => call.documents.find((d) => d.type === t)?.required !== false);
  if (required.length > 0) {
    throw new AppError('VALIDATION_FAILED', 'Only optional documents of this request may be left out', {
      issues: [{ path: ['omit'], message: 'names a required document or one this request does not ask for' }],
    });
  }
  const mine = call as Mine;
  const asked = mine.documents.filter((d) => !omit.includes(d.type));
  const types = asked.map((d) => d.type);
  // A fresh pull, recorded (licence.pull, failed ones too) by the licence module; it throws
  // LICENCE_SYSTEM_UNAVAILABLE before anything of the delivery exists.
  const pulled =
    types.length > 0
      ? (
          await deps.documents.documentsFor(mine.residentId, types, mine.service, {
            requestId,
            actor: DOCUMENT_CALL_ACTOR,
          })
        ).filter((d) => types.includes(d.type))
      : [];

  const now = deps.clock.now();
  const approvedAt = Math.floor(now / 1000) * 1000;
  const accessUntil = Math.floor((approvedAt + mine.accessForMs) / 1000) * 1000;
  const sealed: SealedDocument[] = [];
  const receiptDocuments = [];
  for (const d of pulled) {
    const bytes = base64urlDecode(d.credential);
    const { identifier } = decodeDocumentCredential(bytes).claims;
    // The standing at the pull: a document revoked at the issuer by now is delivered marked revoked.
    sealed.push({
      id: base64urlEncode(new Uint8Array(randomBytes(9))),
      type: d.type,
      identifier,
      status: d.status,
      credential: d.credential,
      secrets: d.secrets,
    });
    receiptDocuments.push({
      type: d.type,
      identifier,
      digest: documentDigest(bytes, deps.sha256),
      fields: asked.find((a) => a.type === d.type)!.fields,
    });
  }
  const { kid, province, sign } = signer(deps.keys);
  const receipt = signReceipt(
    kid,
    {
      province,
      requestId: fromHex(mine.id),
      requestDigest: base64urlDecode(mine.requestDigest),
      window: { id: mine.windowId, name: mine.windowName, organisation: mine.organisation },
      staff: { id: mine.staffId, displayName: mine.staffName },
      service: mine.service,
      purpose: mine.purpose,
      documents: receiptDocuments,
      approvedAt,
      accessUntil,
    },
    sign,
  );
  const delivered =
    (await deps.repo.deliver(
      mine.id,
      residentId,
      {
        approvedAt,
        accessUntil,
        omitted: omit,
        receipt: base64urlEncode(receipt),
        sealed: sealDocuments(deps.keys, mine.id, sealed),
        missing: types.filter((t) => !pulled.some((d) => d.type === t)),
        delivered: sealed.map(({ type, identifier, status }) => ({ type, identifier, status })),
      },
      now,
    )) ?? (await deps.repo.byId(mine.id));
  // Another approval of the same request won the race: its receipt is the answer. Or the answer-by time
  // passed during the pull: then nothing was written and the request is expired.
  if (!delivered?.receipt) {
    const now = delivered ? await settle(deps, delivered, requestId) : undefined;
    if (now?.state === 'expired') {
      throw new AppError(
        'DOCUMENT_REQUEST_EXPIRED',
        'This request has expired; ask the window for a new one',
      );
    }
    throw new AppError('DOCUMENT_CALL_WRONG_STATE', 'This request was already answered', {
      state: now?.state ?? 'unknown',
    });
  }
  const approved = delivered as Mine;
  const disclosed = approved.documents.filter(
    (d) => !approved.omitted?.includes(d.type) && approved.delivered?.some((x) => x.type === d.type),
  );
  await callTrace(deps, approved, residentActor(residentId), requestId).once(
    {
      action: 'document_call.approved',
      fields: tracedFields(disclosed),
      detail: {
        receipt: approved.receipt!,
        documents: approved.delivered?.length ?? 0,
        ...(approved.omitted?.length && { omitted: approved.omitted.join(',') }),
      },
    },
    'approved',
  );
  deps.logger.info(
    { documentCall: mine.id, documents: approved.delivered?.length ?? 0 },
    'document call approved and delivered',
  );
  return answerOf(deps, approved);
}
