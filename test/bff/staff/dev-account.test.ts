import { randomBytes, randomUUID } from 'node:crypto';
import { ConfigError, DEFAULT_DEV_STAFF, loadConfig } from '@eid/bff/config';
import { main } from '@eid/bff/server';
import { hashPassword } from '@eid/bff/modules/staff/password';
import { createStaffRepository } from '@eid/bff/modules/staff/staff.repository';
import { startStack, type Stack } from '../../helpers/stack';

/** The development staff account: parsed at boot with the rest of the configuration, and only the configured one works. */
describe('staff: the development account', () => {
  it.each([
    ['a role that does not exist', 'window7:pw-7:admin:窗口 7'],
    ['no separators at all', 'window7'],
    ['no display name', 'window7:pw-7:verifier'],
    ['an empty password', 'window7::verifier:窗口 7'],
    ['a username the sign-in route refuses', 'window 7:pw-7:verifier:窗口 7'],
    ['a display name with a control character', 'window7:pw-7:verifier:窗口\u00077'],
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
        env: { STAFF_DEV_ACCOUNT: `${OLD.username}:${OLD.password}:verifier:旧窗口` },
      });
      const old = await signIn(first, OLD);
      expect(old.status).toBe(200);
      oldToken = old.body.accessToken;
      // An account that is not a development one, as an administrator would create it.
      await createStaffRepository(first.deps.db).upsert({
        id: randomUUID(),
        username: REAL.username,
        passwordHash: await hashPassword(REAL.password),
        role: 'verifier',
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
        env: { STAFF_DEV_ACCOUNT: `${NEW.username}:${NEW.password}:verifier:新窗口` },
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
});
