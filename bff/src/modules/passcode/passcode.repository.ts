import type { Connection } from 'mongoose';
import { driverCollection } from '../../infra/collection';
import { isDuplicateKey } from '../../infra/mongo-errors';
import { passcodeModel, type PasscodeDoc } from './passcode.model';

/** A resident's passcode record as the use cases see it. */
export type PasscodeRecord = Omit<PasscodeDoc, '_id'> & { residentId: string };

const toRecord = ({ _id, ...rest }: PasscodeDoc): PasscodeRecord => ({ residentId: _id, ...rest });

/** The counts a right passcode, a change or a reset start again from. */
const FRESH = { failures: 0, pauses: 0, pausedUntil: 0 } as const;

/**
 * Passcodes, one per resident. A try is counted by one conditional update before the passcode is
 * compared, so parallel guesses (and several BFF processes) can never take more than the tries allowed:
 * the try that takes the last one sets the pause in that same write. Resident ids come from verified
 * tokens, never from a body, so the filters hold no operator a caller chose.
 */
export function createPasscodeRepository(db: Connection) {
  const passcodes = passcodeModel(db);
  const raw = driverCollection<PasscodeDoc>(passcodes);

  return {
    async get(residentId: string): Promise<PasscodeRecord | null> {
      const doc = await raw.findOne({ _id: residentId });
      return doc ? toRecord(doc) : null;
    },

    /** Stores the first passcode; false when the resident has one already (another request was first). */
    async insert(residentId: string, sealed: string, now: number): Promise<boolean> {
      try {
        await raw.insertOne({ _id: residentId, sealed, ...FRESH, updatedAt: now });
        return true;
      } catch (err) {
        if (isDuplicateKey(err)) return false;
        throw err;
      }
    },

    /**
     * Takes one try unless tries are paused at `now`: the count goes up by one, and when it reaches
     * `maxTries` the same write starts the next pause (`pauseMs[pauses]`, the last length repeating) and
     * starts the count again for after it. The record as it stands after the try, or null when none was
     * taken (no passcode, or paused).
     */
    async takeTry(
      residentId: string,
      now: number,
      maxTries: number,
      pauseMs: readonly number[],
    ): Promise<PasscodeRecord | null> {
      const full = { $gte: ['$failures', maxTries] };
      const doc = await raw.findOneAndUpdate(
        { _id: residentId, pausedUntil: { $lte: now } },
        [
          { $set: { failures: { $add: ['$failures', 1] } } },
          {
            $set: {
              pausedUntil: {
                $cond: [
                  full,
                  {
                    $add: [
                      now,
                      { $arrayElemAt: [{ $literal: pauseMs }, { $min: ['$pauses', pauseMs.length - 1] }] },
                    ],
                  },
                  '$pausedUntil',
                ],
              },
              pauses: { $cond: [full, { $add: ['$pauses', 1] }, '$pauses'] },
              failures: { $cond: [full, 0, '$failures'] },
            },
          },
        ],
        { returnDocument: 'after' },
      );
      return doc ? toRecord(doc) : null;
    },

    /**
     * A right passcode: the tries and pauses start again. Only if the passcode is still the one compared,
     * so a check of the old one racing a change cannot clear the new one's count.
     */
    async clearTries(residentId: string, sealed: string): Promise<void> {
      await raw.updateOne({ _id: residentId, sealed }, { $set: { ...FRESH } });
    },

    /** Changes the passcode if it is still `from` (the one the current passcode was checked against). */
    async replace(residentId: string, from: string, to: string, now: number): Promise<boolean> {
      const res = await raw.updateOne(
        { _id: residentId, sealed: from },
        { $set: { sealed: to, ...FRESH, updatedAt: now } },
      );
      return res.modifiedCount > 0;
    },

    /** Sets the passcode whatever it was (the face check reset): the tries and any pause end. */
    async overwrite(residentId: string, sealed: string, now: number): Promise<PasscodeRecord> {
      const doc = await raw.findOneAndUpdate(
        { _id: residentId },
        { $set: { sealed, ...FRESH, updatedAt: now } },
        { upsert: true, returnDocument: 'after' },
      );
      return toRecord(doc!);
    },

    async erase(residentId: string): Promise<boolean> {
      return (await raw.deleteOne({ _id: residentId })).deletedCount > 0;
    },

    /** Up to `limit` sealed hashes after `afterId`, in id order (the master-key re-wrap). */
    async sealedPage(afterId: string, limit: number): Promise<{ id: string; sealed: string }[]> {
      const docs = await raw
        .find({ _id: { $gt: afterId } }, { projection: { _id: 1, sealed: 1 } })
        .sort({ _id: 1 })
        .limit(limit)
        .toArray();
      return docs.map((d) => ({ id: d._id, sealed: d.sealed }));
    },

    /** Replaces a sealed hash only if it is still `from` (a change or erasure meanwhile is kept). */
    async replaceSealed(id: string, from: string, to: string): Promise<boolean> {
      const res = await raw.updateOne({ _id: id, sealed: from }, { $set: { sealed: to } });
      return res.modifiedCount > 0;
    },
  };
}

export type PasscodeRepository = ReturnType<typeof createPasscodeRepository>;
