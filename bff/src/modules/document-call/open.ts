import { AppError, openRequestCode, toHex, type OpenedDocumentCall } from '@eid/shared';
import { homeCopy } from './cross-province';
import { settle } from './expire';
import { callTrace, callView, notFound, trustedList, windowActor, type DocumentCallDeps } from './deps';
import type { DocumentCallRecord } from './document-call.repository';

function invalid(reason: string): AppError {
  return new AppError(
    'DOCUMENT_REQUEST_INVALID',
    'This is not a genuine document request; do not approve it',
    {
      reason,
    },
  );
}

/** True when the signed request says exactly what the BFF recorded when it signed it. */
function asRecorded(
  call: DocumentCallRecord,
  request: NonNullable<ReturnType<typeof signedRequest>>,
): boolean {
  const docs = (d: readonly { type: string; fields: readonly string[]; required: boolean }[]) =>
    JSON.stringify(d.map(({ type, fields, required }) => [type, [...fields], required]));
  return (
    request.window.id === call.windowId &&
    request.window.name === call.windowName &&
    request.window.organisation === call.organisation &&
    request.staff.id === call.staffId &&
    request.staff.displayName === call.staffName &&
    request.service === call.service &&
    request.purpose === call.purpose &&
    request.answerBy === call.answerBy &&
    request.accessForMs === call.accessForMs &&
    docs(request.documents) === docs(call.documents)
  );
}

function signedRequest(deps: DocumentCallDeps, requestCode: string) {
  const opened = openRequestCode(requestCode, trustedList(deps), deps.ed25519, deps.clock, deps.sha256);
  if (!opened.ok) {
    if (opened.reason === 'expired') {
      throw new AppError(
        'DOCUMENT_REQUEST_EXPIRED',
        'This request has expired; ask the window for a new one',
      );
    }
    throw invalid(opened.reason);
  }
  return { ...opened.request, digest: opened.digest, kid: opened.kid };
}

/**
 * The resident scans a window's request code: it is verified against the trust list (who signed it, that it
 * was not changed, that it asks nothing the service does not allow, that it is still answerable) and against
 * the BFF's own record of it, and only then shown as verified, with who is asking. A forged or altered code
 * answers DOCUMENT_REQUEST_INVALID with the reason and can never be approved (approval names the digest).
 * The first resident to open a request nobody was named for becomes its resident; anyone else gets NOT_FOUND.
 */
export async function openCall(
  deps: DocumentCallDeps,
  residentId: string,
  requestCode: string,
  requestId?: string,
): Promise<OpenedDocumentCall> {
  const request = signedRequest(deps, requestCode);
  const id = toHex(request.requestId);
  let call = await deps.repo.byId(id);
  // Another province's window (issue 18): answered here, at the resident's home, with that node's consent.
  if (!call && request.province !== deps.province && deps.federation?.enabled)
    call = await homeCopy(
      deps,
      { id, requestCode, digest: request.digest, kid: request.kid, request },
      residentId,
    );
  // Genuinely signed by a key of this node's trust list, yet not what this BFF recorded: not approvable here.
  if (!call) throw invalid('unknown_request');
  if (call.requestDigest !== request.digest || !asRecorded(call, request)) throw invalid('not_as_recorded');
  if (call.residentId === undefined)
    call = (await deps.repo.bindResident(id, residentId, deps.clock.now())) ?? call;
  if (call.residentId !== residentId) throw notFound();
  const mine = call as DocumentCallRecord & { residentId: string };

  await callTrace(deps, mine, windowActor(mine), requestId).once(
    { action: 'document_call.received', detail: { addressed: false } },
    'received',
  );
  const settled = await settle(deps, mine, requestId);
  if (settled.state === 'expired') {
    throw new AppError('DOCUMENT_REQUEST_EXPIRED', 'This request has expired; ask the window for a new one');
  }
  return { ...callView(settled, deps.clock.now()), verified: true, kid: request.kid };
}
