import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';
import { AppError } from '@eid/shared';
import type { DevStaffAccount } from '../../config';
import type { VerifiedToken } from '../../infra/keystore';
import { requireAuth } from '../../middleware/auth';
import type { SealedStore } from '../enrollment/enrollment.types';
import type { StaffServiceDeps } from './deps';
import { hashPassword, UNKNOWN_USER_HASH, verifyPassword } from './password';
import { checkSecondFactor, type SecondFactor } from './second-factor';
import type { StaffRole, StaffWindow } from './staff.model';
import type { StaffRecord } from './staff.repository';
import { confirmTotp, enrolTotp } from './totp-enrol';

export type { StaffServiceDeps } from './deps';

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

/** What sign-in and TOTP confirmation answer: a `staff` token and who it is for. */
export interface StaffSession {
  accessToken: string;
  expiresIn: number;
  staff: StaffProfile;
  /**
   * Present (true) when the token is good for TOTP enrolment only (STAFF_TOTP_REQUIRED and no confirmed
   * TOTP): every other staff route answers TOTP_ENROLMENT_REQUIRED until `/totp/confirm` gives a full one.
   */
  totpEnrolmentRequired?: true;
}

export interface StaffGuardOptions {
  /** Accept the enrol-only token of an account that must enrol first (the two TOTP enrolment routes). */
  enrolment?: boolean;
}

/**
 * Staff accounts: password (and, once enrolled, TOTP) sign-in to a short-lived `staff` token, TOTP
 * enrolment, and the guard for staff routes. `sealedStore` lets the master-key re-wrap reach the sealed
 * TOTP secrets (app.ts registers it).
 *
 * Sessions have no idle or absolute timeout of their own: a staff token lives ACCESS_TOKEN_TTL_S (15 min
 * by default, at most an hour) and staff have no refresh token, so a session ends that long after the
 * sign-in however busy it is, which is stricter than a 15 min idle and 12 h absolute limit. Those need a
 * session record (last seen, started at) checked here once staff tokens can be renewed.
 */
export function createStaffService(deps: StaffServiceDeps) {
  const { repo, keys, clock, config, logger } = deps;
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

  /**
   * True when the token's account is still active with the token's role. On every route but the two
   * enrolment ones an enrol-only token answers TOTP_ENROLMENT_REQUIRED, so the terminal knows to show
   * enrolment rather than the sign-in page. The claim decides, not the account as cached: a full token
   * from `/totp/confirm` works at once on every process. (A password-only token from before
   * STAFF_TOTP_REQUIRED was turned on ends with its lifetime, ACCESS_TOKEN_TTL_S.)
   */
  async function isActive(token: VerifiedToken, enrolment: boolean): Promise<boolean> {
    const staff = await accountOf(token.sub);
    if (staff === null || staff.disabled || staff.role !== token.role) return false;
    if (token.enrolOnly === true && !enrolment) {
      throw new AppError('TOTP_ENROLMENT_REQUIRED', 'Set up an authenticator app for this account first');
    }
    return true;
  }

  function sessionOf(staff: StaffRecord, ttlSeconds: number): StaffSession {
    const enrolOnly = config.staffTotpRequired && staff.totp?.confirmedAt === undefined;
    const accessToken = keys.signToken(
      { sub: staff.id, role: staff.role, ...(enrolOnly && { enrolOnly: true }) },
      { audience: 'staff', ttlSeconds },
    );
    return {
      accessToken,
      expiresIn: ttlSeconds,
      staff: toProfile(staff),
      ...(enrolOnly && { totpEnrolmentRequired: true as const }),
    };
  }

  return {
    devAccountReady,

    /**
     * Password, then the second factor of an account with a confirmed TOTP. The factor is looked at only
     * after the password matched, so a wrong password answers CREDENTIALS_INVALID whatever was sent and
     * says nothing about whether the account has TOTP.
     */
    async login(username: string, password: string, factor: SecondFactor = {}): Promise<StaffSession> {
      await devAccountReady;
      const staff = await repo.byUsername(username);
      // An unknown username is checked against a hash too, so both failures cost the same.
      const ok = await verifyPassword(password, staff?.passwordHash ?? UNKNOWN_USER_HASH);
      if (!staff || !ok || staff.disabled) {
        logger.info({ outcome: 'refused' }, 'staff sign-in refused');
        throw new AppError('CREDENTIALS_INVALID', 'The username or password is wrong');
      }
      try {
        await checkSecondFactor(deps, staff, factor);
      } catch (err) {
        logger.info({ staffId: staff.id, outcome: 'second_factor' }, 'staff sign-in refused');
        throw err;
      }
      const session = sessionOf(staff, config.ACCESS_TOKEN_TTL_S);
      logger.info(
        { staffId: staff.id, role: staff.role, enrolOnly: session.totpEnrolmentRequired === true },
        'staff signed in',
      );
      return session;
    },

    /** Starts TOTP enrolment for the signed-in account (totp-enrol.ts). */
    enrolTotp: (staffId: string) => enrolTotp(deps, staffId),

    /**
     * Confirms TOTP enrolment and answers a full session in place of the token presented (an enrol-only
     * one, say), expiring when that token would have: confirming never lengthens a session.
     */
    async confirmTotp(token: VerifiedToken, code: string): Promise<StaffSession> {
      const staff = await confirmTotp(deps, token.sub, code);
      return sessionOf(staff, Math.max(1, token.exp - Math.floor(clock.now() / 1000)));
    },

    async profile(staffId: string): Promise<StaffProfile> {
      const staff = await repo.byId(staffId);
      if (!staff || staff.disabled)
        throw new AppError('SESSION_REVOKED', 'This staff account is no longer active');
      return toProfile(staff);
    },

    /** Guard for staff routes: a `staff` token of an active account of one of `roles` (roles.ts CAPABILITIES). */
    requireStaff(roles: readonly StaffRole[], options: StaffGuardOptions = {}): Middleware {
      const enrolment = options.enrolment === true;
      return requireAuth(keys, 'staff', {
        roles: [...roles],
        isSessionActive: (token) => isActive(token, enrolment),
      });
    },

    sealedStore: {
      name: 'staff.totp',
      page: (after, limit) => repo.sealedTotpPage(after, limit),
      replace: (id, from, to) => repo.replaceSealedTotp(id, from, to),
    } satisfies SealedStore,
  };
}

export type StaffService = ReturnType<typeof createStaffService>;
