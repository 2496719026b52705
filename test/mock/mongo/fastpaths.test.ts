/**
 * The stand-in's fast paths (simple projections, equality-and-range filters, single-key compound index
 * entries, cursor replies written in one buffer) must answer exactly as the general paths and MongoDB do.
 * The driver-level cases hold against a real MongoDB too; the unit cases compare with mingo and bson.
 */
import { BSON, Double, Long, type Document } from 'bson';
import type { Collection, MongoServerError } from 'mongodb';
import { Query } from 'mingo';
import { compileFilter, projectDocs } from '@eid/mock/mongo/query';
import { cursorReply } from '@eid/mock/mongo/reply';
import { cloneDoc, type Doc } from '@eid/mock/mongo/values';
import { rawClientSuite } from './target';

/** Documents keyed by string ids, as the product's are. */
type StringIdDoc = Document & { _id: string };

const suite = rawClientSuite('fast');

describe('simple projections', () => {
  let coll: Collection<StringIdDoc>;
  const stored = { _id: 'p1', z: 1, a: 'two', m: { x: 1, y: [1, 2] }, b: [3, { c: 4 }], d: null };

  beforeAll(async () => {
    coll = suite.db.collection('projections');
    await coll.insertMany([stored, { _id: 'p2', a: 'only' }]);
  });

  const project = async (projection: Document, id = 'p1') =>
    coll.findOne({ _id: id as never }, { projection });

  it('when including fields, then they come back in stored order with _id first, whatever the projection order', async () => {
    const doc = await project({ b: 1, z: 1, a: true });
    expect(doc).toEqual({ _id: 'p1', z: 1, a: 'two', b: [3, { c: 4 }] });
    expect(Object.keys(doc!)).toEqual(['_id', 'z', 'a', 'b']);
  });

  it('when including fields without _id, then exactly those fields come back', async () => {
    const doc = await project({ m: 1, d: 1, _id: 0 });
    expect(doc).toEqual({ m: { x: 1, y: [1, 2] }, d: null });
    expect(Object.keys(doc!)).toEqual(['m', 'd']);
  });

  it('when including fields a document lacks, then only _id and the present ones come back', async () => {
    expect(await project({ z: 1, q: 1 }, 'p2')).toEqual({ _id: 'p2' });
    expect(await project({ a: 1, q: 1 }, 'p2')).toEqual({ _id: 'p2', a: 'only' });
  });

  it('when projecting only _id, then _id alone or everything but _id comes back', async () => {
    expect(await project({ _id: 1 })).toEqual({ _id: 'p1' });
    const rest = await project({ _id: 0 });
    expect(rest).toEqual({ z: 1, a: 'two', m: { x: 1, y: [1, 2] }, b: [3, { c: 4 }], d: null });
    expect(Object.keys(rest!)).toEqual(['z', 'a', 'm', 'b', 'd']);
  });

  it('when excluding fields, then the rest comes back in stored order', async () => {
    const doc = await project({ m: 0, a: false });
    expect(Object.keys(doc!)).toEqual(['_id', 'z', 'b', 'd']);
    expect(await project({ b: 0, d: 0, z: 0, _id: 0 })).toEqual({ a: 'two', m: { x: 1, y: [1, 2] } });
  });

  it('when a projection uses a dotted path or an operator, then the general projection still applies', async () => {
    expect(await project({ 'm.x': 1, _id: 0 })).toEqual({ m: { x: 1 } });
    expect(await project({ b: { $slice: 1 }, _id: 0, z: 1 })).toEqual({ z: 1, b: [3] });
  });

  it('when a projection mixes inclusion and exclusion, then it is refused as before', async () => {
    await expect(project({ a: 1, z: 0 })).rejects.toMatchObject({ ok: 0 });
  });

  it('when finding and modifying with a simple projection, then the returned document is shaped too', async () => {
    const before = await coll.findOneAndUpdate(
      { _id: 'p2' as never },
      { $set: { k: 1 } },
      { projection: { k: 1, a: 1 }, returnDocument: 'after' },
    );
    expect(before).toEqual({ _id: 'p2', a: 'only', k: 1 });
    expect(Object.keys(before!)).toEqual(['_id', 'a', 'k']);
  });

  it('when a batch of documents is projected, then every one of them comes back shaped', async () => {
    const many = suite.db.collection('projected_many');
    await many.insertMany(
      Array.from({ length: 150 }, (_, i) => ({ _id: i as never, i, sq: i * i, s: `${i}` })),
    );
    const docs = await many
      .find({}, { projection: { sq: 1, _id: 0 }, batchSize: 40 })
      .sort({ _id: 1 })
      .toArray();
    expect(docs).toEqual(Array.from({ length: 150 }, (_, i) => ({ sq: i * i })));
  });
});

