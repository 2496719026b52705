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
}

/** Body of `POST /api/v1/staff/login`. */
export interface StaffLoginRequest {
  username: string;
  password: string;
}

/** Answer of `POST /api/v1/staff/login`. */
export interface StaffSession {
  accessToken: string;
  /** Seconds. */
  expiresIn: number;
  staff: StaffProfile;
}
