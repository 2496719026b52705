/** Wire shapes of the staff module (`/api/v1/staff`). */

/**
 * Police account staff roles (issue 19): officer (window work: verification, document calls), supervisor
 * (decides what automation cannot, acts on cards), auditor (reads the audit, reveals no personal field),
 * administrator (accounts, parties, keys; reads no resident data), national operator (province keys in the
 * federation). What each may do is one table, bff/src/modules/staff/roles.ts.
 */
export const STAFF_ROLES = [
  'officer',
  'supervisor',
  'auditor',
  'administrator',
  'national_operator',
] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** How the pages name each role, Chinese first. */
export const STAFF_ROLE_NAMES: Record<StaffRole, { zh: string; en: string }> = {
  officer: { zh: '窗口民警', en: 'Officer' },
  supervisor: { zh: '主管', en: 'Supervisor' },
  auditor: { zh: '审计员', en: 'Auditor' },
  administrator: { zh: '系统管理员', en: 'Administrator' },
  national_operator: { zh: '国家级运维', en: 'National operator' },
};

/** What a staff terminal and the usage trace know about a staff member (`GET /api/v1/staff/me`). */
export interface StaffProfile {
  id: string;
  displayName: string;
  role: StaffRole;
  org: string;
  /** The service window the account works at (its organisation is `org`); document calls need one. */
  window?: { id: string; name: string };
  /** The officer's badge number (警号), shown to residents in their usage records; absent on older accounts. */
  badge?: string;
}

/** Body of `POST /api/v1/staff/login`. */
export interface StaffLoginRequest {
  username: string;
  password: string;
}

/** Answer of `POST /api/v1/staff/login`, `/totp/confirm` and `/session/refresh`. */
export interface StaffSession {
  accessToken: string;
  /** Seconds: the token's lifetime, never past the session's absolute end. */
  expiresIn: number;
  staff: StaffProfile;
  /**
   * When the session ends at the latest (sign-in + STAFF_SESSION_MAX_S), epoch ms: refreshing never passes
   * it. The BFF always sends it; optional for terminals built before sessions.
   */
  sessionEndsAt?: number;
  /** Present when the token is good for TOTP enrolment only. */
  totpEnrolmentRequired?: true;
}

/** A badge number (警号): six digits. */
export const STAFF_BADGE_PATTERN = /^\d{6}$/;

/** Body of `POST /api/v1/admin/staff`: a new account, created by an administrator. */
export interface CreateStaffAccountRequest {
  username: string;
  /** The initial password (12-256 characters); the administrator hands it over, the holder enrols TOTP. */
  password: string;
  role: StaffRole;
  displayName: string;
  org: string;
  badge: string;
  window?: { id: string; name: string };
}

/**
 * An account as the administrator's pages see it (`/api/v1/admin/staff`): no password hash, no TOTP secret
 * or recovery codes, only whether a second factor is set up and the sign-in throttle's state.
 */
export interface StaffAccountView {
  id: string;
  username: string;
  role: StaffRole;
  displayName: string;
  org: string;
  badge?: string;
  window?: { id: string; name: string };
  disabled: boolean;
  /** `none`: never enrolled (or reset); `pending`: enrolment started, not confirmed; `confirmed`. */
  totp: 'none' | 'pending' | 'confirmed';
  /** Consecutive failed sign-ins of the account, and whether it is locked (it needs `/unlock`). */
  signIn: { failures: number; locked: boolean };
  /** Epoch ms. */
  createdAt: number;
  /** A development account `npm start` made (never in production). */
  dev?: true;
}
