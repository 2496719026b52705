import { FIXTURES } from '@eid/mock';
import { PRIVACY_NOTICE } from '@eid/bff/modules/enrollment/privacy-notice';
import { startStack, type Stack } from '../../helpers/stack';
import { consented, expectError } from '../../helpers/enrollment';
import { enroll, freshPerson, giveConsent, login, realName, realPerson } from '../../helpers/identity';

describe('enrollment: consent and the order of steps', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('when anyone asks for the privacy notice, then the current version is answered in Chinese and English', async () => {
    const res = await stack.api('GET', '/api/v1/privacy-notice');
    expect(res.status).toBe(200);
    expect(res.body.version).toBe(PRIVACY_NOTICE.version);
    for (const lang of ['zh', 'en']) {
      expect(res.body[lang]).toMatchObject({
        purposes: expect.arrayContaining([expect.any(String)]),
        dataKept: expect.arrayContaining([expect.objectContaining({ retention: expect.any(String) })]),
        rights: expect.arrayContaining([expect.any(String)]),
        contact: expect.any(String),
      });
    }
  });

  it('when a step is taken before its turn, then 409 ENROLLMENT_OUT_OF_ORDER names the current state', async () => {
    const session = await login(stack);
    const token = session.accessToken;
    const early = await realName(stack, token, FIXTURES.pass);
    expectError(early, 409, 'ENROLLMENT_OUT_OF_ORDER');
    expect(early.body.details).toEqual({ state: 'new' });

    await giveConsent(stack, token);
    const face = await stack.api('POST', '/api/v1/enrollment/real-person/start', { token, body: {} });
    expectError(face, 409, 'ENROLLMENT_OUT_OF_ORDER');
    expect(face.body.details).toEqual({ state: 'consented' });
    const re = await stack.api('POST', '/api/v1/reauth/start', { token, body: {} });
    expectError(re, 409, 'ENROLLMENT_OUT_OF_ORDER');
    const complete = await stack.api('POST', '/api/v1/enrollment/real-person/complete', {
      token,
      body: { verifyId: 'fv_not-one-of-yours' },
    });
    expectError(complete, 400, 'FACE_VERIFY_ID_INVALID');
  });

  it('when consent names an old notice version, then 409 CONSENT_VERSION_MISMATCH with the current one', async () => {
    const session = await login(stack);
    const res = await stack.api('POST', '/api/v1/enrollment/consent', {
      token: session.accessToken,
      body: { noticeVersion: '2020-01-01' },
    });
    expectError(res, 409, 'CONSENT_VERSION_MISMATCH');
    expect(res.body.details).toEqual({ currentVersion: PRIVACY_NOTICE.version });
  });

  it('when consent is given twice, then the second answer is the same enrollment (idempotent)', async () => {
    const session = await login(stack);
    const first = await giveConsent(stack, session.accessToken);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      state: 'consented',
      consent: { version: PRIVACY_NOTICE.version, at: stack.clock.now() },
    });
    stack.clock.advance(1000);
    const second = await giveConsent(stack, session.accessToken);
    expect(second.body).toEqual(first.body);
  });

  it('when consent is withdrawn before any check, then the state is new again with no consent', async () => {
    const session = await consented(stack);
    const res = await stack.api('DELETE', '/api/v1/enrollment/consent', { token: session.accessToken });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ state: 'new', consent: null });
  });
});

describe('enrollment: consent withdrawal', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('when an eligible resident withdraws consent, then the state is new, identity data is erased and a new enrollment is possible', async () => {
    const who = freshPerson();
    const { session, token } = await enroll(stack, who);
    const res = await stack.api('DELETE', '/api/v1/enrollment/consent', { token });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ state: 'new', consent: null });
    const stored = await stack.deps.db
      .collection('enrollments')
      .findOne({ _id: session.resident.id } as never);
    for (const field of ['identity', 'idIndex', 'boundIdIndex', 'consent'])
      expect(stored).not.toHaveProperty(field);
    expect(stored).not.toHaveProperty('pendingHook');
    expect(
      await stack.deps.db.collection('face_checks').countDocuments({ residentId: session.resident.id }),
    ).toBe(0);

    await giveConsent(stack, token);
    expect((await realName(stack, token, who)).body.state).toBe('real_name_verified');
    expect((await realPerson(stack, token)).body.state).toBe('eligible');
  });
});
