import {
  AppError,
  base64urlDecode,
  base64urlEncode,
  decodeReceipt,
  receiptText,
  toHex,
  type DocumentCallReceiptAnswer,
} from '@eid/shared';
import { ownCall, residentCall, type DocumentCallDeps } from './deps';
import type { DocumentCallRecord } from './document-call.repository';

/** The stored receipt as both sides get it: the signed bytes, and what they say (decoded from those bytes). */
export function receiptAnswer(receipt: string): DocumentCallReceiptAnswer {
  const { kid, receipt: r } = decodeReceipt(base64urlDecode(receipt));
  return {
    receipt,
    kid,
    text: receiptText(r),
    view: {
      requestId: toHex(r.requestId),
      requestDigest: base64urlEncode(r.requestDigest),
      window: r.window,
      staff: r.staff,
      service: r.service,
      purpose: r.purpose,
      documents: r.documents.map((d) => ({
        type: d.type,
        identifier: d.identifier,
        digest: base64urlEncode(d.digest),
        fields: [...d.fields],
      })),
      approvedAt: r.approvedAt,
      accessUntil: r.accessUntil,
    },
  };
}

function receiptOf(call: DocumentCallRecord): DocumentCallReceiptAnswer {
  if (!call.receipt) {
    throw new AppError('DOCUMENT_CALL_WRONG_STATE', 'There is no receipt: the request was not approved', {
      state: call.state,
    });
  }
  return receiptAnswer(call.receipt);
}

/**
 * The receipt of a call, for the window that made it or the resident who approved it. It stays available
 * after the access ended or was withdrawn: it is what both sides keep, and it holds no document contents.
 */
export async function getReceipt(
  deps: DocumentCallDeps,
  caller: { staffId: string } | { residentId: string },
  id: string,
): Promise<DocumentCallReceiptAnswer> {
  const call =
    'staffId' in caller
      ? await ownCall(deps, id, caller.staffId)
      : await residentCall(deps, id, caller.residentId);
  return receiptOf(call);
}
