import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';
import { AppError, type CreateStaffAccountRequest } from '@eid/shared';
import type { DevStaffAccount } from '../../config';
import type { VerifiedToken } from '../../infra/keystore';
import { requireAuth } from '../../middleware/auth';
import type { SealedStore } from '../enrollment/enrollment.types';
import * as accounts from './accounts';
import type { StaffServiceDeps } from './deps';
import { hashPassword, UNKNOWN_USER_HASH, verifyPassword } from './password';
import { checkSecondFactor, type SecondFactor } from './second-factor';
import type { StaffRole, StaffWindow } from './staff.model';
import type { StaffSessionRecord } from './session.repository';
import { recordActivity, sessionEndsAt, sessionProblem, startSession } from './sessions';
import {
  admitSignIn,
  signInFailed,
  signInSucceeded,
  signInUndecided,
  type SignInTry,
} from './sign-in-throttle';
import type { StaffRecord } from './staff.repository';
import { confirmTotp, enrolTotp } from './totp-enrol';

export type { StaffServiceDeps } from './deps';

/**
 * How long this process may keep answering for a staff account after it was disabled or its role changed,
 * or for a session after it was revoked elsewhere (docs/api.md); changes made through this process count
 * at once.
 */
export const ACTIVE_CACHE_MS = 2_000;

/** The key under which a staff guard carries the roles it admits (see requireStaff). */
export const STAFF_GUARD_ROLES = Symbol.for('eid.staffGuardRoles');
const ACTIVE_CACHE_SIZE = 10_000;

/** What a staff terminal and the usage trace know about a staff member. */
export interface StaffProfile {
  id: string;
  displayName: string;
  role: StaffRole;
  org: string;
  /** The service window the account works at, when it has one (document calls need it). */
  window?: StaffWindow;
  /** The officer's badge number (警号), what residents see in their usage records. */
  badge?: string;
}

