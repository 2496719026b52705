import type { ClientSession, Connection } from 'mongoose';
import { consentModel, type ConsentDoc, type DeletionDoc, type DeletionProofDoc } from './consent.model';

/** A consent as the use cases see it: plain values, times in epoch ms. */
export type ConsentRecord = Omit<ConsentDoc, '_id'> & { id: string };

export type NewConsent = Omit<
  ConsentRecord,
  'state' | 'residentId' | 'answeredAt' | 'withdrawnAt' | 'lastUsedAt' | 'fields' | 'deletion' | 'updatedAt'
>;

const toRecord = ({ _id, ...rest }: ConsentDoc): ConsentRecord => ({ id: _id, ...rest });
const one = (doc: ConsentDoc | null) => (doc ? toRecord(doc) : null);

/**
 * Consent requests. Every change of state is one conditional update on the state it starts from (and the
 * resident, and the time bound), so racing requests and several BFF processes agree on one outcome: the
 * winner gets the record back (and enqueues the callback in the same transaction), the loser null.
 */
export function createConsentRepository(db: Connection) {
  const consents = consentModel(db);
  let ready: Promise<unknown> | undefined;
  const indexes = () => (ready ??= consents.init());
  // Ids and resident ids reach these filters validated (routes) or from a verified token, never as objects;
  // sanitizeFilter would turn the filters' own $gt/$lte into equality.
  const after = { returnDocument: 'after' } as const;
  const update = async (filter: object, change: object, session?: ClientSession) =>
    one(
      await consents
        .findOneAndUpdate(filter, change, { ...after, session: session ?? null })
        .lean<ConsentDoc>(),
    );

  return {
    async insert(consent: NewConsent, now: number): Promise<void> {
      await indexes();
      const { id, ...rest } = consent;
      await consents.create([{ _id: id, ...rest, state: 'pending', updatedAt: now }]);
    },

    /**
     * Runs `fn` in one transaction (retried as a whole on a transient error, e.g. a write conflict with a
     * racing transition), so a change of state and the callbacks it enqueues with the session land
     * together or not at all.
     */
    async transaction<T>(fn: (session: ClientSession) => Promise<T>): Promise<T> {
      await indexes();
      return db.transaction(fn);
    },

    async byId(id: string): Promise<ConsentRecord | null> {
      return one(await consents.findById(id).setOptions({ sanitizeFilter: true }).lean<ConsentDoc>());
    },

    /** Names the resident of a request nobody opened yet; the record as it stands afterwards. */
    async bindResident(id: string, residentId: string, now: number): Promise<ConsentRecord | null> {
      await consents.updateOne(
        { _id: id, residentId: { $exists: false } },
        { $set: { residentId, updatedAt: now } },
      );
      return this.byId(id);
    },

    /** pending -> approved while still answerable, the approved claims sealed in the same write. */
    approve(
      id: string,
      residentId: string,
      a: { sealed: string; fields: string[] },
      now: number,
      session?: ClientSession,
    ) {
      return update(
        { _id: id, residentId, state: 'pending', expiresAt: { $gt: now } },
        { $set: { state: 'approved', answeredAt: now, ...a, updatedAt: now } },
        session,
      );
    },

    /** pending -> declined while still answerable; the code's secret goes. */
    decline(id: string, residentId: string, now: number, session?: ClientSession) {
      return update(
        { _id: id, residentId, state: 'pending', expiresAt: { $gt: now } },
        { $set: { state: 'declined', answeredAt: now, updatedAt: now }, $unset: { sealed: 1 } },
        session,
      );
    },

    /** pending -> expired once expiresAt has passed; the code's secret goes. */
    expire(id: string, now: number, session?: ClientSession) {
      return update(
        { _id: id, state: 'pending', expiresAt: { $lte: now } },
        { $set: { state: 'expired', updatedAt: now }, $unset: { sealed: 1 } },
        session,
      );
    },

    /** approved -> withdrawn: the claims erased in the same write, the deletion requested. */
    withdraw(id: string, residentId: string, deletion: DeletionDoc, now: number, session?: ClientSession) {
      return update(
        { _id: id, residentId, state: 'approved' },
        {
          $set: { state: 'withdrawn', withdrawnAt: now, deletion, updatedAt: now },
          $unset: { sealed: 1 },
        },
        session,
      );
    },

    /** Keeps the first acknowledgement of a withdrawn consent's deletion; null when one is already kept. */
    confirmDeletion(
      id: string,
      partyId: string,
      c: { deletedAt: number; note?: string; proof: DeletionProofDoc },
      now: number,
    ) {
      return update(
        { _id: id, partyId, state: 'withdrawn', 'deletion.confirmedAt': { $exists: false } },
        {
          $set: {
            'deletion.deletedAt': c.deletedAt,
            'deletion.confirmedAt': now,
            'deletion.confirmedByKid': c.proof.kid,
            ...(c.note !== undefined && { 'deletion.note': c.note }),
            'deletion.proof': c.proof,
            updatedAt: now,
          },
        },
      );
    },

    /** The party used the consent now (only forward in time). */
    async touch(id: string, at: number): Promise<void> {
      await consents.updateOne(
        {
          _id: id,
          state: 'approved',
          $or: [{ lastUsedAt: { $exists: false } }, { lastUsedAt: { $lt: at } }],
        },
        { $set: { lastUsedAt: at } },
      );
    },

    /** The newest approved consent of (party, resident, purpose). */
    async live(partyId: string, residentId: string, purpose: string): Promise<ConsentRecord | null> {
      return one(
        await consents
          .findOne({ partyId, residentId, purpose, state: 'approved' })
          .setOptions({ sanitizeFilter: true })
          .sort({ answeredAt: -1 })
          .lean<ConsentDoc>(),
      );
    },

    /** The resident's consents in `states`, newest first. */
    async ofResident(
      residentId: string,
      states: readonly ConsentDoc['state'][],
      limit: number,
    ): Promise<ConsentRecord[]> {
      const docs = await consents
        .find({ residentId, state: { $in: [...states] } })
        .sort({ createdAt: -1 })
        .limit(limit)
        .lean<ConsentDoc[]>();
      return docs.map(toRecord);
    },

    /** Ids of unanswered requests past expiresAt. */
    async due(now: number, limit: number): Promise<string[]> {
      const docs = await consents
        .find({ state: 'pending', expiresAt: { $lte: now } }, { _id: 1 })
        .limit(limit)
        .lean<{ _id: string }[]>();
      return docs.map((d) => d._id);
    },

    /** Up to `limit` sealed values with an id after `afterId`, in id order (for the master-key re-wrap). */
    async sealedPage(afterId: string, limit: number): Promise<{ id: string; sealed: string }[]> {
      const docs = await consents
        .find({ _id: { $gt: afterId }, sealed: { $type: 'string' } }, { _id: 1, sealed: 1 })
        .sort({ _id: 1 })
        .limit(limit)
        .lean<{ _id: string; sealed: string }[]>();
      return docs.map((d) => ({ id: d._id, sealed: d.sealed }));
    },

    /** Replaces a sealed value only if it is still `from` (an erasure meanwhile is not undone). */
    async replaceSealed(id: string, from: string, to: string): Promise<boolean> {
      const res = await consents.updateOne({ _id: id, sealed: from }, { $set: { sealed: to } });
      return res.modifiedCount > 0;
    },
  };
}

export type ConsentRepository = ReturnType<typeof createConsentRepository>;
