import { ACTIVE_CACHE_MS } from '@eid/bff/modules/staff/staff.service';
import { groupCalls } from '@eid/bff/modules/verify/batch';
import { createServices } from '@eid/bff/app';
import { createUsageRepository } from '@eid/bff/modules/usage/usage.repository';
import { verifyAllChains } from '@eid/bff/modules/usage/usage.service';
import { startStack, type Stack } from '../../helpers/stack';
import { codeOf, holderWithCard, staffToken, type Holder } from '../../helpers/card-flow';

describe('verify: grouping concurrent calls', () => {
  it('when calls arrive in the same tick, then they go out as one run and each gets its own result', async () => {
    const runs: number[][] = [];
    const double = groupCalls(async (inputs: number[]) => {
      runs.push(inputs);
      return inputs.map((n) => n * 2);
    });
    expect(await Promise.all([1, 2, 3].map(double))).toEqual([2, 4, 6]);
    expect(runs).toEqual([[1, 2, 3]]);
  });

  it('when calls arrive while a run is in flight, then they wait and go out together as the next run', async () => {
    const runs: number[][] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const echo = groupCalls(async (inputs: number[]) => {
      runs.push(inputs);
      if (runs.length === 1) await gate;
      return inputs;
    });
    const first = echo(1);
    await new Promise((resolve) => setImmediate(resolve));
    const later = [echo(2), echo(3)];
    await new Promise((resolve) => setImmediate(resolve));
    expect(runs).toEqual([[1]]);
    release();
    expect(await Promise.all([first, ...later])).toEqual([1, 2, 3]);
    expect(runs).toEqual([[1], [2, 3]]);
  });

  it('when one entry of a run fails, then only its caller fails; when the run fails, then all of its callers do', async () => {
    const picky = groupCalls(async (inputs: number[]) =>
      inputs.map((n) => (n === 2 ? new Error('two is refused') : n)),
    );
    const settled = await Promise.allSettled([1, 2, 3].map(picky));
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);

    const broken = groupCalls(async (): Promise<number[]> => {
      throw new Error('database down');
    });
    const all = await Promise.allSettled([1, 2].map(broken));
    expect(all.every((s) => s.status === 'rejected')).toBe(true);
  });

  it('when more calls wait than one run takes, then they are split into runs of at most maxBatch', async () => {
    const sizes: number[] = [];
    const echo = groupCalls(
      async (inputs: number[]) => {
        sizes.push(inputs.length);
        return inputs;
      },
      { maxBatch: 4 },
    );
    const inputs = Array.from({ length: 10 }, (_, i) => i);
    expect(await Promise.all(inputs.map(echo))).toEqual(inputs);
    expect(sizes).toEqual([4, 4, 2]);
  });
});

