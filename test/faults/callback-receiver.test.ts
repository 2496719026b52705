/**
 * Issue 21 §3, fault 3: a party's callback receiver down for a while. The receiver sits behind a TCP
 * proxy (test/helpers/fault-proxy.ts); it first goes down in the middle of a delivery run (ten requests
 * it handled but whose answers never came back), then stays unreachable for three hours of the BFF's clock
 * while more events are queued. What must hold: once it is back every event arrives, the outbox holds no
 * event live or dead afterwards, and a de-duplicating receiver (by `webhook-id`) handles each event once
 * however often the BFF had to resend it.
 */
import { startFaultProxy, type FaultProxy } from '../helpers/fault-proxy';
import { registerParty } from '../helpers/party';
import { startStack, type Stack } from '../helpers/stack';
import {
  enqueueEvent,
  runOutbox,
  startWebhookReceiver,
  type WebhookReceiver,
} from '../helpers/webhook-receiver';

const MIN = 60 * 1000;
let stack: Stack;
let receiver: WebhookReceiver;
let proxy: FaultProxy;

beforeAll(async () => {
  receiver = await startWebhookReceiver({ dedupe: true });
  proxy = await startFaultProxy(receiver.origin);
  stack = await startStack({ env: { CALLBACK_ALLOW_HOSTS: '127.0.0.1', CALLBACK_TIMEOUT_MS: '300' } });
});

afterAll(async () => {
  await stack?.stop();
  await proxy?.stop();
  await receiver?.close();
});

const outbox = () => stack.deps.db.collection('outbox');
const dead = () => stack.deps.db.collection('outbox_dead');

it('when the receiver is down for three hours, then after it returns every event is delivered, none is left in the outbox, and a de-duplicating receiver handles each once', async () => {
  const { party } = await registerParty(stack, { callbackUrl: `${proxy.url}/hook` });
  const ids: string[] = [];
  for (let i = 0; i < 20; i++) ids.push(await enqueueEvent(stack, party.id));

  // Down in the middle of a run: ten requests are handled and then their answers are lost.
  receiver.answer(...Array.from({ length: 10 }, () => 'hang' as const));
  const firstRun = runOutbox(stack);
  await receiver.waitFor(10);
  proxy.setMode('reset');
  expect(await firstRun).toBeLessThanOrEqual(10);
  receiver.release();
  const handledBeforeOutage = receiver.handled.length;
  expect(handledBeforeOutage).toBeGreaterThanOrEqual(10);

  // Still down, more events queued; the BFF tries along its schedule (5 s, 5 min, 30 min, 2 h).
  for (let i = 0; i < 20; i++) ids.push(await enqueueEvent(stack, party.id));
  const requestsBefore = receiver.requests.length;
  const refusedBefore = proxy.connections.reset;
  for (let t = 0; t < 180; t += 10) {
    stack.clock.advance(10 * MIN);
    await runOutbox(stack);
  }
  const refusedDuringOutage = proxy.connections.reset - refusedBefore;
  expect(refusedDuringOutage).toBeGreaterThanOrEqual(20);
  expect(receiver.requests.length).toBe(requestsBefore);
  // Nothing was given up on: every undelivered event still waits, none is dead.
  const waiting = await outbox().countDocuments({ topic: 'webhook' });
  const acknowledged = new Set(receiver.requests.filter((r) => r.answered === 200).map((r) => r.id));
  // At least every event the receiver did not answer 200; one whose 200 the cut swallowed waits too.
  expect(waiting).toBeGreaterThanOrEqual(ids.length - acknowledged.size);
  expect(waiting).toBeGreaterThanOrEqual(30);
  expect(await dead().countDocuments({})).toBe(0);

  // Back: the schedule's next attempts reach it.
  proxy.setMode('pass');
  for (let step = 0; step < 48 && (await outbox().countDocuments({ topic: 'webhook' })) > 0; step++) {
    stack.clock.advance(30 * MIN);
    await runOutbox(stack);
  }
  expect(await outbox().countDocuments({ topic: 'webhook' })).toBe(0);
  expect(await dead().countDocuments({})).toBe(0);
  expect([...receiver.handled].sort()).toEqual([...ids].sort());
  expect(new Set(receiver.handled).size).toBe(receiver.handled.length);
  const sends = new Map<string, number>();
  for (const r of receiver.requests) sends.set(r.id, (sends.get(r.id) ?? 0) + 1);
  const resent = [...sends.values()].filter((n) => n > 1).length;
  // The ten whose answers were lost were sent again and acknowledged as duplicates, not handled twice.
  expect(resent).toBeGreaterThanOrEqual(10);
  console.log(
    `callback receiver down: ${JSON.stringify({
      events: ids.length,
      handledBeforeOutage,
      refusedDuringOutage,
      requests: receiver.requests.length,
      resent,
      handled: receiver.handled.length,
    })}`,
  );
});
