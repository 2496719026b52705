import { ACTIVE_CACHE_MS } from '@eid/bff/modules/staff/staff.service';
import { groupCalls } from '@eid/bff/modules/verify/batch';
import { createVerifyRepository } from '@eid/bff/modules/verify/verify.repository';
import { startStack, type Stack } from '../helpers/stack';
import { codeOf, holderWithCard, staffToken, type Holder } from './card-flow';

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

  it('when a batch holds a replay, then only that entry is refused and the others are recorded', async () => {
    const repo = createVerifyRepository(stack.deps.db);
    const now = stack.clock.now();
    const use = (digest: string) => ({ verifierId: 'staff-batch', digest, expiresAt: now + 60_000, now });
    expect(await repo.firstUseMany([use('a')])).toEqual([true]);
    expect(await repo.firstUseMany([use('b'), use('a'), use('c'), use('b')])).toEqual([
      true,
      false,
      true,
      false,
    ]);
    const stored = await stack.deps.db
      .collection('code_uses')
      .countDocuments({ _id: { $in: ['staff-batch:a', 'staff-batch:b', 'staff-batch:c'] } } as never);
    expect(stored).toBe(3);
  });

  it('when an entry has expired but is not swept yet, then the same code counts as a first use again', async () => {
    const repo = createVerifyRepository(stack.deps.db);
    const now = stack.clock.now();
    await stack.deps.db
      .collection('code_uses')
      .insertOne({ _id: 'staff-batch:old', expiresAt: new Date(now - 1000) } as never);
    const [revived, fresh] = await repo.firstUseMany([
      { verifierId: 'staff-batch', digest: 'old', expiresAt: now + 60_000, now },
      { verifierId: 'staff-batch', digest: 'new', expiresAt: now + 60_000, now },
    ]);
    expect([revived, fresh]).toEqual([true, true]);
    expect(await repo.firstUse('staff-batch', 'old', now + 60_000, now)).toBe(false);
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
