import jwt from 'jsonwebtoken';
import { loadConfig } from '@eid/bff/config';
import { expectError } from '../../helpers/enrollment';
import { DEV_STAFF, startStack, type Stack } from '../../helpers/stack';

const MIN = 60_000;
const HOUR = 60 * MIN;

/**
 * Issue 19 §1: a staff session ends after 15 minutes idle or 12 hours after sign-in at most, at sign-out,
 * or when an administrator revokes it; a short-lived token is renewed while the session lives. Driven by
 * the stack's manual clock.
 */
describe('staff sessions: idle and absolute limits, refresh, sign-out', () => {
  let stack: Stack;
  // Tokens living an hour, so the session's own limits are what ends them (not the token's lifetime).
  beforeAll(async () => {
    stack = await startStack({ env: { ACCESS_TOKEN_TTL_S: '3600' } });
  });
  afterAll(async () => {
    await stack.stop();
  });

  const signIn = async () => {
    const res = await stack.api('POST', '/api/v1/staff/login', { body: DEV_STAFF });
    expect(res.status).toBe(200);
    return res.body as { accessToken: string; expiresIn: number; sessionEndsAt: number };
  };
  const me = (token: string) => stack.api('GET', '/api/v1/staff/me', { token });
  const refresh = (token: string) => stack.api('POST', '/api/v1/staff/session/refresh', { token, body: {} });

  it('when a token is issued, then it names its session and the session’s absolute end is 12 h after sign-in', async () => {
    const started = stack.clock.now();
    const session = await signIn();
    const claims = jwt.decode(session.accessToken) as Record<string, unknown>;
    expect(claims.sid).toEqual(expect.any(String));
    expect(session.sessionEndsAt).toBe(started + 12 * HOUR);
    expect(session.expiresIn).toBe(3600);
  });

  it('when a session has no request for 15 minutes, then its token answers 401 SESSION_REVOKED; a request before keeps it alive', async () => {
    const busy = (await signIn()).accessToken;
    const idle = (await signIn()).accessToken;
    stack.clock.advance(14 * MIN);
    expect((await me(busy)).status).toBe(200);
    stack.clock.advance(MIN + 1000);
    expectError(await me(idle), 401, 'SESSION_REVOKED');
    expect((await me(busy)).status).toBe(200);
    stack.clock.advance(15 * MIN);
    expectError(await me(busy), 401, 'SESSION_REVOKED');
    // Refreshing an idle session is refused too: it is over.
    expectError(await refresh(busy), 401, 'SESSION_REVOKED');
  });

  it('when a session is refreshed, then a fresh token of the same session comes back and refreshing counts as activity', async () => {
    const first = await signIn();
    stack.clock.advance(10 * MIN);
    const renewed = await refresh(first.accessToken);
    expect(renewed.status).toBe(200);
    expect(renewed.headers.get('cache-control')).toBe('no-store');
    expect(renewed.body).toMatchObject({ expiresIn: 3600, sessionEndsAt: first.sessionEndsAt });
    const a = jwt.decode(first.accessToken) as Record<string, unknown>;
    const b = jwt.decode(renewed.body.accessToken) as Record<string, unknown>;
    expect(b.sid).toBe(a.sid);
    expect(b.exp).toBeGreaterThan(a.exp as number);
    // 24 min after sign-in, 14 after the refresh: alive.
    stack.clock.advance(14 * MIN);
    expect((await me(renewed.body.accessToken)).status).toBe(200);
  });

  it('when a session is kept busy for 12 hours, then it ends at its absolute limit however busy, and tokens never outlive it', async () => {
    const session = await signIn();
    let token = session.accessToken;
    let last: { expiresIn: number } = session;
    while (stack.clock.now() + 10 * MIN < session.sessionEndsAt) {
      stack.clock.advance(10 * MIN);
      const res = await refresh(token);
      expect(res.status).toBe(200);
      token = res.body.accessToken;
      last = res.body;
    }
    // The last refresh's token ends with the session, not an hour later.
    expect(last.expiresIn).toBeLessThanOrEqual(Math.ceil((session.sessionEndsAt - stack.clock.now()) / 1000));
    expect((await me(token)).status).toBe(200);
    stack.clock.set(session.sessionEndsAt - 1000);
    expect((await me(token)).status).toBe(200);
    stack.clock.set(session.sessionEndsAt + 1000);
    const after = await me(token);
    expect(after.status).toBe(401);
    expect(['SESSION_REVOKED', 'TOKEN_EXPIRED']).toContain(after.body.code);
  });

  it('when a staff member signs out, then that session’s token answers 401 SESSION_REVOKED and another session is untouched', async () => {
    const leaving = (await signIn()).accessToken;
    const staying = (await signIn()).accessToken;
    const out = await stack.api('POST', '/api/v1/staff/logout', { token: leaving, body: {} });
    expect(out.status).toBe(204);
    expectError(await me(leaving), 401, 'SESSION_REVOKED');
    expectError(await refresh(leaving), 401, 'SESSION_REVOKED');
    expect((await me(staying)).status).toBe(200);
  });

  it('when another process revoked a session, then this one refuses it within ACTIVE_CACHE_MS', async () => {
    const token = (await signIn()).accessToken;
    expect((await me(token)).status).toBe(200);
    const { sid } = jwt.decode(token) as { sid: string };
    // Written to the database directly, as another BFF process would.
    await stack.deps.db
      .collection('staff_sessions')
      .updateOne({ _id: sid as never }, { $set: { endedAt: stack.clock.now(), endedBy: 'revoked' } });
    stack.clock.advance(2_000);
    expectError(await me(token), 401, 'SESSION_REVOKED');
  });

  it('when requests come often, then activity is written at most once a minute per session', async () => {
    const token = (await signIn()).accessToken;
    const { sid } = jwt.decode(token) as { sid: string };
    const lastSeen = async () =>
      (await stack.deps.db.collection('staff_sessions').findOne({ _id: sid as never }))!.lastSeenAt as number;
    const started = await lastSeen();
    for (let i = 0; i < 5; i += 1) {
      stack.clock.advance(10_000);
      expect((await me(token)).status).toBe(200);
    }
    expect(await lastSeen()).toBe(started);
    stack.clock.advance(15_000);
    expect((await me(token)).status).toBe(200);
    expect(await lastSeen()).toBe(stack.clock.now());
  });

  it('when a token names no session (one minted before sessions), then 401 SESSION_REVOKED', async () => {
    const session = await stack.api('POST', '/api/v1/staff/login', { body: DEV_STAFF });
    const bare = stack.deps.keys.signToken(
      { sub: session.body.staff.id, role: 'officer' },
      { audience: 'staff', ttlSeconds: 900 },
    );
    expectError(await me(bare), 401, 'SESSION_REVOKED');
  });
});

describe('staff sessions: configuration', () => {
  it('when the idle or absolute limit is out of bounds, then boot stops naming the variable', () => {
    expect(loadConfig({ NODE_ENV: 'test' })).toMatchObject({
      STAFF_IDLE_TIMEOUT_S: 900,
      STAFF_SESSION_MAX_S: 43200,
    });
    expect(() => loadConfig({ NODE_ENV: 'test', STAFF_IDLE_TIMEOUT_S: '3600' })).toThrow(
      /STAFF_IDLE_TIMEOUT_S/,
    );
    expect(() => loadConfig({ NODE_ENV: 'test', STAFF_SESSION_MAX_S: '86400' })).toThrow(
      /STAFF_SESSION_MAX_S/,
    );
  });
});
