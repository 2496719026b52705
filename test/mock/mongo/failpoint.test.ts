import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import type { MongoClient } from 'mongodb';
import { rawClient, rawClientSuite } from './target';

/**
 * MongoDB's `failCommand` fail point (configureFailPoint / waitForFailPoint), as the BFF suites use it to
 * make the database fail or stall under a running BFF. Runs against a real MongoDB started with
 * enableTestCommands when MONGODB_URI names one, else against the stand-in. Every fail point here is
 * aimed at this suite's own clients by appName, so a shared server's other users are never touched.
 */
const suite = rawClientSuite('failpoint');

let appName: string;
let client: MongoClient;
let other: MongoClient;

// The driver loads `os` for its handshake with a dynamic import, which fails inside jest's sandbox and then
// sends an empty handshake without the appName; handing it the module keeps the appName.
const named = (name: string) => rawClient(suite.target, { appName: name, runtimeAdapters: { os } });

beforeAll(async () => {
  appName = `fp-${randomUUID().slice(0, 8)}`;
  client = await named(appName);
  other = await named(`${appName}-other`);
});
afterEach(async () => {
  await failCommand('off');
});
afterAll(async () => {
  await client?.close();
  await other?.close();
});

const admin = () => suite.client.db('admin');
const failCommand = async (mode: unknown, data: Record<string, unknown> = {}) =>
  (await admin().command({ configureFailPoint: 'failCommand', mode, data: { appName, ...data } }))
    .count as number;
const ping = (c: MongoClient = client) => c.db(suite.dbName).command({ ping: 1 });

