import jwt from 'jsonwebtoken';
import { startStack, type Stack } from '../../helpers/stack';
import { login, superAppCode } from '../../helpers/identity';

describe('auth: resident sign-in', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack.stop();
  });

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
