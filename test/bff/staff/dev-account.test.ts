import { randomBytes, randomUUID } from 'node:crypto';
import { ConfigError, DEFAULT_DEV_ADMIN, DEFAULT_DEV_STAFF, loadConfig } from '@eid/bff/config';
import { main } from '@eid/bff/server';
import { hashPassword } from '@eid/bff/modules/staff/password';
import { createStaffRepository } from '@eid/bff/modules/staff/staff.repository';
import { DEV_STAFF, startStack, type Stack } from '../../helpers/stack';

/** The development staff account: parsed at boot with the rest of the configuration, and only the configured one works. */
describe('staff: the development account', () => {
  it.each([
    ['a role that does not exist', 'window7:pw-7:admin:窗口 7'],
    ['no separators at all', 'window7'],
    ['no display name', 'window7:pw-7:officer'],
    ['an empty password', 'window7::officer:窗口 7'],
    ['a username the sign-in route refuses', 'window 7:pw-7:officer:窗口 7'],
    ['a display name with a control character', 'window7:pw-7:officer:窗口\u00077'],
  ])('when STAFF_DEV_ACCOUNT has %s, then the configuration is refused naming the variable', (_, value) => {
    let caught: unknown;
    try {
      loadConfig({ NODE_ENV: 'development', STAFF_DEV_ACCOUNT: value });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).variable).toBe('STAFF_DEV_ACCOUNT');
    expect((caught as Error).message).toMatch(
      /^Invalid configuration: STAFF_DEV_ACCOUNT must be username:password:role/,
    );
    // The password is never repeated in the message.
    if (value.includes('pw-7')) expect((caught as Error).message).not.toContain('pw-7');
  });

  it('when STAFF_DEV_ACCOUNT is malformed, then the BFF does not boot (no database, no port)', async () => {
    const outcome = await main({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      PORT: '0',
      MONGODB_URI: process.env.MONGODB_URI,
      MONGODB_DB: `t_${randomBytes(6).toString('hex')}`,
      STAFF_DEV_ACCOUNT: 'window7:pw-7:admin:窗口 7',
    }).then(
      async (started) => {
        await started.close();
        return 'booted';
      },
      (err: unknown) => err,
    );
    expect(outcome).toBeInstanceOf(ConfigError);
    expect((outcome as ConfigError).variable).toBe('STAFF_DEV_ACCOUNT');
  });

  it('when the configuration names an account, then config says which one (and the default one when unset)', () => {
    expect(
      loadConfig({ NODE_ENV: 'development', STAFF_DEV_ACCOUNT: 'window7:pw-7:supervisor:窗口 7: 二楼' })
        .staffDevAccount,
    ).toEqual({
      username: 'window7',
      password: 'pw-7',
      role: 'supervisor',
      displayName: '窗口 7: 二楼',
      org: DEFAULT_DEV_STAFF.org,
    });
    expect(loadConfig({ NODE_ENV: 'development' }).staffDevAccount).toEqual(DEFAULT_DEV_STAFF);
  });

  describe('when STAFF_DEV_ACCOUNT changes between two boots on the same database', () => {
    const dbName = `t_${randomBytes(6).toString('hex')}`;
    const OLD = { username: 'oldwindow', password: 'old-dev-password' };
    const NEW = { username: 'newwindow', password: 'new-dev-password' };
    const REAL = { username: 'realdesk', password: 'real-desk-password' };
    let first: Stack | undefined;
    let second: Stack | undefined;
    let oldToken = '';
    let realToken = '';

    const signIn = (stack: Stack, who: { username: string; password: string }) =>
      stack.api('POST', '/api/v1/staff/login', { body: who });

    beforeAll(async () => {
      first = await startStack({
        dbName,
        keepDatabase: true,
        env: { STAFF_DEV_ACCOUNT: `${OLD.username}:${OLD.password}:officer:旧窗口` },
      });
      const old = await signIn(first, OLD);
      expect(old.status).toBe(200);
      oldToken = old.body.accessToken;
      // An account that is not a development one, as an administrator would create it.
      await createStaffRepository(first.deps.db).upsert({
        id: randomUUID(),
        username: REAL.username,
        passwordHash: await hashPassword(REAL.password),
        role: 'officer',
        displayName: '历下分局 窗口 1',
        org: '济南市公安局历下分局',
        dev: false,
        disabled: false,
        createdAt: first.clock.now(),
      });
      realToken = (await signIn(first, REAL)).body.accessToken;
      await first.stop();
      first = undefined;
      second = await startStack({
        dbName,
        env: { STAFF_DEV_ACCOUNT: `${NEW.username}:${NEW.password}:officer:新窗口` },
      });
      await second.services.staff.devAccountReady;
    });
    afterAll(async () => {
      await first?.stop();
      await second?.stop();
    });

    it('then the previous development account can no longer sign in', async () => {
      const res = await signIn(second!, OLD);
      expect([res.status, res.body.code]).toEqual([401, 'CREDENTIALS_INVALID']);
    });

    it('then a token the previous account already holds no longer checks cards', async () => {
      const me = await second!.api('GET', '/api/v1/staff/me', { token: oldToken });
      expect(me.status).toBe(401);
      const check = await second!.api('POST', '/api/v1/verify', {
        token: oldToken,
        body: { code: 'not-a-code', purpose: 'hotel_check_in' },
      });
      expect(check.status).toBe(401);
    });

    it('then the configured account signs in, and so do accounts that are not development ones', async () => {
      expect((await signIn(second!, NEW)).status).toBe(200);
      expect((await signIn(second!, REAL)).status).toBe(200);
      expect((await second!.api('GET', '/api/v1/staff/me', { token: realToken })).status).toBe(200);
    });

    it('then the boot says, without names or passwords, that it disabled an account', () => {
      const line = second!.logs
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .find((l) => /no longer names/.test(String(l.msg)));
      expect(line).toMatchObject({ level: 'warn', disabled: 1 });
      expect(JSON.stringify(line)).not.toContain(OLD.password);
    });
  });

  describe('the development supervisor (STAFF_DEV_ADMIN)', () => {
    it.each([
      ['a role that does not exist', 'admin7:pw-7:admin:管理员 7'],
      ['no display name', 'admin7:pw-7:supervisor'],
      ['a username the sign-in route refuses', 'admin 7:pw-7:supervisor:管理员 7'],
    ])('when STAFF_DEV_ADMIN has %s, then the configuration is refused naming the variable', (_, value) => {
      let caught: unknown;
      try {
        loadConfig({ NODE_ENV: 'development', STAFF_DEV_ADMIN: value });
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(ConfigError);
      expect((caught as ConfigError).variable).toBe('STAFF_DEV_ADMIN');
      expect((caught as Error).message).toMatch(
        /^Invalid configuration: STAFF_DEV_ADMIN must be username:password:role/,
      );
      expect((caught as Error).message).not.toContain('pw-7');
    });

    it('when unset outside production, then it is admin01, an administrator; in production there is none and setting it stops boot', () => {
      expect(DEFAULT_DEV_ADMIN).toMatchObject({
        username: 'admin01',
        password: 'admin01-dev-password',
        role: 'administrator',
        displayName: '开发环境管理员 (dev admin)',
      });
      expect(loadConfig({ NODE_ENV: 'development' }).staffDevAdmin).toEqual(DEFAULT_DEV_ADMIN);
      expect(
        loadConfig({ NODE_ENV: 'test', STAFF_DEV_ADMIN: 'boss:pw-b:supervisor:主管: 三楼' }).staffDevAdmin,
      ).toEqual({
        username: 'boss',
        password: 'pw-b',
        role: 'supervisor',
        displayName: '主管: 三楼',
        org: DEFAULT_DEV_STAFF.org,
      });
      let caught: unknown;
      try {
        loadConfig({ NODE_ENV: 'production', STAFF_DEV_ADMIN: 'boss:pw-b:supervisor:主管' });
      } catch (err) {
        caught = err;
      }
      // The first missing production key or the dev admin: either way production does not start with it.
      expect(caught).toBeInstanceOf(ConfigError);
    });

    it('when it names the same username as STAFF_DEV_ACCOUNT, then the configuration is refused naming STAFF_DEV_ADMIN', () => {
      let caught: unknown;
      try {
        loadConfig({
          NODE_ENV: 'development',
          STAFF_DEV_ACCOUNT: 'desk:pw-1:officer:窗口',
          STAFF_DEV_ADMIN: 'desk:pw-2:supervisor:主管',
        });
      } catch (err) {
        caught = err;
      }
      expect((caught as ConfigError).variable).toBe('STAFF_DEV_ADMIN');
    });

    describe('when the BFF boots, and boots again with another STAFF_DEV_ADMIN on the same database', () => {
      const dbName = `t_${randomBytes(6).toString('hex')}`;
      const FIRST = { username: 'admin-a', password: 'admin-a-dev-password' };
      const SECOND = { username: 'admin-b', password: 'admin-b-dev-password' };
      let first: Stack | undefined;
      let second: Stack | undefined;
      let firstStatus = 0;
      let firstAdminStatus = 0;
      let verifierAdminStatus = 0;

      beforeAll(async () => {
        first = await startStack({
          dbName,
          keepDatabase: true,
          env: { STAFF_DEV_ADMIN: `${FIRST.username}:${FIRST.password}:administrator:主管 A` },
        });
        const admin = await first.api('POST', '/api/v1/staff/login', { body: FIRST });
        firstStatus = admin.status;
        firstAdminStatus = (
          await first.api('GET', '/api/v1/admin/parties', { token: admin.body.accessToken })
        ).status;
        // The officer account of STAFF_DEV_ACCOUNT is still there beside it, and is no admin.
        const desk = await first.api('POST', '/api/v1/staff/login', {
          body: DEV_STAFF,
        });
        verifierAdminStatus = (
          await first.api('GET', '/api/v1/admin/parties', { token: desk.body.accessToken })
        ).status;
        await first.stop();
        first = undefined;
        second = await startStack({
          dbName,
          env: { STAFF_DEV_ADMIN: `${SECOND.username}:${SECOND.password}:administrator:主管 B` },
        });
        await second.services.staff.devAccountReady;
      });
      afterAll(async () => {
        await first?.stop();
        await second?.stop();
      });

      it('then the configured supervisor signs in and may use the admin API, the verifier may not', () => {
        expect(firstStatus).toBe(200);
        expect(firstAdminStatus).toBe(200);
        expect(verifierAdminStatus).toBe(403);
      });

      it('then the previous one no longer signs in, the new one and the verifier do', async () => {
        const old = await second!.api('POST', '/api/v1/staff/login', { body: FIRST });
        expect([old.status, old.body.code]).toEqual([401, 'CREDENTIALS_INVALID']);
        expect((await second!.api('POST', '/api/v1/staff/login', { body: SECOND })).status).toBe(200);
        expect((await second!.api('POST', '/api/v1/staff/login', { body: DEV_STAFF })).status).toBe(200);
      });
    });
  });
});
