import {
  AppError,
  base64urlDecode,
  base64urlEncode,
  decodeReceipt,
  receiptText,
  toHex,
  type DocumentCallReceiptAnswer,
} from '@eid/shared';
import { answeredElsewhere, ask, NodeCallBody, nodeCallPath, unavailable } from './cross-province';
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
  if ('staffId' in caller) {
    const call = await ownCall(deps, id, caller.staffId);
    return answeredElsewhere(call) ? remoteReceipt(deps, call) : receiptOf(call);
  }
  return receiptOf(await residentCall(deps, id, caller.residentId));
}

/** The receipt of the window's call answered in another province, as that province signed it. */
export async function remoteReceipt(
  deps: DocumentCallDeps,
  call: DocumentCallRecord & { homeProvince: string },
): Promise<DocumentCallReceiptAnswer> {
  const answer = NodeCallBody.safeParse(
    await ask<unknown>(deps, call.homeProvince, 'GET', nodeCallPath(call.id)),
  );
  if (!answer.success) throw unavailable(call.homeProvince, 'The resident’s home province answered wrongly');
  if (!answer.data.receipt)
    throw new AppError('DOCUMENT_CALL_WRONG_STATE', 'There is no receipt: the request was not approved', {
      state: answer.data.call.state,
    });
  // Decoded here from the signed bytes, not taken from the other node's summary of them.
  return receiptAnswer(answer.data.receipt.receipt);
}
