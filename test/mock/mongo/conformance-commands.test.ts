/**
 * No silent differences on the command side (issue 20): unknown command and statement fields, options,
 * read and write concerns and session modes the server does not honour are refused with MongoDB's error,
 * and what it does honour (collMod of an index, $listLocalSessions, snapshot reads in a transaction)
 * works. Driven through the official driver. Refusals a real MongoDB shares are asserted on any target;
 * those of things a real MongoDB honours (capped collections, snapshot reads outside a transaction) only
 * against the local server.
 */
import {
  MongoBulkWriteError,
  MongoServerError,
  MongoWriteConcernError,
  type Document,
  type MongoError,
} from 'mongodb';
import { COMMANDS } from '@eid/mock/mongo/commands/index';
import { COMMAND_FIELDS } from '@eid/mock/mongo/commands/fields';
import { rawClient, rawClientSuite } from './target';

const suite = rawClientSuite('commands');

type Row = { _id: number; [key: string]: unknown };
const collectionOf = (name: string) => suite.db.collection<Row>(name);

async function seeded(name: string) {
  const coll = collectionOf(name);
  await coll.insertMany([
    { _id: 1, x: 1 },
    { _id: 2, x: 2 },
    { _id: 3, x: 3 },
  ]);
  return coll;
}

/** The server error a promise rejects with. */
async function refusal(promise: Promise<unknown>): Promise<MongoError & { codeName?: string }> {
  const err: unknown = await promise.then(
    () => new Error('expected a refusal, the command succeeded'),
    (e: unknown) => e,
  );
  if (!(err instanceof MongoServerError) && !(err instanceof MongoBulkWriteError)) throw err;
  return err as MongoError & { codeName?: string };
}

