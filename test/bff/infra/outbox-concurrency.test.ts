import { Writable } from 'node:stream';
import type { Connection } from 'mongoose';
import { manualClock } from '@eid/bff/infra/clock';
import { createLogger } from '@eid/bff/infra/logger';
import {
  createOutbox,
  type OutboxDeadDoc,
  type OutboxEvent,
  type OutboxOptions,
} from '@eid/bff/infra/outbox';
import { testDatabase } from '../../helpers/database';

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Fails the test instead of hanging when `promise` never settles. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not happen`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** Per-topic concurrency of the outbox, over two connections (two processes) on one database. */
describe('outbox concurrency', () => {
  const database = testDatabase();
  const clock = manualClock(Date.UTC(2026, 10, 23, 8, 0, 0));
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
  let dbA: Connection;
  let dbB: Connection;
  let topicSeq = 0;
  const freshTopic = () => `conc-${++topicSeq}`;
  const outboxOn = (db: Connection, opts: Partial<OutboxOptions> = {}) =>
    createOutbox({ db, clock, logger, leaseMs: 60_000, backoffMs: 1_000, ...opts });
  const waiting = (topic: string) => dbA.collection('outbox').countDocuments({ topic });

  beforeAll(async () => {
    dbA = await database.connect();
    dbB = await database.connect();
  });
  afterAll(() => database.drop());

  it('a topic with concurrency 4 runs four events side by side, never more, while an old topic still runs one at a time', async () => {
    const topic = freshTopic();
    const serialTopic = freshTopic();
    const outbox = outboxOn(dbA);
    let inFlight = 0;
    let most = 0;
    let serialInFlight = 0;
    let serialMost = 0;
    // Each batch of four waits until all four are running: with fewer lanes the test fails (timeout).
    let batch = deferred();
    let arrived = 0;
    outbox.handle(
      topic,
      async () => {
        inFlight += 1;
        most = Math.max(most, inFlight);
        const mine = batch;
        arrived += 1;
        if (arrived === 4) {
          arrived = 0;
          batch = deferred();
          mine.resolve();
        }
        await mine.promise;
        inFlight -= 1;
      },
      { concurrency: 4 },
    );
    outbox.handle(serialTopic, async () => {
      serialInFlight += 1;
      serialMost = Math.max(serialMost, serialInFlight);
      await new Promise((r) => setImmediate(r));
      serialInFlight -= 1;
    });
    for (let i = 0; i < 12; i++) await outbox.enqueue({ topic, key: `c${i}`, payload: {} });
    for (let i = 0; i < 5; i++) await outbox.enqueue({ topic: serialTopic, key: `s${i}`, payload: {} });

    expect(await within(outbox.runDue(), 10_000, 'four side by side')).toBe(17);
    expect(most).toBe(4);
    expect(serialMost).toBe(1);
    expect(await waiting(topic)).toBe(0);
    expect(await waiting(serialTopic)).toBe(0);
  });

  it('runDue with a limit claims at most that many, across all lanes', async () => {
    const topic = freshTopic();
    const outbox = outboxOn(dbA);
    outbox.handle(topic, async () => undefined, { concurrency: 8 });
    for (let i = 0; i < 20; i++) await outbox.enqueue({ topic, key: `l${i}`, payload: {} });
    expect(await outbox.runDue(5)).toBe(5);
    expect(await waiting(topic)).toBe(15);
    expect(await outbox.runDue()).toBe(15);
  });

  it('two processes with concurrency 4 each never run one attempt twice, through failures and retries', async () => {
    const topic = freshTopic();
    const a = outboxOn(dbA);
    const b = outboxOn(dbB);
    const runs = new Map<string, number>();
    const inFlight = new Set<string>();
    let overlapped = false;
    let most = 0;
    const handler = async (e: OutboxEvent) => {
      const attempt = `${e.key}#${e.attempts}`;
      runs.set(attempt, (runs.get(attempt) ?? 0) + 1);
      if (inFlight.has(e.key)) overlapped = true;
      inFlight.add(e.key);
      most = Math.max(most, inFlight.size);
      await new Promise((r) => setTimeout(r, 5));
      inFlight.delete(e.key);
      // Every other event fails its first two attempts.
      if (Number(e.key.slice(1)) % 2 === 0 && e.attempts < 3) throw new Error('receiver down');
    };
    const opts = { retryDelaysMs: [0, 1_000, 1_000, 1_000], jitter: () => 0, concurrency: 4 };
    a.handle(topic, handler, opts);
    b.handle(topic, handler, opts);
    const keys = Array.from({ length: 40 }, (_, i) => `k${i}`);
    for (const key of keys) await a.enqueue({ topic, key, payload: {} });

    let delivered = 0;
    for (let round = 0; round < 3; round++) {
      const got = await Promise.all([a.runDue(), b.runDue(), a.runDue(), b.runDue()]);
      delivered += got.reduce((x, y) => x + y, 0);
      clock.advance(1_000);
    }
    expect(delivered).toBe(40);
    expect(await waiting(topic)).toBe(0);
    expect(overlapped).toBe(false);
    expect([...runs.values()].every((n) => n === 1)).toBe(true);
    // 20 events ran once, 20 ran three times.
    expect(runs.size).toBe(20 + 20 * 3);
    // The lanes really ran side by side, in both processes together.
    expect(most).toBeGreaterThan(4);
    expect(await a.dead(topic)).toEqual([]);
  });

  it('when a worker crashes mid-run, its lease expires, another worker runs the attempt once, and the late worker changes nothing', async () => {
    const topic = freshTopic();
    const a = outboxOn(dbA);
    const b = outboxOn(dbB);
    const started = deferred();
    const hang = deferred();
    const opts = { retryDelaysMs: [0, 1_000], jitter: () => 0, concurrency: 4 };
    a.handle(
      topic,
      async () => {
        started.resolve();
        await hang.promise;
      },
      opts,
    );
    const runsAtB: number[] = [];
    b.handle(
      topic,
      async (e) => {
        runsAtB.push(e.attempts);
        throw new Error('receiver down at B');
      },
      opts,
    );
    await a.enqueue({ topic, key: 'held', payload: { id: 'msg_held' } });

    const runA = a.runDue();
    await started.promise;
    expect(await b.runDue()).toBe(0);
    clock.advance(59_999);
    expect(await b.runDue()).toBe(0);
    expect(runsAtB).toEqual([]);
    // A's lease is over: B takes the event (attempt 2, the last of the schedule), fails, and buries it.
    clock.advance(1);
    expect(await b.runDue()).toBe(0);
    expect(runsAtB).toEqual([2]);
    expect(await waiting(topic)).toBe(0);

    // The stalled worker fails late: it neither brings the event back nor dead-letters it a second time.
    hang.reject(new Error('late failure at A'));
    expect(await runA).toBe(0);
    expect(await waiting(topic)).toBe(0);
    const dead = await dbA.collection<OutboxDeadDoc>('outbox_dead').find({ topic }).toArray();
    expect(dead).toHaveLength(1);
    expect(dead[0]).toMatchObject({ attempts: 2, reason: 'exhausted', lastError: 'receiver down at B' });
    clock.advance(86_400_000);
    expect(await a.runDue()).toBe(0);
    expect(await b.runDue()).toBe(0);
    expect(runsAtB).toEqual([2]);
    expect(logs.some((l) => l.includes('outbox lease lost'))).toBe(true);
  });

  it('a worker that stalls on its last attempt and finds the lease taken does not bury the event another worker delivered', async () => {
    const topic = freshTopic();
    const a = outboxOn(dbA);
    const b = outboxOn(dbB);
    const started = deferred();
    const hang = deferred();
    // One attempt only: A's failure would dead-letter at once, were the event still A's.
    const opts = { retryDelaysMs: [0], concurrency: 2 };
    a.handle(
      topic,
      async () => {
        started.resolve();
        await hang.promise;
        throw new Error('late failure at A');
      },
      opts,
    );
    const delivered: string[] = [];
    b.handle(topic, async (e) => void delivered.push(e.key), opts);
    await a.enqueue({ topic, key: 'once', payload: {} });
    const runA = a.runDue();
    await started.promise;
    clock.advance(60_000);
    expect(await b.runDue()).toBe(1);
    hang.resolve();
    await runA;
    expect(delivered).toEqual(['once']);
    expect(await waiting(topic)).toBe(0);
    expect(await a.dead(topic)).toEqual([]);
  });
});
