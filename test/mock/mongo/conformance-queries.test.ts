/**
 * What an application meets on the query side (issue 20 item 2): collations spelled MongoDB's way and
 * applied when matching, `let` variables, pipeline updates that leave `_id` out, `$merge` duplicate
 * keys, `$` in `_id`, and views. Driven through the official driver; the refusals of what the local
 * server cannot honour are asserted against it only (a real MongoDB honours them).
 */
import { MongoServerError, type CollationOptions, type Document } from 'mongodb';
import { rawClientSuite } from './target';

const suite = rawClientSuite('queries');

// Documents with plain `_id` values (numbers, embedded documents) rather than ObjectIds.
type Row = { _id: number; [key: string]: unknown };
const collectionOf = (name: string) => suite.db.collection<Row>(name);

const names = (docs: Document[]) => docs.map((d) => d.name as string);

async function seedPeople(name: string) {
  const coll = collectionOf(name);
  await coll.insertMany([
    { _id: 1, name: 'émile', city: 'Jinan', tags: ['Red', 'blue'], pet: { kind: 'Cat' } },
    { _id: 2, name: 'Emile', city: 'jinan', tags: ['green'], pet: { kind: 'dog' } },
    { _id: 3, name: 'bob', city: 'Qingdao', tags: ['RED'], pet: { kind: 'cat' } },
    { _id: 4, name: 'Zoe', city: 'Yantai', tags: [], n: 10 },
    { _id: 5, name: 'item2', city: 'Weihai', n: 2 },
    { _id: 6, name: 'item10', city: 'Weihai', n: 3 },
  ]);
  return coll;
}

async function serverError(promise: Promise<unknown>): Promise<MongoServerError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof MongoServerError) return err;
    throw err;
  }
  throw new Error('expected a server error');
}

describe('collation locales and options', () => {
  test('when locales are spelled the MongoDB way (en_US, fr_CA, zh, zh_Hans), then a collated sort works', async () => {
    const coll = await seedPeople('locales');
    for (const locale of ['en_US', 'fr_CA', 'zh', 'zh_Hans', 'en']) {
      const docs = await coll
        .find({ _id: { $lte: 4 } }, { collation: { locale, strength: 1 } })
        .sort({ name: 1, _id: 1 })
        .toArray();
      expect(names(docs)).toEqual(['bob', 'émile', 'Emile', 'Zoe']);
    }
  });

  test('when a locale MongoDB does not know is asked for, then BadValue says the locale field is invalid', async () => {
    const coll = await seedPeople('badlocale');
    for (const locale of ['xx_YY', 'fi_FI', 'de@collation=phonebook']) {
      const err = await serverError(coll.find({}, { collation: { locale } }).toArray());
      expect(err.code).toBe(2);
      expect(err.message).toContain("Field 'locale' is invalid in:");
    }
  });

  test('when numericOrdering is on, then digits sort as numbers', async () => {
    const coll = await seedPeople('numeric');
    const docs = await coll
      .find({ city: 'Weihai' }, { collation: { locale: 'en', numericOrdering: true } })
      .sort({ name: -1 })
      .toArray();
    expect(names(docs)).toEqual(['item10', 'item2']);
  });

  test('when strength 1 has caseLevel, then case counts but accents do not', async () => {
    const coll = await seedPeople('caselevel');
    const docs = await coll
      .find({ name: 'emile' }, { collation: { locale: 'fr', strength: 1, caseLevel: true } })
      .toArray();
    expect(docs.map((d) => d._id)).toEqual([1]);
  });

  test('when alternate is shifted, then punctuation and spaces are ignored in matches', async () => {
    const coll = collectionOf('shifted');
    await coll.insertMany([
      { _id: 1, s: 'co-op' },
      { _id: 2, s: 'coop' },
      { _id: 3, s: 'co op' },
    ]);
    const n = await coll.countDocuments({ s: 'coop' }, { collation: { locale: 'en', alternate: 'shifted' } });
    expect(n).toBe(3);
  });

  test('when a collation option cannot be honoured exactly (local server), then the error names it', async () => {
    if (!suite.target.local) return;
    const coll = await seedPeople('unhonoured');
    const cases: [CollationOptions, string][] = [
      [{ locale: 'en', strength: 4, alternate: 'shifted' }, 'strength 4'],
      [{ locale: 'en', strength: 5 }, 'strength 5'],
      [{ locale: 'en', strength: 2, caseLevel: true }, 'caseLevel'],
      [{ locale: 'en', alternate: 'shifted', maxVariable: 'space' }, 'maxVariable'],
      [{ locale: 'en', backwards: true }, 'backwards'],
    ];
    for (const [collation, option] of cases) {
      const err = await serverError(coll.find({ name: 'x' }, { collation }).toArray());
      expect(err.code).toBe(2);
      expect(err.message).toContain(`collation option ${option}`);
    }
    // fr_CA's own backwards order is what Intl.Collator gives: accepted.
    await expect(
      coll.find({}, { collation: { locale: 'fr_CA', backwards: true } }).toArray(),
    ).resolves.toHaveLength(6);
  });
});

