import { Schema, type Connection, type Model } from 'mongoose';

/**
 * A code a verifier has accepted. Kept in the database, not in memory, because several BFF processes
 * must agree; the TTL index removes entries once the code could no longer be valid anyway.
 */
export interface CodeUseDoc {
  /** `<verifier id>:<code digest>` */
  _id: string;
  expiresAt: Date;
}

const codeUseSchema = new Schema<CodeUseDoc>(
  {
    _id: { type: String, required: true },
    expiresAt: { type: Date, required: true },
  },
  { collection: 'code_uses', versionKey: false },
);
codeUseSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

/** Registers (once per connection) and returns the replay-cache model. */
export function codeUseModel(db: Connection): Model<CodeUseDoc> {
  return (db.models.CodeUse as Model<CodeUseDoc>) ?? db.model<CodeUseDoc>('CodeUse', codeUseSchema);
}