/** What sign-in, TOTP confirmation and refresh answer: a `staff` token and who it is for. */
export interface StaffSession {
  accessToken: string;
  expiresIn: number;
  staff: StaffProfile;
  /** The session's absolute end (epoch ms): no refresh reaches past it. */
  sessionEndsAt: number;
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
 * Every token names its session (`sid`, `staff_sessions`): the guard refuses it once the session is idle
 * STAFF_IDLE_TIMEOUT_S, STAFF_SESSION_MAX_S old, signed out or revoked, and `refresh` renews a short-lived
 * token while it is not. Sign-in tries go through the throttle (sign-in-throttle.ts) before the password is
 * looked at.
 */
export function createStaffService(deps: StaffServiceDeps) {
  const { repo, keys, clock, config, logger } = deps;
  /**
   * Creates or refreshes the configured development accounts (STAFF_DEV_ACCOUNT, the administrator of
   * STAFF_DEV_ADMIN, the supervisor and auditor of staffDevOthers; loud, never in production) and disables every other development account: one a
   * previous configuration created must stop signing in (and checking residents' cards) once it no longer
   * names it.
   */
  async function ensureDevAccount(): Promise<void> {
    const devs = [config.staffDevAccount, config.staffDevAdmin, ...config.staffDevOthers].filter(
      (d): d is DevStaffAccount => !!d,
    );
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
        ...(dev.badge !== undefined && { badge: dev.badge }),
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
    badge?: string;
  }): StaffProfile => ({
    id: s.id,
    displayName: s.displayName,
    role: s.role,
    org: s.org,
    ...(s.window?.id && s.window.name && { window: { id: s.window.id, name: s.window.name } }),
    ...(s.badge !== undefined && { badge: s.badge }),
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

  // The same for sessions: one read per session per ACTIVE_CACHE_MS; the activity this process records
  // updates its own copy.
  const sessionCache = new Map<string, { at: number; session: Promise<StaffSessionRecord | null> }>();

  function sessionFor(sid: string): Promise<StaffSessionRecord | null> {
    const now = clock.now();
    const hit = sessionCache.get(sid);
    if (hit && hit.at <= now && now - hit.at < ACTIVE_CACHE_MS) return hit.session;
    if (sessionCache.size >= ACTIVE_CACHE_SIZE) sessionCache.clear();
    const session = repo.sessions.byId(sid);
    sessionCache.set(sid, { at: now, session });
    session.catch(() => {
      if (sessionCache.get(sid)?.session === session) sessionCache.delete(sid);
    });
    return session;
  }

  /** Forgets what this process holds of an account and its sessions, after an administrator changed them. */
  function forget(staffId: string): void {
    activeCache.delete(staffId);
    for (const [sid, entry] of sessionCache) {
      void entry.session.then(
        (s) => {
          if (s?.staffId === staffId && sessionCache.get(sid) === entry) sessionCache.delete(sid);
        },
        () => undefined,
      );
    }
  }

  /** The token's session, live, with this request recorded as activity; null when it has ended. */
  async function liveSession(token: VerifiedToken, force = false): Promise<StaffSessionRecord | null> {
    if (typeof token.sid !== 'string') return null;
    const session = await sessionFor(token.sid);
    if (session === null || session.staffId !== token.sub) return null;
    if (sessionProblem(deps, session, clock.now()) !== null) return null;
    const seen = await recordActivity(deps, session, force);
    if (seen !== session) {
      sessionCache.set(token.sid, { at: clock.now(), session: Promise.resolve(seen) });
    }
    return seen;
  }

  /**
   * True when the token's account is still active with the token's role, and its session is live. On every route but the two
   * enrolment ones an enrol-only token answers TOTP_ENROLMENT_REQUIRED, so the terminal knows to show
   * enrolment rather than the sign-in page. The claim decides, not the account as cached: a full token
   * from `/totp/confirm` works at once on every process. (A password-only token from before
   * STAFF_TOTP_REQUIRED was turned on ends with its lifetime, ACCESS_TOKEN_TTL_S.)
   */
  async function isActive(token: VerifiedToken, enrolment: boolean): Promise<boolean> {
    const staff = await accountOf(token.sub);
    if (staff === null || staff.disabled || staff.role !== token.role) return false;
    if ((await liveSession(token)) === null) return false;
    if (token.enrolOnly === true && !enrolment) {
      throw new AppError('TOTP_ENROLMENT_REQUIRED', 'Set up an authenticator app for this account first');
    }
    return true;
  }

  /**
   * A token of `session` for `staff`, living at most `ttlSeconds` and never past the session's absolute
   * end. Whether it is enrol-only is read from the account each time, so a refresh after confirming TOTP
   * elsewhere gives a full one.
   */
  function tokenOf(staff: StaffRecord, session: StaffSessionRecord, ttlSeconds: number): StaffSession {
    const endsAt = sessionEndsAt(deps, session);
    const ttl = Math.max(1, Math.min(ttlSeconds, Math.floor((endsAt - clock.now()) / 1000)));
    const enrolOnly = config.staffTotpRequired && staff.totp?.confirmedAt === undefined;
    const accessToken = keys.signToken(
      { sub: staff.id, sid: session.id, role: staff.role, ...(enrolOnly && { enrolOnly: true }) },
      { audience: 'staff', ttlSeconds: ttl },
    );
    return {
      accessToken,
      expiresIn: ttl,
      staff: toProfile(staff),
      sessionEndsAt: endsAt,
      ...(enrolOnly && { totpEnrolmentRequired: true as const }),
    };
  }

  /** The password and second factor of one admitted try; the throttle is told how it went. */
  async function checkCredentials(
    attempt: SignInTry,
    username: string,
    password: string,
    factor: SecondFactor,
  ): Promise<StaffRecord> {
    const staff = await repo.byUsername(username);
    // An unknown username is checked against a hash too, so both failures cost the same.
    const ok = await verifyPassword(password, staff?.passwordHash ?? UNKNOWN_USER_HASH);
    if (!staff || !ok || staff.disabled) {
      await signInFailed(deps, attempt);
      logger.info({ outcome: 'refused' }, 'staff sign-in refused');
      throw new AppError('CREDENTIALS_INVALID', 'The username or password is wrong');
    }
    try {
      await checkSecondFactor(deps, staff, factor);
    } catch (err) {
      const asked = err instanceof AppError && err.code === 'TOTP_REQUIRED';
      await (asked ? signInUndecided(deps, attempt) : signInFailed(deps, attempt));
      logger.info({ staffId: staff.id, outcome: 'second_factor' }, 'staff sign-in refused');
      throw err;
    }
    await signInSucceeded(deps, attempt);
    return staff;
  }

  /** Wraps an administrator's change of account `id`: what this process caches of it is dropped at once. */
  const changing =
    <A extends unknown[], R>(
      use: (deps: StaffServiceDeps, actorId: string, id: string, ...args: A) => Promise<R>,
    ) =>
    async (actorId: string, id: string, ...args: A): Promise<R> => {
      try {
        return await use(deps, actorId, id, ...args);
      } finally {
        forget(id);
      }
    };

  return {
    devAccountReady,

    /**
     * The throttle (per username and per username and `address`), then the password, then the second
     * factor of an account with a confirmed TOTP, then a new session. The factor is looked at only after
     * the password matched, so a wrong password answers CREDENTIALS_INVALID whatever was sent and says
     * nothing about whether the account has TOTP.
     */
    async login(
      username: string,
      password: string,
      factor: SecondFactor = {},
      address = 'unknown',
    ): Promise<StaffSession> {
      await devAccountReady;
      const attempt = await admitSignIn(deps, username, address);
      const staff = await checkCredentials(attempt, username, password, factor);
      const session = await startSession(deps, staff.id);
      const answer = tokenOf(staff, session, config.ACCESS_TOKEN_TTL_S);
      logger.info(
        { staffId: staff.id, role: staff.role, enrolOnly: answer.totpEnrolmentRequired === true },
        'staff signed in',
      );
      return answer;
    },

    /**
     * A fresh token of the presented token's session (the guard found it live and recorded the request);
     * refreshing is activity. 401 SESSION_REVOKED once the session has ended.
     */
    async refresh(token: VerifiedToken): Promise<StaffSession> {
      const session = await liveSession(token, true);
      const staff = await repo.byId(token.sub);
      if (!session || !staff || staff.disabled || staff.role !== token.role) {
        throw new AppError('SESSION_REVOKED', 'This session has ended; sign in again');
      }
      return tokenOf(staff, session, config.ACCESS_TOKEN_TTL_S);
    },

    /** Signs out: the token's session ends everywhere (other processes within ACTIVE_CACHE_MS). */
    async logout(token: VerifiedToken): Promise<void> {
      if (typeof token.sid !== 'string') return;
      await repo.sessions.end(token.sid, clock.now(), 'logout');
      sessionCache.delete(token.sid);
      logger.info({ staffId: token.sub }, 'staff signed out');
    },

    /** Starts TOTP enrolment for the signed-in account (totp-enrol.ts). */
    enrolTotp: (staffId: string) => enrolTotp(deps, staffId),

    /**
     * Confirms TOTP enrolment and answers a full session in place of the token presented (an enrol-only
     * one, say), expiring when that token would have: confirming never lengthens a session.
     */
    async confirmTotp(token: VerifiedToken, code: string): Promise<StaffSession> {
      const staff = await confirmTotp(deps, token.sub, code);
      const session = await liveSession(token);
      if (!session) throw new AppError('SESSION_REVOKED', 'This session has ended; sign in again');
      return tokenOf(staff, session, Math.max(1, token.exp - Math.floor(clock.now() / 1000)));
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
      const guard = requireAuth(keys, 'staff', {
        roles: [...roles],
        isSessionActive: (token) => isActive(token, enrolment),
      });
      // The roles it admits, readable from the router: the role-matrix test calls every guarded route with
      // every role and expects exactly these through (test/bff/staff/role-matrix.test.ts).
      return Object.assign(guard, { [STAFF_GUARD_ROLES]: roles });
    },

    /** The administrator's account management (accounts.ts); `actorId` is the signed-in administrator. */
    accounts: {
      create: (actorId: string, req: CreateStaffAccountRequest) => accounts.createAccount(deps, actorId, req),
      list: () => accounts.listAccounts(deps),
      view: (id: string) => accounts.viewAccount(deps, id),
      changeRole: changing(accounts.changeRole),
      setDisabled: changing(accounts.setDisabled),
      setWindow: changing(accounts.setWindow),
      resetTotp: changing(accounts.resetTotp),
      revokeSessions: changing(accounts.revokeSessions),
      unlock: changing(accounts.unlockAccount),
    },

    sealedStore: {
      name: 'staff.totp',
      page: (after, limit) => repo.sealedTotpPage(after, limit),
      replace: (id, from, to) => repo.replaceSealedTotp(id, from, to),
    } satisfies SealedStore,
  };
}

export type StaffService = ReturnType<typeof createStaffService>;