describe('collation-aware matching', () => {
  const ci = { locale: 'en', strength: 2 } as const;
  const base = { locale: 'en', strength: 1 } as const;

  test('when find, count and distinct run case-insensitively, then they match and de-duplicate under the collation', async () => {
    const coll = await seedPeople('match');
    expect((await coll.find({ city: 'JINAN' }, { collation: ci }).toArray()).map((d) => d._id)).toEqual([
      1, 2,
    ]);
    expect(await coll.countDocuments({ city: 'JINAN' }, { collation: ci })).toBe(2);
    expect(await coll.countDocuments({ city: 'JINAN' })).toBe(0);
    expect(await coll.distinct('city', {}, { collation: ci })).toHaveLength(4);
    expect(await coll.distinct('name', { _id: { $lte: 2 } }, { collation: base })).toEqual(['émile']);
    expect(await coll.distinct('name', { _id: { $lte: 2 } })).toEqual(['émile', 'Emile']);
  });

  test('when $eq, $ne, $in, $nin and ranges compare strings, then they use the collation, inside arrays and embedded documents too', async () => {
    const coll = await seedPeople('operators');
    const ids = async (filter: Document, collation: CollationOptions = ci) =>
      (await coll.find(filter, { collation }).sort({ _id: 1 }).toArray()).map((d) => d._id);
    expect(await ids({ name: { $eq: 'EMILE' } })).toEqual([2]);
    expect(await ids({ name: { $eq: 'EMILE' } }, base)).toEqual([1, 2]);
    expect(await ids({ name: { $ne: 'BOB' }, n: { $exists: false } })).toEqual([1, 2]);
    expect(await ids({ city: { $in: ['QINGDAO', 'yantai'] } })).toEqual([3, 4]);
    expect(await ids({ city: { $nin: ['JINAN', 'weihai'] } })).toEqual([3, 4]);
    expect(await ids({ name: { $gte: 'B', $lt: 'F' } })).toEqual([1, 2, 3]);
    expect(await ids({ tags: 'red' })).toEqual([1, 3]);
    expect(await ids({ tags: { $all: ['RED', 'Blue'] } })).toEqual([1]);
    expect(await ids({ tags: { $elemMatch: { $eq: 'GREEN' } } })).toEqual([2]);
    expect(await ids({ 'pet.kind': 'CAT' })).toEqual([1, 3]);
    expect(await ids({ pet: { kind: 'CAT' } })).toEqual([1, 3]);
    expect(await ids({ $or: [{ name: 'ZOE' }, { city: { $regex: '^Q' } }] })).toEqual([3, 4]);
    expect(await ids({ name: { $not: { $eq: 'BOB' } }, _id: { $lte: 3 } })).toEqual([1, 2]);
  });

  test('when an aggregation has a collation, then $match stages and $sort use it', async () => {
    const coll = await seedPeople('aggmatch');
    const docs = await coll
      .aggregate(
        [{ $project: { name: 1, city: 1 } }, { $match: { city: 'JINAN' } }, { $sort: { name: 1 } }],
        { collation: ci },
      )
      .toArray();
    expect(docs.map((d) => d._id)).toEqual([2, 1]);
  });

  test('when updates, replacements, deletes and findAndModify carry a collation, then they match under it', async () => {
    const coll = await seedPeople('writes');
    const updated = await coll.updateMany({ city: 'JINAN' }, { $set: { seen: true } }, { collation: ci });
    expect(updated.matchedCount).toBe(2);
    const replaced = await coll.replaceOne(
      { name: 'BOB' },
      { name: 'bob', city: 'Qingdao', v: 2 },
      { collation: ci },
    );
    expect(replaced.modifiedCount).toBe(1);
    const found = await coll.findOneAndUpdate(
      { name: 'ZOE' },
      { $set: { v: 3 } },
      { collation: ci, returnDocument: 'after' },
    );
    expect(found?.v).toBe(3);
    const gone = await coll.findOneAndDelete({ name: 'ITEM2' }, { collation: ci });
    expect(gone?._id).toBe(5);
    const deleted = await coll.deleteMany({ city: 'WEIHAI' }, { collation: ci });
    expect(deleted.deletedCount).toBe(1);
    expect(await coll.countDocuments({ seen: true })).toBe(2);
  });

  test('when a collection has a default collation, then queries without one use it', async () => {
    await suite.db.createCollection('defaulted', { collation: { locale: 'en', strength: 2 } });
    const coll = collectionOf('defaulted');
    await coll.insertMany([
      { _id: 1, s: 'Abc' },
      { _id: 2, s: 'abd' },
    ]);
    expect(await coll.countDocuments({ s: 'ABC' })).toBe(1);
  });

  test('when a comparison cannot be made collation-aware (local server), then it is refused naming it', async () => {
    if (!suite.target.local) return;
    const coll = await seedPeople('refused');
    const expr = await serverError(
      coll.find({ $expr: { $eq: ['$name', 'BOB'] } }, { collation: ci }).toArray(),
    );
    expect(expr.code).toBe(2);
    expect(expr.message).toContain('$expr');
    const group = await serverError(
      coll.aggregate([{ $group: { _id: '$city' } }], { collation: ci }).toArray(),
    );
    expect(group.code).toBe(2);
    expect(group.message).toContain('$group');
    const project = await serverError(
      coll.aggregate([{ $project: { same: { $eq: ['$name', 'BOB'] } } }], { collation: ci }).toArray(),
    );
    expect(project.message).toContain('$eq');
    const index = await serverError(coll.createIndex({ name: 1 }, { unique: true, collation: ci }));
    expect(index.code).toBe(67);
    // Simple collation is binary comparison: everything mingo does stays allowed.
    await expect(
      coll.aggregate([{ $group: { _id: '$city' } }], { collation: { locale: 'simple' } }).toArray(),
    ).resolves.toHaveLength(5);
  });
});

