import { startLocalMongo, type LocalMongo } from '@eid/mock/mongo/index';
import { holderWithCard, residentIdOf, type Holder } from '../../helpers/card-flow';
import { approvedConsent, hotel, type TestParty } from '../../helpers/consent';
import { approvedCall, windowStaff, type Window } from '../../helpers/document-call';
import { startStack, type Stack } from '../../helpers/stack';

/**
 * Every period ends (docs/data-inventory.md): a database of its own whose TTL monitor runs on the stack's
 * manual clock (swept when the test says so), and the retention sweep run on that clock too.
 */
const DAY = 24 * 3600 * 1000;
const START = Date.UTC(2026, 0, 5, 2, 0, 0);

let mongo: LocalMongo;
let stack: Stack | undefined;
let party: TestParty;
let window: Window;

beforeAll(async () => {
  mongo = await startLocalMongo({
    clock: { now: () => stack?.clock.now() ?? START },
    ttlIntervalMs: 3_600_000,
  });
  const shared = process.env.MONGODB_URI;
  process.env.MONGODB_URI = mongo.uri;
  try {
    // An operator's own period: dead letters a week instead of 90 days.
    stack = await startStack({ startAt: START, env: { RETENTION_DEAD_LETTER_DAYS: '7' } });
  } finally {
    process.env.MONGODB_URI = shared;
  }
  party = await hotel(stack);
  window = await windowStaff(stack);
});
afterAll(async () => {
  await stack?.stop();
  await mongo.stop();
});

const db = () => stack!.deps.db;
const count = (collection: string, filter: object = {}) => db().collection(collection).countDocuments(filter);
const sweep = () => stack!.services.retention.sweep();

/** A resident with a card, an approved consent and a delivered document call. */
async function busyResident(): Promise<Holder> {
  const holder = await holderWithCard(stack!);
  await approvedConsent(stack!, party, holder);
  await approvedCall(stack!, window, holder);
  return holder;
}

it('when the TTL periods end, then sessions, face checks, try counters, staff sessions and rate limits are gone, and not a minute before', async () => {
  const holder = await holderWithCard(stack!);
  const residentId = residentIdOf(holder.token);
  const ttl = [
    'sessions',
    'face_checks',
    'enrollment_attempts',
    'staff_sessions',
    'rate_limits',
    'refresh_tokens_spent',
    'reauth_tokens_used',
    'signins',
    'replays',
    'callback_attempts',
    'staff_sign_in_failures',
  ];
  for (const c of ['sessions', 'face_checks', 'enrollment_attempts', 'staff_sessions', 'rate_limits']) {
    expect([c, await count(c)]).toEqual([c, expect.any(Number)]);
    expect(await count(c)).toBeGreaterThan(0);
  }
  // The session: kept 7 days past its expiry (a late reuse is still recognised), then deleted.
  const session = await db().collection('sessions').findOne({ residentId });
  const removeAt = (session!.expiresAt as Date).getTime() + 7 * DAY;
  stack!.clock.set(removeAt - 60_000);
  mongo.sweepTtl();
  expect(await count('sessions', { residentId })).toBe(1);
  stack!.clock.set(removeAt + 60_000);
  mongo.sweepTtl();
  expect(await count('sessions', { residentId })).toBe(0);
  // Forty days after the session ended everything with a TTL period has gone (callback attempts: 30 days).
  stack!.clock.set(removeAt + 40 * DAY);
  mongo.sweepTtl();
  const left = await Promise.all(ttl.map(async (c) => [c, await count(c)] as const));
  expect(left.filter(([, n]) => n > 0)).toEqual([]);
  const oidc = (await db().db!.listCollections().toArray()).filter((c) => c.name.startsWith('oidc_'));
  for (const c of oidc) expect([c.name, await count(c.name)]).toEqual([c.name, 0]);
  // What has no TTL is untouched by it: the account and its card.
  expect(await count('residents', { _id: residentId })).toBe(1);
  expect(await count('cards', { residentId })).toBe(1);
});

