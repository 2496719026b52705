import type { IdentityWithdrawnHook } from '@eid/bff/modules/enrollment/enrollment.types';
import { startStack, type Stack } from '../../helpers/stack';
import { sideService, verifiedName } from '../../helpers/enrollment';
import { capture, enroll, freshPerson } from '../../helpers/identity';

describe('enrollment: identity-withdrawn hooks', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('when identity is withdrawn, closed or moved, then the hooks hear it, and a failing hook is finished on the next try', async () => {
    const calls: string[] = [];
    let failNext = true;
    const hook: IdentityWithdrawnHook = async (residentId, reason) => {
      calls.push(`${residentId}:${reason}`);
      if (failNext) {
        failNext = false;
        throw new Error('card store unavailable');
      }
    };
    const service = sideService(stack, [hook]);
    const who = freshPerson();
    const { session } = await enroll(stack, who);
    const id = session.resident.id;

    await expect(service.withdrawConsent(id)).rejects.toThrow('card store unavailable');
    const pending = await stack.deps.db.collection('enrollments').findOne({ _id: id } as never);
    expect(pending).toMatchObject({ state: 'new', pendingHook: 'consent_withdrawn' });
    expect(await service.withdrawConsent(id)).toMatchObject({ state: 'new' });
    expect(calls).toEqual([`${id}:consent_withdrawn`, `${id}:consent_withdrawn`]);

    const moved = freshPerson();
    const holder = await enroll(stack, moved);
    const taker = await verifiedName(stack, moved);
    const start = await service.startRealPerson(taker.resident.id);
    await capture(stack, start.verifyId);
    calls.length = 0;
    expect(await service.completeRealPerson(taker.resident.id, start.verifyId)).toMatchObject({
      state: 'eligible',
    });
    expect(calls).toEqual([`${holder.session.resident.id}:identity_moved`]);

    calls.length = 0;
    await service.closeAccount(taker.resident.id);
    expect(calls).toEqual([`${taker.resident.id}:account_closed`]);
  });

  /** A hook that fails the first `failures` calls and records every call. */
  function flakyHook(failures: number) {
    const calls: string[] = [];
    const hook: IdentityWithdrawnHook = async (residentId, reason) => {
      calls.push(`${residentId}:${reason}`);
      if (calls.length <= failures) throw new Error('card store unavailable');
    };
    return { calls, hook };
  }

  const outboxEventsOf = (residentId: string) =>
    stack.deps.db
      .collection('outbox')
      .find({ topic: 'identity.withdrawn', 'payload.residentId': residentId })
      .toArray();

  it('when a hook failed and the resident never comes back, then the outbox worker finishes it after the backoff', async () => {
    const { calls, hook } = flakyHook(1);
    const service = sideService(stack, [hook]);
    const { session } = await enroll(stack, freshPerson());
    const id = session.resident.id;

    await expect(service.withdrawConsent(id)).rejects.toThrow('card store unavailable');
    const waiting = await outboxEventsOf(id);
    expect(waiting.map((e) => e.key)).toEqual([`${id}:consent_withdrawn:1`]);
    expect(await service.outbox.runDue()).toBe(0);
    expect(calls).toHaveLength(1);

    stack.clock.advance(2000);
    expect(await service.outbox.runDue()).toBe(1);
    expect(calls).toEqual([`${id}:consent_withdrawn`, `${id}:consent_withdrawn`]);
    const record = await stack.deps.db.collection('enrollments').findOne({ _id: id } as never);
    expect(record).toMatchObject({ state: 'new' });
    expect(record).not.toHaveProperty('pendingHook');
    expect(await outboxEventsOf(id)).toEqual([]);
  });

  it('when an event is delivered again after its hooks finished, then the hooks do not run for it again', async () => {
    const { calls, hook } = flakyHook(0);
    const service = sideService(stack, [hook]);
    const who = freshPerson();
    const { session, token } = await enroll(stack, who);
    const id = session.resident.id;
    await service.withdrawConsent(id);
    expect(calls).toEqual([`${id}:consent_withdrawn`]);

    // The resident enrolls again; then a late copy of the first withdrawal's event turns up.
    expect(
      (
        await stack.api('POST', '/api/v1/enrollment/consent', {
          token,
          body: { noticeVersion: service.notice().version },
        })
      ).status,
    ).toBe(200);
    await service.outbox.enqueue({
      topic: 'identity.withdrawn',
      key: `${id}:consent_withdrawn:1`,
      payload: { residentId: id, reason: 'consent_withdrawn', generation: 1 },
    });
    expect(await service.outbox.deliver('identity.withdrawn', `${id}:consent_withdrawn:1`)).toBe(true);
    expect(calls).toEqual([`${id}:consent_withdrawn`]);
    expect((await service.get(id)).state).toBe('consented');
  });

  it('when a record from before the outbox carries a pending mark alone, then resuming queues and finishes its hooks', async () => {
    const { calls, hook } = flakyHook(0);
    const service = sideService(stack, [hook]);
    const enrollments = stack.deps.db.collection<{ _id: string }>('enrollments');
    // What an earlier release left after a crash: the mark, no generation, no outbox event.
    await enrollments.insertOne({
      _id: 'marked-by-an-older-release',
      state: 'consented',
      pendingHook: 'identity_moved',
      updatedAt: new Date(stack.clock.now()),
    } as never);

    expect(await service.resumePendingHooks()).toBe(1);
    expect(calls).toEqual(['marked-by-an-older-release:identity_moved']);
    expect(await enrollments.findOne({ _id: 'marked-by-an-older-release' })).not.toHaveProperty(
      'pendingHook',
    );
    expect(await outboxEventsOf('marked-by-an-older-release')).toEqual([]);
  });
});
