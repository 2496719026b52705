import { base64urlEncode } from '@eid/shared';
import { settle } from './expire';
import { callView, notFound, type DocumentCallDeps } from './deps';
import type { DocumentCallRecord } from './document-call.repository';
import type { NodeCallAnswer } from './cross-province';
import { annotatedCopyOf } from './export-pdf';
import { documentsOf, readable } from './read';
import { receiptAnswer } from './receipt';
import type { DeliveredDocuments } from '@eid/shared';

/**
 * At the resident's home: what it answers the node of the window that asked (cross-province.ts), about
 * the home copy of that window's call only, each read recorded in the resident's trace here.
 */

/** The home copy of a call another province's node asks about, settled; NOT_FOUND for any other caller. */
async function copyFor(deps: DocumentCallDeps, caller: string, id: string, requestId?: string) {
  const call = await deps.repo.byId(id);
  if (!call || call.windowProvince !== caller || !call.residentId) throw notFound();
  return settle(deps, call as DocumentCallRecord & { residentId: string }, requestId);
}

/** The call as the window's node shows it to its window: its state and, once approved, the receipt. */
export async function nodeCall(
  deps: DocumentCallDeps,
  caller: string,
  id: string,
  requestId?: string,
): Promise<NodeCallAnswer> {
  const call = await copyFor(deps, caller, id, requestId);
  return {
    call: callView(call, deps.clock.now()),
    ...(call.receipt && { receipt: receiptAnswer(call.receipt) }),
  };
}

/** The delivered documents, for the window that asked: only the service's fields, read in the trace here. */
export async function nodeDocuments(
  deps: DocumentCallDeps,
  caller: string,
  id: string,
  requestId?: string,
): Promise<DeliveredDocuments> {
  return documentsOf(deps, readable(await copyFor(deps, caller, id, requestId)), requestId);
}

/** One annotated copy (signed here, recorded here), base64url in the signed JSON answer. */
export async function nodeAnnotatedCopy(
  deps: DocumentCallDeps,
  caller: string,
  id: string,
  docId: string,
  requestId?: string,
): Promise<{ type: string; pdf: string }> {
  const call = readable(await copyFor(deps, caller, id, requestId));
  const { pdf, type } = await annotatedCopyOf(deps, call, docId, requestId);
  return { type, pdf: base64urlEncode(pdf) };
}
