import jwt from 'jsonwebtoken';
import { startStack, type Stack } from '../../helpers/stack';
import { expectError, sideService, verifiedName } from '../../helpers/enrollment';
import { capture, enroll, freshPerson, realPerson, reauth } from '../../helpers/identity';

describe('enrollment: re-authentication by face', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('when an eligible resident passes a face check, then a single-use 5-minute reauth token bound to them is given', async () => {
    const { session, token } = await enroll(stack, freshPerson());
    const res = await reauth(stack, token);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ reauthToken: expect.any(String), expiresIn: 300 });
    expect(jwt.decode(res.body.reauthToken)).toMatchObject({ aud: 'reauth', sub: session.resident.id });
    // A reauth token is no access token.
    expectError(
      await stack.api('GET', '/api/v1/enrollment', { token: res.body.reauthToken }),
      401,
      'TOKEN_INVALID',
    );

    const identity = sideService(stack).identity;
    await expect(
      identity.verifyReauthToken(session.resident.id, res.body.reauthToken),
    ).resolves.toBeUndefined();
    await expect(identity.verifyReauthToken(session.resident.id, res.body.reauthToken)).rejects.toMatchObject(
      {
        code: 'REAUTH_REQUIRED',
        details: { reason: 'used' },
      },
    );
  });

  it('when a reauth token is missing, foreign, expired or for someone else, then REAUTH_REQUIRED', async () => {
    const { session, token } = await enroll(stack, freshPerson());
    const other = await enroll(stack, freshPerson());
    const identity = sideService(stack).identity;
    const mine = (await reauth(stack, token)).body.reauthToken as string;
    await expect(identity.verifyReauthToken(session.resident.id, undefined)).rejects.toMatchObject({
      code: 'REAUTH_REQUIRED',
    });
    await expect(identity.verifyReauthToken(other.session.resident.id, mine)).rejects.toMatchObject({
      code: 'REAUTH_REQUIRED',
    });
    await expect(identity.verifyReauthToken(session.resident.id, token)).rejects.toMatchObject({
      code: 'REAUTH_REQUIRED',
    });
    stack.clock.advance(301 * 1000);
    await expect(identity.verifyReauthToken(session.resident.id, mine)).rejects.toMatchObject({
      code: 'REAUTH_REQUIRED',
      details: { reason: 'expired' },
    });
  });

  it('when a reauth verify id is completed twice or an enrollment id is offered, then 400 FACE_VERIFY_ID_INVALID', async () => {
    const session = await verifiedName(stack, freshPerson());
    const enrolled = await realPerson(stack, session.accessToken);
    expect(enrolled.body.state).toBe('eligible');
    const wrongKind = await stack.api('POST', '/api/v1/reauth/complete', {
      token: session.accessToken,
      body: { verifyId: enrolled.verifyId },
    });
    expectError(wrongKind, 400, 'FACE_VERIFY_ID_INVALID');

    const start = await stack.api('POST', '/api/v1/reauth/start', { token: session.accessToken, body: {} });
    await capture(stack, start.body.verifyId);
    const body = { verifyId: start.body.verifyId };
    expect(
      (await stack.api('POST', '/api/v1/reauth/complete', { token: session.accessToken, body })).status,
    ).toBe(200);
    expectError(
      await stack.api('POST', '/api/v1/reauth/complete', { token: session.accessToken, body }),
      400,
      'FACE_VERIFY_ID_INVALID',
    );
  });
});
