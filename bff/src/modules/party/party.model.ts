import { Schema, type Connection, type Model } from 'mongoose';
import type { PartyGrant, PartySignIn, SignedPartyRegistration } from '@eid/shared';

/** One webhook secret of a party: only sealed (keys.seal, aad `party:<id>:whsec:<secretId>`). */
export interface WebhookSecretDoc {
  /** First 8 bytes of SHA-256 of the secret text, base64url: names it without revealing it. */
  id: string;
  sealed: string;
  createdAt: number;
  /** Epoch ms from which it no longer signs (set when a newer one replaces it). */
  retiresAt?: number;
}

/**
 * A registered relying party. Nothing here is a resident's personal data; the webhook secrets are sealed.
 * Its request-signing keys live in `party_keys` (a key id is unique across all parties). Times are epoch ms.
 */
export interface PartyDoc {
  /** `rp_` + 16 base64url characters. */
  _id: string;
  name: string;
  uscc: string;
  category: string;
  grants: PartyGrant[];
  retentionDays: number;
  callbackUrl: string;
  callbackDisabledAt?: number;
  status: 'active' | 'suspended';
  limits: { perMinute: number; perDay: number };
  webhookSecrets: WebhookSecretDoc[];
  /** Remote sign-in (issue 17): absent when the party may not sign residents in. */
  signIn?: PartySignIn;
  registration: SignedPartyRegistration;
  createdAt: number;
  updatedAt: number;
  createdBy: string;
  updatedBy: string;
  /** Counts the writes: every change is a compare-and-set on it. */
  rev: number;
}

/** One request-signing key: `_id` is its key id, so the database refuses a second party using it. */
export interface PartyKeyDoc {
  _id: string;
  partyId: string;
  /** base64url of the raw 32-byte Ed25519 public key. */
  publicKey: string;
  addedAt: number;
  retiresAt?: number;
}

const grantSchema = new Schema<PartyGrant>(
  { purpose: { type: String, required: true }, scopes: { type: [String], required: true } },
  { _id: false },
);
const secretSchema = new Schema<WebhookSecretDoc>(
  {
    id: { type: String, required: true },
    sealed: { type: String, required: true },
    createdAt: { type: Number, required: true },
    retiresAt: { type: Number },
  },
  { _id: false },
);

const signInSchema = new Schema<PartySignIn>(
  {
    redirectUris: { type: [String], required: true },
    level: { type: Number, required: true },
    purpose: { type: String, required: true },
  },
  { _id: false },
);

const partySchema = new Schema<PartyDoc>(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    uscc: { type: String, required: true },
    category: { type: String, required: true },
    grants: { type: [grantSchema], required: true },
    retentionDays: { type: Number, required: true },
    callbackUrl: { type: String, required: true },
    callbackDisabledAt: { type: Number },
    status: { type: String, required: true, enum: ['active', 'suspended'] },
    limits: {
      perMinute: { type: Number, required: true },
      perDay: { type: Number, required: true },
    },
    webhookSecrets: { type: [secretSchema], required: true },
    signIn: { type: signInSchema },
    // The signed statement is kept exactly as signed: a mixed value, never cast or reordered by mongoose.
    registration: { type: Schema.Types.Mixed, required: true },
    createdAt: { type: Number, required: true },
    updatedAt: { type: Number, required: true },
    createdBy: { type: String, required: true },
    updatedBy: { type: String, required: true },
    rev: { type: Number, required: true },
  },
  { collection: 'parties', versionKey: false, minimize: true },
);
partySchema.index({ createdAt: 1 });

const keySchema = new Schema<PartyKeyDoc>(
  {
    _id: { type: String, required: true },
    partyId: { type: String, required: true },
    publicKey: { type: String, required: true },
    addedAt: { type: Number, required: true },
    retiresAt: { type: Number },
  },
  { collection: 'party_keys', versionKey: false },
);
keySchema.index({ partyId: 1, addedAt: 1 });

/** Registers (once per connection) and returns the party models. */
export function partyModels(db: Connection): { parties: Model<PartyDoc>; keys: Model<PartyKeyDoc> } {
  return {
    parties: (db.models.Party as Model<PartyDoc>) ?? db.model<PartyDoc>('Party', partySchema),
    keys: (db.models.PartyKey as Model<PartyKeyDoc>) ?? db.model<PartyKeyDoc>('PartyKey', keySchema),
  };
}
