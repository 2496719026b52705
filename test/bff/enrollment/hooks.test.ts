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
});
