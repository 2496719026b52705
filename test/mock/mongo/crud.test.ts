import type { CommandStartedEvent } from 'mongodb';
import { Schema, type Model } from 'mongoose';
import { mongooseSuite } from './target';

interface Person {
  name: string;
  age: number;
  city?: string;
  tags: string[];
  scores: { subject: string; score: number }[];
  visits?: number;
  flags?: number;
  seenAt?: Date;
}

const personSchema = new Schema<Person>(
  {
    name: { type: String, required: true },
    age: { type: Number, required: true },
    city: String,
    tags: [String],
    scores: [{ _id: false, subject: String, score: Number }],
    visits: Number,
    flags: Number,
    seenAt: Date,
  },
  { versionKey: false },
);

let People: Model<Person>;
const suite = mongooseSuite('crud', { monitorCommands: true });
const commands: CommandStartedEvent[] = [];

beforeAll(async () => {
  suite.client.on('commandStarted', (event) => commands.push(event));
  People = suite.conn.model<Person>('Person', personSchema);
  await People.init();
});

beforeEach(async () => {
  await People.deleteMany({});
  await People.create([
    { name: 'Ann', age: 31, city: 'Jinan', tags: ['a', 'b'], scores: [{ subject: 'math', score: 80 }] },
    { name: 'Bo', age: 25, city: 'Qingdao', tags: ['b'], scores: [{ subject: 'math', score: 60 }] },
    { name: 'Cy', age: 42, tags: [], scores: [] },
    { name: 'Di', age: 25, city: 'Jinan', tags: ['c'], scores: [{ subject: 'art', score: 90 }] },
  ]);
  commands.length = 0;
});

