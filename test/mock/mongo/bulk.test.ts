import type { Collection, MongoBulkWriteError, WriteError } from 'mongodb';
import { Schema } from 'mongoose';
import { mongooseSuite } from './target';

let coll: Collection<{ _id?: unknown; code: string; n?: number }>;
const suite = mongooseSuite('bulk');

beforeAll(async () => {
  coll = suite.db.collection('codes');
  await coll.createIndex({ code: 1 }, { unique: true });
});

beforeEach(async () => {
  await coll.deleteMany({});
});

function writeErrorsOf(err: MongoBulkWriteError): WriteError[] {
  const errors = err.writeErrors as WriteError | WriteError[];
  return Array.isArray(errors) ? errors : [errors];
}

async function bulkError(promise: Promise<unknown>): Promise<MongoBulkWriteError> {
  try {
    await promise;
  } catch (err) {
    return err as MongoBulkWriteError;
  }
  throw new Error('expected a bulk write error');
}

describe('bulk writes', () => {
  it('when an ordered insert meets a duplicate, then it stops there and reports that one write error', async () => {
    const err = await bulkError(
      coll.insertMany([{ code: 'a' }, { code: 'b' }, { code: 'a' }, { code: 'c' }], { ordered: true }),
    );
    expect(err.code).toBe(11000);
    expect(err.result.insertedCount).toBe(2);
    expect(writeErrorsOf(err)).toHaveLength(1);
    const [first] = writeErrorsOf(err);
    expect(first).toMatchObject({ index: 2, code: 11000 });
    expect(first!.errmsg).toContain('dup key: { code: "a" }');
    expect((await coll.find().sort({ code: 1 }).toArray()).map((d) => d.code)).toEqual(['a', 'b']);
  });

  it('when an unordered insert meets duplicates, then it goes on and reports every write error by index', async () => {
    const err = await bulkError(
      coll.insertMany([{ code: 'a' }, { code: 'a' }, { code: 'b' }, { code: 'b' }, { code: 'c' }], {
        ordered: false,
      }),
    );
    expect(err.result.insertedCount).toBe(3);
    expect(writeErrorsOf(err).map((e) => e.index)).toEqual([1, 3]);
    expect((await coll.find().sort({ code: 1 }).toArray()).map((d) => d.code)).toEqual(['a', 'b', 'c']);
  });

  it('when mongoose inserts many unordered, then the valid documents land and the error names the duplicates', async () => {
    const Codes = suite.conn.model('Code', new Schema({ code: { type: String, unique: true } }), 'codes');
    await Codes.insertMany([{ code: 'x' }]);
    const err = await bulkError(
      Codes.insertMany([{ code: 'y' }, { code: 'x' }, { code: 'z' }], { ordered: false }),
    );
    expect(err.code).toBe(11000);
    expect(await Codes.countDocuments()).toBe(3);
  });

  it('when a mixed bulkWrite runs ordered, then updates, upserts and deletes are counted per kind', async () => {
    await coll.insertMany([
      { code: 'a', n: 1 },
      { code: 'b', n: 2 },
    ]);
    const result = await coll.bulkWrite([
      { insertOne: { document: { code: 'c', n: 3 } } },
      { updateOne: { filter: { code: 'a' }, update: { $inc: { n: 10 } } } },
      { updateMany: { filter: { n: { $gte: 2 } }, update: { $set: { big: true } } } },
      { updateOne: { filter: { code: 'd' }, update: { $set: { n: 4 } }, upsert: true } },
      { replaceOne: { filter: { code: 'b' }, replacement: { code: 'b', n: 20 } } },
      { deleteOne: { filter: { code: 'c' } } },
      { deleteMany: { filter: { n: { $gt: 100 } } } },
    ]);
    expect(result).toMatchObject({
      insertedCount: 1,
      matchedCount: 5,
      modifiedCount: 5,
      upsertedCount: 1,
      deletedCount: 1,
    });
    expect(Object.keys(result.upsertedIds)).toEqual(['3']);
  });

  it('when an update statement in a batch violates a unique index, then that statement is the write error', async () => {
    await coll.insertMany([{ code: 'a' }, { code: 'b' }]);
    const err = await bulkError(
      coll.bulkWrite(
        [
          { updateOne: { filter: { code: 'a' }, update: { $set: { n: 1 } } } },
          { updateOne: { filter: { code: 'b' }, update: { $set: { code: 'a' } } } },
          { updateOne: { filter: { code: 'a' }, update: { $set: { n: 2 } } } },
        ],
        { ordered: false },
      ),
    );
    expect(writeErrorsOf(err).map((e) => [e.index, e.code])).toEqual([[1, 11000]]);
    expect((await coll.findOne({ code: 'a' }))!.n).toBe(2);
  });
});
