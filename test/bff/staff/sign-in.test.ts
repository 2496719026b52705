import jwt from 'jsonwebtoken';
import {
  DEFAULT_DEV_ADMIN,
  DEFAULT_DEV_AUDITOR,
  DEFAULT_DEV_STAFF,
  DEFAULT_DEV_SUPERVISOR,
  devStaffAccountOf as devStaffAccount,
  devStaffAdminOf,
  loadConfig,
} from '@eid/bff/config';
import { hashPassword, verifyPassword } from '@eid/bff/modules/staff/password';
import { DEV_STAFF, startStack, type Stack } from '../../helpers/stack';
import { login } from '../../helpers/identity';

describe('staff: terminal sign-in', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack.stop();
  });

  const staffLogin = (username: string, password: string) =>
    stack.api('POST', '/api/v1/staff/login', { body: { username, password } });

  it('when the development account signs in, then a staff token and the staff profile are returned', async () => {
    const res = await staffLogin(DEV_STAFF.username, DEV_STAFF.password);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.body).toEqual({
      accessToken: expect.any(String),
      expiresIn: 900,
      sessionEndsAt: stack.clock.now() + 12 * 3600 * 1000,
      staff: {
        id: expect.any(String),
        displayName: '济南市公安局历下分局 窗口 3',
        role: 'officer',
        org: expect.any(String),
        window: { id: `dev-${DEV_STAFF.username}`, name: '济南市公安局历下分局 窗口 3' },
      },
    });
    expect(JSON.stringify(res.body)).not.toContain('scrypt');
    const claims = jwt.decode(res.body.accessToken) as Record<string, unknown>;
    expect(claims).toMatchObject({ aud: 'staff', sub: res.body.staff.id, role: 'officer' });

    const me = await stack.api('GET', '/api/v1/staff/me', { token: res.body.accessToken });
    expect(me.status).toBe(200);
    expect(me.body).toEqual(res.body.staff);
  });

  it('when the stack boots, then the development supervisor and auditor sign in with their roles and badges, each announced loudly', async () => {
    for (const dev of [DEFAULT_DEV_SUPERVISOR, DEFAULT_DEV_AUDITOR]) {
      const res = await staffLogin(dev.username, dev.password);
      expect(res.status).toBe(200);
      expect(res.body.staff).toMatchObject({ role: dev.role, badge: dev.badge });
      const warning = stack.logs.map((l) => JSON.parse(l)).find((l) => l.staffUser === dev.username);
      expect(warning).toMatchObject({
        level: 'warn',
        msg: expect.stringContaining('DEVELOPMENT STAFF ACCOUNT'),
      });
    }
  });

  it('when the development account is created at boot, then a loud warning names it (and only it carries a password)', () => {
    const warning = stack.logs.map((l) => JSON.parse(l)).find((l) => /DEVELOPMENT STAFF ACCOUNT/.test(l.msg));
    expect(warning).toMatchObject({ level: 'warn', staffUser: DEV_STAFF.username });
    expect(warning.msg).toContain(DEV_STAFF.password);
  });

  it('when the password is wrong or the user unknown, then 401 CREDENTIALS_INVALID the same way', async () => {
    const wrong = await staffLogin(DEV_STAFF.username, 'not-the-password');
    const unknown = await staffLogin('nobody', 'whatever-password');
    for (const res of [wrong, unknown]) {
      expect(res.status).toBe(401);
      expect(res.body).toEqual({
        code: 'CREDENTIALS_INVALID',
        message: wrong.body.message,
        requestId: expect.any(String),
      });
    }
  });

  it('when a resident token is presented to a staff route, then 401 TOKEN_INVALID, and a staff token to a resident route likewise', async () => {
    const resident = await login(stack);
    const asResident = await stack.api('GET', '/api/v1/staff/me', { token: resident.accessToken });
    expect(asResident.status).toBe(401);
    expect(asResident.body.code).toBe('TOKEN_INVALID');

    const staff = await staffLogin(DEV_STAFF.username, DEV_STAFF.password);
    for (const path of ['/api/v1/enrollment', '/api/v1/usage']) {
      const asStaff = await stack.api('GET', path, { token: staff.body.accessToken });
      expect(asStaff.status).toBe(401);
      expect(asStaff.body.code).toBe('TOKEN_INVALID');
    }
  });

  it('when admin or third-party tokens are presented to a staff route, then 401 TOKEN_INVALID', async () => {
    const staff = await staffLogin(DEV_STAFF.username, DEV_STAFF.password);
    for (const audience of ['admin', 'third_party', 'reauth'] as const) {
      const token = stack.deps.keys.signToken(
        { sub: staff.body.staff.id, role: 'officer' },
        { audience, ttlSeconds: 900 },
      );
      const res = await stack.api('GET', '/api/v1/staff/me', { token });
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('TOKEN_INVALID');
    }
  });

  it('when a staff token names a role the account does not have, then 401 SESSION_REVOKED', async () => {
    const staff = await staffLogin(DEV_STAFF.username, DEV_STAFF.password);
    const forged = stack.deps.keys.signToken(
      { sub: staff.body.staff.id, role: 'supervisor' },
      { audience: 'staff', ttlSeconds: 900 },
    );
    const res = await stack.api('GET', '/api/v1/staff/me', { token: forged });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('SESSION_REVOKED');
  });

  it('when the staff token is older than its lifetime, then TOKEN_EXPIRED', async () => {
    const staff = await staffLogin(DEV_STAFF.username, DEV_STAFF.password);
    stack.clock.advance(901 * 1000);
    try {
      const res = await stack.api('GET', '/api/v1/staff/me', { token: staff.body.accessToken });
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('TOKEN_EXPIRED');
    } finally {
      stack.clock.advance(-901 * 1000);
    }
  });
});

