/**
 * Issue 21 §3, fault 5: a BFF process killed with SIGKILL while residents are in the middle of their
 * requests (consent, real-name check, face check, card issuance). What must hold: each client got either
 * an error (the connection died) or a complete answer, never a truncated one; the database holds no
 * half-written record (every enrolment, face check and card is complete in the fields its state implies);
 * and a new BFF process over the same database takes every resident from wherever they stopped to a card.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { Connection } from 'mongoose';
import { signDeviceProof } from '@eid/shared';
import { startMocks, type Mocks } from '@eid/mock';
import { manualClock } from '@eid/bff/infra/clock';
import { connectDatabase } from '@eid/bff/infra/database';
import { bffEnv, spawnBff, type BffProcess } from '../helpers/bff-process';
import { ed25519, newDevice, residentIdOf } from '../helpers/card-flow';
import { capture, freshPerson, giveConsent, login, realName, type Front } from '../helpers/identity';

jest.setTimeout(60_000);

const dbName = `t_fault_kill_${randomBytes(4).toString('hex')}`;
let mocks: Mocks;
let first: BffProcess | undefined;
let second: BffProcess | undefined;
let db: Connection;

beforeAll(async () => {
  mocks = await startMocks({ clock: manualClock(Date.now()) });
  first = await spawnBff(bffEnv({ mocks, dbName }));
  db = await connectDatabase(process.env.MONGODB_URI!, dbName);
});

afterAll(async () => {
  for (const bff of [first, second]) {
    if (!bff) continue;
    bff.child.kill('SIGKILL');
    await bff.stop();
  }
  await db?.dropDatabase().catch(() => undefined);
  await db?.close();
  await mocks?.stop();
});

interface Journey {
  token: string;
  person: ReturnType<typeof freshPerson>;
  done: boolean;
}

/** What one request ended as from the client's side. */
type Ending = 'answered' | 'connection_error' | 'truncated';

/** Runs a request and classifies its end: a status with a whole JSON body, a dead connection, or worse. */
async function attempt(endings: Ending[], request: () => Promise<{ status: number; body: unknown }>) {
  try {
    const res = await request();
    const whole = typeof res.body === 'object' && res.body !== null;
    endings.push(whole ? 'answered' : 'truncated');
    return res;
  } catch (err) {
    // A JSON body cut short would surface here as a SyntaxError: that is the failure this test looks for.
    endings.push(err instanceof SyntaxError ? 'truncated' : 'connection_error');
    return undefined;
  }
}

/**
 * Takes the resident from their enrolment state as the BFF reports it to a card: consent, real name, face
 * (start, capture, complete), issuance. Safe to run again after any interruption.
 */
async function advance(front: Front, journey: Journey, endings: Ending[]): Promise<boolean> {
  const { token } = journey;
  const state = await attempt(endings, () => front.api('GET', '/api/v1/enrollment', { token }));
  if (!state || state.status !== 200) return false;
  const current = (state.body as { state: string }).state;
  if (current === 'new') return Boolean(await attempt(endings, () => giveConsent(front, token)));
  if (current === 'consented')
    return Boolean(await attempt(endings, () => realName(front, token, journey.person)));
  if (current === 'real_name_verified') {
    const start = await attempt(endings, () =>
      front.api('POST', '/api/v1/enrollment/real-person/start', { token, body: {} }),
    );
    if (!start || start.status !== 200) return false;
    const verifyId = (start.body as { verifyId: string }).verifyId;
    await capture(front, verifyId);
    return Boolean(
      await attempt(endings, () =>
        front.api('POST', '/api/v1/enrollment/real-person/complete', { token, body: { verifyId } }),
      ),
    );
  }
  if (current !== 'eligible') throw new Error(`unexpected enrolment state ${current}`);
  const card = await attempt(endings, () => front.api('GET', '/api/v1/card', { token }));
  if (card?.status === 200 && (card.body as { status?: string }).status === 'active') {
    journey.done = true;
    return true;
  }
  const device = newDevice();
  const issued = await attempt(endings, () =>
    front.api('POST', '/api/v1/card/issue', {
      token,
      body: {
        devicePublicKey: device.publicKey,
        deviceProof: signDeviceProof(device.keys, residentIdOf(token), Date.now(), ed25519),
      },
    }),
  );
  if (issued?.status === 200) journey.done = true;
  return Boolean(issued);
}

