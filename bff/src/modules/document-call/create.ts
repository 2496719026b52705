import { randomBytes } from 'node:crypto';
import {
  AppError,
  DEFAULT_ACCESS_MS,
  DEFAULT_ANSWER_MS,
  documentSlots,
  documentType,
  findService,
  inspectCode,
  requestCodeDigest,
  requestOverreach,
  serviceDocument,
  signRequestCode,
  toHex,
  type CreateDocumentCallRequest,
  type WindowDocumentCall,
} from '@eid/shared';
import { callTrace, signer, trustedList, windowActor, windowView, type DocumentCallDeps } from './deps';

/**
 * The resident a bright code names, for `addressedTo`: the code must verify now (issuer, device signature,
 * time) and its card be live at this node. Reading it discloses nothing to the window: only the request is
 * routed to the resident's pending list.
 */
async function addresseeOf(deps: DocumentCallDeps, code: string): Promise<string> {
  const result = inspectCode(code, {
    trustList: trustedList(deps),
    clock: deps.clock,
    ed25519: deps.ed25519,
    sha256: deps.sha256,
  });
  let verdict: string = result.verdict;
  if (verdict === 'valid' && result.cardId) {
    const [standing] = await deps.card.standings([result.cardId]);
    if (!standing || standing.kid !== result.kid || standing.statusIndex !== result.statusIndex)
      verdict = 'status_unknown';
    else if (standing.status !== 'active') verdict = standing.status;
    else return standing.residentId;
  }
  throw new AppError(
    'DOCUMENT_ADDRESSEE_INVALID',
    'The bright code does not name a resident with a valid card',
    {
      verdict,
    },
  );
}

/**
 * Opens a document call for the signed-in staff member's window: only what the service allows (asking for
 * more is refused here, not merely shown), a request code signed by the BFF's issuer key, answerable for ten
 * minutes. With `addressedTo` the request is listed as pending for that resident at once.
 */
export async function createCall(
  deps: DocumentCallDeps,
  staffId: string,
  input: CreateDocumentCallRequest,
  requestId?: string,
): Promise<WindowDocumentCall> {
  const desk = await deps.staffDesk(staffId);
  if (!desk.window) {
    throw new AppError('FORBIDDEN', 'This staff account is not assigned to a service window');
  }
  const service = findService(input.service);
  if (!service)
    throw new AppError('DOCUMENT_SERVICE_UNKNOWN', 'Choose a service from the published catalogue');

  const problems: string[] = [];
  const documents: { type: string; fields: string[]; required: boolean }[] = [];
  for (const d of input.documents) {
    const allowed = serviceDocument(service, d.type);
    if (!allowed) {
      problems.push(`${service.code} does not call ${d.type}`);
      continue;
    }
    documents.push({ type: d.type, fields: d.fields ?? [...allowed.fields], required: allowed.required });
  }
  const accessForMs = input.accessForMs ?? Math.min(DEFAULT_ACCESS_MS, service.maxAccessMs);
  problems.push(...requestOverreach({ service: service.code, documents, accessForMs }));
  if (problems.length > 0) {
    throw new AppError('DOCUMENT_CALL_OVERREACH', 'The request asks for more than the service may read', {
      problems,
    });
  }

  // The order the request code signs (the type's slot order), so the record and the code agree.
  for (const d of documents) {
    const t = documentType(d.type)!;
    d.fields = documentSlots(t, d.fields).map((slot) => t.fields[slot]!.key);
  }

  const residentId = input.addressedTo === undefined ? undefined : await addresseeOf(deps, input.addressedTo);
  // Whole seconds: what the code signs is what the record keeps.
  const createdAt = Math.floor(deps.clock.now() / 1000) * 1000;
  const answerBy = createdAt + DEFAULT_ANSWER_MS;
  const requestIdBytes = new Uint8Array(randomBytes(16));
  const { kid, province, sign } = signer(deps.keys);
  const window = { id: desk.window.id, name: desk.window.name, organisation: desk.org };
  const staff = { id: desk.id, displayName: desk.displayName };
  let requestCode: string;
  try {
    requestCode = signRequestCode(
      kid,
      {
        province,
        requestId: requestIdBytes,
        window,
        staff,
        service: service.code,
        purpose: input.purpose,
        documents,
        createdAt,
        answerBy,
        accessForMs,
      },
      sign,
    );
  } catch (err) {
    // The body was validated; what is left is a window or staff name the code cannot carry.
    deps.logger.warn({ err, staffId }, 'document request could not be encoded');
    throw new AppError('VALIDATION_FAILED', 'The request cannot be encoded', {
      issues: [{ path: ['purpose'], message: 'must be plain text of at most 128 bytes' }],
    });
  }

  const call = {
    id: toHex(requestIdBytes),
    windowId: window.id,
    windowName: window.name,
    organisation: window.organisation,
    staffId: staff.id,
    staffName: staff.displayName,
    service: service.code,
    purpose: input.purpose,
    documents,
    createdAt,
    answerBy,
    accessForMs,
    requestCode,
    requestDigest: requestCodeDigest(requestCode, deps.sha256),
    kid,
    ...(residentId && { residentId }),
  };
  await deps.repo.insert(call, deps.clock.now());
  const stored = { ...call, state: 'pending' as const, updatedAt: deps.clock.now() };
  if (residentId) {
    await callTrace(deps, { ...stored, residentId }, windowActor(stored), requestId).once(
      { action: 'document_call.received', detail: { addressed: true } },
      'received',
    );
  }
  deps.logger.info({ documentCall: call.id, service: service.code, staffId }, 'document call created');
  return windowView(stored, deps.clock.now());
}
