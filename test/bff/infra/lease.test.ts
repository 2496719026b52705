import type { Connection } from 'mongoose';
import { manualClock } from '@eid/bff/infra/clock';
import { createLeases } from '@eid/bff/infra/lease';
import { testDatabase } from '../../helpers/database';

describe('leases', () => {
  const database = testDatabase();
  const clock = manualClock(Date.now());
  let a: ReturnType<typeof createLeases>;
  let b: ReturnType<typeof createLeases>;
  let dbA: Connection;

  beforeAll(async () => {
    // Two connections: two BFF processes on one database.
    dbA = await database.connect();
    a = createLeases(dbA, clock);
    b = createLeases(await database.connect(), clock);
  });
  afterAll(() => database.drop());

  it('when one holder has a lease, then another cannot take it, also when both try at once', async () => {
    const results = await Promise.all([
      a.acquire('race', 'p1', 60_000),
      b.acquire('race', 'p2', 60_000),
      b.acquire('race', 'p3', 60_000),
    ]);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await a.acquire('exclusive', 'p1', 60_000)).toBe(true);
    expect(await b.acquire('exclusive', 'p2', 60_000)).toBe(false);
  });

  it('when the holder renews before expiry, then the lease lasts from the renewal', async () => {
    expect(await a.acquire('renew', 'p1', 60_000)).toBe(true);
    clock.advance(50_000);
    expect(await a.acquire('renew', 'p1', 60_000)).toBe(true);
    clock.advance(50_000);
    // 100 s after the first take, but only 50 s after the renewal.
    expect(await b.acquire('renew', 'p2', 60_000)).toBe(false);
  });

  it('when a holder stops renewing, then another takes over after expiry, and the first is then refused', async () => {
    expect(await a.acquire('crash', 'p1', 60_000)).toBe(true);
    clock.advance(59_999);
    expect(await b.acquire('crash', 'p2', 60_000)).toBe(false);
    clock.advance(1);
    expect(await b.acquire('crash', 'p2', 60_000)).toBe(true);
    expect(await a.acquire('crash', 'p1', 60_000)).toBe(false);
  });

  it('when the holder releases, then another takes it at once; a release by a non-holder changes nothing', async () => {
    expect(await a.acquire('release', 'p1', 60_000)).toBe(true);
    await b.release('release', 'p2');
    expect(await b.acquire('release', 'p2', 60_000)).toBe(false);
    await a.release('release', 'p1');
    expect(await b.acquire('release', 'p2', 60_000)).toBe(true);
  });

  it("when a lease is written, then it has the card module's document shape in `leases`", async () => {
    await a.acquire('shape', 'p1', 1_000);
    const doc = await dbA.collection('leases').findOne({ _id: 'shape' as never });
    expect(doc).toEqual({ _id: 'shape', holder: 'p1', until: new Date(clock.now() + 1_000) });
  });
});
