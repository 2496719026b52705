import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { startMocks, type Mocks } from '@eid/mock';
import {
  base64urlDecode,
  CardStatusValue,
  openStatusList,
  openTrustList,
  statusAt,
  decodeAnyCredential,
} from '@eid/shared';
import { loadConfig } from '@eid/bff/config';
import { manualClock, systemClock } from '@eid/bff/infra/clock';
import { createKeyStore } from '@eid/bff/infra/keystore';
import { bffEnv, spawnBff, type BffProcess } from '../../helpers/bff-process';
import { holderAtProcess, processHolderCode, type ProcessHolder } from '../../helpers/process-holder';
import { DEV_STAFF } from '../../helpers/stack';
import { ed25519 } from '../../helpers/card-flow';

/**
 * docs/operations.md: several BFF processes serve one database. Two real BFF processes (bff/src/server.ts,
 * each its own OS process with its own connection pool) on one database: they serve byte-identical status
 * and trust lists, before and after a card changes at one of them, and a code used at one is replayed at
 * the other, also when both see it at the same moment.
 */
describe('two BFF processes on one database', () => {
  let mocks: Mocks;
  let a: BffProcess;
  let b: BffProcess;
  let env: Record<string, string>;
  const dbName = `t_${randomBytes(6).toString('hex')}`;

  beforeAll(async () => {
    mocks = await startMocks({ clock: manualClock(Date.now()), faceHangMs: 2000 });
    env = bffEnv({ mocks, dbName });
    [a, b] = await Promise.all([spawnBff(env), spawnBff(env)]);
  }, 60_000);
  afterAll(async () => {
    const codes = await Promise.all([a?.stop(), b?.stop()]);
    const mongo = await new MongoClient(process.env.MONGODB_URI!).connect();
    await mongo.db(dbName).dropDatabase();
    await mongo.close();
    await mocks?.stop();
    // Both drained and exited cleanly on SIGTERM.
    expect(codes).toEqual([0, 0]);
  });

  const holderAt = (p: BffProcess) => holderAtProcess(p, mocks);
  const codeOf = (h: ProcessHolder) => processHolderCode(h, ['name']);

  /**
   * The status list of `kid` from both processes. A list's issue time follows 5-minute periods of each
   * process's clock, so the pair is taken again when `a`'s answer changed while `b` was asked.
   */
  async function listsFromBoth(kid: string) {
    for (let attempt = 0; attempt < 3; attempt++) {
      const fromA = await a.api('GET', `/api/v1/status-lists/${kid}`);
      const fromB = await b.api('GET', `/api/v1/status-lists/${kid}`);
      const again = await a.api('GET', `/api/v1/status-lists/${kid}`);
      if (again.body.statusList === fromA.body.statusList) return { fromA, fromB };
    }
    throw new Error('the status list kept changing while it was fetched');
  }

  it('when both processes serve the lists, then they are byte-identical, also right after a card is suspended at one of them', async () => {
    expect(new Set([a.child.pid, b.child.pid, process.pid]).size).toBe(3);
    const holder = await holderAt(a);
    const trustA = await a.api('GET', '/api/v1/trust-list');
    const trustB = await b.api('GET', '/api/v1/trust-list');
    expect(trustB.body.trustList).toBe(trustA.body.trustList);
    const rootKey = createKeyStore(loadConfig(env), systemClock).trustRootPublicKey();
    const trustList = openTrustList(base64urlDecode(trustA.body.trustList), rootKey, ed25519);
    const index = decodeAnyCredential(holder.credential).claims.statusIndex;

    const before = await listsFromBoth(holder.kid);
    expect(before.fromA.status).toBe(200);
    expect(before.fromB.body).toEqual(before.fromA.body);
    expect(before.fromB.headers.get('etag')).toBe(before.fromA.headers.get('etag'));
    const listBefore = openStatusList(base64urlDecode(before.fromB.body.statusList), trustList, ed25519);
    expect(statusAt(listBefore, index)).toBe(CardStatusValue.valid);

    const suspended = await a.api('POST', '/api/v1/card/suspend', { token: holder.token, body: {} });
    expect(suspended.status).toBe(200);
    // b never heard of the change but from the database, and serves the same new bytes as a.
    const after = await listsFromBoth(holder.kid);
    expect(after.fromB.body).toEqual(after.fromA.body);
    expect(after.fromB.headers.get('etag')).toBe(after.fromA.headers.get('etag'));
    expect(after.fromB.body.statusList).not.toBe(before.fromB.body.statusList);
    const listAfter = openStatusList(base64urlDecode(after.fromB.body.statusList), trustList, ed25519);
    expect(statusAt(listAfter, index)).toBe(CardStatusValue.suspended);
  });

  it('when a code used at one process is shown at the other, then it is replayed; shown at both at once, exactly one accepts it', async () => {
    const holder = await holderAt(b);
    const login = await a.api('POST', '/api/v1/staff/login', { body: DEV_STAFF });
    expect(login.status).toBe(200);
    const staff = login.body.accessToken as string;
    const verifyAt = (p: BffProcess, code: string) =>
      p.api('POST', '/api/v1/verify', { token: staff, body: { code, purpose: 'hotel_check_in' } });

    const code = codeOf(holder);
    expect((await verifyAt(a, code)).body.verdict).toBe('valid');
    expect((await verifyAt(b, code)).body.verdict).toBe('replayed');

    // Each code carries a fresh nonce: three new codes, each sent to both processes at the same moment.
    for (let round = 0; round < 3; round++) {
      const fresh = codeOf(holder);
      const both = await Promise.all([verifyAt(a, fresh), verifyAt(b, fresh)]);
      expect(both.map((r) => r.status)).toEqual([200, 200]);
      expect(both.map((r) => r.body.verdict).sort()).toEqual(['replayed', 'valid']);
    }
  });
});
