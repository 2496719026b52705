import { randomBytes } from 'node:crypto';
import { TOTP, URI } from 'otpauth';
import { STAFF_ROLES, type StaffAccountView, type StaffRole } from '@eid/shared';
import { staffToken } from '../../helpers/party';
import { expectError } from '../../helpers/enrollment';
import { startStack, type Stack } from '../../helpers/stack';

const ADMIN = '/api/v1/admin/staff';

/**
 * Issue 19 §1: the administrator creates staff accounts and manages them (role, disabling, window, TOTP
 * reset, sessions); nobody does it to themselves, and no other role does it at all.
 */
describe('staff accounts: the administrator manages them', () => {
  let stack: Stack;
  let admin: string;
  let adminId: string;
  beforeAll(async () => {
    stack = await startStack();
    admin = await staffToken(stack, 'administrator');
    adminId = (await stack.api('GET', '/api/v1/staff/me', { token: admin })).body.id;
  });
  afterAll(async () => {
    await stack.stop();
  });

  const badge = () => String(100000 + (randomBytes(3).readUIntBE(0, 3) % 800000));
  const newAccount = (role: StaffRole, extra: Record<string, unknown> = {}) => {
    const tag = randomBytes(4).toString('hex');
    return {
      username: `u-${tag}`,
      password: `initial-${tag}-pw`,
      role,
      displayName: `窗口 ${tag.slice(0, 2)}`,
      org: '济南市公安局历下分局',
      badge: badge(),
      ...extra,
    };
  };
  const create = async (role: StaffRole, extra: Record<string, unknown> = {}) => {
    const body = newAccount(role, extra);
    const res = await stack.api('POST', ADMIN, { token: admin, body });
    expect(res.status).toBe(201);
    return { body, view: res.body as StaffAccountView };
  };
  const signIn = (username: string, password: string) =>
    stack.api('POST', '/api/v1/staff/login', { body: { username, password } });
  const act = (id: string, action: string, body: unknown = {}, token = admin) =>
    stack.api('POST', `${ADMIN}/${id}/${action}`, { token, body });

  it('when an administrator creates an account of each role, then each signs in with its role and badge, and no hash or secret is shown', async () => {
    for (const role of STAFF_ROLES) {
      const { body, view } = await create(role, { window: { id: 'w-3', name: '3 号窗口' } });
      expect(view).toEqual({
        id: expect.any(String),
        username: body.username,
        role,
        displayName: body.displayName,
        org: body.org,
        badge: body.badge,
        window: { id: 'w-3', name: '3 号窗口' },
        disabled: false,
        totp: 'none',
        signIn: { failures: 0, locked: false },
        createdAt: stack.clock.now(),
      });
      const session = await signIn(body.username, body.password);
      expect(session.status).toBe(200);
      expect(session.body.staff).toMatchObject({ id: view.id, role, badge: body.badge });
      // What the usage module reads for "which officer's badge number".
      expect((await stack.services.staff.profile(view.id)).badge).toBe(body.badge);
    }
    const list = await stack.api('GET', ADMIN, { token: admin });
    expect(list.status).toBe(200);
    expect(list.headers.get('cache-control')).toBe('no-store');
    expect(list.body.accounts.length).toBeGreaterThanOrEqual(STAFF_ROLES.length);
    expect(JSON.stringify(list.body)).not.toMatch(/scrypt|passwordHash|sealed|recovery/);
    const one = list.body.accounts[0] as StaffAccountView;
    expect((await stack.api('GET', `${ADMIN}/${one.id}`, { token: admin })).body).toEqual(one);
    expectError(await stack.api('GET', `${ADMIN}/nobody-here`, { token: admin }), 404, 'NOT_FOUND');
  });

  it('when the username or badge is taken, or the badge is not six digits, then 409 CONFLICT or 400', async () => {
    const { body } = await create('officer');
    const sameName = await stack.api('POST', ADMIN, {
      token: admin,
      body: { ...newAccount('officer'), username: body.username },
    });
    expectError(sameName, 409, 'CONFLICT');
    expect(sameName.body.details.field).toBe('username');
    const sameBadge = await stack.api('POST', ADMIN, {
      token: admin,
      body: { ...newAccount('officer'), badge: body.badge },
    });
    expectError(sameBadge, 409, 'CONFLICT');
    expect(sameBadge.body.details.field).toBe('badge');
    for (const bad of [{ badge: '12345' }, { badge: '12345a' }, { password: 'short' }, { role: 'root' }]) {
      const res = await stack.api('POST', ADMIN, {
        token: admin,
        body: { ...newAccount('officer'), ...bad },
      });
      expectError(res, 400, 'VALIDATION_FAILED');
    }
  });

  it('when a role other than administrator manages accounts, then 403 FORBIDDEN', async () => {
    const { view } = await create('officer');
    for (const role of STAFF_ROLES.filter((r) => r !== 'administrator')) {
      const token = await staffToken(stack, role);
      expectError(await stack.api('POST', ADMIN, { token, body: newAccount('officer') }), 403, 'FORBIDDEN');
      expectError(await stack.api('GET', ADMIN, { token }), 403, 'FORBIDDEN');
      for (const action of [
        'role',
        'disable',
        'enable',
        'window',
        'totp/reset',
        'sessions/revoke',
        'unlock',
      ]) {
        expectError(await act(view.id, action, {}, token), 403, 'FORBIDDEN');
      }
      expectError(await stack.api('GET', `${ADMIN}/${view.id}`, { token }), 403, 'FORBIDDEN');
    }
    // Nothing happened to the account.
    const after = await stack.api('GET', `${ADMIN}/${view.id}`, { token: admin });
    expect(after.body).toMatchObject({ role: 'officer', disabled: false });
    expectError(await stack.api('GET', ADMIN), 401, 'UNAUTHENTICATED');
  });

  it('when an administrator changes their own role, disables or resets themselves, then 403 FORBIDDEN (self)', async () => {
    for (const [action, body] of [
      ['role', { role: 'supervisor' }],
      ['disable', {}],
      ['enable', {}],
      ['totp/reset', {}],
    ] as const) {
      const res = await act(adminId, action, body);
      expectError(res, 403, 'FORBIDDEN');
      expect(res.body.details).toEqual({ reason: 'self' });
    }
    const me = await stack.api('GET', '/api/v1/staff/me', { token: admin });
    expect(me.body.role).toBe('administrator');
  });

  it('when an account’s role changes, then its tokens stop at once and the next sign-in has the new role', async () => {
    const { body, view } = await create('officer');
    const token = (await signIn(body.username, body.password)).body.accessToken;
    expect((await stack.api('GET', '/api/v1/staff/me', { token })).status).toBe(200);
    const changed = await act(view.id, 'role', { role: 'supervisor' });
    expect([changed.status, changed.body.role]).toEqual([200, 'supervisor']);
    expectError(await stack.api('GET', '/api/v1/staff/me', { token }), 401, 'SESSION_REVOKED');
    const again = await signIn(body.username, body.password);
    expect(again.body.staff.role).toBe('supervisor');
  });

  it('when an account is disabled, then its session ends and it cannot sign in; enabled, it can again', async () => {
    const { body, view } = await create('officer');
    const token = (await signIn(body.username, body.password)).body.accessToken;
    const disabled = await act(view.id, 'disable');
    expect([disabled.status, disabled.body.disabled]).toEqual([200, true]);
    expectError(await stack.api('GET', '/api/v1/staff/me', { token }), 401, 'SESSION_REVOKED');
    expectError(await signIn(body.username, body.password), 401, 'CREDENTIALS_INVALID');
    expect((await act(view.id, 'enable')).body.disabled).toBe(false);
    // The old session stays ended: enabling never brings a token back.
    expectError(await stack.api('GET', '/api/v1/staff/me', { token }), 401, 'SESSION_REVOKED');
    expect((await signIn(body.username, body.password)).status).toBe(200);
  });

  it('when an account’s TOTP is reset, then its sessions end, it signs in without a code and must enrol again', async () => {
    const { body, view } = await create('officer');
    const first = (await signIn(body.username, body.password)).body.accessToken;
    const enrolment = await stack.api('POST', '/api/v1/staff/totp/enrol', { token: first, body: {} });
    const app = URI.parse(enrolment.body.otpauthUri) as TOTP;
    const confirmed = await stack.api('POST', '/api/v1/staff/totp/confirm', {
      token: first,
      body: { code: app.generate({ timestamp: stack.clock.now() }) },
    });
    expect(confirmed.status).toBe(200);
    expectError(await signIn(body.username, body.password), 401, 'TOTP_REQUIRED');
    expect((await stack.api('GET', `${ADMIN}/${view.id}`, { token: admin })).body.totp).toBe('confirmed');

    const reset = await act(view.id, 'totp/reset');
    expect([reset.status, reset.body.totp]).toEqual([200, 'none']);
    expectError(
      await stack.api('GET', '/api/v1/staff/me', { token: confirmed.body.accessToken }),
      401,
      'SESSION_REVOKED',
    );
    const after = await signIn(body.username, body.password);
    expect(after.status).toBe(200);
    const again = await stack.api('POST', '/api/v1/staff/totp/enrol', {
      token: after.body.accessToken,
      body: {},
    });
    expect(again.status).toBe(200);
  });

  it('when an administrator revokes an account’s sessions, then every token of it answers 401 SESSION_REVOKED', async () => {
    const { body, view } = await create('officer');
    const a = (await signIn(body.username, body.password)).body.accessToken;
    const b = (await signIn(body.username, body.password)).body.accessToken;
    const revoked = await act(view.id, 'sessions/revoke');
    expect(revoked.body).toEqual({ revoked: 2 });
    for (const token of [a, b]) {
      expectError(await stack.api('GET', '/api/v1/staff/me', { token }), 401, 'SESSION_REVOKED');
      expectError(
        await stack.api('POST', '/api/v1/staff/session/refresh', { token, body: {} }),
        401,
        'SESSION_REVOKED',
      );
    }
    expect((await signIn(body.username, body.password)).status).toBe(200);
  });

  it('when the window is set or cleared, then the profile follows', async () => {
    const { body, view } = await create('officer');
    const set = await act(view.id, 'window', { window: { id: 'w-9', name: '9 号窗口' } });
    expect(set.body.window).toEqual({ id: 'w-9', name: '9 号窗口' });
    expect((await signIn(body.username, body.password)).body.staff.window).toEqual({
      id: 'w-9',
      name: '9 号窗口',
    });
    const cleared = await act(view.id, 'window', { window: null });
    expect(cleared.body.window).toBeUndefined();
    expectError(await act(view.id, 'window', { window: { id: 'w 9', name: 'x' } }), 400, 'VALIDATION_FAILED');
  });
});
