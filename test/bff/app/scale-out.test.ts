import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import type { Connection } from 'mongoose';
import { TOTP, URI } from 'otpauth';
import { startMocks, type Mocks } from '@eid/mock';
import { manualClock, type ManualClock } from '@eid/bff/infra/clock';
import { connectDatabase } from '@eid/bff/infra/database';
import { bffEnv, spawnBff, type BffProcess } from '../../helpers/bff-process';
import { login, type Front } from '../../helpers/identity';
import { newAccount } from '../../helpers/admin-accounts';
import { registerParty, sendSigned, type RegisteredParty } from '../../helpers/party';
import { holderAtProcess, processHolderCode } from '../../helpers/process-holder';
import type { Stack } from '../../helpers/stack';
import { startWebhookReceiver, type WebhookReceiver } from '../../helpers/webhook-receiver';

/**
 * Issue 21 §5: everything two BFF processes must agree on lives in the database. Two real BFF processes
 * (bff/src/server.ts, each its own OS process, connection pool and outbox worker) on one database: a code a
 * party used at one is replayed at the other, a party's rate limit counts requests at both, a signed
 * request's nonce used at one is refused at the other, a refresh token spent at one and reused at the other
 * ends its family, a staff TOTP code spent at one is refused at the other, and an event both outbox workers
 * could take is attempted once. multi-process.test.ts covers staff verification replays and the lists the
 * processes serve.
 */
