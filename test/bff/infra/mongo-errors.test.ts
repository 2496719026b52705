import type { Connection, mongo } from 'mongoose';
import { hasDuplicateKey, isDuplicateKey, writeErrorsOf } from '@eid/bff/infra/mongo-errors';
import { testDatabase } from '../../helpers/database';

/** Errors as the driver really throws them, caught from the test database. */
describe('duplicate-key detection', () => {
  const database = testDatabase();
  let db: Connection;
  let things: mongo.Collection<{ _id: string; n?: number }>;

  beforeAll(async () => {
    db = await database.connect();
    things = db.collection('things');
    await things.insertMany([{ _id: 'a' }, { _id: 'b' }]);
    await things.createIndex({ n: 1 }, { unique: true, sparse: true });
  });
  afterAll(() => database.drop());

  const caught = (p: Promise<unknown>) =>
    p.then(
      () => {
        throw new Error('expected the write to fail');
      },
      (err: unknown) => err,
    );

  it('when a single insert collides, then it is a duplicate key', async () => {
    const err = await caught(things.insertOne({ _id: 'a' }));
    expect(isDuplicateKey(err)).toBe(true);
    expect(hasDuplicateKey(err)).toBe(true);
  });

  it('when an upsert collides on a unique index, then it is a duplicate key', async () => {
    await things.updateOne({ _id: 'a' }, { $set: { n: 1 } });
    const err = await caught(things.updateOne({ _id: 'z' }, { $set: { n: 1 } }, { upsert: true }));
    expect(isDuplicateKey(err)).toBe(true);
  });

  it('when an unordered bulk insert has only collisions, then every write error is one and it is a duplicate key', async () => {
    const err = await caught(
      things.insertMany([{ _id: 'a' }, { _id: 'c' }, { _id: 'b' }], { ordered: false }),
    );
    expect(writeErrorsOf(err)).toHaveLength(2);
    expect(isDuplicateKey(err)).toBe(true);
  });

  it('when an ordered bulk insert stops at one collision, then its single write error is read as a list', async () => {
    const err = await caught(
      things.insertMany([{ _id: 'd' }, { _id: 'a' }, { _id: 'e' }], { ordered: true }),
    );
    expect(writeErrorsOf(err)).toHaveLength(1);
    expect(isDuplicateKey(err)).toBe(true);
    expect(hasDuplicateKey(err)).toBe(true);
  });

  it('when a bulk write mixes a collision with another failure, then only hasDuplicateKey says so', async () => {
    const err = await caught(
      things.bulkWrite(
        [
          { insertOne: { document: { _id: 'a' } } },
          { updateOne: { filter: { _id: 'b' }, update: { $inc: { _id: 1 } as never } } },
        ],
        { ordered: false },
      ),
    );
    expect(writeErrorsOf(err).length).toBe(2);
    expect(isDuplicateKey(err)).toBe(false);
    expect(hasDuplicateKey(err)).toBe(true);
  });

  it('when the error is something else, then it is not a duplicate key', async () => {
    const err = await caught(things.updateOne({ _id: 'a' }, { $inc: { _id: 1 } as never }));
    expect(isDuplicateKey(err)).toBe(false);
    expect(hasDuplicateKey(err)).toBe(false);
    for (const other of [undefined, null, 'E11000', new Error('x'), { code: '11000' }, { writeErrors: [] }]) {
      expect(isDuplicateKey(other)).toBe(false);
      expect(hasDuplicateKey(other)).toBe(false);
    }
  });
});
