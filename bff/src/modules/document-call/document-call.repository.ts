import type { Connection } from 'mongoose';
import { isDuplicateKey } from '../../infra/mongo-errors';
import { documentCallModel, type DocumentCallDoc } from './document-call.model';

/** A document call as the use cases see it: plain values, times in epoch ms. */
export type DocumentCallRecord = Omit<DocumentCallDoc, '_id'> & { id: string };

export type NewDocumentCall = Omit<
  DocumentCallRecord,
  | 'state'
  | 'answeredAt'
  | 'approvedAt'
  | 'accessUntil'
  | 'omitted'
  | 'receipt'
  | 'sealed'
  | 'missing'
  | 'delivered'
  | 'erasedAt'
  | 'updatedAt'
>;

/** What one approval writes, all in one conditional update: nothing of it exists before, all of it after. */
export interface Delivery {
  approvedAt: number;
  accessUntil: number;
  omitted: string[];
  receipt: string;
  sealed: string;
  missing: string[];
  delivered: { type: string; identifier: string; status: string }[];
}

const toRecord = ({ _id, ...rest }: DocumentCallDoc): DocumentCallRecord => ({ id: _id, ...rest });
const one = (doc: DocumentCallDoc | null) => (doc ? toRecord(doc) : null);

/**
 * Document calls. Every change of state is one conditional update on the state it starts from (and on the
 * resident, and the time bound), so racing requests and several BFF processes agree on one outcome; the
 * loser reads the winner's record.
 */
