import type { Connection } from 'mongoose';
import { manualClock } from '@eid/bff/infra/clock';
import { createReplayStore } from '@eid/bff/infra/replay-store';
import { testDatabase } from '../../helpers/database';

describe('replay store', () => {
  const database = testDatabase();
  const clock = manualClock(Date.now());
  let dbA: Connection;
  let a: ReturnType<typeof createReplayStore>;
  let b: ReturnType<typeof createReplayStore>;

  beforeAll(async () => {
    dbA = await database.connect();
    a = createReplayStore(dbA, clock);
    b = createReplayStore(await database.connect(), clock);
  });
  afterAll(() => database.drop());

  it('when an id is seen, then it is unique the first time and not after', async () => {
    const exp = clock.now() + 60_000;
    expect(await a.unique('jti', 'one', exp)).toBe(true);
    expect(await a.unique('jti', 'one', exp)).toBe(false);
    expect(await a.unique('jti', 'one', exp)).toBe(false);
  });

  it('when the same id comes in another scope, then it is unique there too', async () => {
    const exp = clock.now() + 60_000;
    expect(await a.unique('scope-a', 'shared', exp)).toBe(true);
    expect(await a.unique('scope-b', 'shared', exp)).toBe(true);
  });

  it('when two processes see one id, also at the same moment, then exactly one gets true', async () => {
    const exp = clock.now() + 60_000;
    expect(await a.unique('jti', 'two', exp)).toBe(true);
    expect(await b.unique('jti', 'two', exp)).toBe(false);
    const racing = await Promise.all(
      Array.from({ length: 8 }, (_, i) => (i % 2 ? a : b).unique('jti', 'race', exp)),
    );
    expect(racing.filter(Boolean)).toHaveLength(1);
  });

  it('when an entry has expired but is not yet swept, then it may be used again, once', async () => {
    expect(await a.unique('jti', 'old', clock.now() + 1_000)).toBe(true);
    clock.advance(999);
    expect(await b.unique('jti', 'old', clock.now() + 1_000)).toBe(false);
    clock.advance(1);
    const again = await Promise.all([
      a.unique('jti', 'old', clock.now() + 1_000),
      b.unique('jti', 'old', clock.now() + 1_000),
    ]);
    expect(again.sort()).toEqual([false, true]);
    expect(await a.unique('jti', 'old', clock.now() + 1_000)).toBe(false);
  });

  it('when entries are stored, then the database sweeps them by a TTL index on expiresAt', async () => {
    const indexes = await dbA.collection('replays').indexes();
    expect(indexes.find((i) => i.key.expiresAt === 1)?.expireAfterSeconds).toBe(0);
    expect(indexes.find((i) => i.key.scope === 1 && i.key.id === 1)?.unique).toBe(true);
  });
});
