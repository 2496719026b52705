import type { Connection } from 'mongoose';
import { driverCollection } from '../../infra/collection';
import { staffSessionModel, type StaffSessionDoc, type StaffSessionEnd } from './staff.model';

export type StaffSessionRecord = Omit<StaffSessionDoc, '_id' | 'expiresAt'> & { id: string };

const toRecord = ({ _id, expiresAt: _expires, ...rest }: StaffSessionDoc): StaffSessionRecord => ({
  id: _id,
  ...rest,
});

const LIVE = { endedAt: { $exists: false } } as const;

/**
 * Staff sessions (`staff_sessions`). Ending is a conditional write (only a live session ends), so the
 * first reason recorded stays; activity is a conditional write too, so two processes recording the same
 * minute write once.
 */
export function createStaffSessionRepository(db: Connection) {
  const sessions = staffSessionModel(db);
  const raw = driverCollection<StaffSessionDoc>(sessions);
  // A missing index only slows revocation and leaves old sessions behind; signing in must not fail for it.
  const ready = sessions.init().catch(() => undefined);

  return {
    async create(session: StaffSessionRecord, expiresAt: number): Promise<void> {
      await ready;
      const { id, ...fields } = session;
      await raw.insertOne({ _id: id, ...fields, expiresAt: new Date(expiresAt) });
    },

    async byId(id: string): Promise<StaffSessionRecord | null> {
      const doc = await raw.findOne({ _id: id });
      return doc ? toRecord(doc) : null;
    },

    /** Records a request at `now` unless one at or after `since` was recorded already; false when not live. */
    async touch(id: string, now: number, since: number): Promise<boolean> {
      const res = await raw.updateOne(
        { _id: id, ...LIVE, lastSeenAt: { $lt: since } },
        { $set: { lastSeenAt: now } },
      );
      return res.modifiedCount > 0;
    },

    /** Ends one live session; false when it had ended already (or never existed). */
    async end(id: string, now: number, why: StaffSessionEnd): Promise<boolean> {
      const res = await raw.updateOne({ _id: id, ...LIVE }, { $set: { endedAt: now, endedBy: why } });
      return res.modifiedCount > 0;
    },

    /** Ends every live session of an account; answers how many. */
    async endAllOf(staffId: string, now: number, why: StaffSessionEnd): Promise<number> {
      await ready;
      const res = await raw.updateMany({ staffId, ...LIVE }, { $set: { endedAt: now, endedBy: why } });
      return res.modifiedCount;
    },
  };
}

export type StaffSessionRepository = ReturnType<typeof createStaffSessionRepository>;