export function createDocumentCallRepository(db: Connection) {
  const calls = documentCallModel(db);
  let ready: Promise<unknown> | undefined;
  const indexes = () => (ready ??= calls.init());
  // Ids and resident ids reach these filters validated (routes) or from a verified token, never as objects;
  // sanitizeFilter would turn the filters' own $gt/$lte into equality.
  const after = { returnDocument: 'after' } as const;

  return {
    async insert(call: NewDocumentCall, now: number): Promise<void> {
      await indexes();
      const { id, ...rest } = call;
      await calls.create([{ _id: id, ...rest, state: 'pending', updatedAt: now }]);
    },

    async byId(id: string): Promise<DocumentCallRecord | null> {
      return one(await calls.findById(id).setOptions({ sanitizeFilter: true }).lean<DocumentCallDoc>());
    },

    /**
     * The home copy of another province's request (cross-province): inserted once, with its resident; a
     * second open (or process) finds the first one's record.
     */
    async insertHomeCopy(
      call: NewDocumentCall & { residentId: string; windowProvince: string; windowProvinceName: string },
      now: number,
    ): Promise<DocumentCallRecord | null> {
      await indexes();
      const { id, ...rest } = call;
      try {
        await calls.create([{ _id: id, ...rest, state: 'pending', updatedAt: now }]);
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
      return this.byId(id);
    },

    /**
     * At the window's node: the province whose resident opened this call, when none of this node's residents
     * is named on it and no other province claimed it; the record as it stands afterwards.
     */
    async bindHome(id: string, province: string, now: number): Promise<DocumentCallRecord | null> {
      await calls.updateOne(
        { _id: id, residentId: { $exists: false }, homeProvince: { $exists: false } },
        { $set: { homeProvince: province, updatedAt: now } },
      );
      return this.byId(id);
    },

    /** Names the resident of a call nobody was named for yet; the record as it stands afterwards. */
    async bindResident(id: string, residentId: string, now: number): Promise<DocumentCallRecord | null> {
      await calls.updateOne(
        // A call another province's resident opened (homeProvince) is theirs.
        { _id: id, residentId: { $exists: false }, homeProvince: { $exists: false } },
        { $set: { residentId, updatedAt: now } },
      );
      return this.byId(id);
    },

    /** pending -> delivered, while still answerable; null when the call was not in that state. */
    async deliver(
      id: string,
      residentId: string,
      d: Delivery,
      now: number,
    ): Promise<DocumentCallRecord | null> {
      return one(
        await calls
          .findOneAndUpdate(
            { _id: id, residentId, state: 'pending', answerBy: { $gt: now } },
            { $set: { state: 'delivered', answeredAt: now, ...d, updatedAt: now } },
            after,
          )
          .lean<DocumentCallDoc>(),
      );
    },

    /** pending -> declined, while still answerable. */
    async decline(id: string, residentId: string, now: number): Promise<DocumentCallRecord | null> {
      return one(
        await calls
          .findOneAndUpdate(
            { _id: id, residentId, state: 'pending', answerBy: { $gt: now } },
            { $set: { state: 'declined', answeredAt: now, updatedAt: now } },
            after,
          )
          .lean<DocumentCallDoc>(),
      );
    },

    /** delivered -> withdrawn before accessUntil; the documents are erased in the same write. */
    async withdraw(id: string, residentId: string, now: number): Promise<DocumentCallRecord | null> {
      return one(
        await calls
          .findOneAndUpdate(
            { _id: id, residentId, state: 'delivered', accessUntil: { $gt: now } },
            { $set: { state: 'withdrawn', erasedAt: now, updatedAt: now }, $unset: { sealed: 1 } },
            after,
          )
          .lean<DocumentCallDoc>(),
      );
    },

    /** pending -> expired once answerBy has passed. */
    async expireUnanswered(id: string, now: number): Promise<DocumentCallRecord | null> {
      return one(
        await calls
          .findOneAndUpdate(
            { _id: id, state: 'pending', answerBy: { $lte: now } },
            { $set: { state: 'expired', updatedAt: now } },
            after,
          )
          .lean<DocumentCallDoc>(),
      );
    },

    /** delivered -> access_expired once accessUntil has passed; the documents are erased in the same write. */
    async endAccess(id: string, now: number): Promise<DocumentCallRecord | null> {
      return one(
        await calls
          .findOneAndUpdate(
            { _id: id, state: 'delivered', accessUntil: { $lte: now } },
            { $set: { state: 'access_expired', erasedAt: now, updatedAt: now }, $unset: { sealed: 1 } },
            after,
          )
          .lean<DocumentCallDoc>(),
      );
    },

    /** Up to `limit` calls' sealed documents with an id after `afterId`, in id order (erased ones have none). */
    async sealedPage(afterId: string, limit: number): Promise<{ id: string; sealed: string }[]> {
      const docs = await calls
        .find({ _id: { $gt: afterId }, sealed: { $type: 'string' } }, { _id: 1, sealed: 1 })
        .sort({ _id: 1 })
        .limit(limit)
        .lean<{ _id: string; sealed: string }[]>();
      return docs.map((d) => ({ id: d._id, sealed: d.sealed }));
    },

    /**
     * Replaces a call's sealed documents only if they are still `from`: an erasure (withdrawal, access end)
     * meanwhile removed them, and they are not written back.
     */
    async replaceSealed(id: string, from: string, to: string): Promise<boolean> {
      const res = await calls.updateOne({ _id: id, sealed: from }, { $set: { sealed: to } });
      return res.modifiedCount > 0;
    },

    /** The resident's calls in `states`, newest first. */
    async ofResident(
      residentId: string,
      states: readonly DocumentCallDoc['state'][],
      limit: number,
    ): Promise<DocumentCallRecord[]> {
      const docs = await calls
        .find({ residentId, state: { $in: [...states] } })
        .sort({ createdAt: -1 })
        .limit(limit)
        .lean<DocumentCallDoc[]>();
      return docs.map(toRecord);
    },

    /** Ids of calls whose time has run out: unanswered past answerBy, or delivered past accessUntil. */
    async due(now: number, limit: number): Promise<{ unanswered: string[]; accessEnded: string[] }> {
      const [unanswered, accessEnded] = await Promise.all([
        calls
          .find({ state: 'pending', answerBy: { $lte: now } }, { _id: 1 })
          .limit(limit)
          .lean<{ _id: string }[]>(),
        calls
          .find({ state: 'delivered', accessUntil: { $lte: now } }, { _id: 1 })
          .limit(limit)
          .lean<{ _id: string }[]>(),
      ]);
      return { unanswered: unanswered.map((d) => d._id), accessEnded: accessEnded.map((d) => d._id) };
    },

    /** How many calls made since `from` are in each state now (the createdAt index). */
    async countByState(from: number): Promise<Record<string, number>> {
      const rows = await calls
        .aggregate<{ _id: string; count: number }>([
          { $match: { createdAt: { $gte: from } } },
          { $group: { _id: '$state', count: { $sum: 1 } } },
        ])
        .exec();
      return Object.fromEntries(rows.map((r) => [r._id, r.count]));
    },
  };
}

export type DocumentCallRepository = ReturnType<typeof createDocumentCallRepository>;
