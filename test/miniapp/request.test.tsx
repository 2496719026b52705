import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AppError } from '@eid/shared';
import { readJson, reply, startFakeBff, type FakeBff } from '../helpers/fake-bff';

/**
 * The request wrapper against a real HTTP server speaking the BFF's session contract: silent refresh on
 * TOKEN_EXPIRED with one refresh in flight, and a revoked session sending the resident back to the
 * welcome page. The server records what it was sent.
 */

type Mods = {
  request: typeof import('../../miniapp/src/services/request');
  session: typeof import('../../miniapp/src/services/session');
  Taro: { reLaunch: (o: { url: string }) => Promise<unknown> };
};

const enrollment = {
  state: 'consented',
  consent: { version: 'v1', at: 1 },
  attempts: {
    realName: { limit: 5, remaining: 5, unlockAt: null },
    face: { limit: 5, remaining: 5, unlockAt: null },
  },
};

function sessionBody(access: string, refresh: string) {
  return {
    tokenType: 'Bearer',
    accessToken: access,
    refreshToken: refresh,
    expiresIn: 900,
    resident: { id: 'r-1', enrollment },
  };
}

let bff: FakeBff;
let base = '';
const seen: { path: string; auth?: string }[] = [];
let refreshes = 0;

beforeAll(async () => {
  bff = await startFakeBff(async (req, res) => {
    seen.push({ path: req.url ?? '', auth: req.headers.authorization });
    if (req.url === '/api/v1/auth/refresh') {
      refreshes += 1;
      const { refreshToken } = await readJson(req);
      // A little latency, so concurrent callers really overlap.
      await new Promise((r) => setTimeout(r, 50));
      if (refreshToken === 'r1') return reply(res, 200, sessionBody('a2', 'r2'));
      return reply(res, 401, { code: 'REFRESH_TOKEN_REUSED', message: 'reused', requestId: 'x' });
    }
    if (req.url === '/api/v1/enrollment') {
      const auth = req.headers.authorization;
      if (auth === 'Bearer a2') return reply(res, 200, enrollment);
      if (auth === 'Bearer revoked')
        return reply(res, 401, { code: 'SESSION_REVOKED', message: 'x', requestId: 'x' });
      return reply(res, 401, { code: 'TOKEN_EXPIRED', message: 'expired', requestId: 'x' });
    }
    if (req.url === '/api/v1/staff/me') {
      const auth = req.headers.authorization;
      if (auth === 'Bearer staff-expired')
        return reply(res, 401, { code: 'TOKEN_EXPIRED', message: 'expired', requestId: 'x' });
      return reply(res, 403, { code: 'FORBIDDEN', message: 'not for this role', requestId: 'x' });
    }
    if (req.url === '/api/v1/broken') return reply(res, 500, { nonsense: true });
    reply(res, 404, { code: 'NOT_FOUND', message: 'no', requestId: 'x' });
  }, 'GET, POST, DELETE');
  base = bff.base;
});

afterAll(() => bff.close());

async function load(): Promise<Mods> {
  let mods: Mods | undefined;
  await jest.isolateModulesAsync(async () => {
    // The BFF's origin is fixed at build time; here it is the test server's.
    process.env.TARO_APP_API_BASE = base;
    mods = {
      request: await import('../../miniapp/src/services/request'),
      session: await import('../../miniapp/src/services/session'),
      Taro: (await import('@tarojs/taro')).default,
    };
  });
  return mods!;
}

beforeEach(() => {
  seen.length = 0;
  refreshes = 0;
  localStorage.clear();
});

