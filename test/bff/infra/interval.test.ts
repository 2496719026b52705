import { runEvery } from '@eid/bff/infra/interval';

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('runEvery: the one timer loop of background work', () => {
  it('when a run is still in flight, then later ticks start none, and stop waits for it', async () => {
    let calls = 0;
    let finish: () => void = () => undefined;
    const stop = runEvery(
      1,
      () => {
        calls += 1;
        return new Promise<void>((resolve) => (finish = resolve));
      },
      () => undefined,
    );
    while (calls === 0) await tick();
    for (let i = 0; i < 5; i++) await tick();
    expect(calls).toBe(1);

    let stopped = false;
    const stopping = stop().then(() => (stopped = true));
    await tick();
    expect(stopped).toBe(false);
    finish();
    await stopping;
    expect(stopped).toBe(true);
    // Stopped: no tick runs again.
    for (let i = 0; i < 5; i++) await tick();
    expect(calls).toBe(1);
  });

  it('when a run fails, then the error goes to onError and the next tick runs again', async () => {
    const errors: unknown[] = [];
    let calls = 0;
    const stop = runEvery(
      1,
      async () => {
        calls += 1;
        if (calls === 1) throw new Error('first run fails');
      },
      (err) => errors.push(err),
    );
    while (calls < 2) await tick();
    await stop();
    expect(errors).toEqual([new Error('first run fails')]);
  });
});
