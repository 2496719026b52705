import type {
  ApproveDocumentCallRequest,
  DocumentCallAnswer,
  DocumentCallList,
  DocumentCallReceiptAnswer,
  DocumentCallView,
  OpenDocumentCallRequest,
  OpenedDocumentCall,
} from '@eid/shared';
import { request } from './request';

const path = (id: string, step = '') =>
  `/api/v1/document-calls/${encodeURIComponent(id)}${step ? `/${step}` : ''}`;

/**
 * Hands a scanned window request code to the BFF, which checks it against its signature and its own record
 * of the request; a forged or altered code answers DOCUMENT_REQUEST_INVALID with the reason.
 */
export const openDocumentCall = (requestCode: string) =>
  request<OpenedDocumentCall>({
    method: 'POST',
    path: '/api/v1/document-calls/open',
    data: { requestCode } satisfies OpenDocumentCallRequest,
  });

/** Requests addressed to the resident that still wait for an answer, each with its request code. */
export const listPendingCalls = () => request<DocumentCallList>({ path: '/api/v1/document-calls/pending' });

/** Every document call of the resident's, newest first. */
export const listMyCalls = () => request<DocumentCallList>({ path: '/api/v1/document-calls/mine' });

/** One of the resident's calls as it stands now. */
export const getMyCall = (id: string) => request<DocumentCallView>({ path: path(id) });

/** The signed receipt of an approved call. */
export const getCallReceipt = (id: string) =>
  request<DocumentCallReceiptAnswer>({ path: path(id, 'receipt') });

/**
 * Approves the request the resident was shown (named by its digest), leaving out the optional document
 * types in `omit`; the BFF pulls and delivers the documents and answers the receipt. Repeating it answers
 * the same receipt.
 */
export const approveCall = (id: string, requestDigest: string, omit: string[] = []) =>
  request<DocumentCallAnswer>({
    method: 'POST',
    path: path(id, 'approve'),
    data: (omit.length > 0
      ? { requestDigest, omit }
      : { requestDigest }) satisfies ApproveDocumentCallRequest,
  });

/** Declines a request: the window reads nothing. */
export const declineCall = (id: string) =>
  request<DocumentCallAnswer>({ method: 'POST', path: path(id, 'decline') });

/** Withdraws an approval before its access ends: the window can read nothing more. */
export const withdrawCall = (id: string) =>
  request<DocumentCallAnswer>({ method: 'POST', path: path(id, 'withdraw') });