describe('request', () => {
  it('when two requests meet an expired token together, then one refresh runs and both succeed', async () => {
    const { request, session } = await load();
    session.saveSession(sessionBody('a1', 'r1') as never, Date.now());
    const [one, two] = await Promise.all([
      request.request({ path: '/api/v1/enrollment' }),
      request.request({ path: '/api/v1/enrollment' }),
    ]);
    expect(one).toEqual(enrollment);
    expect(two).toEqual(enrollment);
    expect(refreshes).toBe(1);
    expect(session.sessionStore.get().tokens).toMatchObject({ accessToken: 'a2', refreshToken: 'r2' });
    expect(seen.filter((s) => s.path === '/api/v1/enrollment').map((s) => s.auth)).toEqual([
      'Bearer a1',
      'Bearer a1',
      'Bearer a2',
      'Bearer a2',
    ]);
  });

  it('when the access token has lapsed by the clock, then it is refreshed before the request leaves', async () => {
    const { request, session } = await load();
    const start = Date.UTC(2026, 10, 23, 8, 0, 0);
    request.requestClock.now = () => start;
    session.saveSession(sessionBody('a1', 'r1') as never, start);
    request.requestClock.now = () => start + 900 * 1000;
    await expect(request.request({ path: '/api/v1/enrollment' })).resolves.toEqual(enrollment);
    expect(seen.map((s) => s.path)).toEqual(['/api/v1/auth/refresh', '/api/v1/enrollment']);
    expect(seen[1]!.auth).toBe('Bearer a2');
  });

  it('when the refresh token was already spent, then the session ends and the welcome page explains why', async () => {
    const { request, session, Taro } = await load();
    const reLaunch = jest.spyOn(Taro, 'reLaunch').mockResolvedValue({});
    session.saveSession(sessionBody('a1', 'spent') as never, Date.now());
    await expect(request.request({ path: '/api/v1/enrollment' })).rejects.toMatchObject({
      code: 'REFRESH_TOKEN_REUSED',
    });
    expect(session.sessionStore.get()).toMatchObject({ tokens: null, signOutReason: 'revoked' });
    expect(localStorage.getItem('eid.session')).toBeNull();
    expect(reLaunch).toHaveBeenCalledWith({ url: '/pages/index/index' });
  });

  it('when the session was revoked elsewhere, then the resident is signed out with that reason', async () => {
    const { request, session, Taro } = await load();
    const reLaunch = jest.spyOn(Taro, 'reLaunch').mockResolvedValue({});
    session.saveSession(sessionBody('revoked', 'r1') as never, Date.now());
    await expect(request.request({ path: '/api/v1/enrollment' })).rejects.toMatchObject({
      code: 'SESSION_REVOKED',
    });
    expect(session.sessionStore.get().signOutReason).toBe('revoked');
    expect(refreshes).toBe(0);
    expect(reLaunch).toHaveBeenCalledTimes(1);
  });

  it('when a staff token has expired, then the staff session ends; a refusal by role keeps it', async () => {
    const { request } = await load();
    const session = (accessToken: string) => ({ accessToken, expiresAt: Date.now() + 60_000 }) as never;
    request.staffStore.set(session('staff-forbidden'));
    await expect(request.request({ path: '/api/v1/staff/me', auth: 'staff' })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    expect(request.staffStore.get()).not.toBeNull();
    request.staffStore.set(session('staff-expired'));
    await expect(request.request({ path: '/api/v1/staff/me', auth: 'staff' })).rejects.toMatchObject({
      code: 'TOKEN_EXPIRED',
    });
    expect(request.staffStore.get()).toBeNull();
  });

  it('when the server answers 500 without a code, then the error carries a stable code, not the body', async () => {
    const { request } = await load();
    const err = (await request.request({ path: '/api/v1/broken', auth: 'none' }).catch((e) => e)) as AppError;
    expect(err.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(err.status).toBe(500);
  });

  it('when nothing listens, then the failure is a network error with a stable code', async () => {
    const { request } = await load();
    // jsdom reports the refused connection on the console as a browser would; it is the point here.
    const quiet = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const err = (await request
      .request({ path: `http://127.0.0.1:${port}/api/v1/purposes`, auth: 'none' })
      .catch((e) => e)) as AppError;
    expect(err.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(err.details).toEqual({ network: true });
    quiet.mockRestore();
  });
});
