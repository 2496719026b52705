import { createMemoryTerminalStore, createReplayMemory } from '@eid/shared';

const T0 = Date.UTC(2026, 10, 24, 2, 0, 0);

function clockAt(start: number) {
  let now = start;
  return { now: () => now, set: (ms: number) => (now = ms) };
}

describe('the replay memory', () => {
  it('when a code is offered twice, then only the first sight is accepted and other codes are unaffected', async () => {
    const memory = createReplayMemory(createMemoryTerminalStore(), clockAt(T0));
    await memory.load();
    expect(await memory.firstSight('digest-a', T0 + 60_000)).toBe(true);
    expect(await memory.firstSight('digest-a', T0 + 60_000)).toBe(false);
    expect(await memory.firstSight('digest-b', T0 + 60_000)).toBe(true);
  });

  it('when the page reloads (a new memory over the same store), then a code seen before is still refused', async () => {
    const store = createMemoryTerminalStore();
    const clock = clockAt(T0);
    expect(await createReplayMemory(store, clock).firstSight('digest-a', T0 + 60_000)).toBe(true);
    const reloaded = createReplayMemory(store, clock);
    await reloaded.load();
    expect(await reloaded.firstSight('digest-a', T0 + 60_000)).toBe(false);
  });

  it('when the code has expired, then the memory forgets it (and keeps the ones still live)', async () => {
    const store = createMemoryTerminalStore();
    const clock = clockAt(T0);
    const memory = createReplayMemory(store, clock);
    await memory.firstSight('digest-a', T0 + 60_000);
    await memory.firstSight('digest-b', T0 + 120_000);
    clock.set(T0 + 59_999);
    expect(await memory.firstSight('digest-a', T0 + 60_000)).toBe(false);
    clock.set(T0 + 60_000);
    expect(await memory.firstSight('digest-x', T0 + 120_000)).toBe(true);
    const stored = JSON.parse((await store.get('replay.seen'))!) as Record<string, number>;
    expect(Object.keys(stored).sort()).toEqual(['digest-b', 'digest-x']);
    expect(await createReplayMemory(store, clock).firstSight('digest-a', T0 + 120_000)).toBe(true);
    expect(await createReplayMemory(store, clock).firstSight('digest-b', T0 + 120_000)).toBe(false);
  });

  it('when the same code is offered twice at once, then exactly one sight is accepted', async () => {
    const memory = createReplayMemory(createMemoryTerminalStore(), clockAt(T0));
    const sights = await Promise.all(Array.from({ length: 5 }, () => memory.firstSight('d', T0 + 60_000)));
    expect(sights.filter(Boolean)).toHaveLength(1);
  });
});
