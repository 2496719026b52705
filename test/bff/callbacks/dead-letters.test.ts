import { CALLBACK_RETRY_SCHEDULE_MS } from '@eid/shared';
import { registerParty, staffToken } from '../../helpers/party';
import { startStack, type Stack } from '../../helpers/stack';
import {
  attemptsOf,
  deadLetters,
  enqueueEvent,
  runOutbox,
  startWebhookReceiver,
  type WebhookReceiver,
} from '../../helpers/webhook-receiver';

// Where delivery stops: a 410 disables the party's endpoint, the last scheduled failure dead-letters;
// admin staff see the dead letters and queue them again.
let stack: Stack;
let receiver: WebhookReceiver;
// A stack per test: the clock moves by hours and days, past any staff token's lifetime.
beforeEach(async () => {
  stack = await startStack({ env: { CALLBACK_ALLOW_HOSTS: '127.0.0.1' } });
  receiver = await startWebhookReceiver();
});
afterEach(async () => {
  await stack.stop();
  await receiver.close();
});
/** A supervisor signed in now (the clock may have moved past an earlier token). */
const admin = () => staffToken(stack, 'administrator');

const redeliver = async (id: string, token?: string) =>
  stack.api('POST', `/api/v1/admin/callbacks/dead/${id}/redeliver`, {
    token: token ?? (await admin()),
    body: {},
  });
const deadOf = async (id: string) => {
  const res = await deadLetters(stack, await admin());
  expect(res.status).toBe(200);
  return (res.body.events as { id: string }[]).filter((e) => e.id === id);
};

it('when every scheduled attempt fails, then after the tenth the event is a dead letter admin staff see, and a redelivery delivers it', async () => {
  const { party } = await registerParty(stack, { callbackUrl: receiver.url });
  const id = await enqueueEvent(stack, party.id, { type: 'consent.expired', data: { consentId: 'c-x' } });
  receiver.answer(...CALLBACK_RETRY_SCHEDULE_MS.map(() => 500));
  for (const delay of CALLBACK_RETRY_SCHEDULE_MS) {
    stack.clock.advance(delay * 1.1 + 1);
    expect(await runOutbox(stack)).toBe(0);
  }
  expect(receiver.requests).toHaveLength(10);
  stack.clock.advance(48 * 3600 * 1000);
  await runOutbox(stack);
  expect(receiver.requests).toHaveLength(10);

  expect(await deadOf(id)).toEqual([
    {
      id,
      partyId: party.id,
      type: 'consent.expired',
      attempts: 10,
      lastError: expect.stringContaining('500'),
      reason: expect.any(String),
      deadAt: expect.any(Number),
      createdAt: expect.any(Number),
    },
  ]);
  expect((await attemptsOf(stack, await admin(), id)).map((a) => a.attempt)).toEqual([
    1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
  ]);

  expect((await redeliver(id, 'not-a-token')).status).toBe(401);
  const again = await redeliver(id);
  expect(again.status).toBe(202);
  expect(again.body).toEqual({ id });
  expect(await deadOf(id)).toEqual([]);
  expect(await runOutbox(stack)).toBe(1);
  expect(receiver.requests.map((r) => r.answered)).toEqual([...Array(10).fill(500), 200]);
  expect(receiver.requests.every((r) => r.id === id)).toBe(true);
  // A second redelivery finds nothing dead.
  const twice = await redeliver(id);
  expect(twice.status).toBe(404);
  expect(twice.body.code).toBe('NOT_FOUND');
});

it('when the receiver answers 410, then the endpoint is disabled at once, later events dead-letter without a request, and once enabled a redelivery arrives', async () => {
  const { party } = await registerParty(stack, { callbackUrl: receiver.url });
  const first = await enqueueEvent(stack, party.id);
  receiver.answer(410);
  expect(await runOutbox(stack)).toBe(0);
  expect(receiver.requests).toHaveLength(1);
  const view = await stack.api('GET', `/api/v1/admin/parties/${party.id}`, { token: await admin() });
  expect(view.body.callbackDisabledAt).toBe(stack.clock.now());
  expect(await deadOf(first)).toEqual([
    expect.objectContaining({ reason: 'endpoint_disabled', attempts: 1 }),
  ]);

  const later = await enqueueEvent(stack, party.id);
  expect(await runOutbox(stack)).toBe(0);
  expect(receiver.requests).toHaveLength(1);
  expect(await deadOf(later)).toEqual([expect.objectContaining({ reason: 'endpoint_disabled' })]);
  expect(await attemptsOf(stack, await admin(), later)).toEqual([
    expect.objectContaining({ attempt: 1, error: 'endpoint_disabled' }),
  ]);

  const enabled = await stack.api('POST', `/api/v1/admin/parties/${party.id}/callback/enable`, {
    token: await admin(),
    body: {},
  });
  expect(enabled.status).toBe(200);
  expect((await redeliver(later)).status).toBe(202);
  expect(await runOutbox(stack)).toBe(1);
  expect(receiver.requests.map((r) => [r.id, r.answered])).toEqual([
    [first, 410],
    [later, 200],
  ]);
});

it('when a redelivery names no dead event, then 404; a malformed id is 400', async () => {
  expect((await redeliver(`msg_${'A'.repeat(22)}`)).body.code).toBe('NOT_FOUND');
  const bad = await redeliver('msg_short');
  expect(bad.status).toBe(400);
  expect(bad.body.code).toBe('VALIDATION_FAILED');
});