it('when an account was closed, then its trace, consents, document calls and card go when their periods end, and a live resident keeps everything', async () => {
  // The first test moved the clock on: the window signs in again.
  window = await windowStaff(stack!);
  const closing = await busyResident();
  const live = await busyResident();
  const closedId = residentIdOf(closing.token);
  const liveId = residentIdOf(live.token);
  expect((await stack!.api('DELETE', '/api/v1/account', { token: closing.token })).status).toBe(200);
  const closedAt = stack!.clock.now();
  const card = await db().collection('cards').findOne({ residentId: closedId });
  expect(card!.status).toBe('revoked');
  // A decided review of the closed account (a supervisor's decision) and a dead letter, as stored.
  await db()
    .collection('enrollment_reviews')
    .insertOne({
      _id: `review-${closedId}`,
      residentId: closedId,
      idIndex: 'x',
      verifyId: `v-${closedId}`,
      causes: ['face_borderline'],
      face: { similarity: 0.8, liveness: 'pass', passMark: 0.85, reviewFrom: 0.7 },
      registryFlags: [],
      status: 'approved',
      openedAt: new Date(closedAt),
      decision: { staffId: 'super01', reason: 'checked in person', at: new Date(closedAt) },
    } as never);
  await db()
    .collection('outbox_dead')
    .insertOne({
      topic: 'webhook',
      key: 'k',
      payload: {},
      dueAt: new Date(closedAt),
      attempts: 8,
      createdAt: new Date(closedAt),
      reason: 'exhausted',
      deadAt: new Date(closedAt),
    });
  const leaves = await count('audit_log_leaves');
  const kept = async () => ({
    trace: await count('usage_events', { residentId: closedId }),
    head: await count('usage_heads', { _id: closedId }),
    consents: await count('consents', { residentId: closedId }),
    calls: await count('document_calls', { residentId: closedId }),
    reviews: await count('enrollment_reviews', { residentId: closedId }),
    card: await count('cards', { residentId: closedId }),
  });
  const atClosure = await kept();
  expect(
    atClosure.trace * atClosure.consents * atClosure.calls * atClosure.reviews * atClosure.card,
  ).toBeGreaterThan(0);

  // The operator's dead-letter period (7 days), not the default 90.
  stack!.clock.set(closedAt + 6 * DAY);
  await sweep();
  expect(await count('outbox_dead')).toBe(1);
  stack!.clock.set(closedAt + 8 * DAY);
  await sweep();
  expect(await count('outbox_dead')).toBe(0);

  // A day before the three years: everything still there.
  const period = stack!.config.RETENTION_USAGE_DAYS;
  expect(period).toBe(1095);
  expect(
    (card!.credentialExpiresAt as Date).getTime() + stack!.config.RETENTION_CARD_DAYS * DAY,
  ).toBeLessThan(closedAt + (period - 1) * DAY);
  stack!.clock.set(closedAt + (period - 1) * DAY);
  await sweep();
  const before = await kept();
  expect({ ...before, card: atClosure.card }).toEqual(atClosure);
  // The revoked card went once its credential had expired and 30 days passed.
  expect(before.card).toBe(0);

  stack!.clock.set(closedAt + (period + 1) * DAY);
  const results = await sweep();
  expect(await kept()).toEqual({ trace: 0, head: 0, consents: 0, calls: 0, reviews: 0, card: 0 });
  expect(results.find((r) => r.rule === 'account.closed' && r.collection === 'usage_events')!.deleted).toBe(
    atClosure.trace,
  );
  // The live resident keeps all of it, and the audit log is kept without end.
  expect(await count('usage_events', { residentId: liveId })).toBeGreaterThan(0);
  expect(await count('enrollments', { _id: liveId })).toBe(1);
  expect(await count('consents', { residentId: liveId, state: 'approved' })).toBe(1);
  expect(await count('audit_log_leaves')).toBe(leaves);
});
