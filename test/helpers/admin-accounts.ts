import { randomBytes } from 'node:crypto';
import { TOTP, URI } from 'otpauth';
import { STAFF_ROLE_NAMES, type StaffRole } from '@eid/shared';
import { hashPassword } from '@eid/bff/modules/staff/password';
import { createStaffRepository } from '@eid/bff/modules/staff/staff.repository';
import type { Stack } from './stack';

/** A staff account the admin-page suites sign in with: its password, its authenticator and its badge. */
export interface AdminAccount {
  username: string;
  password: string;
  badge: string;
  app: TOTP;
}

/** One TOTP step: every step is accepted once, so a suite moves the clock a step before each code. */
export const TOTP_STEP_MS = 30_000;

/** A staff account of `role` with a badge and no second factor yet, straight in the stack's database. */
export async function newAccount(
  stack: Stack,
  role: StaffRole,
  org = '山东省公安厅居民身份证管理处',
): Promise<Omit<AdminAccount, 'app'>> {
  const tag = randomBytes(4).toString('hex');
  const username = `adm-${tag}`;
  const password = `pw-${tag}-not-secret`;
  const badge = String(100_000 + Math.floor(Math.random() * 900_000));
  await createStaffRepository(stack.deps.db).upsert({
    id: `staff-${tag}`,
    username,
    passwordHash: await hashPassword(password),
    role,
    displayName: `${STAFF_ROLE_NAMES[role].zh} ${tag.slice(0, 3)}`,
    org,
    badge,
    createdAt: stack.clock.now(),
  });
  return { username, password, badge };
}

/** A staff account of `role` with a confirmed TOTP, enrolled through the API as a person would. */
export async function enrolledAccount(stack: Stack, role: StaffRole, org?: string): Promise<AdminAccount> {
  const account = await newAccount(stack, role, org);
  const login = await stack.api('POST', '/api/v1/staff/login', {
    body: { username: account.username, password: account.password },
  });
  const token = login.body.accessToken as string;
  const enrol = await stack.api('POST', '/api/v1/staff/totp/enrol', { token, body: {} });
  if (enrol.status !== 200) throw new Error(`TOTP enrolment answered ${enrol.status}`);
  const app = URI.parse(enrol.body.otpauthUri) as TOTP;
  const confirm = await stack.api('POST', '/api/v1/staff/totp/confirm', {
    token,
    body: { code: app.generate({ timestamp: stack.clock.now() }) },
  });
  if (confirm.status !== 200) throw new Error(`TOTP confirmation answered ${confirm.status}`);
  return { ...account, app };
}

/** The next unspent code: the clock moves a step first. */
export function nextCode(stack: Stack, account: Pick<AdminAccount, 'app'>): string {
  stack.clock.advance(TOTP_STEP_MS);
  return account.app.generate({ timestamp: stack.clock.now() });
}
