import type { Connection } from 'mongoose';
import { manualClock } from '@eid/bff/infra/clock';
import { createCounters } from '@eid/bff/infra/counter';
import { testDatabase } from '../../helpers/database';

describe('fixed-window counters', () => {
  const database = testDatabase();
  // On a window boundary, so the test knows where each window ends.
  const start = Math.ceil(Date.now() / 60_000) * 60_000;
  const clock = manualClock(start);
  let dbA: Connection;
  let a: ReturnType<typeof createCounters>;
  let b: ReturnType<typeof createCounters>;

  beforeAll(async () => {
    dbA = await database.connect();
    a = createCounters(dbA, clock);
    b = createCounters(await database.connect(), clock);
  });
  afterAll(() => database.drop());

  it('when two processes count one key at once, then every hit is counted once', async () => {
    const counts = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).hit('k', 60_000)));
    expect(counts.map((c) => c.count).sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(new Set(counts.map((c) => c.resetAt))).toEqual(new Set([start + 60_000]));
  });

  it('when the window turns, then counting starts again; other keys count apart', async () => {
    clock.set(start + 59_999);
    expect(await a.hit('turn', 60_000)).toEqual({ count: 1, resetAt: start + 60_000 });
    expect(await a.hit('turn', 60_000)).toEqual({ count: 2, resetAt: start + 60_000 });
    expect((await a.hit('other', 60_000)).count).toBe(1);
    clock.set(start + 60_000);
    expect(await b.hit('turn', 60_000)).toEqual({ count: 1, resetAt: start + 120_000 });
  });

  it('when a window is counted, then its document in `rate_limits` expires at the window end', async () => {
    clock.set(start);
    await a.hit('shape', 60_000);
    const doc = await dbA.collection('rate_limits').findOne({ _id: `shape:${start}` as never });
    expect(doc).toEqual({ _id: `shape:${start}`, count: 1, expiresAt: new Date(start + 60_000) });
    const ttl = (await dbA.collection('rate_limits').indexes()).find((i) => i.key.expiresAt === 1);
    expect(ttl?.expireAfterSeconds).toBe(0);
  });
});
