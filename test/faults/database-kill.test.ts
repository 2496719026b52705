/**
 * Issue 21 §3, fault 1: the database killed with `kill -9` while a BFF process is under load, then
 * restarted on the same port and data directory. What must hold: no write the BFF acknowledged (a login
 * answered 200 wrote a resident and a session) is missing after the restart; while the database is down
 * every request answers 503 with a code and /readyz says why; the same BFF process recovers by itself.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { startMocks, type Mocks } from '@eid/mock';
import { manualClock } from '@eid/bff/infra/clock';
import { bffEnv, spawnBff, type BffProcess } from '../helpers/bff-process';
import { freePort } from '../helpers/federation';
import { login } from '../helpers/identity';
import { startMongoProcess, type MongoProcess } from '../helpers/mongo-process';

jest.setTimeout(60_000);

const DB = 'faults_db_kill';
let dataDir: string;
let port: number;
let mongo: MongoProcess | undefined;
let mocks: Mocks;
let bff: BffProcess | undefined;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'eid-fault-db-'));
  port = await freePort();
  mongo = await startMongoProcess(port, dataDir);
  mocks = await startMocks({ clock: manualClock(Date.now()) });
  bff = await spawnBff(bffEnv({ mocks, dbName: DB, env: { MONGODB_URI: mongo.uri } }));
});

afterAll(async () => {
  if (bff) {
    bff.child.kill('SIGKILL');
    await bff.stop();
  }
  await mongo?.kill9();
  await mocks?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Outcome {
  status: number;
  code?: string;
  ms: number;
}

it('when the database is killed with SIGKILL under load and restarted, then no acknowledged write is lost, the outage answers 503 with a code, and the BFF recovers without a restart', async () => {
  const front = { api: bff!.api, mocks };
  const acknowledged: string[] = [];
  const duringOutage: Outcome[] = [];
  let phase: 'load' | 'down' | 'done' = 'load';

  // Logins from 6 clients until the outage has been seen from the inside; each 200 is a promise kept.
  const worker = async () => {
    while (phase !== 'done') {
      const started = performance.now();
      try {
        const session = await login(front);
        acknowledged.push(session.resident.id);
      } catch (err) {
        const text = String(err);
        const status = Number(/answered (\d{3})/.exec(text)?.[1] ?? 0);
        const code = /"code":"([A-Z_]+)"/.exec(text)?.[1];
        if (phase === 'down') duringOutage.push({ status, code, ms: performance.now() - started });
        else if (phase === 'load') throw err;
      }
    }
  };
  const workers = Array.from({ length: 6 }, worker);
  for (let i = 0; i < 400 && acknowledged.length < 60; i++) await sleep(25);
  const ackedBeforeKill = acknowledged.length;
  expect(ackedBeforeKill).toBeGreaterThanOrEqual(60);

  // The kill lands with logins in flight. A login the BFF was still writing when it landed is not
  // acknowledged (the client gets an error), so it is not counted either way.
  phase = 'down';
  const killedAt = performance.now();
  await mongo!.kill9();
  const ackedAtKill = acknowledged.length;

  // While it is down: /readyz names the reason, and requests end with a 503 and a code.
  let readyz: { status: number; body: { code?: string; details?: unknown } } | undefined;
  for (let i = 0; i < 100; i++) {
    readyz = await bff!.api('GET', '/readyz');
    if (readyz.status === 503) break;
    await sleep(50);
  }
  expect(readyz).toMatchObject({
    status: 503,
    body: { code: 'NOT_READY', details: { reason: 'database_unreachable' } },
  });
  expect((await bff!.api('GET', '/healthz')).status).toBe(200);
  for (let i = 0; i < 400 && duringOutage.length < 6; i++) await sleep(25);
  expect(duringOutage.length).toBeGreaterThanOrEqual(6);

  mongo = await startMongoProcess(port, dataDir);
  const restartedAt = performance.now();
  let recoveredAt = 0;
  for (let i = 0; i < 300; i++) {
    if ((await bff!.api('GET', '/readyz')).status === 200) {
      recoveredAt = performance.now();
      break;
    }
    await sleep(50);
  }
  expect(recoveredAt).toBeGreaterThan(0);
  phase = 'done';
  await Promise.all(workers);
  const after = await login(front);
  expect(after.resident.id).toEqual(expect.any(String));
  acknowledged.push(after.resident.id);

  const client = await new MongoClient(mongo.uri).connect();
  try {
    const db = client.db(DB);
    const ids = new Set(
      (
        await db
          .collection('residents')
          .find({}, { projection: { _id: 1 } })
          .toArray()
      ).map((d) => String(d._id)),
    );
    const missing = acknowledged.filter((id) => !ids.has(id));
    const withSession = new Set(
      (await db.collection('sessions').distinct('residentId', { residentId: { $in: acknowledged } })).map(
        String,
      ),
    );
    const report = {
      acknowledged: acknowledged.length,
      ackedBeforeKill,
      ackedAtKill,
      found: acknowledged.length - missing.length,
      outageAnswers: duringOutage.length,
      outageCodes: [...new Set(duringOutage.map((o) => `${o.status} ${o.code}`))],
      slowestOutageAnswerMs: Math.round(Math.max(...duringOutage.map((o) => o.ms))),
      downMs: Math.round(restartedAt - killedAt),
      recoveryMs: Math.round(recoveredAt - restartedAt),
      recoveredFrames: /(\d+) journal records replayed/.exec(mongo.stderr())?.[1],
    };
    console.log(`database kill -9: ${JSON.stringify(report)}`);
    expect(missing).toEqual([]);
    expect(acknowledged.filter((id) => !withSession.has(id))).toEqual([]);
    // Every answer during the outage was a 503 with a code: never a 500 or a bare socket error.
    expect(report.outageCodes).toEqual(['503 NOT_READY']);
  } finally {
    await client.close();
  }
});
