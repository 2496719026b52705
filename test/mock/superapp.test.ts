import { manualClock, type ManualClock } from '@eid/bff/infra/clock';
import {
  LOGIN_CODE_TTL_MS,
  MOCK_SUPERAPP_APP_ID,
  MOCK_SUPERAPP_APP_SECRET,
  startSuperApp,
  type MockServer,
} from '@eid/mock';

describe('super-app login stand-in', () => {
  let clock: ManualClock;
  let server: MockServer;

  beforeAll(async () => {
    clock = manualClock();
    server = await startSuperApp({ clock });
  });
  afterAll(() => server.stop());

  const authorize = async (body: unknown = {}) => {
    const res = await fetch(`${server.url}/v1/authorize`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as { code: string } };
  };
  const exchange = async (params: Record<string, string>) => {
    const query = new URLSearchParams({
      appid: MOCK_SUPERAPP_APP_ID,
      secret: MOCK_SUPERAPP_APP_SECRET,
      grant_type: 'authorization_code',
      ...params,
    });
    const res = await fetch(`${server.url}/sns/jscode2session?${query}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    return JSON.parse(await res.text()) as Record<string, unknown>;
  };

  it('when a fresh code is exchanged, then it yields an openid, a session key and a unionid', async () => {
    const { status, body } = await authorize();
    expect(status).toBe(200);
    expect(body.code).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const session = await exchange({ js_code: body.code });
    expect(session).toEqual({
      openid: expect.stringMatching(/^o[A-Za-z0-9_-]{27}$/),
      session_key: expect.any(String),
      unionid: expect.stringMatching(/^u[A-Za-z0-9_-]{27}$/),
    });
  });

  it('when the same userKey logs in twice, then both logins give the same openid and unionid', async () => {
    const first = await exchange({ js_code: (await authorize({ userKey: 'alice' })).body.code });
    const second = await exchange({ js_code: (await authorize({ userKey: 'alice' })).body.code });
    const other = await exchange({ js_code: (await authorize({ userKey: 'bob' })).body.code });
    expect(second.openid).toBe(first.openid);
    expect(second.unionid).toBe(first.unionid);
    expect(other.openid).not.toBe(first.openid);
  });

  it('when no userKey is given, then each login is a new user', async () => {
    const a = await exchange({ js_code: (await authorize()).body.code });
    const b = await exchange({ js_code: (await authorize()).body.code });
    expect(a.openid).not.toBe(b.openid);
  });

  it('when a code is used a second time, then the answer is errcode 40163', async () => {
    const { code } = (await authorize({ userKey: 'carol' })).body;
    expect(await exchange({ js_code: code })).toHaveProperty('openid');
    expect(await exchange({ js_code: code })).toEqual({ errcode: 40163, errmsg: 'code been used' });
  });

  it('when a code was never issued, then the answer is errcode 40029', async () => {
    expect(await exchange({ js_code: 'never-issued' })).toEqual({ errcode: 40029, errmsg: 'invalid code' });
    expect(await exchange({})).toEqual({ errcode: 40029, errmsg: 'invalid code' });
  });

  it('when a code is exactly 5 minutes old, then it still works, and one millisecond later it does not', async () => {
    const fresh = (await authorize()).body.code;
    const stale = (await authorize()).body.code;
    clock.advance(LOGIN_CODE_TTL_MS);
    expect(await exchange({ js_code: fresh })).toHaveProperty('openid');
    clock.advance(1);
    expect(await exchange({ js_code: stale })).toEqual({ errcode: 40029, errmsg: 'invalid code' });
  });

  it('when the appid, secret or grant type is wrong, then the platform errcode says which', async () => {
    const code = (await authorize()).body.code;
    expect(await exchange({ js_code: code, appid: 'wx-other' })).toMatchObject({ errcode: 40013 });
    expect(await exchange({ js_code: code, secret: 'guess' })).toMatchObject({ errcode: 40125 });
    expect(await exchange({ js_code: code, grant_type: 'password' })).toMatchObject({ errcode: 40002 });
    expect(await exchange({ js_code: code })).toHaveProperty('openid');
  });

  it('when the authorize body is not the expected shape, then it answers 400', async () => {
    expect((await authorize({ userKey: 42 })).status).toBe(400);
    expect((await authorize({ userKey: 'x', extra: true })).status).toBe(400);
  });

  it('when the page calls authorize from a browser, then CORS lets it', async () => {
    const res = await fetch(`${server.url}/v1/authorize`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://127.0.0.1:10086', 'Access-Control-Request-Method': 'POST' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:10086');
  });
});