describe('let variables', () => {
  test('when find, aggregate, update, delete and findAndModify carry let, then $$names resolve in $expr and pipelines', async () => {
    const coll = await seedPeople('let');
    const found = await coll
      .find({ $expr: { $eq: ['$city', '$$town'] } }, { let: { town: 'Weihai' } })
      .toArray();
    expect(found.map((d) => d._id)).toEqual([5, 6]);
    const agg = await coll
      .aggregate([{ $match: { $expr: { $gt: ['$n', '$$min'] } } }, { $project: { _id: 1, x: '$$label' } }], {
        let: { min: { $add: [1, 1] }, label: { $concat: ['a', 'b'] } },
      })
      .toArray();
    expect(agg).toEqual([
      { _id: 4, x: 'ab' },
      { _id: 6, x: 'ab' },
    ]);
    await coll.updateOne({ $expr: { $eq: ['$_id', '$$id'] } }, [{ $set: { v: '$$v' } }], {
      let: { id: 3, v: 7 },
    });
    expect((await coll.findOne({ _id: 3 }))?.v).toBe(7);
    const fam = await coll.findOneAndUpdate({ $expr: { $eq: ['$_id', '$$id'] } }, [{ $set: { w: '$$w' } }], {
      let: { id: 4, w: 'x' },
      returnDocument: 'after',
    });
    expect(fam?.w).toBe('x');
    const del = await coll.deleteMany({ $expr: { $eq: ['$city', '$$c'] } }, { let: { c: 'Weihai' } });
    expect(del.deletedCount).toBe(2);
  });
});

