import { Writable } from 'node:stream';
import type { Connection } from 'mongoose';
import { manualClock } from '@eid/bff/infra/clock';
import { createLogger } from '@eid/bff/infra/logger';
import { createOutbox, type OutboxEvent, type OutboxOptions } from '@eid/bff/infra/outbox';
import { testDatabase } from '../../helpers/database';

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('outbox', () => {
  const database = testDatabase();
  const clock = manualClock(Date.now());
  const logs: string[] = [];
  const logger = createLogger(
    'info',
    new Writable({
      write(chunk: Buffer, _enc, done) {
        logs.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        done();
      },
    }),
  );
  // Two connections: two BFF processes on one database.
  let dbA: Connection;
  let dbB: Connection;
  let topicSeq = 0;
  const freshTopic = () => `topic-${++topicSeq}`;
  const outboxOn = (db: Connection, opts: Partial<OutboxOptions> = {}) =>
    createOutbox({ db, clock, logger, leaseMs: 60_000, backoffMs: 1_000, ...opts });
  const waiting = (topic: string) => dbA.collection('outbox').countDocuments({ topic });

  beforeAll(async () => {
    dbA = await database.connect();
    dbB = await database.connect();
  });
  afterAll(() => database.drop());

  it('when one key is enqueued twice, then it is stored and delivered once, with the first payload', async () => {
    const topic = freshTopic();
    const outbox = outboxOn(dbA);
    const seen: OutboxEvent[] = [];
    outbox.handle(topic, async (e) => void seen.push(e));
    await outbox.enqueue({ topic, key: 'r1', payload: { n: 1 } });
    await Promise.all([
      outbox.enqueue({ topic, key: 'r1', payload: { n: 2 } }),
      outboxOn(dbB).enqueue({ topic, key: 'r1', payload: { n: 3 } }),
    ]);
    await outbox.enqueue({ topic, key: 'r2', payload: { n: 4 } });
    expect(await waiting(topic)).toBe(2);
    expect(await outbox.runDue()).toBe(2);
    expect(seen.map((e) => [e.key, e.payload, e.attempts])).toEqual([
      ['r1', { n: 1 }, 1],
      ['r2', { n: 4 }, 1],
    ]);
    expect(await waiting(topic)).toBe(0);
    expect(await outbox.runDue()).toBe(0);
  });

  it('when an event is due later, then it runs only once the injected clock reaches its due time', async () => {
    const topic = freshTopic();
    const outbox = outboxOn(dbA);
    const seen: string[] = [];
    outbox.handle(topic, async (e) => void seen.push(e.key));
    const dueAt = clock.now() + 10_000;
    await outbox.enqueue({ topic, key: 'later', payload: {}, dueAt });
    expect(await outbox.runDue()).toBe(0);
    clock.advance(9_999);
    expect(await outbox.runDue()).toBe(0);
    expect(seen).toEqual([]);
    clock.advance(1);
    expect(await outbox.runDue()).toBe(1);
    expect(seen).toEqual(['later']);
  });

  it('when the handler fails, then the event is rescheduled with a doubling backoff until it succeeds', async () => {
    const topic = freshTopic();
    const outbox = outboxOn(dbA);
    const attempts: number[] = [];
    outbox.handle(topic, async (e) => {
      attempts.push(e.attempts);
      if (e.attempts < 3) throw new Error('upstream down');
    });
    await outbox.enqueue({ topic, key: 'flaky', payload: {} });
    const dueAt = async () => (await dbA.collection('outbox').findOne({ topic }))?.dueAt as Date;

    expect(await outbox.runDue()).toBe(0);
    expect(await dueAt()).toEqual(new Date(clock.now() + 1_000));
    expect(await outbox.runDue()).toBe(0);
    clock.advance(1_000);
    expect(await outbox.runDue()).toBe(0);
    expect(await dueAt()).toEqual(new Date(clock.now() + 2_000));
    clock.advance(1_999);
    expect(await outbox.runDue()).toBe(0);
    clock.advance(1);
    expect(await outbox.runDue()).toBe(1);
    expect(attempts).toEqual([1, 2, 3]);
    expect(await waiting(topic)).toBe(0);
    expect(logs.filter((l) => l.includes('outbox event failed') && l.includes(topic))).toHaveLength(2);
  });

  it('when two workers on two connections run at once, then every event runs exactly once and never twice at a time', async () => {
    const topic = freshTopic();
    const a = outboxOn(dbA);
    const b = outboxOn(dbB);
    const runs = new Map<string, number>();
    const inFlight = new Set<string>();
    let overlapped = false;
    let concurrent = 0;
    const handler = async (e: OutboxEvent) => {
      runs.set(e.key, (runs.get(e.key) ?? 0) + 1);
      if (inFlight.has(e.key)) overlapped = true;
      inFlight.add(e.key);
      concurrent = Math.max(concurrent, inFlight.size);
      await new Promise((r) => setImmediate(r));
      inFlight.delete(e.key);
    };
    a.handle(topic, handler);
    b.handle(topic, handler);
    const keys = Array.from({ length: 30 }, (_, i) => `k${i}`);
    for (const key of keys) await a.enqueue({ topic, key, payload: {} });
    const delivered = await Promise.all([a.runDue(), b.runDue(), a.runDue(), b.runDue()]);
    expect(delivered.reduce((x, y) => x + y, 0)).toBe(30);
    expect([...runs.keys()].sort()).toEqual([...keys].sort());
    expect([...runs.values()].every((n) => n === 1)).toBe(true);
    expect(overlapped).toBe(false);
    // The workers really ran side by side: otherwise the test would prove nothing about claiming.
    expect(concurrent).toBeGreaterThan(1);
  });

  it('when a worker crashes mid-run, then its lease expires and another worker runs the event', async () => {
    const topic = freshTopic();
    const a = outboxOn(dbA);
    const b = outboxOn(dbB);
    const started = deferred();
    const hang = deferred();
    a.handle(topic, async () => {
      started.resolve();
      await hang.promise;
    });
    const runsAtB: number[] = [];
    b.handle(topic, async (e) => void runsAtB.push(e.attempts));
    await a.enqueue({ topic, key: 'held', payload: {} });

    const runA = a.runDue();
    await started.promise;
    // A holds the lease: B leaves the event alone, even through deliver.
    expect(await b.runDue()).toBe(0);
    expect(await b.deliver(topic, 'held')).toBe(false);
    clock.advance(59_999);
    expect(await b.runDue()).toBe(0);
    clock.advance(1);
    expect(await b.runDue()).toBe(1);
    expect(runsAtB).toEqual([2]);
    expect(await waiting(topic)).toBe(0);

    // The stalled worker finishing late does not bring the event back or run it again.
    hang.resolve();
    await runA;
    expect(await waiting(topic)).toBe(0);
    expect(logs.some((l) => l.includes('outbox lease lost'))).toBe(true);
  });

  it('when an event is enqueued inside a transaction, then no worker sees it before commit, nor ever after an abort', async () => {
    const topic = freshTopic();
    const outbox = outboxOn(dbA);
    const other = outboxOn(dbB);
    const seen: string[] = [];
    other.handle(topic, async (e) => void seen.push(e.key));

    const session = await dbA.startSession();
    try {
      await session.withTransaction(async () => {
        await outbox.enqueue({ topic, key: 'committed', payload: {} }, { session });
        expect(await dbB.collection('outbox').countDocuments({ topic })).toBe(0);
        expect(await other.runDue()).toBe(0);
      });
      await expect(
        session.withTransaction(async () => {
          await outbox.enqueue({ topic, key: 'aborted', payload: {} }, { session });
          throw new Error('the change that needed it failed');
        }),
      ).rejects.toThrow('the change that needed it failed');
    } finally {
      await session.endSession();
    }
    expect(await dbB.collection('outbox').countDocuments({ topic })).toBe(1);
    expect(await other.runDue()).toBe(1);
    expect(seen).toEqual(['committed']);
  });

  it('when deliver is asked for one event, then it runs it now though not due, and rethrows a failure after rescheduling', async () => {
    const topic = freshTopic();
    const outbox = outboxOn(dbA);
    let fail = true;
    const seen: string[] = [];
    outbox.handle(topic, async (e) => {
      if (fail) throw new Error('hook failed');
      seen.push(e.key);
    });
    await outbox.enqueue({ topic, key: 'now', payload: {}, dueAt: clock.now() + 3_600_000 });
    await expect(outbox.deliver(topic, 'now')).rejects.toThrow('hook failed');
    expect(await waiting(topic)).toBe(1);
    fail = false;
    expect(await outbox.deliver(topic, 'now')).toBe(true);
    expect(seen).toEqual(['now']);
    expect(await outbox.deliver(topic, 'now')).toBe(false);
  });

  it('when a worker has no handler for a topic, then it leaves that topic’s events to the workers that do', async () => {
    const topic = freshTopic();
    const handles = outboxOn(dbA);
    const ignores = outboxOn(dbB);
    ignores.handle(freshTopic(), async () => undefined);
    const seen: string[] = [];
    handles.handle(topic, async (e) => void seen.push(e.key));
    await handles.enqueue({ topic, key: 'mine', payload: {} });
    expect(await ignores.runDue()).toBe(0);
    expect(await waiting(topic)).toBe(1);
    expect(await handles.runDue()).toBe(1);
    expect(seen).toEqual(['mine']);
  });

  it('when started, then due events are delivered without a call, and stop waits for the run in flight', async () => {
    const topic = freshTopic();
    const outbox = outboxOn(dbA);
    const ran = deferred<string>();
    outbox.handle(topic, async (e) => ran.resolve(e.key));
    await outbox.enqueue({ topic, key: 'timer', payload: {} });
    const stop = outbox.start(5);
    expect(await ran.promise).toBe('timer');
    await stop();
    expect(await waiting(topic)).toBe(0);
  });
});
