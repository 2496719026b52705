import { Schema, type Connection, type Model } from 'mongoose';

export type { StaffRole } from '@eid/shared';
import type { StaffRole } from '@eid/shared';

/** A service window: a desk of an organisation where residents are served. */
export interface StaffWindow {
  id: string;
  name: string;
}

/** A staff account of a service window. The password is kept only as an scrypt hash. */
export interface StaffDoc {
  _id: string;
  username: string;
  passwordHash: string;
  role: StaffRole;
  /** What residents see in their usage trace: a window or desk name, not a person's full name. */
  displayName: string;
  org: string;
  /**
   * The service window the account works at (document call, docs/api.md): its id and name; the window's
   * organisation is `org`. An account without one cannot open document calls.
   */
  window?: StaffWindow;
  createdAt: Date;
  disabled?: boolean;
  /** The development account created at boot outside production. */
  dev?: boolean;
  /** The TOTP second factor, once enrolment started (totp.ts); without `confirmedAt` it is still pending. */
  totp?: StaffTotp;
}

/**
 * A staff account's TOTP (RFC 6238: SHA-1, 6 digits, 30 s). The secret is sealed by the key store bound
 * to the account, so a copy of the database alone cannot compute codes; recovery codes are kept only as
 * SHA-256 hashes (they are 80 random bits: nothing to guess offline) and each is pulled once used.
 */
export interface StaffTotp {
  /** `keys.seal` of the base32 secret, AAD `staff-totp:<staffId>`. */
  sealed: string;
  /** `sha256b64url` of each unused recovery code, normalised (totp.ts). */
  recoveryHashes: string[];
  /** When enrolment started (epoch ms). */
  createdAt: number;
  /** When a first code proved the authenticator app holds the secret; absent while pending. */
  confirmedAt?: number;
  /** The last time step (unix time / 30 s) a code was accepted for: that step and earlier are spent. */
  lastStep: number;
}

const totpSchema = new Schema<StaffTotp>(
  {
    sealed: { type: String, required: true },
    recoveryHashes: { type: [String], required: true },
    createdAt: { type: Number, required: true },
    confirmedAt: { type: Number },
    lastStep: { type: Number, required: true },
  },
  { _id: false },
);

const staffSchema = new Schema<StaffDoc>(
  {
    _id: { type: String, required: true },
    username: { type: String, required: true },
    passwordHash: { type: String, required: true },
    role: { type: String, required: true },
    displayName: { type: String, required: true },
    org: { type: String, required: true },
    window: { _id: false, id: { type: String }, name: { type: String } },
    createdAt: { type: Date, required: true },
    disabled: { type: Boolean },
    dev: { type: Boolean },
    totp: { type: totpSchema },
  },
  { collection: 'staff', versionKey: false },
);
staffSchema.index({ username: 1 }, { unique: true });

/** Registers (once per connection) and returns the staff model. */
export function staffModel(db: Connection): Model<StaffDoc> {
  return (db.models.Staff as Model<StaffDoc>) ?? db.model<StaffDoc>('Staff', staffSchema);
}