describe('equality and range filters', () => {
  let heads: Collection<StringIdDoc>;

  beforeEach(async () => {
    heads = suite.db.collection('heads');
    await heads.deleteMany({});
    await heads.insertMany([
      { _id: 'h1' as never, seq: 5, hash: 'a' },
      { _id: 'h2' as never, seq: '1' },
      { _id: 'h3' as never, seq: null },
      { _id: 'h4' as never },
      { _id: 'h5' as never, seq: [1, 10] },
      { _id: 'h6' as never, seq: 2.5 },
      { _id: 'h7' as never, seq: new Date(3) },
    ]);
  });

  const ids = async (filter: Document) =>
    (await heads.find(filter).sort({ _id: 1 }).toArray()).map((d) => d._id as string);
  const all = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'h7'];

  it('when ranging over numbers, then only numeric values (or array elements) in range match', async () => {
    expect(await ids({ _id: { $in: all }, seq: { $lt: 5 } })).toEqual(['h5', 'h6']);
    expect(await ids({ _id: { $in: all }, seq: { $lte: 5 } })).toEqual(['h1', 'h5', 'h6']);
    expect(await ids({ _id: { $in: all }, seq: { $gt: 5 } })).toEqual(['h5']);
    expect(await ids({ _id: { $in: all }, seq: { $gte: 2.5, $lt: 5 } })).toEqual(['h5', 'h6']);
    expect(await ids({ seq: { $gt: 3, $lt: 4 } })).toEqual(['h5']);
    expect(await ids({ _id: 'h2', seq: { $lt: 5 } })).toEqual([]);
  });

  it('when a conditional upsert matches, then the head moves forward', async () => {
    const res = await heads.updateOne(
      { _id: 'h1' as never, seq: { $lt: 7 } },
      { $set: { seq: 7, hash: 'b' } },
      { upsert: true },
    );
    expect(res).toMatchObject({ matchedCount: 1, modifiedCount: 1, upsertedCount: 0 });
    expect(await heads.findOne({ _id: 'h1' as never })).toEqual({ _id: 'h1', seq: 7, hash: 'b' });
  });

  it('when a conditional upsert does not match an existing id, then the insert is a duplicate key', async () => {
    const err = (await heads
      .updateOne({ _id: 'h1' as never, seq: { $lt: 3 } }, { $set: { seq: 3, hash: 'c' } }, { upsert: true })
      .catch((e: unknown) => e)) as MongoServerError;
    expect(err.code).toBe(11000);
    expect(await heads.findOne({ _id: 'h1' as never })).toEqual({ _id: 'h1', seq: 5, hash: 'a' });
  });

  it('when a conditional upsert names a new id, then the filter seeds the new document', async () => {
    const res = await heads.updateOne(
      { _id: 'h9' as never, seq: { $lt: 1 } },
      { $set: { seq: 1, hash: 'n' } },
      { upsert: true },
    );
    expect(res).toMatchObject({ matchedCount: 0, upsertedId: 'h9' });
    expect(await heads.findOne({ _id: 'h9' as never })).toEqual({ _id: 'h9', seq: 1, hash: 'n' });
  });

  it('when an upsert inserts with a lone $set, then seeded fields keep their place and set ones win or follow', async () => {
    await heads.updateOne(
      { _id: 'u1' as never, a: 1, c: 'same', seq: { $lt: 3 } },
      { $set: { b: 2, a: 5, c: 'same' } },
      { upsert: true },
    );
    const doc = await heads.findOne({ _id: 'u1' as never });
    expect(doc).toEqual({ _id: 'u1', a: 5, c: 'same', b: 2 });
    expect(Object.keys(doc!)).toEqual(['_id', 'a', 'c', 'b']);
    await heads.updateOne({ a: 9 }, { $set: { a: 9 } }, { upsert: true });
    expect(await heads.findOne({ a: 9 }, { projection: { _id: 0 } })).toEqual({ a: 9 });
  });

  it('when updating and deleting many through a range, then each matching document is touched once', async () => {
    const res = await heads.updateMany({ seq: { $gte: 2 } }, { $set: { big: true } });
    expect(res).toMatchObject({ matchedCount: 3, modifiedCount: 3 });
    expect(await ids({ big: true })).toEqual(['h1', 'h5', 'h6']);
    expect((await heads.deleteMany({ _id: { $in: ['h1', 'h2', 'h6'] }, seq: { $gt: 2 } })).deletedCount).toBe(
      2,
    );
    expect(await ids({})).toEqual(['h2', 'h3', 'h4', 'h5', 'h7']);
  });
});

