import { randomUUID } from 'node:crypto';
import os from 'node:os';
import {
  Timestamp,
  type ClientSession,
  type CommandStartedEvent,
  type Document,
  type MongoClient,
  type MongoServerError,
} from 'mongodb';
import { rawClient, rawClientSuite } from './target';

/**
 * What drivers rely on around transactions, beyond their statements: the cluster time in every reply
 * (and `afterClusterTime` honoured), the error labels MongoDB adds, injected errors that leave the
 * transaction open, and MongoDB's names for injected codes. Each case is a fault the MongoDB
 * specification tests (transactions, transactions-convenient-api) found in the stand-in. Runs against a
 * real MongoDB (with enableTestCommands) when MONGODB_URI names one; every fail point is aimed at this
 * suite's own client by appName.
 */
const suite = rawClientSuite('conf_txn');

let appName: string;
let client: MongoClient;
const started: CommandStartedEvent[] = [];

beforeAll(async () => {
  appName = `ctx-${randomUUID().slice(0, 8)}`;
  // The driver loads `os` for its handshake with a dynamic import, which fails inside jest's sandbox and
  // then sends no appName; handing it the module keeps the appName the fail points match.
  client = await rawClient(suite.target, { appName, runtimeAdapters: { os }, monitorCommands: true });
  client.on('commandStarted', (e) => started.push(e));
  await suite.db.createCollection('c');
});
beforeEach(async () => {
  started.length = 0;
  await suite.db.collection('c').deleteMany({});
});
afterEach(async () => {
  await failCommand('off');
});
afterAll(async () => {
  await client?.close();
});

const failCommand = (mode: unknown, data: Document = {}) =>
  suite.client.db('admin').command({ configureFailPoint: 'failCommand', mode, data: { appName, ...data } });
const coll = () => client.db(suite.dbName).collection<{ _id: number }>('c');
const ids = async () =>
  (await suite.db.collection<{ _id: number }>('c').find().sort({ _id: 1 }).toArray()).map((d) => d._id);

/** Runs `fn` in a transaction of a new session of the suite's client and returns its error, if any. */
async function inTransaction<T>(fn: (s: ClientSession) => Promise<T>): Promise<T> {
  const session = client.startSession();
  try {
    session.startTransaction();
    return await fn(session);
  } finally {
    await session.endSession();
  }
}

async function failure(p: Promise<unknown>): Promise<MongoServerError> {
  try {
    await p;
  } catch (err) {
    return err as MongoServerError;
  }
  throw new Error('expected the operation to fail');
}

describe('cluster time', () => {
  it('when any command answers, then the reply carries operationTime and $clusterTime with a keyless signature, and a write moves the time on', async () => {
    const before = await client.db(suite.dbName).command({ ping: 1 });
    expect(before.operationTime).toBeInstanceOf(Timestamp);
    expect(before.$clusterTime.clusterTime).toBeInstanceOf(Timestamp);
    expect(Number(before.$clusterTime.signature.keyId)).toBe(0);
    expect(Buffer.from(before.$clusterTime.signature.hash.buffer)).toEqual(Buffer.alloc(20));
    const write = await client.db(suite.dbName).command({ insert: 'c', documents: [{ _id: 1 }] });
    expect((write.operationTime as Timestamp).greaterThan(before.operationTime as Timestamp)).toBe(true);
    const failed = await failure(client.db(suite.dbName).command({ find: 'c', filter: { $nope: 1 } }));
    expect(failed.errorResponse.operationTime).toBeInstanceOf(Timestamp);
  });

  it('when a causally consistent session writes and then starts a transaction, then its first command carries afterClusterTime and succeeds', async () => {
    const session = client.startSession({ causalConsistency: true });
    try {
      await coll().insertOne({ _id: 1 }, { session });
      session.startTransaction();
      await coll().insertOne({ _id: 2 }, { session });
      await session.commitTransaction();
    } finally {
      await session.endSession();
    }
    const inserts = started.filter((e) => e.commandName === 'insert');
    expect(inserts[1]!.command.readConcern?.afterClusterTime).toBeInstanceOf(Timestamp);
    expect(await ids()).toEqual([1, 2]);
  });

  it('when afterClusterTime is a time the server has reached, then the read runs; when it is beyond, then InvalidOptions', async () => {
    const { operationTime } = await client.db(suite.dbName).command({ ping: 1 });
    await expect(
      client.db(suite.dbName).command({ find: 'c', readConcern: { afterClusterTime: operationTime } }),
    ).resolves.toMatchObject({ ok: 1 });
    const later = new Timestamp({ t: (operationTime as Timestamp).t + 3600, i: 1 });
    await expect(
      client.db(suite.dbName).command({ find: 'c', readConcern: { afterClusterTime: later } }),
    ).rejects.toMatchObject({ codeName: 'InvalidOptions' });
  });
});

