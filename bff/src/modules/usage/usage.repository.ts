import type { Connection } from 'mongoose';
import { usageModels, type UsageEventDoc } from './usage.model';

export interface UsageQuery {
  residentId: string;
  limit: number;
  before?: number;
  actorType?: string;
  purpose?: string;
  from?: number;
  to?: number;
}

/** Storage of usage chains. Returns plain objects; callers never see mongoose. */
export function createUsageRepository(db: Connection) {
  const { events, heads } = usageModels(db);
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
     * took one of the seqs first (the links after it are not written).
     */
    async appendMany(docs: UsageEventDoc[]): Promise<number> {
      await indexes();
      let written = docs.length;
      try {
        await events.insertMany(docs, { ordered: true });
      } catch (err) {
        // The driver reports one write error as an object and several as an array.
        const e = err as { code?: number; writeErrors?: { code?: number } | { code?: number }[] };
        const writeErrors = ([] as { code?: number }[]).concat(e.writeErrors ?? []);
        if (e.code !== 11000 && !writeErrors.some((w) => w.code === 11000)) throw err;
        // Ordered inserts stop at the first collision, so the ones that landed are a prefix.
        const landed = await events.countDocuments({ _id: { $in: docs.map((d) => d._id) } });
        written = landed;
      }
      const last = docs[written - 1];
      if (last) {
        // The head only moves forward; a lost race here means a later link already moved it.
        await heads
          .updateOne(
            { _id: last.residentId, seq: { $lt: last.seq } },
            { $set: { seq: last.seq, hash: last.hash } },
            { upsert: true },
          )
          .catch((err: { code?: number }) => {
            if (err.code !== 11000) throw err;
          });
      }
      return written;
    },

    async list(q: UsageQuery): Promise<UsageEventDoc[]> {
      const filter: Record<string, unknown> = { residentId: q.residentId };
      if (q.before !== undefined) filter.seq = { $lt: q.before };
      if (q.actorType !== undefined) filter['actor.type'] = q.actorType;
      if (q.purpose !== undefined) filter.purpose = q.purpose;
      if (q.from !== undefined || q.to !== undefined) {
        filter.at = {
          ...(q.from !== undefined && { $gte: q.from }),
          ...(q.to !== undefined && { $lte: q.to }),
        };
      }
      return events.find(filter).sort({ seq: -1 }).limit(q.limit).lean<UsageEventDoc[]>();
    },

    async get(residentId: string, id: string): Promise<UsageEventDoc | null> {
      return events
        .findOne({ _id: id, residentId })
        .setOptions({ sanitizeFilter: true })
        .lean<UsageEventDoc>();
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
  };
}

export type UsageRepository = ReturnType<typeof createUsageRepository>;
