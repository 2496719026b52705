import { verifyWebhook } from '@eid/shared';
import { registerParty, staffToken } from '../../helpers/party';
import { startStack, type Stack } from '../../helpers/stack';
import {
  attemptsOf,
  enqueueEvent,
  runOutbox,
  startWebhookReceiver,
  type WebhookReceiver,
} from '../../helpers/webhook-receiver';

// How a failing endpoint is retried: Standard Webhooks' schedule with up to 10% jitter, Retry-After
// honoured for 429 and 503, redirects and other statuses failures, each attempt signed at its own time.
// The clock is the stack's manual one; the outbox runs when the test says so.
let stack: Stack;
let receiver: WebhookReceiver;
// A stack per test: the clock moves by hours and days, past any staff token's lifetime.
beforeEach(async () => {
  stack = await startStack({ env: { CALLBACK_ALLOW_HOSTS: '127.0.0.1', CALLBACK_TIMEOUT_MS: '300' } });
  receiver = await startWebhookReceiver();
});
afterEach(async () => {
  await stack.stop();
  await receiver.close();
});
/** A supervisor signed in now (the clock may have moved past an earlier token). */
const admin = () => staffToken(stack, 'administrator');

const S = 1000;
const MIN = 60 * S;

/** A party of its own on a fresh receiver, with one event queued. */
async function oneEvent() {
  const registered = await registerParty(stack, { callbackUrl: receiver.url });
  const id = await enqueueEvent(stack, registered.party.id);
  return { ...registered, id };
}

it('when the receiver answers 503, 503, then 200, then the event follows the schedule (not before 5 s, then 5 min) and arrives once, each attempt signed at its own time', async () => {
  const { webhookSecret, id } = await oneEvent();
  receiver.answer(503, 503, 200);
  const start = stack.clock.now();
  expect(await runOutbox(stack)).toBe(0);
  expect(receiver.requests).toHaveLength(1);

  stack.clock.advance(5 * S - 1);
  expect(await runOutbox(stack)).toBe(0);
  expect(receiver.requests).toHaveLength(1);
  stack.clock.advance(1 + 0.5 * S); // past the longest jitter (10% of 5 s)
  expect(await runOutbox(stack)).toBe(0);
  expect(receiver.requests).toHaveLength(2);

  const second = stack.clock.now();
  stack.clock.advance(5 * MIN - 1);
  expect(await runOutbox(stack)).toBe(0);
  expect(receiver.requests).toHaveLength(2);
  stack.clock.advance(1 + 30 * S);
  expect(await runOutbox(stack)).toBe(1);
  expect(await runOutbox(stack)).toBe(0);

  expect(receiver.requests.map((r) => [r.id, r.answered])).toEqual([
    [id, 503],
    [id, 503],
    [id, 200],
  ]);
  // Same id and body every time; the timestamp is the attempt's, and the last one verifies at its time.
  expect(new Set(receiver.requests.map((r) => r.body)).size).toBe(1);
  expect(receiver.requests.map((r) => Number(r.timestamp))).toEqual([
    Math.floor(start / S),
    Math.floor((start + 5.5 * S) / S),
    Math.floor(stack.clock.now() / S),
  ]);
  const last = receiver.requests[2]!;
  expect(
    verifyWebhook(last.headers, last.body, { secrets: [webhookSecret], nowMs: stack.clock.now() }),
  ).toMatchObject({ ok: true, scheme: 'v1' });
  const attempts = await attemptsOf(stack, await admin(), id);
  expect(attempts.map((a) => [a.attempt, a.status])).toEqual([
    [1, 503],
    [2, 503],
    [3, 200],
  ]);
  expect(attempts[1]!.at).toBe(second);
});

