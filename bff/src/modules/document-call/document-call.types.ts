/**
 * What other modules may use of the document-call module: its service's interface (app.ts and
 * background.ts), the contracts it needs from others (documentsFor of the licence module, the staff desk,
 * the PDF renderer) and the identity-withdrawn hook app.ts registers with enrollment. Wire shapes are in
 * shared/src/api/document-call.ts.
 */
import type {
  ApproveDocumentCallRequest,
  CreateDocumentCallRequest,
  DeliveredDocuments,
  DocumentCallAnswer,
  DocumentCallList,
  DocumentCallReceiptAnswer,
  DocumentCallView,
  OpenedDocumentCall,
  WindowDocumentCall,
} from '@eid/shared';
import type { IdentityWithdrawnHook, SealedStore } from '../enrollment/enrollment.types';
import type { NodeCallAnswer } from './cross-province';

export type { AnnotatedCopyRequest, DocumentSource, PulledDocument, StaffDesk } from './deps';

export interface DocumentCallService {
  /** How many calls made since `from` (epoch ms) are in each state now (the dashboard; states absent: 0). */
  countByState(from: number): Promise<Record<string, number>>;
  /** A window opens a request (staff). */
  create(staffId: string, input: CreateDocumentCallRequest, requestId?: string): Promise<WindowDocumentCall>;
  /** The window's own call; NOT_FOUND for anyone else. */
  forWindow(staffId: string, id: string, requestId?: string): Promise<WindowDocumentCall>;
  /** The resident's own call; NOT_FOUND for anyone else. */
  forResident(residentId: string, id: string, requestId?: string): Promise<DocumentCallView>;
  /** The resident verifies a scanned request code. */
  open(residentId: string, requestCode: string, requestId?: string): Promise<OpenedDocumentCall>;
  pending(residentId: string): Promise<DocumentCallList>;
  mine(residentId: string): Promise<DocumentCallList>;
  approve(
    residentId: string,
    id: string,
    body: ApproveDocumentCallRequest,
    requestId?: string,
  ): Promise<DocumentCallAnswer>;
  decline(residentId: string, id: string, requestId?: string): Promise<DocumentCallAnswer>;
  withdraw(residentId: string, id: string, requestId?: string): Promise<DocumentCallAnswer>;
  /** The window reads the delivered documents. */
  documents(staffId: string, id: string, requestId?: string): Promise<DeliveredDocuments>;
  /** The window downloads one delivered document as an annotated copy. */
  annotatedPdf(
    staffId: string,
    id: string,
    docId: string,
    requestId?: string,
  ): Promise<{ pdf: Uint8Array; type: string }>;
  receipt(
    caller: { staffId: string } | { residentId: string },
    id: string,
  ): Promise<DocumentCallReceiptAnswer>;
  /**
   * Node-to-node (docs/federation.md "Document call across provinces"), `caller` the signing node's
   * province: at the window's node, `bindHome` (the caller's resident opened the request); at the
   * resident's home, the call, its documents and an annotated copy for the window's node.
   */
  node: {
    bindHome(
      caller: string,
      id: string,
      requestDigest: string,
    ): Promise<{ id: string; homeProvince: string }>;
    call(caller: string, id: string, requestId?: string): Promise<NodeCallAnswer>;
    documents(caller: string, id: string, requestId?: string): Promise<DeliveredDocuments>;
    annotatedCopy(
      caller: string,
      id: string,
      docId: string,
      requestId?: string,
    ): Promise<{ type: string; pdf: string }>;
  };
  /** Settles calls whose time ran out (expiry, erasure after access); what the background timer runs. */
  sweepExpired(): Promise<{ expired: number; erased: number }>;
  /**
   * Ends the resident's open deliveries when their identity stops being valid (an enrollment hook: consent
   * withdrawn, account closed, identity moved): documents erased, the window answered 410. Idempotent.
   */
  onIdentityWithdrawn: IdentityWithdrawnHook;
  /** The delivered documents' sealed values, for the master-key re-wrap (app.ts registers it with enrollment). */
  sealedStore: SealedStore;
  /** Runs sweepExpired every `intervalMs`; the returned function stops it and waits for a run in flight. */
  startSweeps(intervalMs: number): () => Promise<void>;
}
