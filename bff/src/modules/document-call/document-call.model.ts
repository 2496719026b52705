import { Schema, type Connection, type Model } from 'mongoose';
import type { DocumentCallState } from '@eid/shared';

/** One requested document as the request code signs it. */
export interface RequestedDocumentDoc {
  type: string;
  fields: string[];
  required: boolean;
}

/**
 * One document call. What it says about the window and the request is not personal data; the documents
 * delivered are, and live only in `sealed` (envelope-encrypted by the key store, bound to the call's id),
 * which is removed when the approval is withdrawn or the window's access ends. Times are epoch ms.
 */
export interface DocumentCallDoc {
  /** Hex of the 16-byte request id the request code carries. */
  _id: string;
  windowId: string;
  windowName: string;
  organisation: string;
  staffId: string;
  staffName: string;
  service: string;
  purpose: string;
  documents: RequestedDocumentDoc[];
  createdAt: number;
  answerBy: number;
  accessForMs: number;
  /** The `EIDR1:` text shown on the window's screen. */
  requestCode: string;
  /** base64url SHA-256 of the request code's COSE_Sign1. */
  requestDigest: string;
  kid: string;
  /** The resident it is addressed to (`addressedTo`) or who opened it first; approvals come only from them. */
  residentId?: string;
  state: DocumentCallState;
  answeredAt?: number;
  approvedAt?: number;
  accessUntil?: number;
  omitted?: string[];
  /** base64url of the signed receipt. */
  receipt?: string;
  /** `keys.seal` of the delivered documents (JSON); absent before delivery and after erasure. */
  sealed?: string;
  /** Requested types the licence system had no document of. */
  missing?: string[];
  /** Non-personal summary of what was delivered, for the resident's page after erasure too. */
  delivered?: { type: string; identifier: string; status: string }[];
  erasedAt?: number;
  /**
   * Cross-province (docs/federation.md "Document call across provinces"). At the resident's home node: the
   * province of the window that asked (this record is the home copy, made when the resident opened the
   * request) and its name in the national list, as the trace shows it.
   */
  windowProvince?: string;
  windowProvinceName?: string;
  /** At the window's node: the resident's home province, where the call is answered and read from. */
  homeProvince?: string;
  updatedAt: number;
}

// A field named `type` needs a schema of its own, or mongoose reads it as the path's type.
const requestedSchema = new Schema<RequestedDocumentDoc>(
  {
    type: { type: String, required: true },
    fields: { type: [String], required: true },
    required: { type: Boolean, required: true },
  },
  { _id: false },
);
const deliveredSchema = new Schema<{ type: string; identifier: string; status: string }>(
  {
    type: { type: String, required: true },
    identifier: { type: String, required: true },
    status: { type: String, required: true },
  },
  { _id: false },
);

const schema = new Schema<DocumentCallDoc>(
  {
    _id: { type: String, required: true },
    windowId: { type: String, required: true },
    windowName: { type: String, required: true },
    organisation: { type: String, required: true },
    staffId: { type: String, required: true },
    staffName: { type: String, required: true },
    service: { type: String, required: true },
    purpose: { type: String, required: true },
    documents: { type: [requestedSchema], required: true },
    createdAt: { type: Number, required: true },
    answerBy: { type: Number, required: true },
    accessForMs: { type: Number, required: true },
    requestCode: { type: String, required: true },
    requestDigest: { type: String, required: true },
    kid: { type: String, required: true },
    residentId: { type: String },
    state: {
      type: String,
      required: true,
      enum: ['pending', 'delivered', 'declined', 'expired', 'withdrawn', 'access_expired'],
    },
    answeredAt: { type: Number },
    approvedAt: { type: Number },
    accessUntil: { type: Number },
    omitted: { type: [String], default: undefined },
    receipt: { type: String },
    sealed: { type: String },
    missing: { type: [String], default: undefined },
    delivered: { type: [deliveredSchema], default: undefined },
    erasedAt: { type: Number },
    windowProvince: { type: String },
    windowProvinceName: { type: String },
    homeProvince: { type: String },
    updatedAt: { type: Number, required: true },
  },
  { collection: 'document_calls', versionKey: false, minimize: true },
);
// The resident's pending list and their own calls.
schema.index({ residentId: 1, state: 1, createdAt: -1 });
// The sweeps: unanswered requests past answerBy, deliveries past accessUntil that still hold documents.
schema.index({ state: 1, answerBy: 1 });
schema.index({ state: 1, accessUntil: 1 });
// The dashboard's counts (countCalls): calls made since a time.
schema.index({ createdAt: 1 });

/** Registers (once per connection) and returns the document-call model. */
export function documentCallModel(db: Connection): Model<DocumentCallDoc> {
  return (
    (db.models.DocumentCall as Model<DocumentCallDoc>) ?? db.model<DocumentCallDoc>('DocumentCall', schema)
  );
}
