import { Schema, type Connection, type Model } from 'mongoose';
import type { CardField, SignInLevel, SignInState } from '@eid/shared';

/**
 * One remote sign-in (issue 17): a party's request the browser shows as a QR code, which one resident opens
 * and approves on the phone, and the provider completes once. What it says about the request (party,
 * scopes, level, return URI) is not personal data; the resident is named only by id, and nothing of their
 * identity is kept here (the ID token's claims are read from the verified identity at the code exchange).
 */
export interface SignInDoc {
  /** The request code's id: 22 base64url characters. */
  _id: string;
  /** The provider's interaction uid: one sign-in per interaction (unique). */
  interactionUid: string;
  partyId: string;
  /** The party's sign-in purpose when it started: what the resident's trace records it under. */
  purpose: string;
  scopes: string[];
  fields: CardField[];
  /** The level asked. */
  level: SignInLevel;
  returnUri: string;
  /** base64url SHA-256 of the request code's secret: all that is kept of it. */
  secretHash: string;
  /** The three choices the phone shows, fixed at the start so that every read shows the same. */
  choices: string[];
  state: SignInState;
  /** The first resident who opened it; only they may answer it. */
  residentId?: string;
  openedAt?: number;
  /** Set on approval: the level achieved and its `acr` / `amr`. */
  approvedLevel?: SignInLevel;
  acr?: string;
  amr?: string[];
  approvedAt?: number;
  /** When it was approved, declined or cancelled. */
  answeredAt?: number;
  completedAt?: number;
  createdAt: number;
  /** A Date for the TTL index, which removes the record a day after it lapsed, whatever its state. */
  expiresAt: Date;
  updatedAt: number;
}

const schema = new Schema<SignInDoc>(
  {
    _id: { type: String, required: true },
    interactionUid: { type: String, required: true },
    partyId: { type: String, required: true },
    purpose: { type: String, required: true },
    scopes: { type: [String], required: true },
    fields: { type: [String], required: true },
    level: { type: Number, required: true, enum: [1, 2, 3] },
    returnUri: { type: String, required: true },
    secretHash: { type: String, required: true },
    choices: { type: [String], required: true },
    state: {
      type: String,
      required: true,
      enum: ['pending', 'opened', 'approved', 'declined', 'cancelled', 'expired', 'completed'],
    },
    residentId: { type: String },
    openedAt: { type: Number },
    approvedLevel: { type: Number, enum: [1, 2, 3] },
    acr: { type: String },
    amr: { type: [String], default: undefined },
    approvedAt: { type: Number },
    answeredAt: { type: Number },
    completedAt: { type: Number },
    createdAt: { type: Number, required: true },
    expiresAt: { type: Date, required: true },
    updatedAt: { type: Number, required: true },
  },
  { collection: 'signins', versionKey: false, minimize: true },
);
// Starting twice for one interaction (a reloaded page, two racing requests) finds the first sign-in.
schema.index({ interactionUid: 1 }, { unique: true });
// Sign-ins are short-lived: gone a day after they lapsed (the provider's code lives a minute at most).
schema.index({ expiresAt: 1 }, { expireAfterSeconds: 24 * 3600 });

/** Registers (once per connection) and returns the sign-in model. */
export function signInModel(db: Connection): Model<SignInDoc> {
  return (db.models.SignIn as Model<SignInDoc>) ?? db.model<SignInDoc>('SignIn', schema);
}