describe('staff: accounts and passwords', () => {
  it('when the configuration is for production, then no development account exists', () => {
    expect(devStaffAccount({ NODE_ENV: 'production', STAFF_DEV_ACCOUNT: undefined })).toBeNull();
    expect(devStaffAccount({ NODE_ENV: 'development', STAFF_DEV_ACCOUNT: undefined })).toEqual(
      DEFAULT_DEV_STAFF,
    );
    expect(() => loadConfig({ NODE_ENV: 'production', STAFF_DEV_ACCOUNT: 'a:b:officer:c' })).toThrow();
    // Nor the development supervisor.
    expect(devStaffAdminOf({ NODE_ENV: 'production', STAFF_DEV_ADMIN: undefined })).toBeNull();
    expect(devStaffAdminOf({ NODE_ENV: 'development', STAFF_DEV_ADMIN: undefined })).toEqual(
      DEFAULT_DEV_ADMIN,
    );
    expect(() => loadConfig({ NODE_ENV: 'production', STAFF_DEV_ADMIN: 'a:b:supervisor:c' })).toThrow();
  });

  it('when the configuration is not for production, then a supervisor and an auditor development account come too (a username the others take left out)', () => {
    expect(loadConfig({ NODE_ENV: 'development' }).staffDevOthers).toEqual([
      DEFAULT_DEV_SUPERVISOR,
      DEFAULT_DEV_AUDITOR,
    ]);
    const taken = loadConfig({ NODE_ENV: 'test', STAFF_DEV_ACCOUNT: 'super01:pw-s:officer:窗口 1' });
    expect(taken.staffDevOthers.map((d) => d.username)).toEqual(['audit01']);
    expect(
      [DEFAULT_DEV_STAFF, DEFAULT_DEV_ADMIN, DEFAULT_DEV_SUPERVISOR, DEFAULT_DEV_AUDITOR].map((d) => d.role),
    ).toEqual(['officer', 'administrator', 'supervisor', 'auditor']);
  });

  it('when STAFF_DEV_ACCOUNT is malformed, then the account is refused with a message naming the variable', () => {
    expect(() => devStaffAccount({ NODE_ENV: 'test', STAFF_DEV_ACCOUNT: 'a:b:admin:c' })).toThrow(
      /STAFF_DEV_ACCOUNT/,
    );
  });

  it('when a password is hashed, then only that password verifies and the hash is salted', async () => {
    const a = await hashPassword('correct horse');
    const b = await hashPassword('correct horse');
    expect(a).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9_-]+\$[A-Za-z0-9_-]+$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('correct horse', a)).toBe(true);
    expect(await verifyPassword('correct horse!', a)).toBe(false);
    expect(await verifyPassword('correct horse', 'plain-text')).toBe(false);
  });
});
