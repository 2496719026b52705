import type { ClientSession, Collection, MongoServerError } from 'mongodb';
import { Schema, type Model } from 'mongoose';
import { mongooseSuite } from './target';

interface Account {
  _id: string;
  balance: number;
}

let Accounts: Model<Account>;
let accounts: Collection<Account>;
const suite = mongooseSuite('txn');

beforeAll(async () => {
  Accounts = suite.conn.model<Account>(
    'Account',
    new Schema<Account>({ _id: String, balance: Number }, { versionKey: false }),
  );
  await Accounts.init();
  accounts = suite.db.collection<Account>('accounts');
});

beforeEach(async () => {
  await Accounts.deleteMany({});
  await Accounts.create([
    { _id: 'a', balance: 100 },
    { _id: 'b', balance: 0 },
  ]);
});

async function balances(): Promise<Record<string, number>> {
  const docs = await accounts.find().sort({ _id: 1 }).toArray();
  return Object.fromEntries(docs.map((d) => [d._id, d.balance]));
}

async function withSession<T>(fn: (session: ClientSession) => Promise<T>): Promise<T> {
  const session = suite.client.startSession();
  try {
    return await fn(session);
  } finally {
    await session.endSession();
  }
}

describe('multi-document transactions', () => {
  it('when mongoose commits a transaction, then all of its writes become visible together', async () => {
    await suite.conn.transaction(async (session) => {
      await Accounts.updateOne({ _id: 'a' }, { $inc: { balance: -30 } }, { session });
      await Accounts.updateOne({ _id: 'b' }, { $inc: { balance: 30 } }, { session });
      await Accounts.create([{ _id: 'c', balance: 5 }], { session });
    });
    expect(await balances()).toEqual({ a: 70, b: 30, c: 5 });
  });

  it('when a transaction aborts, then its inserts, updates and deletes are rolled back', async () => {
    await withSession(async (session) => {
      session.startTransaction();
      await accounts.insertOne({ _id: 'c', balance: 1 }, { session });
      await accounts.updateOne({ _id: 'a' }, { $set: { balance: 0 } }, { session });
      await accounts.deleteOne({ _id: 'b' }, { session });
      expect(await accounts.countDocuments({}, { session })).toBe(2);
      await session.abortTransaction();
    });
    expect(await balances()).toEqual({ a: 100, b: 0 });
  });

  it('when the callback of connection.transaction throws, then nothing it wrote remains', async () => {
    await expect(
      suite.conn.transaction(async (session) => {
        await Accounts.updateOne({ _id: 'a' }, { $inc: { balance: -100 } }, { session });
        throw new Error('business rule failed');
      }),
    ).rejects.toThrow('business rule failed');
    expect(await balances()).toEqual({ a: 100, b: 0 });
  });

  it('while a transaction is open, then other sessions do not see its writes and it sees its own', async () => {
    await withSession(async (session) => {
      session.startTransaction();
      await accounts.updateOne({ _id: 'a' }, { $inc: { balance: -50 } }, { session });
      await accounts.insertOne({ _id: 'c', balance: 50 }, { session });
      expect((await accounts.findOne({ _id: 'a' }, { session }))!.balance).toBe(50);
      expect(await accounts.findOne({ _id: 'c' }, { session })).not.toBeNull();
      expect(await balances()).toEqual({ a: 100, b: 0 });
      expect(await accounts.findOne({ _id: 'c' })).toBeNull();
      await session.commitTransaction();
    });
    expect(await balances()).toEqual({ a: 50, b: 0, c: 50 });
  });

  it('when another session commits during a transaction, then the transaction keeps reading its snapshot', async () => {
    await withSession(async (session) => {
      session.startTransaction();
      expect((await accounts.findOne({ _id: 'b' }, { session }))!.balance).toBe(0);
      await accounts.updateOne({ _id: 'b' }, { $set: { balance: 7 } });
      await accounts.insertOne({ _id: 'late', balance: 1 });
      expect((await accounts.findOne({ _id: 'b' }, { session }))!.balance).toBe(0);
      expect(await accounts.countDocuments({}, { session })).toBe(2);
      await session.commitTransaction();
    });
  });

  it('when two transactions write the same document, then the second gets WriteConflict labelled transient', async () => {
    await withSession((first) =>
      withSession(async (second) => {
        first.startTransaction();
        second.startTransaction();
        await accounts.updateOne({ _id: 'a' }, { $inc: { balance: 1 } }, { session: first });
        let conflict: MongoServerError | undefined;
        try {
          await accounts.updateOne({ _id: 'a' }, { $inc: { balance: 2 } }, { session: second });
        } catch (err) {
          conflict = err as MongoServerError;
        }
        expect(conflict).toMatchObject({ code: 112, codeName: 'WriteConflict' });
        expect(conflict!.hasErrorLabel('TransientTransactionError')).toBe(true);
        await second.abortTransaction();
        await first.commitTransaction();
      }),
    );
    expect((await balances()).a).toBe(101);
  });

  it('when a document changed after the snapshot is written in the transaction, then it is a WriteConflict', async () => {
    await withSession(async (session) => {
      session.startTransaction();
      await accounts.findOne({ _id: 'b' }, { session });
      await accounts.updateOne({ _id: 'a' }, { $set: { balance: 1 } });
      await expect(
        accounts.updateOne({ _id: 'a' }, { $set: { balance: 2 } }, { session }),
      ).rejects.toMatchObject({ code: 112 });
      await session.abortTransaction().catch(() => undefined);
    });
    expect((await balances()).a).toBe(1);
  });

  it('when withTransaction meets a transient conflict, then it retries the callback and commits once', async () => {
    let attempts = 0;
    await withSession((blocker) =>
      withSession(async (session) => {
        blocker.startTransaction();
        await accounts.updateOne({ _id: 'b' }, { $inc: { balance: 1 } }, { session: blocker });
        await session.withTransaction(async () => {
          attempts += 1;
          try {
            await accounts.updateOne({ _id: 'b' }, { $inc: { balance: 10 } }, { session });
          } finally {
            // The first attempt conflicts with the blocker; once it commits, the retry goes through.
            if (attempts === 1) await blocker.commitTransaction();
          }
        });
      }),
    );
    expect(attempts).toBe(2);
    expect((await balances()).b).toBe(11);
  });

  it('when a plain write meets a document locked by a transaction, then it waits for the commit and applies after', async () => {
    await withSession(async (session) => {
      session.startTransaction();
      await accounts.updateOne({ _id: 'a' }, { $set: { balance: 500 } }, { session });
      let plainDone = false;
      // One ordered command of two statements: the first, on a free document, lands at once and tells us
      // the server is at the second, the one on the locked document. No sleep decides anything.
      const plain = accounts
        .bulkWrite(
          [
            { updateOne: { filter: { _id: 'b' }, update: { $set: { balance: 1 } } } },
            { updateOne: { filter: { _id: 'a' }, update: { $inc: { balance: 1 } } } },
          ],
          { ordered: true },
        )
        .then((result) => {
          plainDone = true;
          return result;
        });
      let reads = 0;
      while ((await accounts.findOne({ _id: 'b' }))!.balance !== 1) {
        reads += 1;
        if (reads > 10_000) throw new Error('the first statement of the plain write never landed');
      }
      // The second statement is at the lock: not applied, not answered, for as long as the transaction runs.
      expect((await accounts.findOne({ _id: 'a' }))!.balance).toBe(100);
      expect(plainDone).toBe(false);
      await session.commitTransaction();
      const result = await plain;
      expect(result.modifiedCount).toBe(2);
    });
    expect(await balances()).toEqual({ a: 501, b: 1 });
  });

  it('when a duplicate key happens inside a transaction, then it is reported and the transaction is aborted', async () => {
    await withSession(async (session) => {
      session.startTransaction();
      await accounts.insertOne({ _id: 'c', balance: 1 }, { session });
      await expect(accounts.insertOne({ _id: 'a', balance: 1 }, { session })).rejects.toMatchObject({
        code: 11000,
      });
      await expect(session.commitTransaction()).rejects.toMatchObject({
        code: 251,
        codeName: 'NoSuchTransaction',
      });
    });
    expect(await balances()).toEqual({ a: 100, b: 0 });
  });

  it('when a unique key is taken inside an open transaction, then another transaction conflicts on it', async () => {
    const coll = suite.db.collection('handles');
    await coll.createIndex({ handle: 1 }, { unique: true });
    await withSession((first) =>
      withSession(async (second) => {
        first.startTransaction();
        second.startTransaction();
        await coll.insertOne({ handle: 'taken' }, { session: first });
        await expect(coll.insertOne({ handle: 'taken' }, { session: second })).rejects.toMatchObject({
          code: 112,
        });
        await second.abortTransaction().catch(() => undefined);
        await first.commitTransaction();
      }),
    );
    expect(await coll.countDocuments({ handle: 'taken' })).toBe(1);
  });
});
