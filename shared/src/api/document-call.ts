/**
 * Wire shapes of the document call (`/api/v1/document-calls`; docs/api.md "Document call"): a service window
 * asks for a resident's documents, the resident approves, the BFF pulls them from the licence system and
 * delivers them to that request only, with a signed receipt for both sides.
 */

/**
 * Where a document call stands.
 * - `pending`: created, not answered yet (until `answerBy`);
 * - `delivered`: approved; the documents were pulled and delivered in the same step (there is no
 *   approved-but-not-delivered state: an approval that cannot pull leaves the request `pending`);
 * - `declined`: the resident said no;
 * - `expired`: not answered before `answerBy`;
 * - `withdrawn`: the resident withdrew the approval before `accessUntil`; the documents were erased;
 * - `access_expired`: delivered, and `accessUntil` has passed; the documents are (or are being) erased.
 */
export type DocumentCallState =
  'pending' | 'delivered' | 'declined' | 'expired' | 'withdrawn' | 'access_expired';

/** The service window asking, as the request code signs it. */
export interface DocumentCallWindow {
  id: string;
  name: string;
  organisation: string;
}

/** The staff member who opened the request (a display name, never a full personal name or number). */
export interface DocumentCallStaff {
  id: string;
  displayName: string;
}

/** Body of `POST /api/v1/document-calls` (staff). */
export interface CreateDocumentCallRequest {
  /** A service code of `GET /api/v1/document-services`. */
  service: string;
  /** What for, as the window states it: 1-128 bytes of UTF-8 plain text (about 40 Chinese characters), e.g. `办理机动车转移登记`. */
  purpose: string;
  /** The documents wanted; `fields` default to every field the service may read of the type. */
  documents: { type: string; fields?: string[] }[];
  /** How long after approval the window may read them; default one working day, at most the service's bound. */
  accessForMs?: number;
  /** The resident's bright code (`EID1:`/`EID2:`), to list the request as pending for them. */
  addressedTo?: string;
}

/** A requested document with labels, as both sides show it. */
export interface DocumentCallItem {
  type: string;
  zh: string;
  en: string;
  /** True when the service requires it: the resident cannot leave it out. */
  required: boolean;
  fields: { key: string; zh: string; en: string }[];
}

/** The service as the catalogue names it. */
export interface DocumentCallServiceInfo {
  code: string;
  zh: string;
  en: string;
  basis: string;
}

/** What both sides see of a request. */
export interface DocumentCallView {
  id: string;
  state: DocumentCallState;
  window: DocumentCallWindow;
  staff: DocumentCallStaff;
  service: DocumentCallServiceInfo;
  purpose: string;
  documents: DocumentCallItem[];
  /** Epoch ms (whole seconds). */
  createdAt: number;
  /** Epoch ms (whole seconds): an unanswered request expires then. */
  answerBy: number;
  accessForMs: number;
  /** base64url SHA-256 of the request code's COSE_Sign1: what an approval names. */
  requestDigest: string;
  /** Set once answered. */
  answeredAt?: number;
  /** Set once delivered (whole seconds). */
  approvedAt?: number;
  /** Set once delivered (whole seconds): the window reads nothing after it. */
  accessUntil?: number;
  /** Optional types the resident left out. */
  omitted?: string[];
}

/** Answer of `POST /api/v1/document-calls` and `GET /api/v1/document-calls/:id` for the window. */
export interface WindowDocumentCall extends DocumentCallView {
  /** The signed request code (`EIDR1:`), shown on the window's screen as a QR code. */
  requestCode: string;
  /** True when the request names a resident (`addressedTo`, or the resident who opened it). */
  addressed: boolean;
  /** Set when a resident of another province opened it: the call is answered and read there (issue 18). */
  homeProvince?: string;
}

/** Body of `POST /api/v1/document-calls/open` (resident). */
export interface OpenDocumentCallRequest {
  requestCode: string;
}

/**
 * Answer of `POST /api/v1/document-calls/open`: the request as its signature and the BFF's record agree, so
 * the page may say "verified" and show who is asking.
 */
export interface OpenedDocumentCall extends DocumentCallView {
  verified: true;
  /** Key id that signed the request code (in the trust list). */
  kid: string;
}

/** Answer of `GET /api/v1/document-calls/pending` and `GET /api/v1/document-calls/mine` (resident). */
export interface DocumentCallList {
  items: (DocumentCallView & { requestCode: string })[];
}

/** Body of `POST /api/v1/document-calls/:id/approve` (resident). */
export interface ApproveDocumentCallRequest {
  /** `requestDigest` of the request the resident was shown. */
  requestDigest: string;
  /** Optional document types left out. */
  omit?: string[];
}

/** The receipt: the signed bytes both sides keep, and what they say. */
export interface DocumentCallReceiptAnswer {
  /** base64url of the BFF-signed COSE_Sign1 (docs/formats/licence-codes.md, receipt). */
  receipt: string;
  kid: string;
  /** The receipt as the resident reads it, Chinese then English (`receiptText`). */
  text: string;
  view: {
    requestId: string;
    /** base64url. */
    requestDigest: string;
    window: DocumentCallWindow;
    staff: DocumentCallStaff;
    service: string;
    purpose: string;
    documents: { type: string; identifier: string; digest: string; fields: string[] }[];
    approvedAt: number;
    accessUntil: number;
  };
}

/** Answer of approve, decline and withdraw: the request after the step, and the receipt once delivered. */
export interface DocumentCallAnswer {
  call: DocumentCallView;
  receipt?: DocumentCallReceiptAnswer;
  /** The documents delivered, without their contents (what the resident's page lists). */
  delivered?: { type: string; identifier: string; status: DeliveredDocumentStatus }[];
  /** Requested types the licence system holds no document of for this resident. */
  missing?: string[];
}

/**
 * A delivered document's standing when it was pulled: `revoked` and `suspended` are the issuing body's word
 * at that moment; `expired` is judged from its validity against Beijing's date. Never shown as valid when not.
 */
export type DeliveredDocumentStatus = 'valid' | 'expired' | 'revoked' | 'suspended';

/** A field value as delivered: text, a `YYYY-MM-DD` date, a number, a boolean; bytes as base64url. */
export type DeliveredFieldValue = string | number | boolean | null;

/** One delivered document as the window reads it: only the fields the service may read. */
export interface DeliveredDocument {
  /** The id of this delivery (unique to the request): what the annotated-copy URL names. */
  id: string;
  type: string;
  zh: string;
  en: string;
  /** The national licence identifier. */
  identifier: string;
  status: DeliveredDocumentStatus;
  /** `YYYY-MM-DD` from the signed credential. */
  validFrom: string;
  /** `YYYY-MM-DD`, or null for long-term (长期). */
  validUntil: string | null;
  /** The issuing body's USCC (from the signed credential). */
  issuer: string;
  /** Field key -> value, only the service's fields (null: an optional field the document does not have). */
  fields: Record<string, DeliveredFieldValue>;
  /** base64url of the issuing body's document credential (its digest is the receipt's). */
  credential: string;
}

/** Answer of `GET /api/v1/document-calls/:id/documents` (staff). */
export interface DeliveredDocuments {
  id: string;
  accessUntil: number;
  documents: DeliveredDocument[];
  missing: string[];
}
