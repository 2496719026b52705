import type { Connection } from 'mongoose';
import type { RetentionPeriods, RetentionRuleResult } from './retention.types';

const DAY_MS = 24 * 3600 * 1000;

/** Closed accounts whose records one sweep deletes; the next sweep takes the rest. */
export const CLOSED_ACCOUNTS_PER_SWEEP = 200;

/**
 * One period: the records of `collection` matching `filter(cutoff)` are deleted, `cutoff` being now less
 * the configured days. Every rule's reason is in docs/data-inventory.md, under the collection's table.
 * The rules read collections by name (no other module's model): retention is a property of the data, and
 * one list is what an inspector can check against the inventory.
 */
export interface RetentionRule {
  name: string;
  collection: string;
  period: keyof RetentionPeriods;
  filter(cutoff: number): Record<string, unknown>;
}

/** Ended states: a record in one of them changes no more, so its `updatedAt` is when it ended. */
const ENDED_CONSENT = ['declined', 'expired', 'withdrawn'];
const ENDED_CALL = ['declined', 'expired', 'withdrawn', 'access_expired'];

export const RULES: RetentionRule[] = [
  {
    name: 'consent.ended',
    collection: 'consents',
    period: 'RETENTION_CONSENT_DAYS',
    filter: (cutoff) => ({ state: { $in: ENDED_CONSENT }, updatedAt: { $lte: cutoff } }),
  },
  {
    name: 'document_call.ended',
    collection: 'document_calls',
    period: 'RETENTION_DOCUMENT_CALL_DAYS',
    filter: (cutoff) => ({ state: { $in: ENDED_CALL }, updatedAt: { $lte: cutoff } }),
  },
  {
    name: 'review.decided',
    collection: 'enrollment_reviews',
    period: 'RETENTION_REVIEW_DAYS',
    filter: (cutoff) => ({
      status: { $in: ['approved', 'rejected'] },
      'decision.at': { $lte: new Date(cutoff) },
    }),
  },
  {
    name: 'review.withdrawn',
    collection: 'enrollment_reviews',
    period: 'RETENTION_REVIEW_DAYS',
    filter: (cutoff) => ({ status: 'withdrawn', openedAt: { $lte: new Date(cutoff) } }),
  },
  {
    name: 'outbox.dead',
    collection: 'outbox_dead',
    period: 'RETENTION_DEAD_LETTER_DAYS',
    filter: (cutoff) => ({ deadAt: { $lte: new Date(cutoff) } }),
  },
  {
    // The status list needs a revoked card only while its credential could still be shown: after expiry
    // every verifier refuses the credential on its date alone.
    name: 'card.revoked_expired',
    collection: 'cards',
    period: 'RETENTION_CARD_DAYS',
    filter: (cutoff) => ({ status: 'revoked', credentialExpiresAt: { $lte: new Date(cutoff) } }),
  },
];

/** What a closed account leaves, deleted with its usage trace once the trace's period has ended. */
export const CLOSED_ACCOUNT_COLLECTIONS = [
  { collection: 'usage_events', key: 'residentId' },
  { collection: 'usage_heads', key: '_id' },
  { collection: 'oversight_questions', key: 'residentId' },
  { collection: 'resident_notices', key: 'residentId' },
  { collection: 'former_homes', key: 'residentId' },
  { collection: 'moves_out', key: 'residentId' },
] as const;

export const cutoffOf = (now: number, days: number) => now - days * DAY_MS;

/** Runs one rule: its matching records deleted. */
export async function runRule(
  db: Connection,
  rule: RetentionRule,
  periods: RetentionPeriods,
  now: number,
): Promise<RetentionRuleResult> {
  const filter = rule.filter(cutoffOf(now, periods[rule.period]));
  const { deletedCount } = await db.collection(rule.collection).deleteMany(filter);
  return { rule: rule.name, collection: rule.collection, deleted: deletedCount };
}

/**
 * The usage traces of accounts closed (or moved to another province) more than RETENTION_USAGE_DAYS ago,
 * with what else is the resident's alone: the whole chain goes at once (events and head), so no chain is
 * ever left cut and every remaining chain still verifies from its first link. A closed account is known by
 * its `account.closed` event (its own record is gone since the closure, and ids are never reused); a move
 * by its `moves_out` record, which goes too: the new home may no longer ask for that trace.
 */
export async function sweepClosedAccounts(
  db: Connection,
  periods: RetentionPeriods,
  now: number,
): Promise<RetentionRuleResult[]> {
  const cutoff = cutoffOf(now, periods.RETENTION_USAGE_DAYS);
  const [closed, moved] = await Promise.all([
    db
      .collection<{ residentId: string }>('usage_events')
      .find({ action: 'account.closed', at: { $lte: cutoff } }, { projection: { residentId: 1 } })
      .limit(CLOSED_ACCOUNTS_PER_SWEEP)
      .toArray(),
    db
      .collection<{ _id: string; residentId: string }>('moves_out')
      .find({ movedAt: { $lte: cutoff } }, { projection: { residentId: 1 } })
      .limit(CLOSED_ACCOUNTS_PER_SWEEP)
      .toArray(),
  ]);
  const ids = [...new Set([...closed, ...moved].map((e) => e.residentId))];
  // A resident record under the id means the account is live after all (never expected): keep it.
  const live = new Set(
    (
      await db
        .collection<{ _id: string }>('residents')
        .find({ _id: { $in: ids } })
        .toArray()
    ).map((r) => r._id),
  );
  const gone = ids.filter((id) => !live.has(id));
  const results: RetentionRuleResult[] = [];
  for (const { collection, key } of CLOSED_ACCOUNT_COLLECTIONS) {
    const { deletedCount } =
      gone.length === 0
        ? { deletedCount: 0 }
        : await db.collection(collection).deleteMany({ [key]: { $in: gone } });
    results.push({ rule: 'account.closed', collection, deleted: deletedCount });
  }
  return results;
}