describe('verify: the grouped replay cache and reads against a real database', () => {
  let stack: Stack;
  let staff: string;
  let holders: Holder[];

  beforeAll(async () => {
    stack = await startStack();
    staff = await staffToken(stack);
    holders = [await holderWithCard(stack), await holderWithCard(stack)];
  });
  afterAll(async () => {
    await stack.stop();
  });

  const verify = (code: string) =>
    stack.api('POST', '/api/v1/verify', { token: staff, body: { code, purpose: 'hotel_check_in' } });

  it('when one code is checked twice at the same moment, then exactly one check is valid and the other replayed', async () => {
    const code = codeOf(stack, holders[0]!);
    const answers = await Promise.all([verify(code), verify(code)]);
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    expect(answers.map((a) => a.body.verdict).sort()).toEqual(['replayed', 'valid']);
    expect(answers.filter((a) => a.body.card !== undefined)).toHaveLength(1);
  });

  it('when many codes of several residents are checked at once, then each is valid once and its own resident is disclosed', async () => {
    const codes = Array.from({ length: 12 }, (_, i) => ({
      holder: holders[i % 2]!,
      code: codeOf(stack, holders[i % 2]!, stack.clock.now() - i),
    }));
    const answers = await Promise.all(codes.map((c) => verify(c.code)));
    answers.forEach((a, i) => {
      expect(a.body.verdict).toBe('valid');
      expect(a.body.card.name).toBe(codes[i]!.holder.person.name);
    });
    const again = await Promise.all(codes.map((c) => verify(c.code)));
    expect(again.every((a) => a.body.verdict === 'replayed')).toBe(true);
  });

  it('when a batch holds replays, then only those entries are refused, the others recorded, and every chain holds', async () => {
    const usage = createServices(stack.deps).usage;
    const event = (residentId: string, n: number) => ({
      residentId,
      actor: { type: 'staff' as const, id: 'staff-batch', displayName: '窗口 1' },
      action: 'card.verify',
      fields: [],
      purpose: 'hotel_check_in',
      result: 'ok' as const,
      detail: { n },
    });
    // Two residents interleaved in one tick: the refused entries sit in the middle of their chains.
    const keys = ['a', 'b', 'a', 'c', 'b', 'd'];
    const results = await Promise.all(
      keys.map((k, n) => usage.recordOnce(event(`batch-${n % 2}`, n), `staff-batch:${k}`)),
    );
    // Which of two concurrent uses wins is the database's choice; exactly one of each key is appended.
    for (const k of new Set(keys)) expect(results.filter((r, n) => keys[n] === k && r)).toHaveLength(1);
    expect(await usage.recordOnce(event('batch-0', 9), 'staff-batch:a')).toBe(false);
    const events = stack.deps.db.collection('usage_events');
    expect(await events.countDocuments({ once: { $in: keys.map((k) => `staff-batch:${k}`) } })).toBe(4);
    const report = await verifyAllChains(createUsageRepository(stack.deps.db), stack.deps.keys);
    expect(report.broken).toEqual([]);
    for (const residentId of ['batch-0', 'batch-1']) {
      const seqs = await events
        .find({ residentId })
        .sort({ seq: 1 })
        .map((d) => d.seq as number)
        .toArray();
      expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    }
  });

  it('when two processes record the same key at once, then exactly one of them appends', async () => {
    const [one, two] = [createServices(stack.deps).usage, createServices(stack.deps).usage];
    const event = {
      residentId: 'batch-race',
      actor: { type: 'staff' as const, id: 'staff-race', displayName: '窗口 2' },
      action: 'card.verify',
      fields: [],
      purpose: 'hotel_check_in',
      result: 'ok' as const,
    };
    for (let round = 0; round < 5; round += 1) {
      const results = await Promise.all([
        one.recordOnce(event, `staff-race:${round}`),
        two.recordOnce(event, `staff-race:${round}`),
      ]);
      expect(results.filter(Boolean)).toHaveLength(1);
    }
    expect(await stack.deps.db.collection('usage_events').countDocuments({ residentId: 'batch-race' })).toBe(
      5,
    );
  });

  it('when a card is suspended between two checks, then the very next check answers suspended', async () => {
    const h = await holderWithCard(stack);
    expect((await verify(codeOf(stack, h))).body.verdict).toBe('valid');
    await stack.api('POST', '/api/v1/card/suspend', { token: h.token, body: {} });
    expect((await verify(codeOf(stack, h, stack.clock.now() - 1))).body.verdict).toBe('suspended');
  });

  it('when a staff account is disabled, then its checks are refused within the documented bound', async () => {
    const token = await staffToken(stack);
    const check = () =>
      stack.api('POST', '/api/v1/verify', {
        token,
        body: { code: codeOf(stack, holders[1]!, stack.clock.now() - 7), purpose: 'hotel_check_in' },
      });
    expect((await check()).status).toBe(200);
    const staffColl = stack.deps.db.collection('staff');
    const account = await staffColl.findOne({ username: 'staff01' });
    await staffColl.updateOne({ _id: account!._id }, { $set: { disabled: true } });
    try {
      stack.clock.advance(ACTIVE_CACHE_MS);
      const refused = await check();
      expect(refused.status).toBe(401);
      expect(refused.body.code).toBe('SESSION_REVOKED');
    } finally {
      await staffColl.updateOne({ _id: account!._id }, { $set: { disabled: false } });
    }
  });
});
