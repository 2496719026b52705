import { z } from 'zod';
import {
  AppError,
  base64urlDecode,
  isErrorCode,
  type DeliveredDocuments,
  type DocumentCallReceiptAnswer,
  type DocumentCallView,
  type WindowDocumentCall,
} from '@eid/shared';
import { safeEqual } from '../../infra/keystore';
import { notFound, type DocumentCallDeps } from './deps';
import type { DocumentCallRecord } from './document-call.repository';

/**
 * The document call across provinces (docs/federation.md "Document call across provinces"): the window is
 * in province B, the resident and their licence system in A. The request stays B's (signed by B, listed at
 * B's window); when A's resident opens it, A tells B that the call is answered at A (`homeOf`), keeps a home
 * copy, and everything the resident does happens at A as for A's own windows: the licence pull, the receipt
 * (signed by A), the trace, withdrawal and expiry. B's window then reads the call's state, documents,
 * annotated copies and receipt from A, signed node to node; A records each read in the resident's trace.
 * Nothing of the resident is stored at B. The home's answers to B are in home-answers.ts.
 */

/** The node-to-node routes: the window's node (`homeOf`) and the resident's home (the rest). */
export const nodeCallPath = (id: string) => `/api/v1/federation/node/document-calls/${id}`;
export const nodeHomePath = (id: string) => `${nodeCallPath(id)}/home`;
export const nodeDocumentsPath = (id: string) => `${nodeCallPath(id)}/documents`;
export const nodeCopyPath = (id: string, docId: string) => `${nodeDocumentsPath(id)}/${docId}/annotated-copy`;

/** What the home answers the window's node about a call. */
export interface NodeCallAnswer {
  call: DocumentCallView;
  receipt?: DocumentCallReceiptAnswer;
}

export const unavailable = (province: string, message: string) =>
  new AppError('UPSTREAM_UNAVAILABLE', message, { province });

