import { Schema, type Connection, type Model } from 'mongoose';

/** A resident account: nothing but a random id and the keyed index of the super-app openid. */
export interface ResidentDoc {
  _id: string;
  openIdIndex: string;
  createdAt: Date;
}

/** A refresh-token family: one login, rotated on every refresh, revoked as a whole. */
export interface SessionDoc {
  _id: string;
  residentId: string;
  /** sha256 of the one refresh token of this family that may be used next. */
  currentHash: string;
  /** sha256 of the token it replaced: a second use of it is reuse even before the spent record lands. */
  previousHash?: string;
  createdAt: Date;
  rotatedAt?: Date;
  /** Sliding: each rotation extends it. A TTL index removes the family a while after it expires. */
  expiresAt: Date;
  revokedAt?: Date;
  revokedReason?: 'logout' | 'reuse' | 'account_closed';
}

/** A refresh token that was rotated away; presenting it again revokes its family. */
export interface SpentRefreshTokenDoc {
  _id: string;
  sid: string;
  expiresAt: Date;
}

const residentSchema = new Schema<ResidentDoc>(
  {
    _id: { type: String, required: true },
    openIdIndex: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'residents', versionKey: false },
);
residentSchema.index({ openIdIndex: 1 }, { unique: true });

const sessionSchema = new Schema<SessionDoc>(
  {
    _id: { type: String, required: true },
    residentId: { type: String, required: true },
    currentHash: { type: String, required: true },
    previousHash: { type: String },
    createdAt: { type: Date, required: true },
    rotatedAt: { type: Date },
    expiresAt: { type: Date, required: true },
    revokedAt: { type: Date },
    revokedReason: { type: String },
  },
  { collection: 'sessions', versionKey: false },
);
sessionSchema.index({ currentHash: 1 }, { unique: true });
sessionSchema.index({ previousHash: 1 });
sessionSchema.index({ residentId: 1 });
// Kept a week past expiry so a late reuse of its tokens is still recognised and refused.
sessionSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 7 * 24 * 3600 });

const spentSchema = new Schema<SpentRefreshTokenDoc>(
  {
    _id: { type: String, required: true },
    sid: { type: String, required: true },
    expiresAt: { type: Date, required: true },
  },
  { collection: 'refresh_tokens_spent', versionKey: false },
);
spentSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

export interface AuthModels {
  residents: Model<ResidentDoc>;
  sessions: Model<SessionDoc>;
  spent: Model<SpentRefreshTokenDoc>;
}

/** Registers (once per connection) and returns the account and session models. */
export function authModels(db: Connection): AuthModels {
  return {
    residents:
      (db.models.Resident as Model<ResidentDoc>) ?? db.model<ResidentDoc>('Resident', residentSchema),
    sessions: (db.models.Session as Model<SessionDoc>) ?? db.model<SessionDoc>('Session', sessionSchema),
    spent:
      (db.models.SpentRefreshToken as Model<SpentRefreshTokenDoc>) ??
      db.model<SpentRefreshTokenDoc>('SpentRefreshToken', spentSchema),
  };
}
