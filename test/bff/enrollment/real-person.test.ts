import { PRIVACY_NOTICE } from '@eid/bff/modules/enrollment/privacy-notice';
import { startStack, type Stack } from '../../helpers/stack';
import { expectError, verifiedName } from '../../helpers/enrollment';
import { capture, enroll, freshPerson } from '../../helpers/identity';

describe('enrollment: real-person face check', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('when the face check passes, then the resident is eligible and a retry of complete answers the same', async () => {
    const session = await verifiedName(stack, freshPerson());
    const start = await stack.api('POST', '/api/v1/enrollment/real-person/start', {
      token: session.accessToken,
      body: {},
    });
    expect(start.status).toBe(200);
    expect(start.body).toEqual({
      verifyId: expect.any(String),
      expiresAt: stack.clock.now() + 10 * 60 * 1000,
    });
    expect((await capture(stack, start.body.verifyId)).accepted).toBe(true);
    const complete = () =>
      stack.api('POST', '/api/v1/enrollment/real-person/complete', {
        token: session.accessToken,
        body: { verifyId: start.body.verifyId },
      });
    const first = await complete();
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ state: 'eligible', attempts: { face: { remaining: 5 } } });
    expect((await complete()).body).toEqual(first.body);
  });

  it('when two completes of one passing check race, then both answer eligible', async () => {
    const session = await verifiedName(stack, freshPerson());
    const start = await stack.api('POST', '/api/v1/enrollment/real-person/start', {
      token: session.accessToken,
      body: {},
    });
    await capture(stack, start.body.verifyId);
    const body = { verifyId: start.body.verifyId };
    const answers = await Promise.all([
      stack.api('POST', '/api/v1/enrollment/real-person/complete', { token: session.accessToken, body }),
      stack.api('POST', '/api/v1/enrollment/real-person/complete', { token: session.accessToken, body }),
    ]);
    expect(answers.map((a) => [a.status, a.body.state])).toEqual([
      [200, 'eligible'],
      [200, 'eligible'],
    ]);
  });

  it('when the BFF crashed after the check passed but before the state moved, then a retry finishes the step', async () => {
    const session = await verifiedName(stack, freshPerson());
    const start = await stack.api('POST', '/api/v1/enrollment/real-person/start', {
      token: session.accessToken,
      body: {},
    });
    await capture(stack, start.body.verifyId);
    // What a crash between "check consumed" and "state moved" leaves behind.
    await stack.deps.db.collection('face_checks').updateOne({ _id: start.body.verifyId } as never, {
      $set: { consumedAt: new Date(stack.clock.now()), outcome: 'pass' },
    });
    const res = await stack.api('POST', '/api/v1/enrollment/real-person/complete', {
      token: session.accessToken,
      body: { verifyId: start.body.verifyId },
    });
    expect(res.status).toBe(200);
    expect(res.body.state).toBe('eligible');
  });

  it('when a second account proves by face to be the same person, then the identity moves and the first account drops back', async () => {
    const who = freshPerson();
    const first = await enroll(stack, who);
    const second = await enroll(stack, who);
    expect(second.session.resident.id).not.toBe(first.session.resident.id);
    const old = await stack.api('GET', '/api/v1/enrollment', { token: first.token });
    expect(old.body).toMatchObject({ state: 'consented', consent: { version: PRIVACY_NOTICE.version } });
    expectError(
      await stack.api('POST', '/api/v1/reauth/start', { token: first.token, body: {} }),
      409,
      'ENROLLMENT_OUT_OF_ORDER',
    );
    const stored = await stack.deps.db
      .collection('enrollments')
      .findOne({ _id: first.session.resident.id } as never);
    expect(stored).not.toHaveProperty('identity');
    expect(stored).not.toHaveProperty('boundIdIndex');
  });
});
