import { randomBytes } from 'node:crypto';
import { createServices } from '@eid/bff/app';
import { registerParty, supervisorToken } from '../../helpers/party';
import { startStack, type Stack } from '../../helpers/stack';
import {
  attemptsOf,
  enqueueEvent,
  runOutbox,
  startWebhookReceiver,
  type WebhookReceiver,
} from '../../helpers/webhook-receiver';

// Delivery across BFF processes: events live in the outbox, each attempt under a lease, so a BFF stopped
// mid-delivery loses nothing and two BFFs never send the same attempt twice.
const env = { CALLBACK_ALLOW_HOSTS: '127.0.0.1' };
let receiver: WebhookReceiver;
afterEach(() => receiver.close());

it('when the BFF stops while its callbacks hang at the receiver, then another BFF over the same database delivers them after the lease, and a de-duplicating receiver handles each webhook-id once', async () => {
  receiver = await startWebhookReceiver({ dedupe: true });
  const dbName = `t_cb_${randomBytes(6).toString('hex')}`;
  const first = await startStack({ env, dbName, keepDatabase: true });
  let second: Stack | undefined;
  try {
    const { party } = await registerParty(first, { callbackUrl: receiver.url });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await enqueueEvent(first, party.id));
    receiver.answer('hang', 'hang', 'hang', 'hang', 'hang');
    // The first BFF sends all five (eight at a time) and never hears back; then it is gone.
    const running = runOutbox(first).catch(() => -1);
    await receiver.waitFor(5);
    await first.stop();

    second = await startStack({ env, dbName, startAt: first.clock.now() });
    // The leases of the stopped BFF still hold: nothing is sent again yet.
    expect(await runOutbox(second)).toBe(0);
    expect(receiver.requests).toHaveLength(5);
    second.clock.advance(10 * 60 * 1000);
    expect(await runOutbox(second)).toBe(5);
    expect(await runOutbox(second)).toBe(0);

    expect(receiver.requests).toHaveLength(10);
    expect([...receiver.handled].sort()).toEqual([...ids].sort());
    expect(receiver.requests.slice(5).every((r) => r.answered === 200)).toBe(true);
    receiver.release();
    await running;
  } finally {
    await second?.stop();
  }
});

it('when two BFF instances run one outbox with 50 events, then the receiver gets each webhook-id exactly once', async () => {
  receiver = await startWebhookReceiver({ latencyMs: 20 });
  const stack = await startStack({ env });
  try {
    const other = createServices(stack.deps);
    const { party } = await registerParty(stack, { callbackUrl: receiver.url });
    const ids = await Promise.all(Array.from({ length: 50 }, () => enqueueEvent(stack, party.id)));
    const counts = { one: 0, two: 0 };
    while (counts.one + counts.two < 50) {
      const [a, b] = await Promise.all([runOutbox(stack), runOutbox({ services: other })]);
      if (a + b === 0) break;
      counts.one += a;
      counts.two += b;
    }
    expect(counts.one + counts.two).toBe(50);
    expect(counts.one).toBeGreaterThan(0);
    expect(counts.two).toBeGreaterThan(0);
    expect(receiver.requests).toHaveLength(50);
    expect(receiver.requests.map((r) => r.id).sort()).toEqual([...ids].sort());
    // No attempt ran twice: one recorded attempt per event, all answered 200.
    const token = await supervisorToken(stack);
    const attempts = await Promise.all(ids.map((id) => attemptsOf(stack, token, id)));
    expect(attempts.map((a) => a.map((x) => [x.attempt, x.status]))).toEqual(ids.map(() => [[1, 200]]));
    await other.stop();
  } finally {
    await stack.stop();
  }
});