describe('two BFF processes on one database agree', () => {
  let mocks: Mocks;
  let a: BffProcess;
  let b: BffProcess;
  let db: Connection;
  let receiver: WebhookReceiver;
  const dbName = `t_${randomBytes(6).toString('hex')}`;

  beforeAll(async () => {
    mocks = await startMocks({ clock: manualClock(Date.now()), faceHangMs: 2000 });
    // Slow enough that a second worker would find the event while the first is still sending it.
    receiver = await startWebhookReceiver({ dedupe: true, latencyMs: 100 });
    const env = bffEnv({
      mocks,
      dbName,
      env: { CALLBACK_ALLOW_HOSTS: `127.0.0.1:${receiver.port}`, CALLBACK_INTERVAL_MS: '50' },
    });
    [a, b] = await Promise.all([spawnBff(env), spawnBff(env)]);
    db = await connectDatabase(process.env.MONGODB_URI!, dbName);
  }, 60_000);
  afterAll(async () => {
    const codes = await Promise.all([a?.stop(), b?.stop()]);
    await db?.dropDatabase();
    await db?.close();
    await receiver?.close();
    await mocks?.stop();
    expect(codes).toEqual([0, 0]);
  });

  /**
   * What the party and staff helpers use of a stack, for a BFF process: its API and URL, the shared
   * database (accounts are written there, as in every suite) and a clock that follows the processes' own.
   */
  function stackOf(p: BffProcess): Stack {
    const clock: ManualClock = { now: () => Date.now(), set: () => undefined, advance: () => undefined };
    return { url: p.url, api: p.api, mocks, clock, deps: { db } } as unknown as Stack;
  }
  const front = (p: BffProcess): Front => ({ api: p.api, mocks });

  async function holderAt(p: BffProcess) {
    const holder = await holderAtProcess(p, mocks);
    return () => processHolderCode(holder, [], 'hotel_check_in');
  }

  const rpVerifyAt = (p: BffProcess, party: RegisteredParty, code: string) =>
    sendSigned(
      stackOf(p),
      party.key,
      'POST',
      '/api/v1/rp/verify',
      { code, purpose: 'hotel_check_in' },
      {
        baseUrl: p.url,
      },
    );

  it('when a party verifies a code at one process and again at the other, then the second is replayed; sent to both at once, exactly one is valid', async () => {
    const codeOfHolder = await holderAt(a);
    const party = await registerParty(stackOf(a));
    const code = codeOfHolder();
    expect((await rpVerifyAt(a, party, code)).body.verdict).toBe('valid');
    expect((await rpVerifyAt(b, party, code)).body.verdict).toBe('replayed');
    for (let round = 0; round < 3; round++) {
      const fresh = codeOfHolder();
      const both = await Promise.all([rpVerifyAt(a, party, fresh), rpVerifyAt(b, party, fresh)]);
      expect(both.map((r) => r.status)).toEqual([200, 200]);
      expect(both.map((r) => r.body.verdict).sort()).toEqual(['replayed', 'valid']);
    }
  });

  it("when a party's requests are spread over both processes, then its per-minute limit counts them all", async () => {
    // A fixed window of one minute: should the four requests straddle a minute boundary, try once more.
    for (let attempt = 0; attempt < 2; attempt++) {
      const party = await registerParty(stackOf(a), { limits: { perMinute: 3 } });
      const minute = Math.floor(Date.now() / 60_000);
      const answers = [];
      for (const p of [a, b, a, b])
        answers.push(
          await sendSigned(stackOf(p), party.key, 'GET', '/api/v1/rp/registration', undefined, {
            baseUrl: p.url,
          }),
        );
      if (Math.floor(Date.now() / 60_000) !== minute) continue;
      expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 429]);
      expect(answers[3]!.body.code).toBe('PARTY_RATE_LIMITED');
      return;
    }
    throw new Error('two attempts straddled a minute boundary');
  });

  it('when a signed request reuses a nonce at the other process, then it is refused; one nonce sent to both at once is accepted once', async () => {
    const party = await registerParty(stackOf(a));
    const send = (p: BffProcess, nonce: string) =>
      sendSigned(stackOf(p), party.key, 'GET', '/api/v1/rp/registration', undefined, {
        baseUrl: p.url,
        nonce,
      });
    const nonce = randomBytes(16).toString('base64url');
    expect((await send(a, nonce)).status).toBe(200);
    const again = await send(b, nonce);
    expect(again.status).toBe(401);
    expect(again.body.code).toBe('SIGNATURE_NONCE_REUSED');

    const both = await Promise.all([a, b].map((p) => send(p, `both-${nonce}`)));
    expect(both.map((r) => r.status).sort()).toEqual([200, 401]);
  });

  it('when a refresh token spent at one process is reused at the other, then REFRESH_TOKEN_REUSED and the family ends at both', async () => {
    const session = await login(front(a));
    const refresh = (p: BffProcess, refreshToken: string) =>
      p.api('POST', '/api/v1/auth/refresh', { body: { refreshToken } });
    const rotated = await refresh(a, session.refreshToken);
    expect(rotated.status).toBe(200);
    const reuse = await refresh(b, session.refreshToken);
    expect(reuse.status).toBe(401);
    expect(reuse.body.code).toBe('REFRESH_TOKEN_REUSED');
    const current = await refresh(a, rotated.body.refreshToken);
    expect(current.body.code).toBe('SESSION_REVOKED');
    const usage = await b.api('GET', '/api/v1/usage?limit=1', { token: rotated.body.accessToken });
    expect(usage.status).toBe(401);
    expect(usage.body.code).toBe('SESSION_REVOKED');
  });

  it('when a staff TOTP code signed in at one process is offered at the other, then it is refused as used', async () => {
    const stack = stackOf(a);
    const account = await newAccount(stack, 'supervisor');
    const first = await a.api('POST', '/api/v1/staff/login', {
      body: { username: account.username, password: account.password },
    });
    const token = first.body.accessToken as string;
    const enrol = await a.api('POST', '/api/v1/staff/totp/enrol', { token, body: {} });
    expect(enrol.status).toBe(200);
    const app = URI.parse(enrol.body.otpauthUri) as TOTP;
    const confirmedAt = Date.now();
    const confirm = await b.api('POST', '/api/v1/staff/totp/confirm', {
      token,
      body: { code: app.generate({ timestamp: confirmedAt }) },
    });
    expect(confirm.status).toBe(200);

    // The next step's code (within the accepted window of one step) has not been spent by the confirmation.
    const code = app.generate({ timestamp: confirmedAt + 30_000 });
    const login = (p: BffProcess) =>
      p.api('POST', '/api/v1/staff/login', {
        body: { username: account.username, password: account.password, totp: code },
      });
    const atA = await login(a);
    expect(atA.status).toBe(200);
    const atB = await login(b);
    expect(atB.status).toBe(401);
    expect(atB.body).toMatchObject({ code: 'TOTP_INVALID', details: { reason: 'used' } });
  });

  it('when both processes run the outbox worker, then each callback is attempted once and a de-duplicating receiver handles it once', async () => {
    const codeOfHolder = await holderAt(b);
    const party = await registerParty(stackOf(b), { callbackUrl: receiver.url });
    const before = receiver.requests.length;
    const verdicts = await Promise.all(
      Array.from({ length: 10 }, (_, i) => rpVerifyAt(i % 2 ? a : b, party, codeOfHolder())),
    );
    expect(verdicts.map((r) => r.body.verdict)).toEqual(Array(10).fill('valid'));

    await receiver.waitFor(before + 10, 20_000);
    // A delivered event is deleted from the outbox after its attempt is recorded, and a worker only sends what
    // it claimed from there: once none of the party's events is left, no further attempt can come.
    const outbox = db.collection('outbox');
    for (
      let i = 0;
      i < 100 && (await outbox.countDocuments({ topic: 'webhook', 'payload.partyId': party.party.id })) > 0;
      i++
    )
      await new Promise((r) => setTimeout(r, 100));
    expect(await outbox.countDocuments({ topic: 'webhook', 'payload.partyId': party.party.id })).toBe(0);

    const mine = receiver.requests.slice(before);
    expect(mine).toHaveLength(10);
    expect(new Set(mine.map((r) => r.id)).size).toBe(10);
    expect(mine.every((r) => JSON.parse(r.body).type === 'verification.completed')).toBe(true);
    const mongo = await new MongoClient(process.env.MONGODB_URI!).connect();
    try {
      const attempts = await mongo
        .db(dbName)
        .collection('callback_attempts')
        .find({ partyId: party.party.id })
        .toArray();
      expect(attempts).toHaveLength(10);
      expect(new Set(attempts.map((x) => x.key)).size).toBe(10);
      expect(attempts.every((x) => x.status === 200)).toBe(true);
    } finally {
      await mongo.close();
    }
  });
});
