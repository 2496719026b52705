import { request } from 'node:http';
import { randomBytes } from 'node:crypto';
import { hashPassword } from '@eid/bff/modules/staff/password';
import {
  ACCOUNT_FREE_FAILURES,
  LOCK_AFTER_FAILURES,
  MAX_DELAY_S,
  PAIR_FREE_FAILURES,
} from '@eid/bff/modules/staff/sign-in-throttle';
import { createStaffRepository } from '@eid/bff/modules/staff/staff.repository';
import { staffToken } from '../../helpers/party';
import { startStack, type Stack } from '../../helpers/stack';

const OFFICE = '127.0.0.1';
const STRANGER = '127.0.0.2';

interface Answer {
  status: number;
  code?: string;
  retryAfter: string | undefined;
  details?: Record<string, unknown>;
}

/**
 * Issue 19 §1, NIST SP 800-63B §5.2.2: failed staff sign-ins earn growing delays per username and address
 * first, then per username; 100 consecutive failures lock the account until an administrator unlocks it; a
 * success resets the count; a stranger elsewhere delays the officer by the capped delay at most. The clock
 * is the stack's manual one; a second loopback address (127.0.0.2) is the stranger's machine.
 */
describe('staff sign-in throttling', () => {
  let stack: Stack;
  beforeAll(async () => {
    // The per-address window (a separate, plain limit) out of the way of these many tries.
    stack = await startStack({ env: { STAFF_LOGIN_TRIES_PER_15_MIN: '10000' } });
  });
  afterAll(async () => {
    await stack.stop();
  });

  /** A fresh account: its username and password. */
  async function account(): Promise<{ username: string; password: string; id: string }> {
    const tag = randomBytes(4).toString('hex');
    const acct = { id: `staff-${tag}`, username: `thr-${tag}`, password: `pw-${tag}-right` };
    await createStaffRepository(stack.deps.db).upsert({
      id: acct.id,
      username: acct.username,
      passwordHash: await hashPassword(acct.password),
      role: 'officer',
      displayName: `窗口 ${tag.slice(0, 2)}`,
      org: '济南市公安局历下分局',
      createdAt: stack.clock.now(),
    });
    return acct;
  }

  /** A sign-in sent from `from` (a local address of this machine), as a browser there would. */
  function signIn(from: string, username: string, password: string): Promise<Answer> {
    const url = new URL('/api/v1/staff/login', stack.url);
    const body = JSON.stringify({ username, password });
    return new Promise((resolve, reject) => {
      const req = request(
        url,
        { method: 'POST', localAddress: from, headers: { 'content-type': 'application/json' } },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (text += c));
          res.on('end', () => {
            const parsed = JSON.parse(text) as { code?: string; details?: Record<string, unknown> };
            resolve({
              status: res.statusCode!,
              code: parsed.code,
              details: parsed.details,
              retryAfter: res.headers['retry-after'],
            });
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  /** Fails once from `from`, waiting first for whatever delay runs; answers the delay waited (s). */
  async function failOnce(from: string, username: string): Promise<number> {
    let waited = 0;
    let res = await signIn(from, username, 'wrong-guess');
    if (res.code === 'STAFF_SIGN_IN_DELAYED') {
      waited = Number(res.retryAfter);
      stack.clock.advance(waited * 1000);
      res = await signIn(from, username, 'wrong-guess');
    }
    expect([res.status, res.code]).toEqual([401, 'CREDENTIALS_INVALID']);
    return waited;
  }

  it('when sign-ins keep failing from one address, then after 5 free failures each try waits 1, 2, 4 ... s, capped, with Retry-After', async () => {
    const { username } = await account();
    const waits: number[] = [];
    for (let i = 0; i < PAIR_FREE_FAILURES + 12; i += 1) waits.push(await failOnce(OFFICE, username));
    expect(waits.slice(0, PAIR_FREE_FAILURES)).toEqual([0, 0, 0, 0, 0]);
    expect(waits.slice(PAIR_FREE_FAILURES)).toEqual([
      1,
      2,
      4,
      8,
      16,
      32,
      64,
      128,
      256,
      MAX_DELAY_S,
      MAX_DELAY_S,
      MAX_DELAY_S,
    ]);
    const blocked = await signIn(OFFICE, username, 'wrong-guess');
    expect(blocked).toMatchObject({
      status: 429,
      code: 'STAFF_SIGN_IN_DELAYED',
      retryAfter: String(MAX_DELAY_S),
    });
    expect(blocked.details).toEqual({ retryAfterS: MAX_DELAY_S, scope: 'address' });
  });

  it('when the right password comes during a delay, then it is refused too (never confirmed), and after the delay it signs in and resets the count', async () => {
    const { username, password } = await account();
    for (let i = 0; i < PAIR_FREE_FAILURES; i += 1) await failOnce(OFFICE, username);
    const early = await signIn(OFFICE, username, password);
    expect([early.status, early.code, early.retryAfter]).toEqual([429, 'STAFF_SIGN_IN_DELAYED', '1']);
    stack.clock.advance(1000);
    expect((await signIn(OFFICE, username, password)).status).toBe(200);
    // Reset: five free failures again.
    for (let i = 0; i < PAIR_FREE_FAILURES; i += 1) expect(await failOnce(OFFICE, username)).toBe(0);
  });

  it('when tries race once a delay is over, then one goes through and the others wait', async () => {
    const { username } = await account();
    for (let i = 0; i < PAIR_FREE_FAILURES; i += 1) await failOnce(OFFICE, username);
    stack.clock.advance(1000);
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => signIn(OFFICE, username, 'wrong-guess')),
    );
    const codes = answers.map((a) => a.code).sort();
    expect(codes).toEqual(['CREDENTIALS_INVALID', ...Array(5).fill('STAFF_SIGN_IN_DELAYED')]);
  });

  it('when an unknown username is tried, then it is delayed exactly like a real one', async () => {
    const username = `nobody-${randomBytes(4).toString('hex')}`;
    for (let i = 0; i < PAIR_FREE_FAILURES; i += 1) await failOnce(OFFICE, username);
    expect((await signIn(OFFICE, username, 'x')).code).toBe('STAFF_SIGN_IN_DELAYED');
  });

  it('when a stranger at another address keeps failing, then the officer at their desk is delayed by the capped delay at most and then signs in', async () => {
    const { username, password } = await account();
    for (let i = 0; i < ACCOUNT_FREE_FAILURES - 1; i += 1) await failOnce(STRANGER, username);
    // Below the account's bound the stranger's failures cost the officer nothing.
    expect((await signIn(OFFICE, username, password)).status).toBe(200);
    // (That success reset the account's count; the stranger's own address count stays.)
    expect((await signIn(STRANGER, username, 'again')).code).toBe('STAFF_SIGN_IN_DELAYED');

    for (let i = 0; i < ACCOUNT_FREE_FAILURES + 20; i += 1) await failOnce(STRANGER, username);
    const officer = await signIn(OFFICE, username, password);
    expect([officer.status, officer.code, officer.details?.scope]).toEqual([
      429,
      'STAFF_SIGN_IN_DELAYED',
      'account',
    ]);
    expect(Number(officer.retryAfter)).toBeLessThanOrEqual(MAX_DELAY_S);
    stack.clock.advance(Number(officer.retryAfter) * 1000);
    expect((await signIn(OFFICE, username, password)).status).toBe(200);
    // The officer's success did not forgive the stranger's address: its next failure earns the capped delay.
    expect((await signIn(STRANGER, username, 'again')).code).toBe('CREDENTIALS_INVALID');
    const stranger = await signIn(STRANGER, username, 'again');
    expect([stranger.code, stranger.retryAfter, stranger.details?.scope]).toEqual([
      'STAFF_SIGN_IN_DELAYED',
      String(MAX_DELAY_S),
      'address',
    ]);
    // While the officer, at their desk, is not delayed by it.
    expect((await signIn(OFFICE, username, password)).status).toBe(200);
  });

  it('when 100 consecutive sign-ins fail, then the account is locked even for the right password, until an administrator unlocks it', async () => {
    const { username, password, id } = await account();
    const started = stack.clock.now();
    for (let i = 0; i < LOCK_AFTER_FAILURES; i += 1)
      await failOnce(i % 2 === 0 ? OFFICE : STRANGER, username);
    // At the capped delay this took hours of the stranger's time, not seconds.
    expect(stack.clock.now() - started).toBeGreaterThan(3 * 3600 * 1000);
    stack.clock.advance(MAX_DELAY_S * 1000);
    const locked = await signIn(OFFICE, username, password);
    expect([locked.status, locked.code, locked.retryAfter]).toEqual([429, 'STAFF_ACCOUNT_LOCKED', undefined]);
    stack.clock.advance(24 * 3600 * 1000);
    expect((await signIn(OFFICE, username, password)).code).toBe('STAFF_ACCOUNT_LOCKED');

    const admin = await staffToken(stack, 'administrator');
    const view = await stack.api('GET', `/api/v1/admin/staff/${id}`, { token: admin });
    expect(view.body.signIn).toEqual({ failures: LOCK_AFTER_FAILURES, locked: true });
    const officerToken = await staffToken(stack, 'officer');
    expect(
      (await stack.api('POST', `/api/v1/admin/staff/${id}/unlock`, { token: officerToken, body: {} })).status,
    ).toBe(403);
    const unlocked = await stack.api('POST', `/api/v1/admin/staff/${id}/unlock`, { token: admin, body: {} });
    expect([unlocked.status, unlocked.body.signIn]).toEqual([200, { failures: 0, locked: false }]);
    expect((await signIn(STRANGER, username, password)).status).toBe(200);
  });
});