describe('reads', () => {
  it('when finding with a filter, sort, projection, skip and limit, then the page comes back in order and shaped', async () => {
    const docs = await People.find({ age: { $gte: 25 } }, { name: 1, age: 1, _id: 0 })
      .sort({ age: 1, name: -1 })
      .skip(1)
      .limit(2)
      .lean();
    expect(docs).toEqual([
      { name: 'Bo', age: 25 },
      { name: 'Ann', age: 31 },
    ]);
  });

  it('when filtering with logical, array, element and regex operators, then exactly the matching documents return', async () => {
    const names = async (filter: object) =>
      (await People.find(filter).sort({ name: 1 }).lean()).map((d) => d.name);
    expect(await names({ $or: [{ age: 42 }, { city: 'Qingdao' }] })).toEqual(['Bo', 'Cy']);
    expect(await names({ tags: 'b' })).toEqual(['Ann', 'Bo']);
    expect(await names({ tags: { $all: ['a', 'b'] } })).toEqual(['Ann']);
    expect(await names({ tags: { $size: 0 } })).toEqual(['Cy']);
    expect(await names({ city: { $exists: false } })).toEqual(['Cy']);
    expect(await names({ name: { $regex: '^[ab]', $options: 'i' } })).toEqual(['Ann', 'Bo']);
    expect(await names({ scores: { $elemMatch: { subject: 'math', score: { $gt: 70 } } } })).toEqual(['Ann']);
    expect(await names({ 'scores.subject': 'art' })).toEqual(['Di']);
    expect(await names({ age: { $in: [25, 42] }, city: { $ne: 'Jinan' } })).toEqual(['Bo', 'Cy']);
    expect(await names({ $expr: { $gt: ['$age', 40] } })).toEqual(['Cy']);
  });

  it('when sorting descending on an array field, then each document sorts by its largest element', async () => {
    const docs = await People.find({}, { name: 1 }).sort({ tags: -1, name: 1 }).lean();
    expect(docs.map((d) => d.name)).toEqual(['Di', 'Ann', 'Bo', 'Cy']);
  });

  it('when counting and listing distinct values, then the numbers match the data', async () => {
    expect(await People.countDocuments({ age: 25 })).toBe(2);
    expect(await People.estimatedDocumentCount()).toBe(4);
    expect((await People.distinct('tags')).sort()).toEqual(['a', 'b', 'c']);
    expect((await People.distinct('city', { age: 25 })).sort()).toEqual(['Jinan', 'Qingdao']);
  });

  it('when a result spans several batches, then the cursor fetches the rest with getMore', async () => {
    const coll = suite.db.collection('many');
    await coll.insertMany(Array.from({ length: 250 }, (_, i) => ({ i })));
    commands.length = 0;
    const seen = await coll.find({}, { batchSize: 40 }).sort({ i: 1 }).toArray();
    expect(seen.map((d) => d.i)).toEqual(Array.from({ length: 250 }, (_, i) => i));
    expect(commands.filter((c) => c.commandName === 'getMore').length).toBe(6);
  });

  it('when a cursor is closed early, then killCursors succeeds and the cursor is gone', async () => {
    const coll = suite.db.collection('many2');
    await coll.insertMany(Array.from({ length: 30 }, (_, i) => ({ i })));
    const cursor = coll.find({}, { batchSize: 5 });
    await cursor.next();
    const id = cursor.id!;
    await cursor.close();
    expect(commands.some((c) => c.commandName === 'killCursors')).toBe(true);
    await expect(suite.db.command({ getMore: id, collection: 'many2', batchSize: 5 })).rejects.toMatchObject({
      code: 43,
      codeName: 'CursorNotFound',
    });
  });

  it('when results exceed 16 MB, then they arrive in more than one batch and all of them arrive', async () => {
    const coll = suite.db.collection('big');
    const blob = 'x'.repeat(1024 * 1024);
    for (let i = 0; i < 20; i++) await coll.insertOne({ i, blob });
    commands.length = 0;
    const docs = await coll.find({}, { projection: { i: 1 } }).toArray();
    expect(docs).toHaveLength(20);
    const all = await coll.find({}).toArray();
    expect(all.map((d) => d.i)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(commands.filter((c) => c.commandName === 'getMore').length).toBeGreaterThanOrEqual(1);
    await coll.drop();
  });

  it('when aggregating with match, group, sort, unwind, lookup and facet, then the stages compose', async () => {
    const byCity = await People.aggregate([
      { $match: { city: { $exists: true } } },
      { $group: { _id: '$city', n: { $sum: 1 }, avgAge: { $avg: '$age' } } },
      { $sort: { _id: 1 } },
    ]);
    expect(byCity).toEqual([
      { _id: 'Jinan', n: 2, avgAge: 28 },
      { _id: 'Qingdao', n: 1, avgAge: 25 },
    ]);
    await suite.db.collection('cities').insertMany([
      { _id: 'Jinan' as never, province: 'Shandong' },
      { _id: 'Qingdao' as never, province: 'Shandong' },
    ]);
    const joined = await People.aggregate([
      { $match: { name: 'Bo' } },
      { $lookup: { from: 'cities', localField: 'city', foreignField: '_id', as: 'where' } },
      { $unwind: '$where' },
      { $project: { _id: 0, name: 1, province: '$where.province' } },
    ]);
    expect(joined).toEqual([{ name: 'Bo', province: 'Shandong' }]);
    const [facets] = await People.aggregate([
      { $facet: { young: [{ $match: { age: { $lt: 30 } } }, { $count: 'n' }], total: [{ $count: 'n' }] } },
    ]);
    expect(facets).toEqual({ young: [{ n: 2 }], total: [{ n: 4 }] });
  });

  it('when an aggregation ends in $out, then the target collection holds exactly its results', async () => {
    await People.aggregate([{ $match: { age: 25 } }, { $project: { name: 1 } }, { $out: 'young' }]);
    const young = await suite.db.collection('young').find().sort({ name: 1 }).toArray();
    expect(young.map((d) => d.name)).toEqual(['Bo', 'Di']);
  });
});

describe('updates', () => {
  it('when applying field operators, then each field changes as MongoDB defines it', async () => {
    await People.updateOne(
      { name: 'Ann' },
      {
        $set: { city: 'Yantai' },
        $inc: { age: 1 },
        $mul: { visits: 2 },
        $min: { flags: 3 },
        $currentDate: { seenAt: true },
      },
    );
    await People.updateOne(
      { name: 'Ann' },
      { $max: { age: 40 }, $unset: { city: '' }, $bit: { flags: { or: 4 } } },
    );
    const ann = await People.findOne({ name: 'Ann' }).lean();
    expect(ann).toMatchObject({ age: 40, visits: 0, flags: 7 });
    expect(ann!.city).toBeUndefined();
    expect(ann!.seenAt).toBeInstanceOf(Date);
    await People.collection.updateOne({ name: 'Ann' }, { $rename: { visits: 'count' } });
    const raw = await People.collection.findOne({ name: 'Ann' });
    expect(raw).toMatchObject({ count: 0 });
    expect(raw).not.toHaveProperty('visits');
  });

  it('when applying array operators, then arrays grow, shrink and stay sets as asked', async () => {
    await People.updateOne(
      { name: 'Bo' },
      { $push: { tags: { $each: ['z', 'a', 'm'], $sort: 1, $slice: 3 } } },
    );
    expect((await People.findOne({ name: 'Bo' }).lean())!.tags).toEqual(['a', 'b', 'm']);
    await People.updateOne({ name: 'Bo' }, { $addToSet: { tags: { $each: ['a', 'q'] } } });
    expect((await People.findOne({ name: 'Bo' }).lean())!.tags).toEqual(['a', 'b', 'm', 'q']);
    await People.updateOne({ name: 'Bo' }, { $pull: { tags: { $in: ['b', 'q'] } } });
    await People.updateOne({ name: 'Bo' }, { $pop: { tags: 1 } });
    expect((await People.findOne({ name: 'Bo' }).lean())!.tags).toEqual(['a']);
    await People.updateOne({ name: 'Bo' }, { $pullAll: { tags: ['a'] } });
    expect((await People.findOne({ name: 'Bo' }).lean())!.tags).toEqual([]);
  });

  it('when updating through $, $[] and arrayFilters, then only the addressed elements change', async () => {
    await People.updateOne(
      { name: 'Ann' },
      {
        $push: {
          scores: {
            $each: [
              { subject: 'art', score: 70 },
              { subject: 'music', score: 50 },
            ],
          },
        },
      },
    );
    await People.updateOne({ name: 'Ann', 'scores.subject': 'art' }, { $set: { 'scores.$.score': 75 } });
    await People.updateOne({ name: 'Ann' }, { $inc: { 'scores.$[].score': 1 } });
    await People.updateOne(
      { name: 'Ann' },
      { $set: { 'scores.$[low].score': 0 } },
      { arrayFilters: [{ 'low.score': { $lt: 60 } }] },
    );
    expect((await People.findOne({ name: 'Ann' }).lean())!.scores).toEqual([
      { subject: 'math', score: 81 },
      { subject: 'art', score: 76 },
      { subject: 'music', score: 0 },
    ]);
  });

  it('when updating many, then matched and modified are counted apart', async () => {
    const result = await People.updateMany({ age: 25 }, { $set: { city: 'Jinan' } });
    expect(result).toMatchObject({ matchedCount: 2, modifiedCount: 1 });
    const none = await People.updateMany({ age: 99 }, { $set: { city: 'X' } });
    expect(none).toMatchObject({ matchedCount: 0, modifiedCount: 0, upsertedCount: 0 });
  });

  it('when upserting, then the filter seeds the new document and $setOnInsert applies only on insert', async () => {
    const coll = suite.db.collection('counters');
    const first = await coll.updateOne(
      { key: 'k1', 'meta.kind': 'daily' },
      { $inc: { n: 1 }, $setOnInsert: { createdBy: 'test' } },
      { upsert: true },
    );
    expect(first.upsertedCount).toBe(1);
    expect(first.upsertedId).toBeDefined();
    const second = await coll.updateOne(
      { key: 'k1', 'meta.kind': 'daily' },
      { $inc: { n: 1 }, $setOnInsert: { createdBy: 'other' } },
      { upsert: true },
    );
    expect(second).toMatchObject({ matchedCount: 1, modifiedCount: 1, upsertedCount: 0 });
    expect(await coll.findOne({ key: 'k1' }, { projection: { _id: 0 } })).toEqual({
      key: 'k1',
      meta: { kind: 'daily' },
      n: 2,
      createdBy: 'test',
    });
  });

  it('when an upsert names the new _id in $setOnInsert, then it is used on insert and ignored on match', async () => {
    const coll = suite.db.collection<{ _id: string; k?: string; n?: number; v?: number }>('named_ids');
    await coll.updateOne({ _id: 'a' }, { $setOnInsert: { _id: 'a', v: 1 } }, { upsert: true });
    await coll.updateOne(
      { _id: 'a' },
      { $setOnInsert: { _id: 'a', v: 2 }, $inc: { n: 1 } },
      { upsert: true },
    );
    expect(await coll.findOne({ _id: 'a' })).toEqual({ _id: 'a', v: 1, n: 1 });
    const inserted = await coll.updateOne({ k: 'b' }, { $setOnInsert: { _id: 'zz' } }, { upsert: true });
    expect(inserted.upsertedId).toBe('zz');
    expect(await coll.findOne({ k: 'b' })).toEqual({ _id: 'zz', k: 'b' });
  });

  it('when replacing a document, then its _id stays and changing _id is refused as immutable', async () => {
    const bo = await People.findOne({ name: 'Bo' }).lean();
    await People.replaceOne({ _id: bo!._id }, { name: 'Bob', age: 26, tags: [], scores: [] });
    expect(await People.findById(bo!._id).lean()).toEqual({
      _id: bo!._id,
      name: 'Bob',
      age: 26,
      tags: [],
      scores: [],
    });
    await expect(
      People.collection.updateOne({ _id: bo!._id }, { $set: { _id: 'other' as never } }),
    ).rejects.toMatchObject({ code: 66 });
  });

  it('when using an unknown update operator, then the update fails as a parse error', async () => {
    await expect(
      People.collection.updateOne({ name: 'Ann' }, { $frobnicate: { age: 1 } } as never),
    ).rejects.toMatchObject({ code: 9 });
  });

  it('when updating with an aggregation pipeline, then computed fields are stored', async () => {
    await People.collection.updateMany({ age: 25 }, [
      { $set: { label: { $concat: ['$name', '-', '$city'] } } },
    ]);
    const labels = (await People.collection.find({ age: 25 }).sort({ name: 1 }).toArray()).map(
      (d) => d.label,
    );
    expect(labels).toEqual(['Bo-Qingdao', 'Di-Jinan']);
  });
});

describe('find-and-modify and deletes', () => {
  it('when finding one and updating it, then before or after images return as asked, sorted and projected', async () => {
    const before = await People.findOneAndUpdate(
      { age: 25 },
      { $inc: { age: 10 } },
      { sort: { name: -1 }, returnDocument: 'before' },
    )
      .select({ name: 1, age: 1, _id: 0 })
      .lean();
    expect(before).toEqual({ name: 'Di', age: 25 });
    const after = await People.findOneAndUpdate(
      { name: 'Di' },
      { $inc: { age: 1 } },
      { returnDocument: 'after' },
    ).lean();
    expect(after!.age).toBe(36);
    const created = await People.findOneAndUpdate(
      { name: 'Ed' },
      { $set: { age: 5 } },
      { upsert: true, returnDocument: 'after' },
    ).lean();
    expect(created).toMatchObject({ name: 'Ed', age: 5 });
    const missing = await People.findOneAndUpdate({ name: 'Nobody' }, { $set: { age: 1 } }).lean();
    expect(missing).toBeNull();
  });

  it('when finding one and deleting or replacing it, then the document is returned and changed', async () => {
    const gone = await People.findOneAndDelete({ name: 'Cy' }).lean();
    expect(gone!.name).toBe('Cy');
    expect(await People.countDocuments({ name: 'Cy' })).toBe(0);
    const replaced = await People.findOneAndReplace(
      { name: 'Bo' },
      { name: 'Bo', age: 1, tags: [], scores: [] },
      { returnDocument: 'after' },
    ).lean();
    expect(replaced).toMatchObject({ name: 'Bo', age: 1 });
  });

  it('when deleting one and many, then the counts say how many went', async () => {
    expect(await People.deleteOne({ age: 25 })).toMatchObject({ deletedCount: 1 });
    expect(await People.deleteMany({ age: { $gt: 0 } })).toMatchObject({ deletedCount: 3 });
    expect(await People.deleteMany({})).toMatchObject({ deletedCount: 0 });
  });
});
