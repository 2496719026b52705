import { Writable } from 'node:stream';
import type { Connection } from 'mongoose';
import { manualClock } from '@eid/bff/infra/clock';
import { createLogger } from '@eid/bff/infra/logger';
import {
  createOutbox,
  GiveUp,
  RetryAt,
  type OutboxDeadDoc,
  type OutboxDoc,
  type OutboxOptions,
} from '@eid/bff/infra/outbox';
import { testDatabase } from '../../helpers/database';

/** Retry schedules, dead letters and redelivery of the outbox (issue 16 callbacks), on a real database. */
describe('outbox retry schedule and dead letters', () => {
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
  let db: Connection;
  let topicSeq = 0;
  const freshTopic = () => `retry-${++topicSeq}`;
  const outboxOn = (opts: Partial<OutboxOptions> = {}) =>
    createOutbox({ db, clock, logger, leaseMs: 60_000, backoffMs: 1_000, ...opts });
  const live = (topic: string, key: string) => db.collection<OutboxDoc>('outbox').findOne({ topic, key });
  const deadIn = (topic: string) => db.collection<OutboxDeadDoc>('outbox_dead').find({ topic }).toArray();
  // A fixed jitter of a tenth, so due times are exact.
  const tenth = (d: number) => d / 10;

  beforeAll(async () => {
    db = await database.connect();
  });
  afterAll(() => database.drop());

  it('runs attempt n+1 after retryDelaysMs[n] plus jitter, records lastError, and dead-letters after the last attempt', async () => {
    const topic = freshTopic();
    const outbox = outboxOn();
    const attempts: number[] = [];
    outbox.handle(
      topic,
      async (e) => {
        attempts.push(e.attempts);
        throw new Error(`http 500 on attempt ${e.attempts} ${'x'.repeat(300)}`);
      },
      { retryDelaysMs: [0, 5_000, 60_000], jitter: tenth },
    );
    const createdAt = clock.now();
    await outbox.enqueue({ topic, key: 'e1', payload: { id: 'msg_1' } });

    expect(await outbox.runDue()).toBe(0);
    let doc = await live(topic, 'e1');
    expect(doc?.dueAt).toEqual(new Date(clock.now() + 5_500));
    expect(doc?.lastError).toHaveLength(200);
    expect(doc?.lastError).toMatch(/^http 500 on attempt 1 x+$/);

    clock.advance(5_499);
    expect(await outbox.runDue()).toBe(0);
    expect(attempts).toEqual([1]);
    clock.advance(1);
    expect(await outbox.runDue()).toBe(0);
    doc = await live(topic, 'e1');
    expect(doc?.dueAt).toEqual(new Date(clock.now() + 66_000));
    expect(doc?.lastError).toMatch(/^http 500 on attempt 2 /);

    clock.advance(66_000);
    expect(await outbox.runDue()).toBe(0);
    expect(attempts).toEqual([1, 2, 3]);
    expect(await live(topic, 'e1')).toBeNull();
    const dead = await outbox.dead(topic);
    expect(dead).toHaveLength(1);
    expect(dead[0]).toMatchObject({
      topic,
      key: 'e1',
      payload: { id: 'msg_1' },
      attempts: 3,
      reason: 'exhausted',
      deadAt: new Date(clock.now()),
      createdAt: new Date(createdAt),
    });
    expect(dead[0]!.lastError).toMatch(/^http 500 on attempt 3 /);
    expect(dead[0]!.lastError).toHaveLength(200);
    // Nothing runs any more, however long we wait.
    clock.advance(365 * 86_400_000);
    expect(await outbox.runDue()).toBe(0);
    expect(attempts).toEqual([1, 2, 3]);
    expect(logs.some((l) => l.includes('outbox event dead-lettered') && l.includes(topic))).toBe(true);
  });

  it('the default jitter adds 0 to 10 % of the delay', async () => {
    const topic = freshTopic();
    const outbox = outboxOn();
    outbox.handle(
      topic,
      async () => {
        throw new Error('down');
      },
      { retryDelaysMs: [0, 100_000] },
    );
    const keys = Array.from({ length: 20 }, (_, i) => `j${i}`);
    for (const key of keys) await outbox.enqueue({ topic, key, payload: {} });
    await outbox.runDue();
    const waits = (await db.collection<OutboxDoc>('outbox').find({ topic }).toArray()).map(
      (d) => d.dueAt.getTime() - clock.now(),
    );
    expect(waits).toHaveLength(20);
    for (const wait of waits) {
      expect(wait).toBeGreaterThanOrEqual(100_000);
      expect(wait).toBeLessThanOrEqual(110_000);
    }
  });

  it('RetryAt fixes the next attempt time, still counts as an attempt, and still dead-letters when exhausted', async () => {
    const topic = freshTopic();
    const outbox = outboxOn();
    const attempts: number[] = [];
    const oneHour = 3_600_000;
    outbox.handle(
      topic,
      async (e) => {
        attempts.push(e.attempts);
        throw new RetryAt(clock.now() + oneHour, 'http 503 retry-after 3600');
      },
      { retryDelaysMs: [0, 1_000, 1_000], jitter: () => 0 },
    );
    await outbox.enqueue({ topic, key: 'busy', payload: {} });
    expect(await outbox.runDue()).toBe(0);
    expect((await live(topic, 'busy'))?.dueAt).toEqual(new Date(clock.now() + oneHour));
    expect((await live(topic, 'busy'))?.lastError).toBe('http 503 retry-after 3600');
    // The schedule's 1 s does not apply.
    clock.advance(1_000);
    expect(await outbox.runDue()).toBe(0);
    expect(attempts).toEqual([1]);
    clock.advance(oneHour - 1_000);
    await outbox.runDue();
    clock.advance(oneHour);
    await outbox.runDue();
    expect(attempts).toEqual([1, 2, 3]);
    expect(await live(topic, 'busy')).toBeNull();
    expect(await outbox.dead(topic)).toMatchObject([
      { key: 'busy', attempts: 3, reason: 'exhausted', lastError: 'http 503 retry-after 3600' },
    ]);
  });

  it('a RetryAt in the past makes the event due now', async () => {
    const topic = freshTopic();
    const outbox = outboxOn();
    let calls = 0;
    outbox.handle(topic, async () => {
      calls += 1;
      if (calls === 1) throw new RetryAt(clock.now() - 10_000);
    });
    await outbox.enqueue({ topic, key: 'past', payload: {} });
    expect(await outbox.runDue(1)).toBe(0);
    expect((await live(topic, 'past'))?.dueAt).toEqual(new Date(clock.now()));
    expect(await outbox.runDue()).toBe(1);
    expect(calls).toBe(2);
  });

  it('GiveUp dead-letters at once with its reason, also through deliver (which rethrows it)', async () => {
    const topic = freshTopic();
    const outbox = outboxOn();
    outbox.handle(
      topic,
      async () => {
        throw new GiveUp('endpoint_disabled');
      },
      { retryDelaysMs: [0, 1_000, 1_000] },
    );
    await outbox.enqueue({ topic, key: 'g1', payload: { n: 1 } });
    // Due later: only deliver runs it.
    await outbox.enqueue({ topic, key: 'g2', payload: { n: 2 }, dueAt: clock.now() + 3_600_000 });
    expect(await outbox.runDue(1)).toBe(0);
    await expect(outbox.deliver(topic, 'g2')).rejects.toBeInstanceOf(GiveUp);
    expect(await live(topic, 'g1')).toBeNull();
    expect(await live(topic, 'g2')).toBeNull();
    const dead = await outbox.dead(topic);
    expect(dead.map((d) => [d.key, d.attempts, d.reason, d.lastError]).sort()).toEqual([
      ['g1', 1, 'endpoint_disabled', 'endpoint_disabled'],
      ['g2', 1, 'endpoint_disabled', 'endpoint_disabled'],
    ]);
  });

  it('a topic without options keeps its doubling backoff forever, records lastError, and honours GiveUp', async () => {
    const topic = freshTopic();
    const outbox = outboxOn();
    outbox.handle(topic, async (e) => {
      if (e.key === 'stop') throw new GiveUp('not_wanted');
      throw new Error(`failure ${e.attempts}`);
    });
    await outbox.enqueue({ topic, key: 'forever', payload: {} });
    for (let i = 0; i < 12; i++) {
      await outbox.runDue();
      clock.advance(15 * 60_000);
    }
    expect(await live(topic, 'forever')).toMatchObject({ attempts: 12, lastError: 'failure 12' });
    await outbox.enqueue({ topic, key: 'stop', payload: {} });
    await outbox.runDue();
    expect((await outbox.dead(topic)).map((d) => [d.key, d.reason])).toEqual([['stop', 'not_wanted']]);
  });

  it('redeliver moves a dead event back with attempts 0, due now, and the handler sees attempt 1 again', async () => {
    const topic = freshTopic();
    const outbox = outboxOn();
    let failing = true;
    const seen: [string, number, unknown][] = [];
    outbox.handle(
      topic,
      async (e) => {
        seen.push([e.key, e.attempts, e.payload]);
        if (failing) throw new Error('receiver down');
      },
      { retryDelaysMs: [0], jitter: () => 0 },
    );
    await outbox.enqueue({ topic, key: 'r1', payload: { id: 'msg_r1' } });
    await outbox.runDue();
    const [dead] = await outbox.dead(topic);
    expect(dead).toMatchObject({ key: 'r1', attempts: 1, reason: 'exhausted' });

    clock.advance(86_400_000);
    expect(await outbox.redeliver(topic, 'r1')).toBe(true);
    expect(await outbox.dead(topic)).toEqual([]);
    const back = await live(topic, 'r1');
    expect(back).toMatchObject({ attempts: 0, dueAt: new Date(clock.now()), payload: { id: 'msg_r1' } });
    expect(back?._id).toEqual(dead!._id);
    expect(back?.createdAt).toEqual(dead!.createdAt);

    failing = false;
    expect(await outbox.runDue()).toBe(1);
    expect(seen).toEqual([
      ['r1', 1, { id: 'msg_r1' }],
      ['r1', 1, { id: 'msg_r1' }],
    ]);
    expect(await live(topic, 'r1')).toBeNull();
    expect(await outbox.redeliver(topic, 'r1')).toBe(false);
    expect(await outbox.redeliver(topic, 'never-was')).toBe(false);
    expect(await outbox.redeliver(freshTopic(), 'r1')).toBe(false);
  });

  it('redeliver leaves the event dead when a live event holds its key', async () => {
    const topic = freshTopic();
    const outbox = outboxOn();
    outbox.handle(
      topic,
      async () => {
        throw new GiveUp('gone');
      },
      { retryDelaysMs: [0] },
    );
    await outbox.enqueue({ topic, key: 'k', payload: { n: 1 } });
    await outbox.runDue();
    // The key is free again once the first event died: a new one takes it.
    await outbox.enqueue({ topic, key: 'k', payload: { n: 2 }, dueAt: clock.now() + 3_600_000 });
    expect(await outbox.redeliver(topic, 'k')).toBe(false);
    expect((await outbox.dead(topic)).map((d) => d.payload)).toEqual([{ n: 1 }]);
    expect((await live(topic, 'k'))?.payload).toEqual({ n: 2 });
  });

  it('dead lists one topic, newest first, at most limit', async () => {
    const topic = freshTopic();
    const other = freshTopic();
    const outbox = outboxOn();
    const give = async () => {
      throw new GiveUp('stop');
    };
    outbox.handle(topic, give);
    outbox.handle(other, give);
    for (const key of ['a', 'b', 'c']) {
      await outbox.enqueue({ topic, key, payload: {} });
      await outbox.deliver(topic, key).catch(() => undefined);
      clock.advance(1_000);
    }
    await outbox.enqueue({ topic: other, key: 'z', payload: {} });
    await outbox.runDue();
    expect((await outbox.dead(topic)).map((d) => d.key)).toEqual(['c', 'b', 'a']);
    expect((await outbox.dead(topic, { limit: 2 })).map((d) => d.key)).toEqual(['c', 'b']);
    expect((await outbox.dead(other)).map((d) => d.key)).toEqual(['z']);
  });

  it('after a crash between writing the dead copy and deleting the live one, the next run dead-letters it once', async () => {
    const topic = freshTopic();
    const outbox = outboxOn();
    let runs = 0;
    outbox.handle(
      topic,
      async () => {
        runs += 1;
        throw new Error(`failure ${runs}`);
      },
      { retryDelaysMs: [0], jitter: () => 0 },
    );
    await outbox.enqueue({ topic, key: 'crash', payload: {} });
    const doc = (await live(topic, 'crash'))!;
    // The state a worker leaves when it dies right after writing the dead copy: both exist.
    await db.collection<OutboxDeadDoc>('outbox_dead').insertOne({
      _id: doc._id,
      topic,
      key: 'crash',
      payload: {},
      dueAt: doc.dueAt,
      attempts: 1,
      createdAt: doc.createdAt,
      lastError: 'failure 0',
      reason: 'exhausted',
      deadAt: new Date(clock.now()),
    });
    clock.advance(1_000);
    expect(await outbox.runDue()).toBe(0);
    expect(runs).toBe(1);
    expect(await live(topic, 'crash')).toBeNull();
    const dead = await deadIn(topic);
    expect(dead).toHaveLength(1);
    expect(dead[0]).toMatchObject({ lastError: 'failure 1', deadAt: new Date(clock.now()) });
  });
});
