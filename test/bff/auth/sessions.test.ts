import jwt from 'jsonwebtoken';
import { startStack, type Stack } from '../../helpers/stack';
import { login } from '../../helpers/identity';

describe('auth: resident sessions', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack.stop();
  });

  const enrollment = (token: string) => stack.api('GET', '/api/v1/enrollment', { token });
  const refresh = (refreshToken: string) =>
    stack.api('POST', '/api/v1/auth/refresh', { body: { refreshToken } });

  it('when no or a malformed Authorization header is sent, then 401 UNAUTHENTICATED', async () => {
    expect((await stack.api('GET', '/api/v1/enrollment')).body.code).toBe('UNAUTHENTICATED');
    const res = await stack.api('GET', '/api/v1/enrollment', { headers: { authorization: 'Basic abc' } });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('UNAUTHENTICATED');
  });

  it('when the access token outlives its 15 minutes, then TOKEN_EXPIRED, and a refresh gives a working one', async () => {
    const session = await login(stack);
    expect((await enrollment(session.accessToken)).status).toBe(200);
    stack.clock.advance(15 * 60 * 1000 + 1000);
    try {
      const expired = await enrollment(session.accessToken);
      expect(expired.status).toBe(401);
      expect(expired.body.code).toBe('TOKEN_EXPIRED');
      const renewed = await refresh(session.refreshToken);
      expect(renewed.status).toBe(200);
      expect((await enrollment(renewed.body.accessToken)).status).toBe(200);
    } finally {
      stack.clock.advance(-(15 * 60 * 1000 + 1000));
    }
  });

  it('when a refresh token is used, then a new pair is issued in the same session and the old token is spent', async () => {
    const session = await login(stack);
    const first = await refresh(session.refreshToken);
    expect(first.status).toBe(200);
    expect(first.body.refreshToken).not.toBe(session.refreshToken);
    expect(first.body.resident.id).toBe(session.resident.id);
    const sid = (t: string) => (jwt.decode(t) as { sid: string }).sid;
    expect(sid(first.body.accessToken)).toBe(sid(session.accessToken));
    const second = await refresh(first.body.refreshToken);
    expect(second.status).toBe(200);
    expect((await enrollment(second.body.accessToken)).status).toBe(200);
  });

  it('when a spent refresh token is reused, then REFRESH_TOKEN_REUSED and every token of the family answers SESSION_REVOKED', async () => {
    const session = await login(stack);
    const other = await login(stack);
    const rotated = await refresh(session.refreshToken);
    expect(rotated.status).toBe(200);

    const reuse = await refresh(session.refreshToken);
    expect(reuse.status).toBe(401);
    expect(reuse.body.code).toBe('REFRESH_TOKEN_REUSED');

    const current = await refresh(rotated.body.refreshToken);
    expect(current.status).toBe(401);
    expect(current.body.code).toBe('SESSION_REVOKED');
    for (const token of [session.accessToken, rotated.body.accessToken]) {
      const res = await enrollment(token);
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('SESSION_REVOKED');
    }
    const again = await refresh(session.refreshToken);
    expect(again.body.code).toBe('SESSION_REVOKED');
    // Another login of someone else is untouched.
    expect((await enrollment(other.accessToken)).status).toBe(200);
  });

  it('when two refreshes race with the same token, then exactly one wins', async () => {
    const session = await login(stack);
    const answers = await Promise.all([refresh(session.refreshToken), refresh(session.refreshToken)]);
    const winners = answers.filter((a) => a.status === 200);
    expect(winners).toHaveLength(1);
    const loser = answers.find((a) => a.status !== 200)!;
    expect(loser.status).toBe(401);
    expect(['REFRESH_TOKEN_REUSED', 'REFRESH_TOKEN_INVALID', 'SESSION_REVOKED']).toContain(loser.body.code);
  });

  it('when an unknown refresh token is presented, then 401 REFRESH_TOKEN_INVALID', async () => {
    const res = await refresh('A'.repeat(43));
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('REFRESH_TOKEN_INVALID');
  });

  it('when the refresh token is past its lifetime, then REFRESH_TOKEN_INVALID', async () => {
    const session = await login(stack);
    const lifetime = stack.config.REFRESH_TOKEN_TTL_S * 1000 + 1000;
    stack.clock.advance(lifetime);
    try {
      const res = await refresh(session.refreshToken);
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('REFRESH_TOKEN_INVALID');
    } finally {
      stack.clock.advance(-lifetime);
    }
  });

  it('when a resident logs out, then that session ends and their other sessions go on', async () => {
    const session = await login(stack, 'logout-person');
    const otherDevice = await login(stack, 'logout-person');
    const out = await stack.api('POST', '/api/v1/auth/logout', {
      token: session.accessToken,
      body: { refreshToken: session.refreshToken },
    });
    expect(out.status).toBe(204);
    expect((await enrollment(session.accessToken)).body.code).toBe('SESSION_REVOKED');
    expect((await refresh(session.refreshToken)).body.code).toBe('SESSION_REVOKED');
    expect((await enrollment(otherDevice.accessToken)).status).toBe(200);
  });

  it('when a token for another audience is presented to resident routes, then 401 TOKEN_INVALID', async () => {
    const session = await login(stack);
    const sid = (jwt.decode(session.accessToken) as { sid: string }).sid;
    for (const audience of ['staff', 'admin', 'third_party', 'reauth'] as const) {
      const token = stack.deps.keys.signToken(
        { sub: session.resident.id, sid },
        { audience, ttlSeconds: 900 },
      );
      const res = await enrollment(token);
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('TOKEN_INVALID');
    }
  });

  it('when a token is signed with another key, altered, or unsigned, then 401 TOKEN_INVALID', async () => {
    const session = await login(stack);
    const claims = jwt.decode(session.accessToken) as Record<string, unknown>;
    const foreign = jwt.sign(claims, 'x'.repeat(32), { algorithm: 'HS256' });
    const [h, , s] = session.accessToken.split('.');
    const altered = `${h}.${Buffer.from(JSON.stringify({ ...claims, sub: 'someone-else' })).toString('base64url')}.${s}`;
    const unsigned = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${session.accessToken.split('.')[1]}.`;
    // Each is a well-formed bearer header, so it reaches the signature check (not UNAUTHENTICATED).
    for (const [kind, token] of Object.entries({ foreign, altered, unsigned })) {
      const res = await stack.api('GET', '/api/v1/enrollment', {
        headers: { authorization: `Bearer ${token}` },
      });
      expect({ kind, status: res.status, code: res.body.code }).toEqual({
        kind,
        status: 401,
        code: 'TOKEN_INVALID',
      });
    }
  });
});
