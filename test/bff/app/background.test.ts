import { createApp, createServices, type AppDeps } from '@eid/bff/app';
import { startBackgroundWork } from '@eid/bff/background';
import { startStack, type Stack } from '../../helpers/stack';

describe('background work: started by startBackgroundWork, never by building', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack.stop();
  });

  /** The stack's deps as production would have them: not 'test', the revocation check every second. */
  const productionLike = (): AppDeps => ({
    ...stack.deps,
    config: { ...stack.config, NODE_ENV: 'production', REVOCATION_CHECK_INTERVAL_S: 1 },
  });

  it('when services and an app are built, then no timer, interval or deferred call is pending', () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'queueMicrotask'] });
    try {
      const deps = productionLike();
      createApp(deps, createServices(deps));
      expect(jest.getTimerCount()).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });

  it('when background work is started, then its timers are pending until the stop function ends them', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'queueMicrotask', 'setImmediate'] });
    try {
      const stop = startBackgroundWork(createServices(productionLike()));
      // The revocation check's interval, the outbox worker's, the document-call sweep's, the licence
      // change feed's, the consent sweep's, the audit checkpoints' and the retention sweep's.
      expect(jest.getTimerCount()).toBe(7);
      await stop();
      expect(jest.getTimerCount()).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });

  /** Waits for a log line of `msg` (the revocation check's interval is a real second). */
  async function logged(msg: string, timeoutMs = 15_000): Promise<boolean> {
    for (const start = Date.now(); Date.now() - start < timeoutMs;) {
      if (stack.logs.some((line) => (JSON.parse(line) as { msg?: string }).msg === msg)) return true;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return false;
  }

  it('when background work starts, then hooks a crash left pending are finished and the revocation check runs', async () => {
    const enrollments = stack.deps.db.collection<{ _id: string }>('enrollments');
    // What a crash between erasing an identity and running its hooks leaves behind.
    await enrollments.insertOne({
      _id: 'crashed-before-hooks',
      state: 'new',
      pendingHook: 'consent_withdrawn',
      createdAt: new Date(stack.clock.now()),
      updatedAt: new Date(stack.clock.now()),
    } as never);
    const services = createServices(productionLike());
    createApp(productionLike(), services);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await enrollments.findOne({ _id: 'crashed-before-hooks' })).toHaveProperty('pendingHook');
    expect(stack.logs.join('\n')).not.toContain('revocation check done');

    const stop = startBackgroundWork(services);
    try {
      expect(await logged('revocation check done')).toBe(true);
    } finally {
      await stop();
    }
    expect(await enrollments.findOne({ _id: 'crashed-before-hooks' })).not.toHaveProperty('pendingHook');
    expect(stack.logs.join('\n')).toContain('identity hooks done');
  });

  it('when background work runs, then the outbox worker delivers a due event nobody delivered', async () => {
    const services = createServices(productionLike());
    const delivered: unknown[] = [];
    services.outbox.handle('test.background', async (event) => {
      delivered.push(event.payload);
    });
    await services.outbox.enqueue({ topic: 'test.background', key: 'left-by-a-crash', payload: { n: 1 } });
    const stop = startBackgroundWork(services, { outboxIntervalMs: 20 });
    try {
      for (const start = Date.now(); delivered.length === 0 && Date.now() - start < 15_000;)
        await new Promise((resolve) => setTimeout(resolve, 20));
    } finally {
      await stop();
    }
    expect(delivered).toEqual([{ n: 1 }]);
  });
});
