import { Schema, type Connection, type Model } from 'mongoose';
import type { UsageEventInput } from './usage.types';

/** One stored link of a resident's usage chain. `hash` covers every other field and `prevHash`. */
export interface UsageEventDoc extends UsageEventInput {
  _id: string;
  seq: number;
  /** Epoch ms. */
  at: number;
  /** Set by `recordOnce`: unique across all events; not covered by the hash. */
  once?: string;
  prevHash: string;
  hash: string;
}

/** The latest link of each chain, kept apart so that cutting the tail of a chain is detected too. */
export interface UsageHeadDoc {
  _id: string;
  seq: number;
  hash: string;
}

const usageEventSchema = new Schema<UsageEventDoc>(
  {
    _id: { type: String, required: true },
    residentId: { type: String, required: true },
    seq: { type: Number, required: true },
    at: { type: Number, required: true },
    actor: {
      _id: false,
      type: { type: String, required: true },
      id: { type: String, required: true },
      displayName: { type: String, required: true },
      org: { type: String },
    },
    action: { type: String, required: true },
    fields: { type: [String], default: undefined },
    purpose: { type: String, required: true },
    result: { type: String, required: true },
    detail: { type: Schema.Types.Mixed },
    requestId: { type: String },
    once: { type: String },
    visibleFrom: { type: Number },
    prevHash: { type: String, required: true },
    hash: { type: String, required: true },
  },
  { collection: 'usage_events', versionKey: false, minimize: true },
);
// The unique (residentId, seq) pair is the concurrency control: two writers that read the same tail
// cannot both append, the loser re-reads and retries.
usageEventSchema.index({ residentId: 1, seq: 1 }, { unique: true });
// recordOnce: an event with a key is appended at most once, whichever process tries.
usageEventSchema.index({ once: 1 }, { unique: true, partialFilterExpression: { once: { $exists: true } } });
// The auditor's searches across residents (usage/search.ts), newest first by (at, _id): by actor (a staff
// member, a relying party), by purpose, by time alone. By resident the (residentId, seq) index narrows it.
usageEventSchema.index({ 'actor.type': 1, 'actor.id': 1, at: -1, _id: -1 });
usageEventSchema.index({ purpose: 1, at: -1, _id: -1 });
usageEventSchema.index({ at: -1, _id: -1 });
// The dashboard's counts (countEvents): one action over a time window, without scanning every trace.
usageEventSchema.index({ action: 1, at: 1 });

const usageHeadSchema = new Schema<UsageHeadDoc>(
  {
    _id: { type: String, required: true },
    seq: { type: Number, required: true },
    hash: { type: String, required: true },
  },
  { collection: 'usage_heads', versionKey: false },
);

export interface UsageModels {
  events: Model<UsageEventDoc>;
  heads: Model<UsageHeadDoc>;
}

/** Registers (once per connection) and returns the usage models. */
export function usageModels(db: Connection): UsageModels {
  return {
    events:
      (db.models.UsageEvent as Model<UsageEventDoc>) ??
      db.model<UsageEventDoc>('UsageEvent', usageEventSchema),
    heads:
      (db.models.UsageHead as Model<UsageHeadDoc>) ?? db.model<UsageHeadDoc>('UsageHead', usageHeadSchema),
  };
}
