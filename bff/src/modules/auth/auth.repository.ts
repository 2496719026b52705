import type { Connection } from 'mongoose';
import { isDuplicateKey } from '../../infra/mongo-errors';
import { authModels, type SessionDoc } from './auth.model';

export interface SessionRecord {
  sid: string;
  residentId: string;
  expiresAt: number;
  revoked: boolean;
}

const toRecord = (doc: SessionDoc): SessionRecord => ({
  sid: doc._id,
  residentId: doc.residentId,
  expiresAt: doc.expiresAt.getTime(),
  revoked: doc.revokedAt !== undefined && doc.revokedAt !== null,
});

/** Resident accounts and refresh-token families. Returns plain objects. */
export function createAuthRepository(db: Connection) {
  const { residents, sessions, spent } = authModels(db);
  let ready: Promise<unknown> | undefined;
  const indexes = () => (ready ??= Promise.all([residents.init(), sessions.init(), spent.init()]));

  return {
    /** The resident for an openid index, created on first sight; concurrent first logins agree on one id. */
    async findOrCreateResident(openIdIndex: string, newId: string, now: number): Promise<string> {
      await indexes();
      const byIndex = () =>
        residents.findOne({ openIdIndex }, { _id: 1 }).setOptions({ sanitizeFilter: true }).lean();
      const existing = await byIndex();
      if (existing) return existing._id;
      try {
        await residents.create([{ _id: newId, openIdIndex, createdAt: new Date(now) }]);
        return newId;
      } catch (err) {
        // Two first logins of one person raced: the unique index kept the other one's record.
        if (!isDuplicateKey(err)) throw err;
        const winner = await byIndex();
        if (!winner) throw err;
        return winner._id;
      }
    },

    async deleteResident(residentId: string): Promise<void> {
      await residents.deleteOne({ _id: residentId }).setOptions({ sanitizeFilter: true });
    },

    async createSession(doc: {
      sid: string;
      residentId: string;
      currentHash: string;
      now: number;
      expiresAt: number;
    }): Promise<void> {
      await indexes();
      await sessions.create([
        {
          _id: doc.sid,
          residentId: doc.residentId,
          currentHash: doc.currentHash,
          createdAt: new Date(doc.now),
          expiresAt: new Date(doc.expiresAt),
        },
      ]);
    },

    /**
     * Moves a live family from `oldHash` to `newHash` in one atomic step, so of two refreshes with the
     * same token exactly one wins. Returns the family as it was, or null when `oldHash` is not current.
     */
    async rotate(
      oldHash: string,
      newHash: string,
      now: number,
      expiresAt: number,
    ): Promise<SessionRecord | null> {
      await indexes();
      const before = await sessions
        .findOneAndUpdate(
          { currentHash: oldHash, revokedAt: { $exists: false }, expiresAt: { $gt: new Date(now) } },
          {
            $set: {
              currentHash: newHash,
              previousHash: oldHash,
              rotatedAt: new Date(now),
              expiresAt: new Date(expiresAt),
            },
          },
          { returnDocument: 'before' },
        )
        .lean();
      if (!before) return null;
      await spent.updateOne(
        { _id: oldHash },
        { $setOnInsert: { sid: before._id, expiresAt: before.expiresAt } },
        { upsert: true },
      );
      return toRecord(before);
    },

    /** The family a refresh token belongs or belonged to, and whether the token was already spent. */
    async lookup(hash: string): Promise<{ session: SessionRecord; spent: boolean } | null> {
      const current = await sessions.findOne({ currentHash: hash }).lean();
      if (current) return { session: toRecord(current), spent: false };
      const previous = await sessions.findOne({ previousHash: hash }).lean();
      if (previous) return { session: toRecord(previous), spent: true };
      const spentDoc = await spent.findById(hash).lean();
      if (!spentDoc) return null;
      const family = await sessions.findById(spentDoc.sid).lean();
      return family ? { session: toRecord(family), spent: true } : null;
    },

    async getSession(sid: string): Promise<SessionRecord | null> {
      const doc = await sessions.findById(sid).lean();
      return doc ? toRecord(doc) : null;
    },

    /** Revokes one family; true when it was live. */
    async revoke(
      sid: string,
      reason: NonNullable<SessionDoc['revokedReason']>,
      now: number,
    ): Promise<boolean> {
      const res = await sessions.updateOne(
        { _id: sid, revokedAt: { $exists: false } },
        { $set: { revokedAt: new Date(now), revokedReason: reason } },
      );
      return res.modifiedCount > 0;
    },

    /** Erases every family of a resident (account closure): their access tokens stop at the next request. */
    async deleteAllOf(residentId: string): Promise<void> {
      const sids = (await sessions.find({ residentId }, { _id: 1 }).lean()).map((d) => d._id);
      await spent.deleteMany({ sid: { $in: sids } });
      await sessions.deleteMany({ residentId });
    },
  };
}

export type AuthRepository = ReturnType<typeof createAuthRepository>;
