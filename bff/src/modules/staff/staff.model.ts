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
  /** The officer's badge number (警号): what residents see in their usage records. Older accounts have none. */
  badge?: string;
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
    badge: { type: String },
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

/**
 * A staff session: one sign-in, named by the `sid` of every token it is given (sign-in, TOTP confirmation,
 * refresh). It ends STAFF_IDLE_TIMEOUT_S after `lastSeenAt`, STAFF_SESSION_MAX_S after `startedAt`, or at
 * `endedAt` (sign-out, an administrator's revocation, an account change).
 */
export interface StaffSessionDoc {
  _id: string;
  staffId: string;
  /** Epoch ms. */
  startedAt: number;
  /** Epoch ms of the last request recorded (at most one write a minute per session). */
  lastSeenAt: number;
  endedAt?: number;
  endedBy?: StaffSessionEnd;
  /** Removal by the TTL index, a day after the session's absolute end. */
  expiresAt: Date;
}

/** Why a session ended before its time. */
export type StaffSessionEnd = 'logout' | 'revoked' | 'role_changed' | 'disabled' | 'totp_reset';

const sessionSchema = new Schema<StaffSessionDoc>(
  {
    _id: { type: String, required: true },
    staffId: { type: String, required: true },
    startedAt: { type: Number, required: true },
    lastSeenAt: { type: Number, required: true },
    endedAt: { type: Number },
    endedBy: { type: String },
    expiresAt: { type: Date, required: true },
  },
  { collection: 'staff_sessions', versionKey: false },
);
sessionSchema.index({ staffId: 1 });
sessionSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

/** Registers (once per connection) and returns the staff session model. */
export function staffSessionModel(db: Connection): Model<StaffSessionDoc> {
  return (
    (db.models.StaffSession as Model<StaffSessionDoc>) ??
    db.model<StaffSessionDoc>('StaffSession', sessionSchema)
  );
}

/**
 * Consecutive failed sign-ins of one username (`_id` `a:<username>`) or of one username from one client
 * address (`p:<username>:<address>`): sign-in-throttle.ts. Kept by username, not account id, so an unknown
 * name is throttled exactly like a real one.
 */
export interface SignInFailureDoc {
  _id: string;
  username: string;
  count: number;
  /** Epoch ms of the last failure. */
  lastAt: number;
  /** No try is taken before this (epoch ms). */
  allowedAt: number;
  /** Set when the account reached the consecutive-failure limit: only an administrator's unlock clears it. */
  lockedAt?: number;
  /** Removal by the TTL index when the failures are old; absent while locked, so a lock never lapses. */
  expiresAt?: Date;
}

const failureSchema = new Schema<SignInFailureDoc>(
  {
    _id: { type: String, required: true },
    username: { type: String, required: true },
    count: { type: Number, required: true },
    lastAt: { type: Number, required: true },
    allowedAt: { type: Number, required: true },
    lockedAt: { type: Number },
    expiresAt: { type: Date },
  },
  { collection: 'staff_sign_in_failures', versionKey: false },
);
failureSchema.index({ username: 1 });
failureSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

/** Registers (once per connection) and returns the sign-in failure model. */
export function signInFailureModel(db: Connection): Model<SignInFailureDoc> {
  return (
    (db.models.StaffSignInFailure as Model<SignInFailureDoc>) ??
    db.model<SignInFailureDoc>('StaffSignInFailure', failureSchema)
  );
}