async function collectionNames(): Promise<string[]> {
  return (await suite.db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
}

describe('fields MongoDB 7.0 does not know', () => {
  test('when updateOne names a sort, then it is refused as an unknown statement field and nothing changes', async () => {
    const coll = await seeded('sort-update');
    const err = await refusal(
      coll.updateOne({ _id: { $gt: 1 } }, { $set: { x: 10 } }, { sort: { _id: -1 } }),
    );
    expect(err.code).toBe(40415);
    expect(err.message).toContain("'update.updates.sort'");
    expect(await coll.find().sort({ _id: 1 }).toArray()).toEqual([
      { _id: 1, x: 1 },
      { _id: 2, x: 2 },
      { _id: 3, x: 3 },
    ]);
  });

  test('when replaceOne names a sort, then it is refused and nothing is replaced', async () => {
    const coll = await seeded('sort-replace');
    const err = await refusal(coll.replaceOne({ _id: { $gt: 1 } }, { x: 99 }, { sort: { _id: -1 } }));
    expect(err.code).toBe(40415);
    expect(await coll.countDocuments({ x: 99 })).toBe(0);
  });

  test('when a bulk write has update statements with a sort, then the batch is refused and nothing changes', async () => {
    const coll = await seeded('sort-bulk');
    const err = await refusal(
      coll.bulkWrite([
        { updateOne: { filter: { _id: { $gt: 1 } }, update: { $set: { x: 0 } }, sort: { _id: -1 } } },
        { replaceOne: { filter: { _id: 1 }, replacement: { x: 0 }, sort: { _id: 1 } } },
      ]),
    );
    expect(err.code).toBe(40415);
    expect(await coll.countDocuments({ x: 0 })).toBe(0);
  });

  test('when a command carries a field no command of its kind has, then it is refused naming the field', async () => {
    const coll = await seeded('unknown-field');
    const insert = await refusal(
      suite.db.command({ insert: coll.collectionName, documents: [{ _id: 9 }], frobnicate: true }),
    );
    expect(insert.code).toBe(40415);
    expect(insert.message).toContain("'insert.frobnicate'");
    expect(await coll.countDocuments({ _id: 9 })).toBe(0);
    const find = await refusal(suite.db.command({ find: coll.collectionName, filtr: { _id: 1 } }));
    expect(find.code).toBe(40415);
    const del = await refusal(
      suite.db.command({ delete: coll.collectionName, deletes: [{ q: {}, limit: 0, sort: { _id: 1 } }] }),
    );
    expect(del.code).toBe(40415);
    expect(await coll.countDocuments()).toBe(3);
  });

  test('when every command of the table is looked up, then each has its list of fields (local server)', () => {
    const missing = [...COMMANDS.keys()].filter((name) => !(name in COMMAND_FIELDS));
    expect(missing).toEqual([]);
  });

  test('when listDatabases is given a filter, then only the matching databases are listed', async () => {
    await seeded('list-databases');
    const { databases } = await suite.client
      .db('admin')
      .command({ listDatabases: 1, nameOnly: true, filter: { name: suite.dbName } });
    expect(databases).toEqual([{ name: suite.dbName }]);
  });

  test('when a hint names no index, then the query is refused as MongoDB refuses it', async () => {
    const coll = await seeded('hint');
    const err = await refusal(coll.find({}, { hint: 'nope_1' }).toArray());
    expect(err.code).toBe(2);
    await coll.createIndex({ x: 1 });
    expect(await coll.find({ x: { $gt: 1 } }, { hint: { x: 1 } }).toArray()).toHaveLength(2);
  });

  test('when a documented find option is not honoured (local server), then it is refused naming it', async () => {
    if (!suite.target.local) return;
    const coll = await seeded('tailable');
    const err = await refusal(coll.find({}, { tailable: true }).toArray());
    expect(err.code).toBe(238);
    expect(err.message).toContain("'find.tailable'");
    await coll.createIndex({ x: 1 }, { sparse: true, name: 'sparse_x' });
    const sparse = await refusal(coll.find({}, { hint: 'sparse_x' }).toArray());
    expect(sparse.code).toBe(238);
  });
});

describe('create and collMod', () => {
  test.each([
    ['capped', { capped: true, size: 4096 }],
    ['validator', { validator: { x: { $type: 'int' } } }],
    ['validationLevel', { validationLevel: 'strict' }],
    ['timeseries', { timeseries: { timeField: 't' } }],
    ['clusteredIndex', { clusteredIndex: { key: { _id: 1 }, unique: true } }],
    ['changeStreamPreAndPostImages', { changeStreamPreAndPostImages: { enabled: true } }],
  ])(
    'when create asks for %s (local server), then it is refused naming the option and no collection appears',
    async (option, options) => {
      if (!suite.target.local) return;
      const name = `create-${option}`;
      const err = await refusal(suite.db.createCollection(name, options as Document));
      expect(err.code).toBe(238);
      expect(err.message).toContain(`'create.${option}'`);
      expect(await collectionNames()).not.toContain(name);
    },
  );

  test('when collMod changes a TTL index and hides an index, then listIndexes shows the new specs', async () => {
    const coll = await seeded('collmod');
    await coll.createIndex({ at: 1 }, { expireAfterSeconds: 60, name: 'at_ttl' });
    await coll.createIndex({ x: 1 }, { name: 'x_1' });
    const ttl = await suite.db.command({
      collMod: coll.collectionName,
      index: { name: 'at_ttl', expireAfterSeconds: 3600 },
    });
    expect(ttl).toMatchObject({ expireAfterSeconds_old: 60, expireAfterSeconds_new: 3600, ok: 1 });
    const hidden = await suite.db.command({
      collMod: coll.collectionName,
      index: { keyPattern: { x: 1 }, hidden: true },
    });
    expect(hidden).toMatchObject({ hidden_old: false, hidden_new: true, ok: 1 });
    const specs = Object.fromEntries((await coll.listIndexes().toArray()).map((s) => [s.name, s]));
    expect(specs.at_ttl).toMatchObject({ key: { at: 1 }, expireAfterSeconds: 3600 });
    expect(specs.x_1).toMatchObject({ key: { x: 1 }, hidden: true });
    // A hidden index cannot be hinted, as on MongoDB.
    expect((await refusal(coll.find({}, { hint: 'x_1' }).toArray())).code).toBe(2);
    const missing = await refusal(
      suite.db.command({ collMod: coll.collectionName, index: { name: 'nope', hidden: true } }),
    );
    expect(missing.code).toBe(27);
  });

  test('when an index spec carries an option MongoDB does not know, then createIndexes refuses it', async () => {
    const coll = await seeded('index-options');
    const unknown = await refusal(
      suite.db.command({
        createIndexes: coll.collectionName,
        indexes: [{ key: { x: 1 }, name: 'x_1', frob: 1 }],
      }),
    );
    expect(unknown.code).toBe(197);
    expect((await coll.listIndexes().toArray()).map((s) => s.name)).toEqual(['_id_']);
  });

  test('when an index option is known but not honoured (local server), then createIndexes refuses it naming it', async () => {
    if (!suite.target.local) return;
    const coll = await seeded('index-prepare-unique');
    const err = await refusal(
      suite.db.command({
        createIndexes: coll.collectionName,
        indexes: [{ key: { x: 1 }, name: 'x_1', prepareUnique: true }],
      }),
    );
    expect(err.code).toBe(238);
    expect(err.message).toContain('prepareUnique');
  });

  test('when collMod asks for an option the server does not honour (local server), then it is refused', async () => {
    if (!suite.target.local) return;
    const coll = await seeded('collmod-validator');
    const err = await refusal(
      suite.db.command({ collMod: coll.collectionName, validator: { x: { $type: 'int' } } }),
    );
    expect(err.code).toBe(238);
    expect(err.message).toContain("'collMod.validator'");
    const info = await suite.db.listCollections({ name: coll.collectionName }).toArray();
    expect((info[0] as Document | undefined)?.options).toEqual({});
  });
});

describe('sessions', () => {
  test('when $listLocalSessions runs on admin, then the sessions in use are listed with their last use', async () => {
    const session = suite.client.startSession();
    try {
      await collectionOf('sessions').insertOne({ _id: 1 }, { session });
      const id = session.id!.id;
      const listed = await suite.client
        .db('admin')
        .aggregate([{ $listLocalSessions: {} }, { $match: { '_id.id': id } }])
        .toArray();
      expect(listed).toHaveLength(1);
      expect(listed[0]!.lastUse).toBeInstanceOf(Date);
      const notFirst = await refusal(
        suite.client
          .db('admin')
          .aggregate([{ $match: {} }, { $listLocalSessions: {} }])
          .toArray(),
      );
      expect(notFirst.code).toBe(40602);
    } finally {
      await session.endSession();
    }
  });

  test('when a causally consistent session reads after its write, then it sends afterClusterTime and sees the write', async () => {
    const client = await rawClient(suite.target, { monitorCommands: true });
    const readConcerns: unknown[] = [];
    client.on('commandStarted', (e) => {
      if (e.commandName === 'find') readConcerns.push(e.command.readConcern);
    });
    const session = client.startSession({ causalConsistency: true });
    try {
      const coll = client.db(suite.dbName).collection<Row>('causal');
      await coll.insertOne({ _id: 1 }, { session });
      expect(await coll.findOne({ _id: 1 }, { session })).toEqual({ _id: 1 });
      expect(readConcerns).toEqual([{ afterClusterTime: expect.anything() }]);
    } finally {
      await session.endSession();
      await client.close();
    }
  });

  test('when a session asks for snapshot reads (local server), then its read is refused naming snapshot', async () => {
    if (!suite.target.local) return;
    const coll = await seeded('snapshot');
    const session = suite.client.startSession({ snapshot: true });
    try {
      const err = await refusal(coll.find({}, { session }).toArray());
      expect(err.code).toBe(238);
      expect(err.message).toContain('snapshot');
    } finally {
      await session.endSession();
    }
    const at = await refusal(
      suite.db.command({ find: coll.collectionName, readConcern: { level: 'snapshot', atClusterTime: 1 } }),
    );
    expect(at.code).toBe(238);
  });

  test('when a transaction starts with read concern snapshot, then it runs and commits', async () => {
    const coll = await seeded('txn-snapshot');
    const session = suite.client.startSession();
    try {
      await session.withTransaction(
        async () => {
          await coll.updateOne({ _id: 1 }, { $set: { x: 10 } }, { session });
        },
        { readConcern: { level: 'snapshot' } },
      );
    } finally {
      await session.endSession();
    }
    expect(await coll.findOne({ _id: 1 })).toEqual({ _id: 1, x: 10 });
  });

  test('when a transaction creates collections and indexes, then they appear only at its commit', async () => {
    const session = suite.client.startSession();
    const visible = async () => (await collectionNames()).filter((n) => n.startsWith('txn-made'));
    try {
      session.startTransaction();
      await suite.db.createCollection('txn-made-explicit', { session });
      await collectionOf('txn-made-explicit').createIndex({ x: 1 }, { session, unique: true });
      await collectionOf('txn-made-implicit').insertOne({ _id: 1, x: 1 }, { session });
      expect(await collectionOf('txn-made-implicit').findOne({ _id: 1 }, { session })).toEqual({
        _id: 1,
        x: 1,
      });
      expect(await visible()).toEqual([]);
      await session.commitTransaction();
    } finally {
      await session.endSession();
    }
    expect((await visible()).sort()).toEqual(['txn-made-explicit', 'txn-made-implicit']);
    const indexes = await collectionOf('txn-made-explicit').listIndexes().toArray();
    expect(indexes.map((s) => [s.name, s.unique])).toEqual([
      ['_id_', undefined],
      ['x_1', true],
    ]);
    expect(await collectionOf('txn-made-implicit').countDocuments()).toBe(1);
  });

  test('when a transaction that created a collection aborts, then the collection never existed', async () => {
    const session = suite.client.startSession();
    try {
      session.startTransaction();
      await suite.db.createCollection('txn-aborted', { session });
      await collectionOf('txn-aborted-implicit').insertOne({ _id: 1 }, { session });
      await session.abortTransaction();
    } finally {
      await session.endSession();
    }
    const names = await collectionNames();
    expect(names).not.toContain('txn-aborted');
    expect(names).not.toContain('txn-aborted-implicit');
  });

  test('when a transaction creates an index on a collection that already exists, then it is refused', async () => {
    const coll = await seeded('txn-existing');
    const session = suite.client.startSession();
    try {
      session.startTransaction();
      const err = await refusal(coll.createIndex({ x: 1 }, { session }));
      expect(err.code).toBe(263);
      await session.abortTransaction().catch(() => undefined);
    } finally {
      await session.endSession();
    }
    expect((await coll.listIndexes().toArray()).map((s) => s.name)).toEqual(['_id_']);
  });
});

describe('read and write concerns', () => {
  test('when an aggregation with $out runs under read concern linearizable, then it is refused and writes nothing', async () => {
    const coll = await seeded('linearizable');
    const err = await refusal(
      coll
        .aggregate([{ $match: {} }, { $out: 'linearizable-out' }], { readConcern: { level: 'linearizable' } })
        .toArray(),
    );
    expect(err.code).toBe(72);
    expect(await collectionNames()).not.toContain('linearizable-out');
  });

  test('when a write asks for more members than the set has, then it is done and answered with UnsatisfiableWriteConcern', async () => {
    const coll = collectionOf('wc-many');
    const err: unknown = await coll
      .insertOne({ _id: 1 }, { writeConcern: { w: 10 } })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MongoWriteConcernError);
    expect((err as MongoWriteConcernError).code).toBe(100);
    expect((err as MongoWriteConcernError).result.writeConcernError).toMatchObject({
      codeName: 'UnsatisfiableWriteConcern',
    });
    // As on MongoDB, the write itself was applied; only the acknowledgement it asked for is missing.
    expect(await coll.countDocuments({ _id: 1 })).toBe(1);
  });

  // A replica set tag name: the driver's type knows only numbers and 'majority'.
  const TAG = 'eastCoast' as 'majority';
  test('when a write names a write concern tag the set does not define, then it is answered with UnknownReplWriteConcern', async () => {
    const coll = collectionOf('wc-tag');
    const err: unknown = await coll
      .insertOne({ _id: 1 }, { writeConcern: { w: TAG } })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MongoWriteConcernError);
    expect((err as MongoWriteConcernError).code).toBe(79);
  });

  test('when a transaction commits with an unsatisfiable write concern, then the commit reports it', async () => {
    const coll = await seeded('wc-commit');
    const session = suite.client.startSession();
    try {
      session.startTransaction({ writeConcern: { w: 10 } });
      await coll.updateOne({ _id: 1 }, { $set: { x: 7 } }, { session });
      const err: unknown = await session.commitTransaction().catch((e: unknown) => e);
      expect((err as MongoError).code).toBe(100);
    } finally {
      await session.endSession();
    }
  });

  test('when a command inside a transaction sets its own read or write concern, then it is refused', async () => {
    const coll = await seeded('txn-concerns');
    const session = suite.client.startSession();
    try {
      session.startTransaction();
      await coll.updateOne({ _id: 1 }, { $set: { x: 5 } }, { session });
      const read = await refusal(
        suite.db.command({ find: coll.collectionName, readConcern: { level: 'majority' } }, { session }),
      );
      expect(read.code).toBe(72);
      await session.abortTransaction().catch(() => undefined);
      session.startTransaction();
      await coll.updateOne({ _id: 2 }, { $set: { x: 5 } }, { session });
      const write = await refusal(
        suite.db.command(
          { insert: coll.collectionName, documents: [{ _id: 9 }], writeConcern: { w: 1 } },
          { session },
        ),
      );
      expect(write.code).toBe(72);
      await session.abortTransaction().catch(() => undefined);
    } finally {
      await session.endSession();
    }
    expect(await coll.countDocuments({ x: 5 })).toBe(0);
    expect(await coll.countDocuments({ _id: 9 })).toBe(0);
  });

  test('when a command names a Stable API version that does not exist, then it is refused', async () => {
    const err = await refusal(suite.db.command({ ping: 1, apiVersion: '2' }));
    expect(err.code).toBe(322);
    const strict = await refusal(suite.db.command({ buildInfo: 1, apiVersion: '1', apiStrict: true }));
    expect(strict.code).toBe(323);
  });
});