describe('error labels', () => {
  it.each([
    [10107, 'NotWritablePrimary'],
    [112, 'WriteConflict'],
    [251, 'NoSuchTransaction'],
    [24, 'LockTimeout'],
    [246, 'SnapshotUnavailable'],
  ])(
    'when failCommand injects %i (%s) into a statement of a transaction, then it is labelled TransientTransactionError only',
    async (errorCode, codeName) => {
      await coll().insertOne({ _id: 0 });
      await failCommand({ times: 1 }, { failCommands: ['insert'], errorCode });
      const err = await inTransaction(async (session) => {
        const e = await failure(coll().insertOne({ _id: 1 }, { session }));
        await session.abortTransaction();
        return e;
      });
      expect(err).toMatchObject({ code: errorCode, codeName });
      expect(err.errorLabels).toEqual(['TransientTransactionError']);
    },
  );

  it('when a commit fails with an injected NoSuchTransaction, then it is TransientTransactionError; with MaxTimeMSExpired, then UnknownTransactionCommitResult', async () => {
    await failCommand({ times: 1 }, { failCommands: ['commitTransaction'], errorCode: 251 });
    const lost = await inTransaction(async (session) => {
      await coll().insertOne({ _id: 1 }, { session });
      return failure(session.commitTransaction());
    });
    expect(lost.errorLabels).toContain('TransientTransactionError');
    expect(lost.errorLabels).not.toContain('UnknownTransactionCommitResult');

    await failCommand({ times: 1 }, { failCommands: ['commitTransaction'], errorCode: 50 });
    const slow = await inTransaction(async (session) => {
      await coll().insertOne({ _id: 2 }, { session });
      return failure(session.commitTransaction());
    });
    expect(slow.errorLabels).toContain('UnknownTransactionCommitResult');
    expect(slow.errorLabels).not.toContain('TransientTransactionError');
  });

  it('when a statement of a transaction meets a duplicate key, then the error has no transient label', async () => {
    await coll().insertOne({ _id: 1 });
    const err = await inTransaction(async (session) => {
      const e = await failure(coll().insertOne({ _id: 1 }, { session }));
      await session.abortTransaction().catch(() => undefined);
      return e;
    });
    expect(err.code).toBe(11000);
    expect(err.errorLabels).not.toContain('TransientTransactionError');
  });

  it('when a commit meets a transient injected error, then withTransaction runs the transaction again and commits', async () => {
    await failCommand({ times: 1 }, { failCommands: ['commitTransaction'], errorCode: 24 });
    const session = client.startSession();
    let runs = 0;
    try {
      await session.withTransaction(async () => {
        runs += 1;
        await coll().insertOne({ _id: 1 }, { session });
      });
    } finally {
      await session.endSession();
    }
    expect(runs).toBe(2);
    expect(await ids()).toEqual([1]);
  });
});

describe('injected errors in a transaction', () => {
  it('when failCommand fails a later statement, then the transaction stays open and commits what the others wrote', async () => {
    await inTransaction(async (session) => {
      await coll().insertOne({ _id: 1 }, { session });
      await failCommand({ times: 1 }, { failCommands: ['insert'], errorCode: 112 });
      await failure(coll().insertOne({ _id: 2 }, { session }));
      await coll().insertOne({ _id: 3 }, { session });
      await session.commitTransaction();
    });
    expect(await ids()).toEqual([1, 3]);
  });

  it('when failCommand fails the first statement with backpressure labels, then the driver retries it with startTransaction and the transaction commits', async () => {
    await failCommand(
      { times: 1 },
      { failCommands: ['insert'], errorCode: 112, errorLabels: ['RetryableError', 'SystemOverloadedError'] },
    );
    await inTransaction(async (session) => {
      await coll().insertOne({ _id: 1 }, { session });
      await session.commitTransaction();
    });
    const inserts = started.filter((e) => e.commandName === 'insert');
    expect(inserts.map((e) => e.command.startTransaction)).toEqual([true, true]);
    expect(await ids()).toEqual([1]);
  });
});

describe('names of injected codes', () => {
  it.each([
    [11601, 'Interrupted'],
    [24, 'LockTimeout'],
    [246, 'SnapshotUnavailable'],
    [267, 'PreparedTransactionInProgress'],
    [8, 'UnknownError'],
    [91, 'ShutdownInProgress'],
  ])('when failCommand injects %i, then its codeName is %s', async (errorCode, codeName) => {
    await failCommand({ times: 1 }, { failCommands: ['ping'], errorCode });
    await expect(client.db(suite.dbName).command({ ping: 1 })).rejects.toMatchObject({
      code: errorCode,
      codeName,
    });
  });
});
