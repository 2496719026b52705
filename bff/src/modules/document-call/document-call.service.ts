import { runEvery } from '../../infra/interval';
import { approveCall } from './approve';
import { createCall } from './create';
import { bindHome } from './cross-province';
import { nodeAnnotatedCopy, nodeCall, nodeDocuments } from './home-answers';
import { declineCall } from './decline';
import type { DocumentCallDeps } from './deps';
import type { DocumentCallService } from './document-call.types';
import { sweepExpired } from './expire';
import { exportPdf } from './export-pdf';
import { endDeliveriesOf } from './identity-withdrawn';
import { openCall } from './open';
import { readDocuments } from './read';
import { getReceipt } from './receipt';
import { myCalls, pendingCalls, residentView, windowCall } from './view';
import { withdrawCall } from './withdraw';

/**
 * The document call: a window asks, the resident approves, the BFF delivers to that request only, with a
 * signed receipt for both sides and every step in the resident's trace. Each use case is its own file; this
 * composes them over one set of deps and starts nothing.
 */
export function createDocumentCallService(deps: DocumentCallDeps): DocumentCallService {
  return {
    countByState: (from) => deps.repo.countByState(from),
    create: (staffId, input, requestId) => createCall(deps, staffId, input, requestId),
    forWindow: (staffId, id, requestId) => windowCall(deps, staffId, id, requestId),
    forResident: (residentId, id, requestId) => residentView(deps, residentId, id, requestId),
    open: (residentId, requestCode, requestId) => openCall(deps, residentId, requestCode, requestId),
    pending: (residentId) => pendingCalls(deps, residentId),
    mine: (residentId) => myCalls(deps, residentId),
    approve: (residentId, id, body, requestId) => approveCall(deps, residentId, id, body, requestId),
    decline: (residentId, id, requestId) => declineCall(deps, residentId, id, requestId),
    withdraw: (residentId, id, requestId) => withdrawCall(deps, residentId, id, requestId),
    documents: (staffId, id, requestId) => readDocuments(deps, staffId, id, requestId),
    annotatedPdf: (staffId, id, docId, requestId) => exportPdf(deps, staffId, id, docId, requestId),
    receipt: (caller, id) => getReceipt(deps, caller, id),
    node: {
      bindHome: (caller, id, digest) => bindHome(deps, caller, id, digest),
      call: (caller, id, requestId) => nodeCall(deps, caller, id, requestId),
      documents: (caller, id, requestId) => nodeDocuments(deps, caller, id, requestId),
      annotatedCopy: (caller, id, docId, requestId) => nodeAnnotatedCopy(deps, caller, id, docId, requestId),
    },
    sweepExpired: () => sweepExpired(deps),
    onIdentityWithdrawn: (residentId, reason) => endDeliveriesOf(deps, residentId, reason),
    sealedStore: {
      name: 'document_calls',
      page: (after, limit) => deps.repo.sealedPage(after, limit),
      replace: (id, from, to) => deps.repo.replaceSealed(id, from, to),
    },
    startSweeps: (intervalMs) =>
      runEvery(
        intervalMs,
        () => sweepExpired(deps),
        (err) => deps.logger.error({ err }, 'document call sweep failed'),
      ),
  };
}