describe('failCommand fail point', () => {
  it('when a listed command runs, then it fails with the given code; unlisted commands and other clients run', async () => {
    await failCommand('alwaysOn', { failCommands: ['ping'], errorCode: 2 });
    await expect(ping()).rejects.toMatchObject({ code: 2, codeName: 'BadValue' });
    await expect(ping()).rejects.toMatchObject({ code: 2 });
    await expect(client.db(suite.dbName).collection('c').findOne({})).resolves.toBeNull();
    await expect(ping(other)).resolves.toMatchObject({ ok: 1 });
    await failCommand('off');
    await expect(ping()).resolves.toMatchObject({ ok: 1 });
  });

  it('when the mode is {times: 2}, then exactly the next two listed commands fail; unlisted ones do not count', async () => {
    await failCommand({ times: 2 }, { failCommands: ['ping'], errorCode: 2 });
    await client.db(suite.dbName).collection('c').findOne({});
    await expect(ping()).rejects.toMatchObject({ code: 2 });
    await expect(ping()).rejects.toMatchObject({ code: 2 });
    await expect(ping()).resolves.toMatchObject({ ok: 1 });
  });

  it('when the mode is {skip: 1}, then the first listed command runs and the later ones fail', async () => {
    await failCommand({ skip: 1 }, { failCommands: ['ping'], errorCode: 2 });
    await expect(ping()).resolves.toMatchObject({ ok: 1 });
    await expect(ping()).rejects.toMatchObject({ code: 2 });
    await expect(ping()).rejects.toMatchObject({ code: 2 });
  });

  it('when the fail point fires, then configureFailPoint counts it: count is the times entered so far', async () => {
    const before = await failCommand({ times: 3 }, { failCommands: ['ping'], errorCode: 2 });
    await expect(ping()).rejects.toMatchObject({ code: 2 });
    await expect(ping(other)).resolves.toMatchObject({ ok: 1 });
    await expect(ping()).rejects.toMatchObject({ code: 2 });
    expect(await failCommand('off')).toBe(before + 2);
  });

  it('when closeConnection is set, then the command gets no reply, its connection is closed, and the client reconnects', async () => {
    await failCommand({ times: 1 }, { failCommands: ['ping'], closeConnection: true });
    await expect(ping()).rejects.toMatchObject({ name: expect.stringMatching(/Network/) });
    await expect(ping()).resolves.toMatchObject({ ok: 1 });
  });

  it('when blockConnection is set, then the command is held (waitForFailPoint sees it) and answers once the block ends', async () => {
    const blockTimeMS = 300;
    const before = await failCommand(
      { times: 1 },
      { failCommands: ['ping'], blockConnection: true, blockTimeMS },
    );
    const started = performance.now();
    const held = ping().then(() => performance.now() - started);
    await admin().command({ waitForFailPoint: 'failCommand', timesEntered: before + 1, maxTimeMS: 10_000 });
    // A lower bound only: the server sleeps at least that long, however slow the machine is.
    expect(await held).toBeGreaterThanOrEqual(blockTimeMS - 5);
  });

  it('when blockConnection and errorCode are both set, then the command fails after the block', async () => {
    await failCommand(
      { times: 1 },
      {
        failCommands: ['ping'],
        blockConnection: true,
        blockTimeMS: 50,
        errorCode: 2,
      },
    );
    await expect(ping()).rejects.toMatchObject({ code: 2 });
  });

  it('when a retryable write fails with a retryable code once, then the driver retries it and it lands exactly once', async () => {
    const coll = client.db(suite.dbName).collection<{ _id: string }>('retry');
    await failCommand({ times: 1 }, { failCommands: ['insert'], errorCode: 91 });
    await coll.insertOne({ _id: 'once' });
    expect(await coll.countDocuments({ _id: 'once' })).toBe(1);
    const writes = suite.client.db(suite.dbName).collection('retry');
    expect(await writes.countDocuments({})).toBe(1);
  });

  it('when a state change error is injected, then it carries the topologyVersion hello gives, so the driver keeps the server', async () => {
    const hello = await client.db('admin').command({ hello: 1 });
    await failCommand({ times: 1 }, { failCommands: ['ping'], errorCode: 91 });
    const err = (await ping().catch((e: unknown) => e)) as { code?: number; topologyVersion?: unknown };
    expect(err.code).toBe(91);
    expect(err.topologyVersion).toEqual(hello.topologyVersion);
    // A code outside the NotPrimary and Shutdown categories has none.
    await failCommand({ times: 1 }, { failCommands: ['ping'], errorCode: 2 });
    expect(
      ((await ping().catch((e: unknown) => e)) as { topologyVersion?: unknown }).topologyVersion,
    ).toBeUndefined();
  });

  it('when writeConcernError is given, then the write happens and its reply carries that write concern error', async () => {
    const coll = client.db(suite.dbName).collection<{ _id: string }>('wce');
    await failCommand(
      { times: 1 },
      { failCommands: ['insert'], writeConcernError: { code: 100, errmsg: 'Not enough data-bearing nodes' } },
    );
    await expect(coll.insertOne({ _id: 'written' })).rejects.toMatchObject({
      name: 'MongoWriteConcernError',
      code: 100,
      codeName: 'UnsatisfiableWriteConcern',
    });
    expect(
      await suite.client
        .db(suite.dbName)
        .collection<{ _id: string }>('wce')
        .countDocuments({ _id: 'written' }),
    ).toBe(1);
  });

  it('when a write fails with a code that is not retryable, then the write error reaches the caller and nothing is written', async () => {
    const coll = client.db(suite.dbName).collection<{ _id: string }>('noretry');
    await failCommand({ times: 1 }, { failCommands: ['insert'], errorCode: 2 });
    await expect(coll.insertOne({ _id: 'never' })).rejects.toMatchObject({ code: 2 });
    expect(await coll.countDocuments({})).toBe(0);
  });

  it('when the fail point lists configureFailPoint, then configureFailPoint still runs', async () => {
    await failCommand('alwaysOn', { failCommands: ['configureFailPoint'], errorCode: 2 });
    await expect(
      client.db('admin').command({ configureFailPoint: 'failCommand', mode: 'off' }),
    ).resolves.toMatchObject({ ok: 1 });
  });

  it('when the namespace is given, then only commands on that collection fail', async () => {
    await failCommand('alwaysOn', {
      failCommands: ['find'],
      errorCode: 2,
      namespace: `${suite.dbName}.target`,
    });
    await expect(client.db(suite.dbName).collection('elsewhere').findOne({})).resolves.toBeNull();
    await expect(client.db(suite.dbName).collection('target').findOne({})).rejects.toMatchObject({ code: 2 });
  });

  it.each([
    ['errorExtraInfo', { errorExtraInfo: { note: 1 } }],
    ['failInternalCommands', { failInternalCommands: true }],
  ])('when failCommand is given %s (local server), then it is refused, not ignored', async (field, extra) => {
    if (!suite.target.local) return;
    await expect(
      admin().command({
        configureFailPoint: 'failCommand',
        mode: 'alwaysOn',
        data: { failCommands: ['ping'], errorCode: 2, appName, ...extra },
      }),
    ).rejects.toMatchObject({ code: 238, message: expect.stringContaining(field) });
    await expect(ping()).resolves.toMatchObject({ ok: 1 });
  });

  it.each([
    ['on a database other than admin', 13, { configureFailPoint: 'failCommand', mode: 'off' }, 'own'],
    ['naming an unknown fail point', 266, { configureFailPoint: 'noSuchFailPoint', mode: 'off' }, 'admin'],
    ['with an unknown mode', 2, { configureFailPoint: 'failCommand', mode: 'sometimes' }, 'admin'],
    ['waiting without maxTimeMS', 9, { waitForFailPoint: 'failCommand', timesEntered: 1 }, 'admin'],
  ] as const)('when configured %s, then it is refused with code %s', async (_what, code, command, db) => {
    const target = db === 'admin' ? client.db('admin') : client.db(suite.dbName);
    await expect(target.command({ ...command })).rejects.toMatchObject({ code });
  });

  it('when waitForFailPoint waits for an entry that never comes, then it answers MaxTimeMSExpired', async () => {
    const count = await failCommand('off');
    await expect(
      admin().command({ waitForFailPoint: 'failCommand', timesEntered: count + 1, maxTimeMS: 50 }),
    ).rejects.toMatchObject({ code: 50 });
  });
});