it("when the receiver answers 429 with Retry-After: 120, then the next attempt waits 120 s, not the schedule's 5 s; a Retry-After shorter than the schedule does not hasten it", async () => {
  const { id } = await oneEvent();
  receiver.answer(
    { status: 429, headers: { 'retry-after': '120' } },
    { status: 429, headers: { 'retry-after': '1' } },
    200,
  );
  await runOutbox(stack);
  stack.clock.advance(120 * S - 1);
  expect(await runOutbox(stack)).toBe(0);
  expect(receiver.requests).toHaveLength(1);
  stack.clock.advance(1);
  expect(await runOutbox(stack)).toBe(0);
  expect(receiver.requests).toHaveLength(2);
  // Third attempt: the schedule's 5 min (plus jitter), not the receiver's 1 s.
  stack.clock.advance(5 * MIN - 1);
  expect(await runOutbox(stack)).toBe(0);
  expect(receiver.requests).toHaveLength(2);
  stack.clock.advance(1 + 30 * S);
  expect(await runOutbox(stack)).toBe(1);
  expect(receiver.requests.map((r) => [r.id, r.answered])).toEqual([
    [id, 429],
    [id, 429],
    [id, 200],
  ]);
});

it('when the receiver answers 503 with an HTTP-date Retry-After, then that date is honoured; one over 24 h is capped at 24 h', async () => {
  const { id } = await oneEvent();
  const inTenMinutes = new Date(stack.clock.now() + 10 * MIN).toUTCString();
  receiver.answer(
    { status: 503, headers: { 'retry-after': inTenMinutes } },
    { status: 503, headers: { 'retry-after': String(7 * 24 * 3600) } },
    200,
  );
  await runOutbox(stack);
  // HTTP dates have whole seconds: the date may be up to 1 s earlier than now + 10 min.
  stack.clock.advance(10 * MIN - 1001);
  await runOutbox(stack);
  expect(receiver.requests).toHaveLength(1);
  stack.clock.advance(1001);
  await runOutbox(stack);
  expect(receiver.requests).toHaveLength(2);
  stack.clock.advance(24 * 3600 * S - 1);
  expect(await runOutbox(stack)).toBe(0);
  expect(receiver.requests).toHaveLength(2);
  stack.clock.advance(1);
  expect(await runOutbox(stack)).toBe(1);
  expect(receiver.requests.map((r) => r.answered)).toEqual([503, 503, 200]);
  expect(receiver.requests.every((r) => r.id === id)).toBe(true);
});

it('when the receiver redirects (302), then it is a failure retried on the schedule and the Location is never fetched', async () => {
  const { id } = await oneEvent();
  receiver.answer({ status: 302, headers: { location: `${receiver.origin}/elsewhere` } }, 200);
  expect(await runOutbox(stack)).toBe(0);
  expect(receiver.requests.map((r) => r.path)).toEqual(['/hook']);
  stack.clock.advance(5.5 * S);
  expect(await runOutbox(stack)).toBe(1);
  expect(receiver.requests.map((r) => [r.path, r.answered])).toEqual([
    ['/hook', 302],
    ['/hook', 200],
  ]);
  const attempts = await attemptsOf(stack, await admin(), id);
  expect(attempts.map((a) => a.status)).toEqual([302, 200]);
});

it('when the receiver does not answer within CALLBACK_TIMEOUT_MS, then the attempt is a timeout, retried', async () => {
  const { id } = await oneEvent();
  receiver.answer('hang', 200);
  expect(await runOutbox(stack)).toBe(0);
  receiver.release();
  stack.clock.advance(5.5 * S);
  expect(await runOutbox(stack)).toBe(1);
  const attempts = await attemptsOf(stack, await admin(), id);
  expect(attempts).toEqual([
    expect.objectContaining({ attempt: 1, error: 'timeout' }),
    expect.objectContaining({ attempt: 2, status: 200 }),
  ]);
  expect(attempts[0]!.status).toBeUndefined();
});

it('when the receiver answers 500 with a body far over 64 KiB, then the attempt is a failure and the BFF stops reading', async () => {
  const { id } = await oneEvent();
  receiver.answer({ status: 500, body: 'x'.repeat(4 * 1024 * 1024) }, 200);
  expect(await runOutbox(stack)).toBe(0);
  stack.clock.advance(5.5 * S);
  expect(await runOutbox(stack)).toBe(1);
  expect((await attemptsOf(stack, await admin(), id)).map((a) => a.status)).toEqual([500, 200]);
});
