import { Schema, type Connection, type Model } from 'mongoose';
import type { CardStatus, RevocationReason } from './card.types';

export type { CardStatus, RevocationReason };

/** One bright card: a device key bound to a resident, with its place in the issuer's status list. */
export interface CardDoc {
  /** base64url of the 16 random bytes in the credential. */
  _id: string;
  residentId: string;
  /**
   * Set to the resident id while the card is active or suspended, removed on revocation: the unique
   * sparse index on it means one live card per resident, whatever several BFF processes do at once.
   */
  liveResidentId?: string;
  status: CardStatus;
  kid: string;
  province: string;
  statusIndex: number;
  /** base64url of the raw 32-byte Ed25519 key. */
  devicePublicKey: string;
  createdAt: Date;
  /** Validity of the credential issued last (re-issuing to the same device renews it). */
  credentialIssuedAt: Date;
  credentialExpiresAt: Date;
  /**
   * Format of the credential issued last: 2 (selective disclosure) for every credential issued since
   * issue 14; absent on cards last issued before, whose v1 credential verifies until `credentialExpiresAt`.
   */
  credentialFormat?: 2;
  suspendedAt?: Date;
  /**
   * Who suspended the card: absent or `resident` for the holder's own suspension (a lost phone), which the
   * holder may resume; `staff` for a supervisor's, which only staff restore.
   */
  suspendedBy?: 'resident' | 'staff';
  /** The supervisor's suspension: who, why, for which case (docs/admin.md "Card actions"). */
  staffHold?: StaffHold;
  revokedAt?: Date;
  revokedReason?: RevocationReason;
  updatedAt: Date;
}

/** A supervisor's hold on a card. */
export interface StaffHold {
  staffId: string;
  reason: string;
  caseNumber?: string;
  at: Date;
}

/** Per issuer key: the next free status-list index and when a status last changed. */
export interface StatusCounterDoc {
  /** `status:<kid>` */
  _id: string;
  next: number;
  changedAt: number;
  /** Bumped on every change: several changes within one millisecond still invalidate cached lists. */
  version: number;
  /** First slot whose index is permuted (status-index.ts); absent on counters begun before that. */
  permutedFrom?: number;
}

const cardSchema = new Schema<CardDoc>(
  {
    _id: { type: String, required: true },
    residentId: { type: String, required: true },
    liveResidentId: { type: String },
    status: { type: String, required: true, enum: ['active', 'suspended', 'revoked'] },
    kid: { type: String, required: true },
    province: { type: String, required: true },
    statusIndex: { type: Number, required: true },
    devicePublicKey: { type: String, required: true },
    createdAt: { type: Date, required: true },
    credentialIssuedAt: { type: Date, required: true },
    credentialExpiresAt: { type: Date, required: true },
    credentialFormat: { type: Number, enum: [2] },
    suspendedAt: { type: Date },
    suspendedBy: { type: String, enum: ['resident', 'staff'] },
    staffHold: {
      type: new Schema(
        {
          staffId: { type: String, required: true },
          reason: { type: String, required: true },
          caseNumber: { type: String },
          at: { type: Date, required: true },
        },
        { _id: false },
      ),
      default: undefined,
    },
    revokedAt: { type: Date },
    revokedReason: { type: String },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'cards', versionKey: false },
);
cardSchema.index({ liveResidentId: 1 }, { unique: true, sparse: true });
cardSchema.index({ residentId: 1, createdAt: -1 });
cardSchema.index({ kid: 1, status: 1 });
cardSchema.index({ kid: 1, statusIndex: 1 }, { unique: true });
// The dashboard's counts (countCards): cards by status, cards issued since a time.
cardSchema.index({ status: 1 });
cardSchema.index({ createdAt: 1 });

const counterSchema = new Schema<StatusCounterDoc>(
  {
    _id: { type: String, required: true },
    next: { type: Number, required: true },
    changedAt: { type: Number, required: true },
    version: { type: Number, required: true },
    permutedFrom: { type: Number },
  },
  { collection: 'status_counters', versionKey: false },
);

/** Registers (once per connection) and returns the card module's models. */
export function cardModels(db: Connection): {
  cards: Model<CardDoc>;
  counters: Model<StatusCounterDoc>;
} {
  return {
    cards: (db.models.Card as Model<CardDoc>) ?? db.model<CardDoc>('Card', cardSchema),
    counters:
      (db.models.StatusCounter as Model<StatusCounterDoc>) ??
      db.model<StatusCounterDoc>('StatusCounter', counterSchema),
  };
}