describe('writes MongoDB shapes in its own way', () => {
  test('when a pipeline update replaces the root without _id, then the document keeps its _id', async () => {
    const coll = collectionOf('replaceroot');
    await coll.insertOne({ _id: 1, inner: { a: 1 } });
    await coll.updateOne({ _id: 1 }, [{ $replaceRoot: { newRoot: '$inner' } }]);
    await coll.updateOne({ _id: 1 }, [{ $replaceWith: { b: 2, c: '$a' } }]);
    expect(await coll.findOne({ _id: 1 })).toEqual({ _id: 1, b: 2, c: 1 });
    const err = await serverError(coll.updateOne({ _id: 1 }, [{ $replaceWith: { _id: 9 } }]));
    expect(err.code).toBe(66);
  });

  test('when $merge meets an existing _id with whenMatched fail, then E11000 carries keyPattern and keyValue', async () => {
    const target = collectionOf('mergetarget');
    await target.insertOne({ _id: 1, a: 0 });
    const source = collectionOf('mergesource');
    await source.insertMany([{ _id: 1, a: 1 }]);
    const err = await serverError(
      source.aggregate([{ $merge: { into: 'mergetarget', whenMatched: 'fail' } }]).toArray(),
    );
    expect(err.code).toBe(11000);
    expect(err.keyPattern).toEqual({ _id: 1 });
    expect(err.keyValue).toEqual({ _id: 1 });
    expect(err.message).toContain('E11000 duplicate key error');
    expect(err.message).toContain('dup key: { _id: 1 }');
  });

  test('when _id holds a $-prefixed key, then insert and upsert are refused with DollarPrefixedFieldName', async () => {
    const coll = collectionOf('dollarid');
    const err = await serverError(coll.insertOne({ _id: { $a: 1 } as never }));
    expect(err.code).toBe(52);
    const upsert = await serverError(
      coll.replaceOne({ x: 1 }, { _id: { $b: 1 } as never, y: 1 }, { upsert: true }),
    );
    expect(upsert.code).toBe(52);
    // Dots in _id, and $ keys elsewhere, are fine (MongoDB 5.0+).
    await coll.insertOne({ _id: { 'a.b': 1 } as never });
    await coll.insertOne({ _id: 2 as never, a: { $b: 1 } });
    expect(await coll.countDocuments()).toBe(2);
  });
});

describe('views', () => {
  test('when a view is read with find, aggregate, count and distinct, then its pipeline runs first', async () => {
    await seedPeople('viewsource');
    await suite.db.createCollection('weihai', {
      viewOn: 'viewsource',
      pipeline: [{ $match: { city: 'Weihai' } }, { $project: { name: 1, n: 1 } }],
    });
    const view = collectionOf('weihai');
    expect(await view.find({ n: { $gt: 2 } }).toArray()).toEqual([{ _id: 6, name: 'item10', n: 3 }]);
    expect(
      await view.find({}, { sort: { n: -1 }, limit: 1, projection: { _id: 0, name: 1 } }).toArray(),
    ).toEqual([{ name: 'item10' }]);
    expect(await view.countDocuments()).toBe(2);
    expect((await view.distinct('name')).sort()).toEqual(['item10', 'item2']);
    expect(await view.aggregate([{ $group: { _id: null, total: { $sum: '$n' } } }]).toArray()).toEqual([
      { _id: null, total: 5 },
    ]);
    const listed = await suite.db.listCollections({ name: 'weihai' }).toArray();
    expect(listed[0]).toMatchObject({ name: 'weihai', type: 'view' });
    // A view on a view runs both pipelines; $lookup reads a view through its pipeline too.
    await suite.db.createCollection('weihaibig', {
      viewOn: 'weihai',
      pipeline: [{ $match: { n: { $gte: 3 } } }],
    });
    expect(await collectionOf('weihaibig').find().toArray()).toEqual([{ _id: 6, name: 'item10', n: 3 }]);
    const joined = await collectionOf('viewsource')
      .aggregate([
        { $match: { _id: 6 } },
        { $lookup: { from: 'weihai', localField: '_id', foreignField: '_id', as: 'w' } },
        { $project: { w: 1 } },
      ])
      .toArray();
    expect(joined).toEqual([{ _id: 6, w: [{ _id: 6, name: 'item10', n: 3 }] }]);
  });

  test('when a view is written to, then CommandNotSupportedOnView (166) refuses it', async () => {
    await suite.db.createCollection('ro', { viewOn: 'viewsource', pipeline: [] });
    const view = collectionOf('ro');
    for (const write of [
      () => view.insertOne({ _id: 1, a: 1 }),
      () => view.updateOne({}, { $set: { a: 1 } }),
      () => view.deleteMany({}),
      () => view.findOneAndUpdate({}, { $set: { a: 1 } }),
    ]) {
      const err = await serverError(write());
      expect(err.code).toBe(166);
    }
  });
});
