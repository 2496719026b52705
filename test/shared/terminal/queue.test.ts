import {
  AppError,
  createMemoryTerminalStore,
  createOfflineQueue,
  OFFLINE_QUEUE_LIMIT,
  type OfflineCheck,
} from '@eid/shared';

const T0 = Date.UTC(2026, 10, 24, 2, 0, 0);

function clockAt(start: number) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

const check = (id: string, checkedAt = T0): OfflineCheck => ({
  id,
  code: `EID1:code-of-${id}`,
  purpose: 'hotel_check_in',
  terminalId: 't-1',
  checkedAt,
  verdict: 'valid',
});

describe('the offline queue', () => {
  it('when checks are added, then pending gives them oldest first and size counts them', async () => {
    const queue = createOfflineQueue(createMemoryTerminalStore(), clockAt(T0));
    for (const id of ['a', 'b', 'c']) await queue.add(check(id));
    expect((await queue.pending()).map((c) => c.id)).toEqual(['a', 'b', 'c']);
    expect(await queue.size()).toBe(3);
    expect(queue.limit).toBe(OFFLINE_QUEUE_LIMIT);
  });

  it('when the page reloads (a new queue over the same store), then every check is still there, in order, intact', async () => {
    const store = createMemoryTerminalStore();
    const clock = clockAt(T0);
    const before = createOfflineQueue(store, clock);
    await before.add(check('a'));
    await before.add(check('b', T0 + 1000));
    const after = createOfflineQueue(store, clock);
    expect(await after.pending()).toEqual([check('a'), check('b', T0 + 1000)]);
    await after.add(check('c'));
    expect((await createOfflineQueue(store, clock).pending()).map((c) => c.id)).toEqual(['a', 'b', 'c']);
  });

  it('when the queue is full, then add refuses with OFFLINE_QUEUE_FULL and its limit, and keeps what it had', async () => {
    const queue = createOfflineQueue(createMemoryTerminalStore(), clockAt(T0), { limit: 2 });
    await queue.add(check('a'));
    await queue.add(check('b'));
    const refused = await queue.add(check('c')).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({ code: 'OFFLINE_QUEUE_FULL', details: { limit: 2 } });
    expect((await queue.pending()).map((c) => c.id)).toEqual(['a', 'b']);
    await queue.markUploaded(['a']);
    await queue.add(check('c'));
    expect((await queue.pending()).map((c) => c.id)).toEqual(['b', 'c']);
  });

  it('when some checks are marked uploaded, then only those leave, unknown ids change nothing, and their items are deleted', async () => {
    const store = createMemoryTerminalStore();
    const queue = createOfflineQueue(store, clockAt(T0));
    for (const id of ['a', 'b', 'c', 'd']) await queue.add(check(id));
    await queue.markUploaded(['b', 'd', 'not-queued']);
    expect((await queue.pending()).map((c) => c.id)).toEqual(['a', 'c']);
    expect(
      store
        .keys()
        .filter((k) => k.startsWith('queue.item.'))
        .sort(),
    ).toEqual(['queue.item.a', 'queue.item.c']);
    await queue.markUploaded(['not-queued']);
    expect(await createOfflineQueue(store, clockAt(T0)).size()).toBe(2);
  });

  it('when the same check is added twice, then it is queued once', async () => {
    const queue = createOfflineQueue(createMemoryTerminalStore(), clockAt(T0));
    await queue.add(check('a'));
    await queue.add(check('a'));
    expect(await queue.size()).toBe(1);
  });

  it('when many adds overlap, then none is lost and they keep the order they were called in', async () => {
    const queue = createOfflineQueue(createMemoryTerminalStore(), clockAt(T0));
    const ids = Array.from({ length: 40 }, (_, i) => `c${i}`);
    await Promise.all([...ids.map((id) => queue.add(check(id))), queue.markUploaded(['c3'])]);
    expect((await queue.pending()).map((c) => c.id)).toEqual(ids.filter((id) => id !== 'c3'));
  });

  it('when time passes, then oldestAgeMs says how long the oldest check has waited (null when empty)', async () => {
    const clock = clockAt(T0);
    const queue = createOfflineQueue(createMemoryTerminalStore(), clock);
    expect(await queue.oldestAgeMs()).toBeNull();
    await queue.add(check('a'));
    clock.advance(90_000);
    await queue.add(check('b'));
    clock.advance(10_000);
    expect(await queue.oldestAgeMs()).toBe(100_000);
    await queue.markUploaded(['a']);
    expect(await queue.oldestAgeMs()).toBe(10_000);
  });

  it('when the stored index is not JSON (a damaged store), then the queue starts empty instead of failing every scan', async () => {
    const store = createMemoryTerminalStore();
    await store.set('queue.index', '{not json');
    const queue = createOfflineQueue(store, clockAt(T0));
    expect(await queue.pending()).toEqual([]);
    await queue.add(check('a'));
    expect(await queue.size()).toBe(1);
  });
});
