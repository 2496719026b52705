import { createUsageRepository } from '@eid/bff/modules/usage/usage.repository';
import { createUsageService, verifyAllChains } from '@eid/bff/modules/usage/usage.service';
import type { UsageEventInput } from '@eid/bff/modules/usage/usage.types';
import { createServices } from '@eid/bff/app';
import { startStack, type Stack } from '../../helpers/stack';

function verifyEvent(residentId: string, n: number): UsageEventInput {
  return {
    residentId,
    actor: { type: 'staff', id: 'staff-1', displayName: '历下分局 窗口 3', org: '济南市公安局历下分局' },
    action: 'card.verify',
    fields: [],
    purpose: 'hotel_check_in',
    result: 'denied',
    detail: { verdict: 'replayed', n },
  };
}

describe('usage: appends grouped across residents', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack.stop();
  });

  /** A fresh usage service over the same database, as another BFF process has. */
  const service = () => createServices(stack.deps).usage;
  const heads = () => stack.deps.db.collection<{ _id: string; seq: number }>('usage_heads');

  it('when many residents record at once, then every chain holds, is complete and its head names its last link', async () => {
    const usage = service();
    const residents = Array.from({ length: 7 }, (_, i) => `group-a-${i}`);
    const events = Array.from({ length: 140 }, (_, n) => verifyEvent(residents[n % residents.length]!, n));
    await Promise.all(events.map((e) => usage.record(e)));
    await usage.flushHeads();

    const report = await verifyAllChains(createUsageRepository(stack.deps.db), stack.deps.keys);
    expect(report.broken).toEqual([]);
    for (const residentId of residents) {
      expect(await heads().findOne({ _id: residentId })).toMatchObject({ seq: 20 });
      const order = await stack.deps.db
        .collection('usage_events')
        .find({ residentId })
        .sort({ seq: 1 })
        .map((d) => (d.detail as { n: number }).n)
        .toArray();
      // One resident's events land in the order they were recorded.
      expect(order).toEqual([...order].sort((a, b) => a - b));
    }
  });

  it('when two processes with stale tail caches record for the same residents at once, then every chain still holds', async () => {
    const [one, two] = [service(), service()];
    const residents = Array.from({ length: 5 }, (_, i) => `group-b-${i}`);
    // Each side warms its tail cache first, so that the other's appends make it stale.
    await Promise.all(residents.map((r) => one.record(verifyEvent(r, -1))));
    await Promise.all(residents.map((r) => two.record(verifyEvent(r, -2))));
    const rounds = Array.from({ length: 60 }, (_, n) =>
      (n % 2 ? one : two).record(verifyEvent(residents[n % residents.length]!, n)),
    );
    await Promise.all(rounds);
    await Promise.all([one.flushHeads(), two.flushHeads()]);

    const report = await verifyAllChains(createUsageRepository(stack.deps.db), stack.deps.keys);
    expect(report.broken).toEqual([]);
    const counts = await Promise.all(
      residents.map((residentId) => stack.deps.db.collection('usage_events').countDocuments({ residentId })),
    );
    expect(counts).toEqual(residents.map(() => 14));
    for (const residentId of residents)
      expect(await heads().findOne({ _id: residentId })).toMatchObject({ seq: 14 });
  });

  it('when one resident of a batch cannot be written, then the events of the others are still recorded', async () => {
    const repo = createUsageRepository(stack.deps.db);
    const failing = 'group-c-failing';
    const usage = createUsageService({
      repo: {
        ...repo,
        // A chain whose tail cannot be read: its events fail, the rest of the batch goes on.
        tail: (residentId) =>
          residentId === failing ? Promise.reject(new Error('tail unreadable')) : repo.tail(residentId),
      },
      keys: stack.deps.keys,
      clock: stack.clock,
      logger: stack.deps.logger,
    });
    const settled = await Promise.allSettled([
      usage.record(verifyEvent('group-c-ok', 1)),
      usage.record(verifyEvent(failing, 2)),
    ]);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected']);
    expect(await stack.deps.db.collection('usage_events').countDocuments({ residentId: 'group-c-ok' })).toBe(
      1,
    );
  });

  it('when heads cannot be moved, then events are still recorded and the heads are retried a few times, then left behind', async () => {
    const repo = createUsageRepository(stack.deps.db);
    let moves = 0;
    const usage = createUsageService({
      repo: {
        ...repo,
        moveHeads: () => {
          moves += 1;
          return Promise.reject(Object.assign(new Error('not primary'), { code: 10107 }));
        },
      },
      keys: stack.deps.keys,
      clock: stack.clock,
      logger: stack.deps.logger,
    });
    await usage.record(verifyEvent('group-d-heads', 1));
    // Each flush is one attempt while heads are still due; the first plus five retries, then none.
    for (let i = 0; i < 8; i += 1) await usage.flushHeads();
    expect(moves).toBe(6);
    expect(stack.logs.some((l) => l.includes('"usage heads left behind"'))).toBe(true);
    expect(
      await stack.deps.db.collection('usage_events').countDocuments({ residentId: 'group-d-heads' }),
    ).toBe(1);
  });
});
