import jwt from 'jsonwebtoken';
import { startStack, type Stack } from '../helpers/stack';
import { login, superAppCode } from '../helpers/identity';

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

  it('when a resident logs in with a fresh super-app code, then a Bearer session for a new resident in state new is returned', async () => {
    const code = await superAppCode(stack);
    const res = await stack.api('POST', '/api/v1/auth/login', { body: { code } });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.body).toEqual({
      tokenType: 'Bearer',
      accessToken: expect.any(String),
      expiresIn: stack.config.ACCESS_TOKEN_TTL_S,
      refreshToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      resident: {
        id: expect.any(String),
        enrollment: {
          state: 'new',
          consent: null,
          attempts: {
            realName: { limit: 5, remaining: 5, unlockAt: null },
            face: { limit: 5, remaining: 5, unlockAt: null },
          },
        },
      },
    });
    const claims = jwt.decode(res.body.accessToken) as Record<string, unknown>;
    expect(claims).toMatchObject({ sub: res.body.resident.id, aud: 'resident', sid: expect.any(String) });
    expect((claims.exp as number) - (claims.iat as number)).toBe(900);
  });

  it('when the same super-app user logs in twice, then both sessions belong to one resident', async () => {
    const a = await login(stack, 'same-person');
    const b = await login(stack, 'same-person');
    const c = await login(stack, 'someone-else');
    expect(b.resident.id).toBe(a.resident.id);
    expect(c.resident.id).not.toBe(a.resident.id);
    expect(b.refreshToken).not.toBe(a.refreshToken);
  });

  it('when two first logins of one super-app user race, then both sign in as one resident', async () => {
    const userKey = `race-${Date.now()}`;
    const residents = stack.deps.db.collection('residents');
    const admin = stack.deps.db.getClient().db('admin');
    const failPoint = async (mode: unknown, data: Record<string, unknown> = {}) =>
      (
        await admin.command({
          configureFailPoint: 'failCommand',
          mode,
          data: { failCommands: ['insert'], namespace: `${stack.config.MONGODB_DB}.residents`, ...data },
        })
      ).count as number;
    const before = await residents.countDocuments();
    const [codeA, codeB] = await Promise.all([superAppCode(stack, userKey), superAppCode(stack, userKey)]);
    // The database holds the first login's insert of the new resident (it looked and found none) ...
    const entered = await failPoint({ times: 1 }, { blockConnection: true, blockTimeMS: 2000 });
    try {
      const first = stack.api('POST', '/api/v1/auth/login', { body: { code: codeA } });
      await admin.command({ waitForFailPoint: 'failCommand', timesEntered: entered + 1, maxTimeMS: 10_000 });
      // ... so the second login finds none either and creates the resident; the held insert lands after.
      const second = await stack.api('POST', '/api/v1/auth/login', { body: { code: codeB } });
      const answers = [await first, second];
      expect(answers.map((a) => a.status)).toEqual([200, 200]);
      expect(answers[0]!.body.resident.id).toBe(answers[1]!.body.resident.id);
      expect(await residents.countDocuments()).toBe(before + 1);
    } finally {
      await failPoint('off');
    }
  });

  it('when a login code is used a second time, then 401 LOGIN_CODE_INVALID', async () => {
    const code = await superAppCode(stack);
    expect((await stack.api('POST', '/api/v1/auth/login', { body: { code } })).status).toBe(200);
    const again = await stack.api('POST', '/api/v1/auth/login', { body: { code } });
    expect(again.status).toBe(401);
    expect(again.body.code).toBe('LOGIN_CODE_INVALID');
  });

  it('when a login code is unknown, then 401 LOGIN_CODE_INVALID', async () => {
    const res = await stack.api('POST', '/api/v1/auth/login', { body: { code: 'no-such-code-0001' } });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('LOGIN_CODE_INVALID');
  });

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

describe('auth: login throttling', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: { LOGIN_RATE_PER_MINUTE: '3' } });
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('when one address tries to log in more often than allowed, then 429 RATE_LIMITED with Retry-After until the minute ends', async () => {
    const answers = [];
    for (let i = 0; i < 4; i += 1) {
      answers.push(
        await stack.api('POST', '/api/v1/auth/login', { body: { code: await superAppCode(stack) } }),
      );
    }
    expect(answers.slice(0, 3).map((a) => a.status)).toEqual([200, 200, 200]);
    expect(answers[3]!.status).toBe(429);
    expect(answers[3]!.body.code).toBe('RATE_LIMITED');
    expect(Number(answers[3]!.headers.get('retry-after'))).toBeGreaterThan(0);
    stack.clock.advance(60 * 1000);
    const later = await stack.api('POST', '/api/v1/auth/login', {
      body: { code: await superAppCode(stack) },
    });
    expect(later.status).toBe(200);
  });
});