describe('compound unique indexes', () => {
  it('when documents share a key through scalars, arrays or missing fields, then the duplicate is refused', async () => {
    const coll = suite.db.collection('compound');
    await coll.createIndex({ a: 1, b: 1 }, { unique: true });
    await coll.insertOne({ _id: 1 as never, a: 1, b: 2 });
    const code = (p: Promise<unknown>) =>
      p.then(
        () => 0,
        (e: MongoServerError) => e.code,
      );
    expect(await code(coll.insertOne({ _id: 2 as never, a: 1, b: 2 }))).toBe(11000);
    expect(await code(coll.insertOne({ _id: 3 as never, a: [3, 1], b: 2 }))).toBe(11000);
    expect(await code(coll.insertOne({ _id: 4 as never, a: [3, 4], b: 2 }))).toBe(0);
    expect(await code(coll.insertOne({ _id: 5 as never, a: 3, b: 2 }))).toBe(11000);
    expect(await code(coll.insertOne({ _id: 6 as never, a: 7 }))).toBe(0);
    expect(await code(coll.insertOne({ _id: 7 as never, a: 7, b: null }))).toBe(11000);
    expect((await coll.find({ a: 4, b: 2 }).toArray()).map((d) => d._id)).toEqual([4]);
    await coll.updateOne({ _id: 4 as never }, { $set: { b: 9 } });
    expect(await code(coll.insertOne({ _id: 8 as never, a: 3, b: 2 }))).toBe(0);
  });
});

describe('internals', () => {
  const docs: Doc[] = [
    { _id: 1, z: 1, a: 'two', m: { x: 1 }, b: [3, { c: 4 }], d: null, u: undefined },
    { a: 'no id', z: [1, 2] },
    { _id: { k: 1 }, n: new Date(5) },
  ];
  const viaMingo = (projection: Doc) =>
    new Query({}, { scriptEnabled: false })
      .find<Doc>(
        docs.map((d) => cloneDoc(d)),
        projection as never,
      )
      .all();

  it.each([
    [{ a: 1 }],
    [{ b: 1, z: true, _id: 0 }],
    [{ _id: 1 }],
    [{ _id: 0 }],
    [{ m: 0 }],
    [{ m: false, a: 0, _id: 0 }],
    [{ q: 1 }],
    [{ n: 1, _id: true }],
  ])('when projecting simply with %j, then the fields are those mingo projects', (projection) => {
    expect(projectDocs(docs, projection)).toEqual(viaMingo(projection));
  });

  it('when projecting simply, then results are new documents and the stored ones stay as they were', () => {
    const before = cloneDoc(docs);
    const out = projectDocs(docs, { a: 1, b: 1 });
    out.forEach((d, i) => expect(d).not.toBe(docs[i]));
    out[0]!.a = 'changed';
    delete out[0]!._id;
    expect(docs).toEqual(before);
  });

  it('when a stored document has a field named __proto__, then exclusion leaves it to mingo', () => {
    const odd = BSON.deserialize(BSON.serialize({ _id: 1, a: 1, ['__proto__']: { x: 1 } }));
    const out = projectDocs([odd], { a: 0 });
    expect(Object.getPrototypeOf(out[0])).toBe(Object.prototype);
  });

  it('when a filter pins _id and ranges a number, then undecidable values are asked of mingo', () => {
    const matcher = compileFilter({ _id: 'x', seq: { $lt: 5 } });
    expect(matcher.test({ _id: 'x', seq: 4 })).toBe(true);
    expect(matcher.test({ _id: 'x', seq: 5 })).toBe(false);
    expect(matcher.test({ _id: 'y', seq: 4 })).toBe(false);
    expect(matcher.test({ _id: 'x', seq: '4' })).toBe(false);
    expect(matcher.test({ _id: 'x' })).toBe(false);
    expect(matcher.test({ _id: 'x', seq: [9, 3] })).toBe(true);
    expect(matcher.test({ _id: ['x'], seq: 1 })).toBe(true);
  });

  it.each([0, 1, 12])(
    'when a cursor reply carries %i documents, then it is the bytes bson would write',
    (n) => {
      const batch = Array.from({ length: n }, (_, i) => ({ _id: i, s: 'é'.repeat(i), nested: { i } }));
      const ns = 'db.colléction';
      const bytes = cursorReply(
        'nextBatch',
        batch.map((d) => BSON.serialize(d)),
        n * 1000 + 7,
        ns,
      );
      const expected = BSON.serialize({
        cursor: { nextBatch: batch, id: Long.fromNumber(n * 1000 + 7), ns },
        ok: new Double(1),
      });
      expect(Buffer.from(bytes).equals(Buffer.from(expected))).toBe(true);
    },
  );
});
