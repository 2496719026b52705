import type { MongoServerError } from 'mongodb';
import { Schema } from 'mongoose';
import { mongooseSuite, ownLocalServer, rawClient } from './target';

const suite = mongooseSuite('indexes');

beforeAll(async () => {});

async function duplicateError(promise: Promise<unknown>): Promise<MongoServerError> {
  try {
    await promise;
  } catch (err) {
    return err as MongoServerError;
  }
  throw new Error('expected a duplicate key error');
}

describe('unique indexes', () => {
  it('when mongoose saves a second document with a unique value, then it reports E11000 with keyPattern and keyValue', async () => {
    const Users = suite.conn.model(
      'User',
      new Schema({ email: { type: String, unique: true }, name: String }),
    );
    await Users.init();
    await Users.create({ email: 'ann@example.cn', name: 'Ann' });
    const err = await duplicateError(Users.create({ email: 'ann@example.cn', name: 'Other' }));
    expect(err.code).toBe(11000);
    expect(err.keyPattern).toEqual({ email: 1 });
    expect(err.keyValue).toEqual({ email: 'ann@example.cn' });
    expect(err.message).toBe(
      `E11000 duplicate key error collection: ${suite.dbName}.users index: email_1 dup key: { email: "ann@example.cn" }`,
    );
    expect(await Users.countDocuments()).toBe(1);
  });

  it('when an update would duplicate a unique value, then it fails with 11000 and nothing changes', async () => {
    const coll = suite.db.collection('handles');
    await coll.createIndex({ handle: 1 }, { unique: true });
    await coll.insertMany([{ handle: 'a' }, { handle: 'b' }]);
    const err = await duplicateError(coll.updateOne({ handle: 'b' }, { $set: { handle: 'a' } }));
    expect(err.code).toBe(11000);
    expect(err.keyValue).toEqual({ handle: 'a' });
    expect(
      (
        await coll
          .find({}, { projection: { _id: 0 } })
          .sort({ handle: 1 })
          .toArray()
      ).map((d) => d.handle),
    ).toEqual(['a', 'b']);
  });

  it('when a compound unique index exists, then only the full combination must be unique', async () => {
    const Links = suite.conn.model(
      'Link',
      new Schema({ residentId: String, seq: Number }).index({ residentId: 1, seq: 1 }, { unique: true }),
    );
    await Links.init();
    await Links.create([
      { residentId: 'r1', seq: 1 },
      { residentId: 'r1', seq: 2 },
      { residentId: 'r2', seq: 1 },
    ]);
    const err = await duplicateError(Links.create({ residentId: 'r1', seq: 2 }));
    expect(err.code).toBe(11000);
    expect(err.keyPattern).toEqual({ residentId: 1, seq: 1 });
    expect(err.keyValue).toEqual({ residentId: 'r1', seq: 2 });
    expect(err.message).toContain('dup key: { residentId: "r1", seq: 2 }');
  });

  it('when a partial unique index exists, then duplicates outside its filter are allowed', async () => {
    const Cards = suite.conn.model(
      'Card',
      new Schema({ residentId: String, status: String }).index(
        { residentId: 1 },
        { unique: true, partialFilterExpression: { status: 'active' } },
      ),
    );
    await Cards.init();
    await Cards.create([
      { residentId: 'r1', status: 'revoked' },
      { residentId: 'r1', status: 'revoked' },
      { residentId: 'r1', status: 'active' },
    ]);
    const err = await duplicateError(Cards.create({ residentId: 'r1', status: 'active' }));
    expect(err.code).toBe(11000);
    expect(err.keyValue).toEqual({ residentId: 'r1' });
    await Cards.updateOne({ residentId: 'r1', status: 'active' }, { status: 'revoked' });
    await Cards.create({ residentId: 'r1', status: 'active' });
    expect(await Cards.countDocuments({ residentId: 'r1' })).toBe(4);
  });

  it('when a sparse unique index exists, then many documents may lack the field', async () => {
    const coll = suite.db.collection('sparse');
    await coll.createIndex({ nick: 1 }, { unique: true, sparse: true });
    await coll.insertMany([{ a: 1 }, { a: 2 }, { nick: 'x' }]);
    expect((await duplicateError(coll.insertOne({ nick: 'x' }))).code).toBe(11000);
  });

  it('when a non-sparse unique index exists, then a second document missing the field is a duplicate of null', async () => {
    const coll = suite.db.collection('nulls');
    await coll.createIndex({ nick: 1 }, { unique: true });
    await coll.insertOne({ a: 1 });
    const err = await duplicateError(coll.insertOne({ a: 2 }));
    expect(err.code).toBe(11000);
    expect(err.keyValue).toEqual({ nick: null });
  });

  it('when two documents share an _id, then the second insert fails on the _id_ index', async () => {
    const coll = suite.db.collection('ids');
    await coll.insertOne({ _id: 'same' as never });
    const err = await duplicateError(coll.insertOne({ _id: 'same' as never }));
    expect(err.code).toBe(11000);
    expect(err.keyPattern).toEqual({ _id: 1 });
    expect(err.message).toContain('index: _id_ dup key: { _id: "same" }');
  });

  it('when a unique index is built over duplicate data, then building fails with 11000', async () => {
    const coll = suite.db.collection('dupdata');
    await coll.insertMany([{ v: 1 }, { v: 1 }]);
    expect((await duplicateError(coll.createIndex({ v: 1 }, { unique: true }))).code).toBe(11000);
    expect((await coll.listIndexes().toArray()).map((i) => i.name)).toEqual(['_id_']);
  });
});

