import { Schema, type Connection, type Model } from 'mongoose';

/** One delivery attempt of a callback: no payload, only what an operator needs to see why it failed. */
export interface CallbackAttemptDoc {
  webhookId: string;
  /** The event's outbox key: how a redelivery by webhook-id finds it. */
  key: string;
  partyId: string;
  attempt: number;
  at: Date;
  status?: number;
  error?: string;
  durationMs: number;
}

// Attempts are an operator's view, not a record anyone relies on: 30 days are enough to answer a party.
const ATTEMPTS_KEPT_S = 30 * 24 * 3600;

const attemptSchema = new Schema<CallbackAttemptDoc>(
  {
    webhookId: { type: String, required: true },
    key: { type: String, required: true },
    partyId: { type: String, required: true },
    attempt: { type: Number, required: true },
    at: { type: Date, required: true },
    status: { type: Number },
    error: { type: String },
    durationMs: { type: Number, required: true },
  },
  { collection: 'callback_attempts', versionKey: false },
);
attemptSchema.index({ webhookId: 1, at: 1 });
attemptSchema.index({ at: 1 }, { expireAfterSeconds: ATTEMPTS_KEPT_S });

/** Registers (once per connection) and returns the callbacks module's model. */
export function callbackModels(db: Connection): { attempts: Model<CallbackAttemptDoc> } {
  return {
    attempts:
      (db.models.CallbackAttempt as Model<CallbackAttemptDoc>) ??
      db.model<CallbackAttemptDoc>('CallbackAttempt', attemptSchema),
  };
}
