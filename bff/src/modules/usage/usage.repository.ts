import type { Connection } from 'mongoose';
import { driverCollection } from '../../infra/collection';
import { hasDuplicateKey, isDuplicateKey } from '../../infra/mongo-errors';
import { usageModels, type UsageEventDoc, type UsageHeadDoc } from './usage.model';
import type { UsageCountRow } from './usage.types';

export interface UsageQuery {
  residentId: string;
  limit: number;
  before?: number;
  actorType?: string;
  purpose?: string;
  from?: number;
  to?: number;
  /** Epoch ms: leave out events with a later `visibleFrom` (the resident's own views). */
  visibleAt?: number;
}

const HOUR_MS = 3600_000;

/** Storage of usage chains. Returns plain objects; callers never see mongoose. */
export function createUsageRepository(db: Connection) {
  const { events, heads } = usageModels(db);
  // Appends write through the driver: the service builds complete documents, a per-document cast adds nothing.
  const eventsCollection = driverCollection<UsageEventDoc>(events);
  const headsCollection = driverCollection<UsageHeadDoc>(heads);
  let ready: Promise<unknown> | undefined;
  // The unique (residentId, seq) index must exist before the first append relies on it.
  const indexes = () => (ready ??= Promise.all([events.init(), heads.init()]));

  return {
    /** The last link of a resident's chain, or null for an empty chain. */
    async tail(residentId: string): Promise<{ seq: number; hash: string } | null> {
      await indexes();
      const doc = await events
        .findOne({ residentId }, { seq: 1, hash: 1 })
        .sort({ seq: -1 })
        .setOptions({ sanitizeFilter: true })
        .lean();
      return doc ? { seq: doc.seq, hash: doc.hash } : null;
    },

    /**
     * Inserts links in order and returns how many were written: fewer than given when another writer
     * took one of the seqs first (the links after it are not written). Links of several residents may
     * go together as long as each resident's links are contiguous and in seq order: what lands is a
     * prefix, so every chain stays whole. The heads are not moved: see `moveHeads`.
     */
    async insertLinks(docs: UsageEventDoc[]): Promise<number> {
      await indexes();
      try {
        await eventsCollection.insertMany(docs, { ordered: true });
        return docs.length;
      } catch (err) {
        // A collision means another writer took one of these seqs first.
        if (!hasDuplicateKey(err)) throw err;
        // Ordered inserts stop at the first collision, so the ones that landed are a prefix.
        return events.countDocuments({ _id: { $in: docs.map((d) => d._id) } });
      }
    },

    /**
     * The `once` keys of the resident's events that end with `suffix`, with those events' detail. Scoped
     * to one resident (the residentId index), so it reads that trace's keyed events only.
     */
    async onceEndingWith(
      residentId: string,
      suffix: string,
    ): Promise<{ key: string; detail?: UsageEventDoc['detail'] }[]> {
      const escaped = suffix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      const docs = await eventsCollection
        .find({ residentId, once: { $regex: `${escaped}$` } }, { projection: { once: 1, detail: 1 } })
        .toArray();
      return docs.map((d) => ({ key: d.once!, ...(d.detail !== undefined && { detail: d.detail }) }));
    },

    /** Whether an event with this `once` key has been written. */
    async onceTaken(key: string): Promise<boolean> {
      return (await eventsCollection.countDocuments({ once: key }, { limit: 1 })) > 0;
    },

    /** Moves each chain's head to the last of `written` (links already inserted) of that chain. */
    async moveHeads(written: UsageEventDoc[]): Promise<void> {
      const lastOf = new Map<string, UsageEventDoc>();
      for (const doc of written) lastOf.set(doc.residentId, doc);
      if (lastOf.size === 0) return;
      // A head only moves forward, so concurrent moves may land in any order; a duplicate key on the
      // upsert means another writer created the head with a later link meanwhile.
      await headsCollection
        .bulkWrite(
          [...lastOf.values()].map((last) => ({
            updateOne: {
              filter: { _id: last.residentId, seq: { $lt: last.seq } },
              update: { $set: { seq: last.seq, hash: last.hash } },
              upsert: true,
            },
          })),
          { ordered: false },
        )
        .catch((err: unknown) => {
          // Only collisions are expected here; any other failure of any update is the caller's.
          if (!isDuplicateKey(err)) throw err;
        });
    },

    async list(q: UsageQuery): Promise<UsageEventDoc[]> {
      const filter: Record<string, unknown> = { residentId: q.residentId };
      if (q.before !== undefined) filter.seq = { $lt: q.before };
      if (q.actorType !== undefined) filter['actor.type'] = q.actorType;
      if (q.purpose !== undefined) filter.purpose = q.purpose;
      if (q.visibleAt !== undefined) filter.visibleFrom = { $not: { $gt: q.visibleAt } };
      if (q.from !== undefined || q.to !== undefined) {
        filter.at = {
          ...(q.from !== undefined && { $gte: q.from }),
          ...(q.to !== undefined && { $lte: q.to }),
        };
      }
      return events.find(filter).sort({ seq: -1 }).limit(q.limit).lean<UsageEventDoc[]>();
    },

    async get(residentId: string, id: string, visibleAt?: number): Promise<UsageEventDoc | null> {
      const doc = await events
        .findOne({ _id: id, residentId })
        .setOptions({ sanitizeFilter: true })
        .lean<UsageEventDoc>();
      // Checked here, not in the filter: sanitizeFilter (the ids come from the request) refuses operators.
      if (doc && visibleAt !== undefined && doc.visibleFrom !== undefined && doc.visibleFrom > visibleAt)
        return null;
      return doc;
    },

    /** Sets `visibleFrom` of the resident's events whose `detail[key]` is `value`; how many matched. */
    async setVisibleFrom(
      residentId: string,
      match: { key: string; value: string },
      visibleFrom: number,
    ): Promise<number> {
      const res = await eventsCollection.updateMany(
        { residentId: String(residentId), [`detail.${match.key}`]: String(match.value) },
        { $set: { visibleFrom } },
      );
      return res.matchedCount;
    },

    /** Every resident id that has a chain or a head (a chain emptied entirely still has its head). */
    async residents(): Promise<string[]> {
      const [withEvents, withHeads] = await Promise.all([
        events.distinct('residentId'),
        heads.distinct('_id'),
      ]);
      return [...new Set([...(withEvents as string[]), ...(withHeads as string[])])];
    },

    /** A resident's chain in sequence order, streamed. */
    chain(residentId: string): AsyncIterable<UsageEventDoc> {
      return events.find({ residentId }).sort({ seq: 1 }).lean<UsageEventDoc[]>().cursor({ batchSize: 500 });
    },

    async headSeq(residentId: string): Promise<number | undefined> {
      const head = await heads.findById(residentId).lean();
      return head?.seq;
    },

    /** Counts of events of `actions` in [from, to), grouped as UsageCountRow says (the action, at index). */
    async countEvents(q: { actions: string[]; from: number; to: number }): Promise<UsageCountRow[]> {
      await indexes();
      const rows = await eventsCollection
        .aggregate<UsageCountRow & { _id: Omit<UsageCountRow, 'count'> }>([
          { $match: { action: { $in: q.actions.map(String) }, at: { $gte: q.from, $lt: q.to } } },
          {
            $group: {
              _id: {
                action: '$action',
                result: '$result',
                purpose: '$purpose',
                hour: { $subtract: ['$at', { $mod: ['$at', HOUR_MS] }] },
                // A window of another province asking here is recorded as '<province>:<window id>'.
                province: {
                  $cond: [
                    { $regexMatch: { input: '$actor.id', regex: '^[0-9]{2}:' } },
                    { $substrCP: ['$actor.id', 0, 2] },
                    null,
                  ],
                },
              },
              count: { $sum: 1 },
            },
          },
        ])
        .toArray();
      return rows.map(({ _id, count }) => ({ ..._id, count }));
    },
  };
}

export type UsageRepository = ReturnType<typeof createUsageRepository>;