describe('index management', () => {
  it('when indexes are created, listed and dropped, then the catalogue follows', async () => {
    const coll = suite.db.collection('catalogue');
    await coll.insertOne({ a: 1, b: 2 });
    expect(await coll.createIndex({ a: 1 })).toBe('a_1');
    expect(await coll.createIndex({ a: 1 })).toBe('a_1');
    await coll.createIndex({ a: 1, b: -1 }, { name: 'ab', unique: true });
    await coll.createIndex({ at: 1 }, { expireAfterSeconds: 3600 });
    const specs = await coll.listIndexes().toArray();
    expect(specs.map((s) => s.name)).toEqual(['_id_', 'a_1', 'ab', 'at_1']);
    expect(specs[0]).toMatchObject({ key: { _id: 1 }, name: '_id_' });
    expect(specs[2]).toMatchObject({ key: { a: 1, b: -1 }, unique: true });
    expect(specs[3]).toMatchObject({ key: { at: 1 }, expireAfterSeconds: 3600 });
    await coll.dropIndex('ab');
    await expect(coll.dropIndex('ab')).rejects.toMatchObject({ code: 27 });
    await expect(coll.dropIndex('_id_')).rejects.toMatchObject({ code: 72 });
    await coll.dropIndexes();
    expect((await coll.listIndexes().toArray()).map((i) => i.name)).toEqual(['_id_']);
  });

  it('when an index name is reused with different keys or options, then creation conflicts', async () => {
    const coll = suite.db.collection('conflicts');
    await coll.createIndex({ a: 1 }, { name: 'idx' });
    await expect(coll.createIndex({ b: 1 }, { name: 'idx' })).rejects.toMatchObject({ code: 86 });
    await expect(coll.createIndex({ a: 1 }, { name: 'idx', unique: true })).rejects.toMatchObject({
      code: 85,
    });
  });

  it('when listing indexes of a missing collection, then it is NamespaceNotFound', async () => {
    await expect(suite.db.collection('missing').listIndexes().toArray()).rejects.toMatchObject({
      code: 26,
    });
  });

  it('when mongoose syncs indexes, then indexes not in the schema are dropped and missing ones built', async () => {
    const coll = suite.db.collection('syncs');
    await coll.createIndex({ stale: 1 });
    const Syncs = suite.conn.model(
      'Sync',
      new Schema({ fresh: { type: String, index: true }, stale: String }),
      'syncs',
    );
    await Syncs.syncIndexes();
    expect((await coll.listIndexes().toArray()).map((i) => i.name).sort()).toEqual(['_id_', 'fresh_1']);
  });
});

describe('TTL indexes on the stand-in (injected clock)', () => {
  it('when the clock passes expireAfterSeconds, then the TTL pass deletes exactly the expired documents', async () => {
    let now = Date.UTC(2026, 0, 1);
    const mongo = await ownLocalServer({ clock: { now: () => now }, ttlIntervalMs: 3_600_000 });
    const local = await rawClient(mongo);
    try {
      const coll = local.db('ttl').collection('sessions');
      await coll.createIndex({ expiresAt: 1 }, { expireAfterSeconds: 0 });
      await coll.createIndex({ createdAt: 1 }, { expireAfterSeconds: 60 });
      await coll.insertMany([
        { _id: 'soon' as never, expiresAt: new Date(now + 1_000) },
        { _id: 'later' as never, expiresAt: new Date(now + 10_000) },
        { _id: 'old' as never, createdAt: new Date(now - 30_000) },
        { _id: 'no-date' as never, expiresAt: 'not a date' },
        { _id: 'array' as never, expiresAt: [new Date(now + 50_000), new Date(now + 2_000)] },
      ]);
      expect(mongo.sweepTtl()).toBe(0);
      now += 5_000;
      expect(mongo.sweepTtl()).toBe(2);
      expect((await coll.find().toArray()).map((d) => d._id).sort()).toEqual(['later', 'no-date', 'old']);
      now += 30_000;
      mongo.sweepTtl();
      expect((await coll.find().toArray()).map((d) => d._id).sort()).toEqual(['no-date']);
    } finally {
      await local.close();
      await mongo.stop();
    }
  });

  it('when the background monitor runs on its interval, then expired documents disappear without a manual pass', async () => {
    let now = Date.UTC(2026, 0, 1);
    const mongo = await ownLocalServer({ clock: { now: () => now }, ttlIntervalMs: 20 });
    const local = await rawClient(mongo);
    try {
      const coll = local.db('ttl').collection('codes');
      await coll.createIndex({ at: 1 }, { expireAfterSeconds: 60 });
      await coll.insertOne({ _id: 'code' as never, at: new Date(now) });
      now += 61_000;
      let remaining = 1;
      for (let i = 0; i < 200 && remaining > 0; i++) {
        await new Promise((resolve) => setTimeout(resolve, 10));
        remaining = await coll.countDocuments();
      }
      expect(remaining).toBe(0);
    } finally {
      await local.close();
      await mongo.stop();
    }
  });
});
