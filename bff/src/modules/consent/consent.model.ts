import { Schema, type Connection, type Model } from 'mongoose';
import type { ConsentState } from '@eid/shared';

/** The party's signed acknowledgement of a deletion, as received: enough to check it again later. */
export interface DeletionProofDoc {
  kid: string;
  publicKey: string;
  method: string;
  targetUri: string;
  signatureInput: string;
  signature: string;
  contentDigest: string;
  /** The other covered header fields, as received (pairs: a field name may hold a dot). */
  headers?: { name: string; value: string }[];
  body: string;
  receivedAt: number;
}

/** Where the deletion after a withdrawal stands (the state is judged when read: pending, overdue, confirmed). */
export interface DeletionDoc {
  requestedAt: number;
  dueBy: number;
  deletedAt?: number;
  confirmedAt?: number;
  confirmedByKid?: string;
  note?: string;
  proof?: DeletionProofDoc;
}

/**
 * One consent request of a relying party and its life. What it says about the request (party, purpose,
 * scopes, reason) is not personal data; the approved claims are, and live only in `sealed` (the key store's
 * envelope, bound to the consent's id), erased on withdrawal. While pending, `sealed` holds the request
 * code's secret instead (so a poll can show the code again); the secret is checked against `secretHash`.
 * Times are epoch ms.
 */
export interface ConsentDoc {
  /** The request code's id: 22 base64url characters (16 random bytes). */
  _id: string;
  partyId: string;
  purpose: string;
  scopes: string[];
  reason: string;
  retentionDays: number;
  reference?: string;
  /** base64url SHA-256 of the request code's secret. */
  secretHash: string;
  /** The first resident who opened the request; only they may answer it. */
  residentId?: string;
  state: ConsentState;
  createdAt: number;
  expiresAt: number;
  answeredAt?: number;
  withdrawnAt?: number;
  lastUsedAt?: number;
  /** `keys.seal` of `{ secret }` while pending, of `{ claims, documents }` while approved; absent otherwise. */
  sealed?: string;
  /** Names of what was handed over (card fields, `type.field` of documents): the resident's "what it got". */
  fields?: string[];
  deletion?: DeletionDoc;
  updatedAt: number;
}

const headerSchema = new Schema<{ name: string; value: string }>(
  { name: { type: String, required: true }, value: { type: String, required: true } },
  { _id: false },
);
const proofSchema = new Schema<DeletionProofDoc>(
  {
    kid: { type: String, required: true },
    publicKey: { type: String, required: true },
    method: { type: String, required: true },
    targetUri: { type: String, required: true },
    signatureInput: { type: String, required: true },
    signature: { type: String, required: true },
    contentDigest: { type: String, required: true },
    headers: { type: [headerSchema], default: undefined },
    body: { type: String, required: true },
    receivedAt: { type: Number, required: true },
  },
  { _id: false },
);
const deletionSchema = new Schema<DeletionDoc>(
  {
    requestedAt: { type: Number, required: true },
    dueBy: { type: Number, required: true },
    deletedAt: { type: Number },
    confirmedAt: { type: Number },
    confirmedByKid: { type: String },
    note: { type: String },
    proof: { type: proofSchema },
  },
  { _id: false },
);

const schema = new Schema<ConsentDoc>(
  {
    _id: { type: String, required: true },
    partyId: { type: String, required: true },
    purpose: { type: String, required: true },
    scopes: { type: [String], required: true },
    reason: { type: String, required: true },
    retentionDays: { type: Number, required: true },
    reference: { type: String },
    secretHash: { type: String, required: true },
    residentId: { type: String },
    state: {
      type: String,
      required: true,
      enum: ['pending', 'approved', 'declined', 'expired', 'withdrawn'],
    },
    createdAt: { type: Number, required: true },
    expiresAt: { type: Number, required: true },
    answeredAt: { type: Number },
    withdrawnAt: { type: Number },
    lastUsedAt: { type: Number },
    sealed: { type: String },
    fields: { type: [String], default: undefined },
    deletion: { type: deletionSchema },
    updatedAt: { type: Number, required: true },
  },
  { collection: 'consents', versionKey: false, minimize: true },
);
// The resident's list of parties and the identity hook's live consents.
schema.index({ residentId: 1, state: 1, createdAt: -1 });
// The sweep: unanswered requests past expiresAt.
schema.index({ state: 1, expiresAt: 1 });
// The relying-party verify: the live consent of (party, resident, purpose).
schema.index({ partyId: 1, residentId: 1, purpose: 1, state: 1, answeredAt: -1 });

/** Registers (once per connection) and returns the consent model. */
export function consentModel(db: Connection): Model<ConsentDoc> {
  return (db.models.Consent as Model<ConsentDoc>) ?? db.model<ConsentDoc>('Consent', schema);
}
