import Taro from '@tarojs/taro';
import {
  AppError,
  isErrorCode,
  type ErrorCode,
  type CreateDocumentCallRequest,
  type DeliveredDocuments,
  type DocumentCallReceiptAnswer,
  type DocumentService,
  type WindowDocumentCall,
} from '@eid/shared';
import { API_BASE, request, staffStore, type BinaryAnswer } from './request';

/** The published service catalogue (public): what each service requires, may ask for, and may read. */
export const getDocumentServices = () =>
  request<DocumentService[]>({ path: '/api/v1/document-services', auth: 'none' });

/**
 * Opens a document call for the signed-in staff member's window; the BFF signs the request code. Asking for
 * a type or field the service does not allow is refused (`DOCUMENT_CALL_OVERREACH`).
 */
export const createDocumentCall = (body: CreateDocumentCallRequest) =>
  request<WindowDocumentCall>({ method: 'POST', path: '/api/v1/document-calls', data: body, auth: 'staff' });

const callPath = (id: string) => `/api/v1/document-calls/${encodeURIComponent(id)}`;

/** Where a call this window opened stands (anyone else's reads as `NOT_FOUND`). */
export const getDocumentCall = (id: string) =>
  request<WindowDocumentCall>({ path: callPath(id), auth: 'staff' });

/**
 * The documents the resident approved, with only the service's fields; `DOCUMENT_ACCESS_EXPIRED` (410) once
 * the access time is over or the resident withdrew. Each read is in the resident's trace.
 */
export const getDeliveredDocuments = (id: string) =>
  request<DeliveredDocuments>({ path: `${callPath(id)}/documents`, auth: 'staff' });

/** The BFF-signed receipt of the approval: the bytes the window keeps, and what they say. */
export const getDocumentCallReceipt = (id: string) =>
  request<DocumentCallReceiptAnswer>({ path: `${callPath(id)}/receipt`, auth: 'staff' });

const annotatedPath = (id: string, docId: string) =>
  `${callPath(id)}/documents/${encodeURIComponent(docId)}/annotated.pdf`;

/** The annotated copy (加注件) of one delivered document as PDF bytes (H5: saved through a blob link). */
export const getAnnotatedCopy = (id: string, docId: string) =>
  request<BinaryAnswer>({ path: annotatedPath(id, docId), auth: 'staff', binary: true });

// As request.ts: a staff token of no more use signs the terminal out.
const STAFF_SESSION_ENDED: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'SESSION_REVOKED',
  'TOKEN_EXPIRED',
  'TOKEN_INVALID',
  'UNAUTHENTICATED',
]);

/** The BFF's error answer written into a downloaded file instead of the PDF, as the AppError it names. */
function downloadError(statusCode: number, filePath: string): AppError {
  try {
    const text = Taro.getFileSystemManager().readFileSync(filePath, 'utf8') as string;
    const body = JSON.parse(text) as { code?: unknown; message?: unknown };
    if (isErrorCode(body.code))
      return new AppError(body.code, String(body.message ?? body.code), undefined, statusCode);
  } catch {
    // Not JSON: fall through to the generic answer for the status.
  }
  return new AppError(
    statusCode >= 500 ? 'UPSTREAM_UNAVAILABLE' : 'BAD_REQUEST',
    `HTTP ${statusCode}`,
    undefined,
    statusCode,
  );
}

/**
 * weapp: downloads the annotated copy with the staff token (`Taro.downloadFile`) and opens it in WeChat's
 * document viewer, whose menu saves or forwards it.
 */
export async function openAnnotatedCopy(id: string, docId: string): Promise<void> {
  const staff = staffStore.get();
  if (!staff) throw new AppError('UNAUTHENTICATED', 'No staff session');
  let answer: { statusCode: number; tempFilePath: string };
  try {
    answer = await Taro.downloadFile({
      url: `${API_BASE}${annotatedPath(id, docId)}`,
      header: { Authorization: `Bearer ${staff.accessToken}` },
    });
  } catch {
    throw new AppError('UPSTREAM_UNAVAILABLE', 'Network unavailable', { network: true }, 0);
  }
  if (answer.statusCode !== 200) {
    const err = downloadError(answer.statusCode, answer.tempFilePath);
    if (STAFF_SESSION_ENDED.has(err.code)) staffStore.set(null);
    throw err;
  }
  await Taro.openDocument({ filePath: answer.tempFilePath, fileType: 'pdf', showMenu: true });
}
