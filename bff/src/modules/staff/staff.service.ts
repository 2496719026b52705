import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';
import { AppError } from '@eid/shared';
import type { Config, DevStaffAccount } from '../../config';
import type { Clock } from '../../infra/clock';
import type { KeyStore, VerifiedToken } from '../../infra/keystore';
import type { Logger } from '../../infra/logger';
import { requireAuth } from '../../middleware/auth';
import { hashPassword, UNKNOWN_USER_HASH, verifyPassword } from './password';
import type { StaffRole, StaffWindow } from './staff.model';
import type { StaffRecord, StaffRepository } from './staff.repository';

export const STAFF_ROLES: readonly StaffRole[] = ['verifier', 'supervisor'];

/** How long this process may keep answering for a staff account after it was disabled (docs/api.md). */
export const ACTIVE_CACHE_MS = 2_000;
const ACTIVE_CACHE_SIZE = 10_000;

/** What a staff terminal and the usage trace know about a staff member. */
export interface StaffProfile {
  id: string;
  displayName: string;
  role: StaffRole;
  org: string;
  /** The service window the account works at, when it has one (document calls need it). */
  window?: StaffWindow;
}

export interface StaffServiceDeps {
  repo: StaffRepository;
  keys: KeyStore;
  clock: Clock;
  config: Pick<Config, 'staffDevAccount' | 'staffDevAdmin' | 'ACCESS_TOKEN_TTL_S'>;
  logger: Logger;
}

/** Staff accounts: password login to a short-lived `staff` token, and the guard for staff routes. */
export function createStaffService({ repo, keys, clock, config, logger }: StaffServiceDeps) {
  /**
   * Creates or refreshes the configured development accounts (STAFF_DEV_ACCOUNT and the supervisor of
   * STAFF_DEV_ADMIN; loud, never in production) and disables every other development account: one a
   * previous configuration created must stop signing in (and checking residents' cards) once it no longer
   * names it.
   */
  async function ensureDevAccount(): Promise<void> {
    const devs = [config.staffDevAccount, config.staffDevAdmin].filter((d): d is DevStaffAccount => !!d);
    const disabled = await repo.disableDevAccounts({ except: devs.map((d) => d.username) });
    if (disabled > 0) {
      logger.warn({ disabled }, 'disabled development staff accounts the configuration no longer names');
    }
    for (const dev of devs) {
      await repo.upsert({
        id: randomUUID(),
        username: dev.username,
        passwordHash: await hashPassword(dev.password),
        role: dev.role,
        displayName: dev.displayName,
        org: dev.org,
        // The development account is its own window, named as it is shown, so a newcomer can open document calls.
        window: { id: `dev-${dev.username}`, name: dev.displayName },
        dev: true,
        disabled: false,
        createdAt: clock.now(),
      });
      // The one password ever printed: a development account that must not exist in production.
      logger.warn(
        { staffUser: dev.username, role: dev.role },
        `!!! DEVELOPMENT STAFF ACCOUNT ACTIVE: ${dev.username} / ${dev.password} (not for production) !!!`,
      );
    }
  }
  const devAccountReady = ensureDevAccount().catch((err: unknown) => {
    logger.error({ err }, 'could not create the development staff account');
  });

  const toProfile = (s: {
    id: string;
    displayName: string;
    role: StaffRole;
    org: string;
    window?: StaffWindow;
  }): StaffProfile => ({
    id: s.id,
    displayName: s.displayName,
    role: s.role,
    org: s.org,
    ...(s.window?.id && s.window.name && { window: { id: s.window.id, name: s.window.name } }),
  });

  // Every staff request asks whether the account is still active; a terminal verifying at full speed
  // would read the same account hundreds of times a second. One read per account per ACTIVE_CACHE_MS
  // (concurrent askers share it) bounds how long a disabled account or changed role keeps working here.
  const activeCache = new Map<string, { at: number; account: Promise<StaffRecord | null> }>();

  function accountOf(staffId: string): Promise<StaffRecord | null> {
    const now = clock.now();
    const hit = activeCache.get(staffId);
    if (hit && hit.at <= now && now - hit.at < ACTIVE_CACHE_MS) return hit.account;
    if (activeCache.size >= ACTIVE_CACHE_SIZE) activeCache.clear();
    const account = repo.byId(staffId);
    activeCache.set(staffId, { at: now, account });
    account.catch(() => {
      if (activeCache.get(staffId)?.account === account) activeCache.delete(staffId);
    });
    return account;
  }

  async function isActive(token: VerifiedToken): Promise<boolean> {
    const staff = await accountOf(token.sub);
    return staff !== null && !staff.disabled && staff.role === token.role;
  }

  return {
    devAccountReady,

    async login(username: string, password: string) {
      await devAccountReady;
      const staff = await repo.byUsername(username);
      // An unknown username is checked against a hash too, so both failures cost the same.
      const ok = await verifyPassword(password, staff?.passwordHash ?? UNKNOWN_USER_HASH);
      if (!staff || !ok || staff.disabled) {
        logger.info({ outcome: 'refused' }, 'staff sign-in refused');
        throw new AppError('CREDENTIALS_INVALID', 'The username or password is wrong');
      }
      const accessToken = keys.signToken(
        { sub: staff.id, role: staff.role },
        { audience: 'staff', ttlSeconds: config.ACCESS_TOKEN_TTL_S },
      );
      logger.info({ staffId: staff.id, role: staff.role }, 'staff signed in');
      return { accessToken, expiresIn: config.ACCESS_TOKEN_TTL_S, staff: toProfile(staff) };
    },

    async profile(staffId: string): Promise<StaffProfile> {
      const staff = await repo.byId(staffId);
      if (!staff || staff.disabled)
        throw new AppError('SESSION_REVOKED', 'This staff account is no longer active');
      return toProfile(staff);
    },

    /** Guard for staff routes: a `staff` token of an active account, optionally of given roles. */
    requireStaff(roles: StaffRole[] = [...STAFF_ROLES]): Middleware {
      return requireAuth(keys, 'staff', { roles, isSessionActive: isActive });
    },
  };
}

export type StaffService = ReturnType<typeof createStaffService>;
