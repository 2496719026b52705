import { Schema, type Connection, type Model } from 'mongoose';

/**
 * One resident's e-ID passcode and its tries. The document exists exactly while a passcode is set: it is
 * created by the first set and deleted when the identity ends. `sealed` is the scrypt hash with its
 * parameters (hash.ts), sealed by the key store bound to the resident, so a copy of the database alone
 * cannot be guessed offline (10^6 codes are few). Times are epoch ms.
 */
export interface PasscodeDoc {
  /** The resident id: one passcode per resident. */
  _id: string;
  /** `keys.seal` of the encoded hash, AAD `passcode:<residentId>`. */
  sealed: string;
  /** Tries taken since the last right one or the last pause (a try is counted before it is compared). */
  failures: number;
  /** Pauses since the last right passcode or reset: picks the next pause's length. */
  pauses: number;
  /** Tries are refused until then; 0 when never paused (one comparison, no missing field to test). */
  pausedUntil: number;
  /** When the passcode itself was last set, changed or reset (tries do not move it). */
  updatedAt: number;
}

const schema = new Schema<PasscodeDoc>(
  {
    _id: { type: String, required: true },
    sealed: { type: String, required: true },
    failures: { type: Number, required: true },
    pauses: { type: Number, required: true },
    pausedUntil: { type: Number, required: true },
    updatedAt: { type: Number, required: true },
  },
  { collection: 'passcodes', versionKey: false },
);

/** Registers (once per connection) and returns the passcode model. */
export function passcodeModel(db: Connection): Model<PasscodeDoc> {
  return (db.models.Passcode as Model<PasscodeDoc>) ?? db.model<PasscodeDoc>('Passcode', schema);
}
