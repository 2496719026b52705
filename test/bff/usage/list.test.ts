import { createUsageRepository } from '@eid/bff/modules/usage/usage.repository';
import { createUsageService } from '@eid/bff/modules/usage/usage.service';
import { startStack, type Stack } from '../../helpers/stack';
import { enroll, freshPerson, login } from '../../helpers/identity';
import { staffEvent } from '../../helpers/usage';

describe('usage: a resident reads their own trace', () => {
  let stack: Stack;
  let token: string;
  let residentId: string;
  beforeAll(async () => {
    stack = await startStack();
    const enrolled = await enroll(stack, freshPerson());
    token = enrolled.token;
    residentId = enrolled.session.resident.id;
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('when a resident enrolled, then the consent, the registry check and the face check are in their trace, newest first', async () => {
    const res = await stack.api('GET', '/api/v1/usage', { token });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.body.nextBefore).toBeNull();
    expect(res.body.items.map((e: { action: string }) => e.action)).toEqual([
      'identity.real_person',
      'identity.real_person.start',
      'identity.real_name',
      'consent.granted',
    ]);
    const [face, start, registry] = res.body.items;
    expect(registry).toEqual({
      id: expect.any(String),
      seq: 2,
      at: stack.clock.now(),
      actor: { type: 'system', id: 'population-registry', displayName: expect.any(String) },
      action: 'identity.real_name',
      fields: ['name', 'idNumber'],
      purpose: 'enrollment',
      result: 'ok',
    });
    expect(start).toMatchObject({ actor: { id: 'face-verification' }, fields: ['name', 'idNumber'] });
    expect(face).toMatchObject({ result: 'ok', detail: { outcome: 'pass' } });
    for (const item of res.body.items) {
      expect(item).not.toHaveProperty('hash');
      expect(item).not.toHaveProperty('prevHash');
      expect(item).not.toHaveProperty('residentId');
    }
  });

  it('when more events exist than the page holds, then pages follow nextBefore to the start', async () => {
    const usage = createUsageService({
      repo: createUsageRepository(stack.deps.db),
      keys: stack.deps.keys,
      clock: stack.clock,
      logger: stack.deps.logger,
    });
    for (let i = 0; i < 5; i += 1)
      await usage.record(staffEvent(residentId, i % 2 ? 'hotel_check_in' : 'finance'));
    const seen: number[] = [];
    let before: number | null = null;
    for (let page = 0; page < 10; page += 1) {
      const query: string = `/api/v1/usage?limit=3${before ? `&before=${before}` : ''}`;
      const res = await stack.api('GET', query, { token });
      expect(res.body.items.length).toBeLessThanOrEqual(3);
      seen.push(...res.body.items.map((e: { seq: number }) => e.seq));
      before = res.body.nextBefore;
      if (before === null) break;
    }
    expect(seen).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1]);
  });

  it('when filters are given, then only matching events are listed', async () => {
    const staffOnly = await stack.api('GET', '/api/v1/usage?actorType=staff', { token });
    expect(staffOnly.body.items).toHaveLength(5);
    const hotel = await stack.api('GET', '/api/v1/usage?purpose=hotel_check_in&actorType=staff', { token });
    expect(hotel.body.items.map((e: { seq: number }) => e.seq)).toEqual([8, 6]);
    const now = stack.clock.now();
    expect((await stack.api('GET', `/api/v1/usage?from=${now + 1}`, { token })).body.items).toEqual([]);
    expect((await stack.api('GET', `/api/v1/usage?to=${now}&limit=100`, { token })).body.items).toHaveLength(
      9,
    );
  });

  it('when one event is opened, then it is answered to its owner and NOT_FOUND to anyone else', async () => {
    const list = await stack.api('GET', '/api/v1/usage?limit=1', { token });
    const [first] = list.body.items;
    const mine = await stack.api('GET', `/api/v1/usage/${first.id}`, { token });
    expect(mine.status).toBe(200);
    expect(mine.body).toEqual(first);
    const stranger = await login(stack);
    const theirs = await stack.api('GET', `/api/v1/usage/${first.id}`, { token: stranger.accessToken });
    expect(theirs.status).toBe(404);
    expect(theirs.body.code).toBe('NOT_FOUND');
    expect((await stack.api('GET', '/api/v1/usage', { token: stranger.accessToken })).body.items).toEqual([]);
  });
});
