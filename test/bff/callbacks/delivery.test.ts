import { Webhook } from 'standardwebhooks';
import { parseWebhookPublicKey, verifyWebhook } from '@eid/shared';
import { registerParty, supervisorToken } from '../../helpers/party';
import { startStack, type Stack } from '../../helpers/stack';
import {
  attemptsOf,
  enqueueEvent,
  runOutbox,
  startWebhookReceiver,
  type WebhookReceiver,
} from '../../helpers/webhook-receiver';

// One delivery, seen from the party's side: Standard Webhooks headers, a v1 signature the npm library
// verifies with the party's secret and a v1a signature under the published callback key.
let stack: Stack;
let receiver: WebhookReceiver;
let admin: string;
beforeAll(async () => {
  stack = await startStack({ env: { CALLBACK_ALLOW_HOSTS: '127.0.0.1' } });
  receiver = await startWebhookReceiver();
  admin = await supervisorToken(stack);
});
afterAll(async () => {
  await stack.stop();
  await receiver.close();
});

it('when an event is queued, then the next run delivers it once, signed v1 (standardwebhooks verifies it) and v1a (under GET /api/v1/rp/callback-keys)', async () => {
  const { party, webhookSecret } = await registerParty(stack, { callbackUrl: receiver.url });
  const before = receiver.requests.length;
  const id = await enqueueEvent(stack, party.id, {
    type: 'consent.approved',
    data: { consentId: 'c-1', reference: 'ref-1', state: 'approved' },
  });
  expect(id).toMatch(/^msg_[A-Za-z0-9_-]{22}$/);
  expect(await runOutbox(stack)).toBe(1);
  expect(await runOutbox(stack)).toBe(0);

  const got = receiver.requests.slice(before);
  expect(got).toHaveLength(1);
  const r = got[0]!;
  expect(r).toMatchObject({ method: 'POST', path: '/hook', id, answered: 200 });
  expect(r.headers['content-type']).toBe('application/json');
  expect(r.headers['user-agent']).toBe('eid-callbacks/1');
  expect(r.timestamp).toBe(String(Math.floor(stack.clock.now() / 1000)));
  expect(JSON.parse(r.body)).toEqual({
    type: 'consent.approved',
    timestamp: new Date(stack.clock.now()).toISOString(),
    data: { consentId: 'c-1', reference: 'ref-1', state: 'approved' },
  });
  const entries = r.signature.split(' ');
  expect(entries.map((e) => e.split(',')[0])).toEqual(['v1', 'v1a']);

  // The standard library, as an integrator would use it (it judges the timestamp by the real clock).
  expect(new Webhook(webhookSecret).verify(r.body, r.headers)).toEqual(JSON.parse(r.body));
  expect(() => new Webhook(webhookSecret).verify(r.body.replace('c-1', 'c-2'), r.headers)).toThrow();

  // v1a alone, against the published keys.
  const keys = await stack.api('GET', '/api/v1/rp/callback-keys');
  expect(keys.status).toBe(200);
  expect(keys.body.keys).toHaveLength(1);
  expect(keys.body.keys[0].publicKey).toMatch(/^whpk_/);
  const publicKeys = keys.body.keys.map((k: { publicKey: string }) => parseWebhookPublicKey(k.publicKey)!);
  const onlyV1a = { ...r.headers, 'webhook-signature': entries[1]! };
  expect(verifyWebhook(onlyV1a, r.body, { publicKeys, nowMs: stack.clock.now() })).toMatchObject({
    ok: true,
    id,
    scheme: 'v1a',
  });
  expect(verifyWebhook(onlyV1a, `${r.body} `, { publicKeys, nowMs: stack.clock.now() })).toEqual({
    ok: false,
    reason: 'no_matching_signature',
  });

  const attempts = await attemptsOf(stack, admin, id);
  expect(attempts).toEqual([
    expect.objectContaining({
      attempt: 1,
      at: stack.clock.now(),
      status: 200,
      durationMs: expect.any(Number),
    }),
  ]);
});

it('when one key is queued twice, then both answers name one webhook-id and the party gets one request', async () => {
  const { party } = await registerParty(stack, { callbackUrl: receiver.url });
  const before = receiver.requests.length;
  const a = await enqueueEvent(stack, party.id, undefined, 'consent.declined:c-9');
  const b = await enqueueEvent(stack, party.id, undefined, 'consent.declined:c-9');
  expect(b).toBe(a);
  expect(await runOutbox(stack)).toBe(1);
  expect(receiver.requests.slice(before).map((r) => r.id)).toEqual([a]);
});

it('when the attempt log or dead letters are asked for without a supervisor, then 401', async () => {
  expect((await stack.api('GET', '/api/v1/admin/callbacks/dead')).status).toBe(401);
  expect((await stack.api('GET', `/api/v1/admin/callbacks/msg_${'a'.repeat(22)}/attempts`)).status).toBe(401);
  const bad = await stack.api('GET', '/api/v1/admin/callbacks/not-an-id/attempts', { token: admin });
  expect(bad.status).toBe(400);
  expect(bad.body.code).toBe('VALIDATION_FAILED');
});
