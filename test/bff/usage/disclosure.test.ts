import { createServices } from '@eid/bff/app';
import { residentActor, systemActor, type UsageEventInput } from '@eid/bff/modules/usage/usage.types';
import { startStack, type Stack } from '../../helpers/stack';

describe('usage: a disclosure recorder bound once per request', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack.stop();
  });

  /** The stored link of a resident's one event, without what differs between two chains. */
  async function stored(residentId: string) {
    const docs = await stack.deps.db
      .collection('usage_events')
      .find({ residentId })
      .sort({ seq: 1 })
      .toArray();
    return docs.map(({ _id, residentId: _r, hash, prevHash, ...rest }) => {
      expect([_id, hash, prevHash]).toEqual([expect.any(String), expect.any(String), expect.any(String)]);
      return rest;
    });
  }

  it('when the same events are recorded directly and through a disclosure, then the trace holds the same links', async () => {
    const usage = createServices(stack.deps).usage;
    const staff = {
      type: 'staff' as const,
      id: 'staff-1',
      displayName: '历下分局 窗口 3',
      org: '济南市公安局历下分局',
    };
    const direct: UsageEventInput[] = [
      {
        residentId: 'disc-direct',
        actor: staff,
        action: 'card.verify',
        fields: ['name', 'birthDate'],
        purpose: 'hotel_check_in',
        result: 'ok',
        detail: { verdict: 'valid' },
        requestId: 'req-1',
      },
      {
        residentId: 'disc-direct',
        actor: staff,
        action: 'card.verify',
        fields: [],
        purpose: 'hotel_check_in',
        result: 'denied',
        detail: { verdict: 'replayed' },
        requestId: 'req-1',
      },
      {
        residentId: 'disc-direct',
        actor: staff,
        action: 'consent.granted',
        fields: [],
        purpose: 'enrollment',
        result: 'ok',
        requestId: 'req-1',
      },
    ];
    for (const e of direct) await usage.record(e);

    const trace = usage.disclosure({
      residentId: 'disc-bound',
      actor: staff,
      purpose: 'hotel_check_in',
      requestId: 'req-1',
    });
    await trace.record({
      action: 'card.verify',
      fields: ['name', 'birthDate'],
      detail: { verdict: 'valid' },
    });
    await trace.record({ action: 'card.verify', result: 'denied', detail: { verdict: 'replayed' } });
    await trace.record({ action: 'consent.granted', purpose: 'enrollment' });

    const bound = await stored('disc-bound');
    expect(bound).toHaveLength(3);
    expect(bound).toEqual(await stored('disc-direct'));
    expect(bound[2]).not.toHaveProperty('detail');
  });

  it('when a disclosure records once by key, then the key is taken the second time, as recordOnce says', async () => {
    const usage = createServices(stack.deps).usage;
    const trace = usage.disclosure({
      residentId: 'disc-once',
      actor: residentActor('disc-once'),
      purpose: 'card',
    });
    expect(await trace.recordOnce({ action: 'card.read' }, 'disc-once-key')).toBe(true);
    expect(await trace.recordOnce({ action: 'card.read' }, 'disc-once-key')).toBe(false);
    expect(await usage.recordOnce({ ...event('disc-once'), action: 'card.read' }, 'disc-once-key')).toBe(
      false,
    );
    const links = await stored('disc-once');
    expect(links).toEqual([
      expect.objectContaining({
        seq: 1,
        actor: { type: 'resident', id: 'disc-once', displayName: '本人' },
        action: 'card.read',
        fields: [],
        purpose: 'card',
        result: 'ok',
        once: 'disc-once-key',
      }),
    ]);
    expect(links[0]).not.toHaveProperty('requestId');
  });

  it('when a request has no id (empty), then the bound events carry none, as the call sites did', async () => {
    const usage = createServices(stack.deps).usage;
    const actor = systemActor('population-registry', '人口信息核验');
    expect(actor).toEqual({ type: 'system', id: 'population-registry', displayName: '人口信息核验' });
    await usage.disclosure({ residentId: 'disc-noid', actor, purpose: 'enrollment', requestId: '' }).record({
      action: 'identity.real_name',
      fields: ['name', 'idNumber'],
      result: 'failed',
    });
    const [link] = await stored('disc-noid');
    expect(link).toMatchObject({
      actor,
      fields: ['name', 'idNumber'],
      result: 'failed',
      purpose: 'enrollment',
    });
    expect(link).not.toHaveProperty('requestId');
  });
});

function event(residentId: string): UsageEventInput {
  return {
    residentId,
    actor: residentActor(residentId),
    action: 'x',
    fields: [],
    purpose: 'card',
    result: 'ok',
  };
}