/** One signed call to another province's node; its refusal with a code of ours is passed on as that code. */
export async function ask<T>(
  deps: DocumentCallDeps,
  province: string,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<T> {
  const federation = deps.federation;
  if (!federation?.enabled)
    throw new AppError('FEDERATION_NOT_CONFIGURED', 'This node is not part of a federation');
  let answer;
  try {
    // The home-binding POST is idempotent for the same province, and reads are GETs: all may be retried.
    answer = await federation.nodeClient.call<unknown>(province, method, path, body, { idempotent: true });
  } catch (err) {
    if (err instanceof AppError)
      throw unavailable(province, `The node of province ${province} cannot be reached; try again`);
    throw err;
  }
  if (answer.status === 200) return answer.body as T;
  const refusal = answer.body as { code?: unknown; message?: unknown; details?: unknown } | undefined;
  // 4xx answers are the other node's verdict on this call (expired, withdrawn, not found): the window gets
  // the same code. Anything else says the other node is not answering properly.
  if (answer.status >= 400 && answer.status < 500 && isErrorCode(refusal?.code))
    throw new AppError(
      refusal.code,
      typeof refusal.message === 'string' ? refusal.message : 'Refused by the resident’s home province',
      refusal.details && typeof refusal.details === 'object'
        ? (refusal.details as Record<string, unknown>)
        : undefined,
    );
  throw unavailable(province, `The node of province ${province} did not answer properly`);
}

// ---- at the resident's home (A) ------------------------------------------------------------------------

/**
 * The resident opened a request signed by another province's node: that node is told the call is answered
 * here (refused when another of its own residents or another province got there first), and the home copy
 * is made from what the request code signs. The caller has verified the code against the trust list.
 */
export async function homeCopy(
  deps: DocumentCallDeps,
  opened: {
    id: string;
    requestCode: string;
    digest: string;
    kid: string;
    request: {
      province: string;
      window: { id: string; name: string; organisation: string };
      staff: { id: string; displayName: string };
      service: string;
      purpose: string;
      documents: readonly { type: string; fields: readonly string[]; required: boolean }[];
      createdAt: number;
      answerBy: number;
      accessForMs: number;
    };
  },
  residentId: string,
): Promise<DocumentCallRecord> {
  const { id, request } = opened;
  const windowProvince = request.province;
  await ask<unknown>(deps, windowProvince, 'POST', nodeHomePath(id), { requestDigest: opened.digest });
  const copy = await deps.repo.insertHomeCopy(
    {
      id,
      windowId: request.window.id,
      windowName: request.window.name,
      organisation: request.window.organisation,
      staffId: request.staff.id,
      staffName: request.staff.displayName,
      service: request.service,
      purpose: request.purpose,
      documents: request.documents.map((d) => ({
        type: d.type,
        fields: [...d.fields],
        required: d.required,
      })),
      createdAt: request.createdAt,
      answerBy: request.answerBy,
      accessForMs: request.accessForMs,
      requestCode: opened.requestCode,
      requestDigest: opened.digest,
      kid: opened.kid,
      residentId,
      windowProvince,
      windowProvinceName: deps.federation!.provinceName(windowProvince),
    },
    deps.clock.now(),
  );
  // Two of this node's residents opening the same request at once: the window's node bound it to this
  // province once; the first home copy's resident is its resident.
  if (!copy || copy.residentId !== residentId) throw notFound();
  deps.logger.info({ documentCall: id, windowProvince }, 'cross-province document call opened');
  return copy;
}

// ---- at the window's node (B) --------------------------------------------------------------------------

/**
 * Another province's node says its resident opened one of this node's requests: the call is answered there
 * from now on. Only a request nobody here was named for, shown as it was signed (its digest), and once.
 */
export async function bindHome(
  deps: DocumentCallDeps,
  caller: string,
  id: string,
  requestDigest: string,
): Promise<{ id: string; homeProvince: string }> {
  const call = await deps.repo.byId(id);
  if (!call || !safeEqual(requestDigest, call.requestDigest)) throw notFound();
  const bound = call.homeProvince ? call : await deps.repo.bindHome(id, caller, deps.clock.now());
  if (!bound || bound.homeProvince !== caller) {
    throw new AppError('DOCUMENT_CALL_WRONG_STATE', 'This request is already being answered elsewhere', {
      state: 'taken',
    });
  }
  deps.logger.info({ documentCall: id, homeProvince: caller }, 'document call answered in another province');
  return { id, homeProvince: caller };
}

/** The home's answer about a call, as far as the window's node relies on it. */
export const NodeCallBody = z.object({
  call: z.object({ id: z.string(), state: z.string() }).passthrough(),
  receipt: z.object({ receipt: z.string() }).passthrough().optional(),
});
const CopyBody = z.object({ type: z.string(), pdf: z.string().regex(/^[A-Za-z0-9_-]+$/) });

/** The window's call answered in `home`: as it stands there. */
export async function remoteWindowCall(
  deps: DocumentCallDeps,
  call: DocumentCallRecord & { homeProvince: string },
): Promise<WindowDocumentCall> {
  const answer = NodeCallBody.safeParse(
    await ask<unknown>(deps, call.homeProvince, 'GET', nodeCallPath(call.id)),
  );
  if (!answer.success || answer.data.call.id !== call.id)
    throw unavailable(call.homeProvince, 'The resident’s home province answered wrongly');
  const view = answer.data.call as unknown as DocumentCallView;
  return { ...view, requestCode: call.requestCode, addressed: true, homeProvince: call.homeProvince };
}

export async function remoteDocuments(
  deps: DocumentCallDeps,
  call: DocumentCallRecord & { homeProvince: string },
): Promise<DeliveredDocuments> {
  const docs = await ask<DeliveredDocuments>(deps, call.homeProvince, 'GET', nodeDocumentsPath(call.id));
  if (docs?.id !== call.id || !Array.isArray(docs.documents))
    throw unavailable(call.homeProvince, 'The resident’s home province answered wrongly');
  return docs;
}

export async function remoteAnnotatedCopy(
  deps: DocumentCallDeps,
  call: DocumentCallRecord & { homeProvince: string },
  docId: string,
): Promise<{ pdf: Uint8Array; type: string }> {
  const copy = CopyBody.safeParse(
    await ask<unknown>(deps, call.homeProvince, 'GET', nodeCopyPath(call.id, docId)),
  );
  if (!copy.success) throw unavailable(call.homeProvince, 'The resident’s home province answered wrongly');
  return { type: copy.data.type, pdf: base64urlDecode(copy.data.pdf) };
}

/** The window's call, when it is answered in another province. */
export const answeredElsewhere = (
  call: DocumentCallRecord,
): call is DocumentCallRecord & { homeProvince: string } => call.homeProvince !== undefined;
