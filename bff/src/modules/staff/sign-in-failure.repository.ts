import type { Connection } from 'mongoose';
import { driverCollection } from '../../infra/collection';
import { signInFailureModel, type SignInFailureDoc } from './staff.model';

export type SignInFailureRecord = Omit<SignInFailureDoc, '_id' | 'expiresAt'> & { id: string };

const toRecord = ({ _id, expiresAt: _expires, ...rest }: SignInFailureDoc): SignInFailureRecord => ({
  id: _id,
  ...rest,
});

/**
 * Consecutive failed staff sign-ins (`staff_sign_in_failures`), by username and by username and address.
 * Counting is one atomic increment and taking a try slot one conditional write, so processes racing on
 * one account still count every failure and let one try through per delay.
 */
export function createSignInFailureRepository(db: Connection) {
  const failures = signInFailureModel(db);
  const raw = driverCollection<SignInFailureDoc>(failures);
  const ready = failures.init().catch(() => undefined);

  return {
    async byIds(ids: readonly string[]): Promise<SignInFailureRecord[]> {
      const docs = await raw.find({ _id: { $in: [...ids] } }).toArray();
      return docs.map(toRecord);
    },

    /** Counts one more failure of `id`; answers the count, this one included. */
    async add(id: string, username: string, now: number, forgetAt: number): Promise<number> {
      await ready;
      const doc = await raw.findOneAndUpdate(
        { _id: id },
        {
          $inc: { count: 1 },
          $set: { username, lastAt: now, expiresAt: new Date(forgetAt) },
          $setOnInsert: { allowedAt: now },
        },
        { upsert: true, returnDocument: 'after' },
      );
      return doc?.count ?? 1;
    },

    /** After failure number `count`: no try before `allowedAt`; `locked` makes it lasting (no expiry). */
    async delay(id: string, count: number, allowedAt: number, lockedAt?: number): Promise<void> {
      await raw.updateOne(
        { _id: id, count },
        lockedAt === undefined
          ? { $set: { allowedAt } }
          : { $set: { allowedAt, lockedAt }, $unset: { expiresAt: '' } },
      );
    },

    /** Takes the try slot of `id` (moves `allowedAt` from `from` to `to`); false when another try took it. */
    async take(id: string, from: number, to: number): Promise<boolean> {
      const res = await raw.updateOne({ _id: id, allowedAt: from }, { $set: { allowedAt: to } });
      return res.modifiedCount > 0;
    },

    async remove(ids: readonly string[]): Promise<void> {
      await raw.deleteMany({ _id: { $in: [...ids] } });
    },

    /** Forgets every failure of a username (the administrator's unlock); answers how many records went. */
    async removeAllOf(username: string): Promise<number> {
      const res = await raw.deleteMany({ username });
      return res.deletedCount;
    },
  };
}

export type SignInFailureRepository = ReturnType<typeof createSignInFailureRepository>;