/** Every record the journey writes, checked for the fields its state implies; the problems found. */
async function halfWritten(): Promise<string[]> {
  const problems: string[] = [];
  const need = (doc: Record<string, unknown>, what: string, fields: string[]) => {
    for (const f of fields)
      if (doc[f] === undefined || doc[f] === null) problems.push(`${what} ${doc._id} lacks ${f}`);
  };
  const byState: Record<string, string[]> = {
    new: ['updatedAt'],
    consented: ['consent', 'updatedAt'],
    real_name_verified: ['consent', 'identity', 'idIndex', 'updatedAt'],
    eligible: ['consent', 'identity', 'idIndex', 'boundIdIndex', 'eligibleAt', 'updatedAt'],
  };
  for (const e of await db.collection('enrollments').find({}).toArray()) {
    const fields = byState[e.state as string];
    if (!fields) problems.push(`enrollment ${e._id} in state ${e.state}`);
    else need(e, `enrollment ${e.state}`, fields);
  }
  for (const f of await db.collection('face_checks').find({}).toArray()) {
    need(f, 'face check', ['residentId', 'purpose', 'idIndex', 'createdAt', 'expiresAt']);
    if ((f.consumedAt === undefined) !== (f.outcome === undefined))
      problems.push(`face check ${f._id} half consumed`);
  }
  const eligible = new Set(
    (await db.collection('enrollments').find({ state: 'eligible' }).toArray()).map((e) => String(e._id)),
  );
  for (const c of await db.collection('cards').find({}).toArray()) {
    need(c, 'card', [
      'residentId',
      'status',
      'kid',
      'province',
      'statusIndex',
      'devicePublicKey',
      'createdAt',
      'credentialIssuedAt',
      'credentialExpiresAt',
      'updatedAt',
    ]);
    if (!eligible.has(String(c.residentId))) problems.push(`card ${c._id} of a resident not eligible`);
  }
  // One status-list slot per card: an allocation the kill cut off may leave a gap, never a shared index.
  const indexes = (await db.collection('cards').find({}).toArray()).map((c) => `${c.kid}:${c.statusIndex}`);
  if (new Set(indexes).size !== indexes.length) problems.push('two cards share a status index');
  return problems;
}

it('when the BFF process is killed with SIGKILL mid-request, then every client got an error or a whole answer, no record is half written, and a new process takes every resident on to a card', async () => {
  const front = { api: first!.api, mocks };
  const journeys: Journey[] = [];
  for (let i = 0; i < 12; i++)
    journeys.push({ token: (await login(front)).accessToken, person: freshPerson(), done: false });
  const endings: Ending[] = [];
  let killed = false;
  // Staggered starts, so that the kill finds residents at every step of the way.
  const runners = journeys.map(async (journey, i) => {
    await new Promise((resolve) => setTimeout(resolve, i * 150));
    while (!killed && !journey.done) await advance(front, journey, endings);
  });
  // The kill lands once some residents hold a card while the others are anywhere in between.
  for (let i = 0; i < 600 && journeys.filter((j) => j.done).length < 3; i++)
    await new Promise((resolve) => setTimeout(resolve, 25));
  // One request surely in flight at the kill, whatever the runners' timing: its body is never finished.
  const pending = unfinishedRequest(first!.url);
  await pending.sent;
  // No new request after this; those in flight meet the kill.
  killed = true;
  first!.child.kill('SIGKILL');
  await first!.stop();
  await Promise.all(runners);
  const cardsAtKill = journeys.filter((j) => j.done).length;
  expect(cardsAtKill).toBeGreaterThanOrEqual(3);
  expect(endings).not.toContain('truncated');
  // The client of a request the kill cut off gets an error, never an answer. How many of the runners'
  // requests were in flight depends on timing (4 in one run, none in another), so it is not asserted.
  await expect(pending.outcome).resolves.toBe('connection_error');
  const cutOff = endings.filter((e) => e === 'connection_error').length;

  const atKill = await halfWritten();
  const states = await db
    .collection('enrollments')
    .aggregate<{ _id: string; n: number }>([{ $group: { _id: '$state', n: { $sum: 1 } } }])
    .toArray();

  // A new process over the same database (same keys): the same tokens, each resident carries on.
  second = await spawnBff(bffEnv({ mocks, dbName }));
  const again = { api: second.api, mocks };
  const after: Ending[] = [];
  for (const journey of journeys) {
    for (let step = 0; step < 8 && !journey.done; step++) await advance(again, journey, after);
  }
  expect(after).not.toContain('connection_error');
  expect(journeys.filter((j) => !j.done)).toEqual([]);
  const atEnd = await halfWritten();
  const cards = await db.collection('cards').countDocuments({ status: 'active' });
  console.log(
    `bff kill -9: ${JSON.stringify({
      residents: journeys.length,
      cardsAtKill,
      requestsBeforeKill: endings.length,
      cutOff,
      statesAtKill: Object.fromEntries(states.map((s) => [s._id, s.n])),
      halfWrittenAtKill: atKill.length,
      cardsAfterRestart: cards,
    })}`,
  );
  expect(atKill).toEqual([]);
  expect(atEnd).toEqual([]);
  expect(cards).toBe(journeys.length);
});

/** A POST whose body is never finished: in flight until the server answers or the connection dies. */
function unfinishedRequest(url: string): {
  sent: Promise<void>;
  outcome: Promise<'answered' | 'connection_error'>;
} {
  let sent!: () => void;
  const sentP = new Promise<void>((resolve) => (sent = resolve));
  const outcome = new Promise<'answered' | 'connection_error'>((resolve) => {
    const req = http.request(`${url}/api/v1/enrollment/consent`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': '100' },
    });
    req.on('response', (res) => {
      res.resume();
      resolve('answered');
    });
    req.on('error', () => resolve('connection_error'));
    req.write('{"a":', () => sent());
  });
  return { sent: sentP, outcome };
}
