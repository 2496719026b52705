/**
 * Wire shapes of the admin pages' own read-outs (issue 19 §2, §7; docs/admin.md): the dashboard's counts
 * (`GET /api/v1/admin/dashboard`) and this province's keys with the trust list (`GET /api/v1/admin/keys`).
 * Counts only: nothing here names or identifies a resident.
 */

/** How many hours back a dashboard may look: one week keeps every query bounded. */
export const DASHBOARD_MAX_HOURS = 168;

/** A key with fewer days than this until its end is shown with a warning. */
export const KEY_WARNING_DAYS = 90;

/** Answer of `GET /api/v1/admin/dashboard?hours=24`. */
export interface DashboardView {
  /** Epoch ms. */
  generatedAt: number;
  /** The window the event counts cover: [generatedAt - hours h, generatedAt]. */
  hours: number;
  /** `issued`: cards issued in the window; the others: cards in that status now. */
  cards: { issued: number; active: number; suspended: number; revoked: number };
  verifications: {
    total: number;
    byPurpose: { purpose: string; count: number }[];
    /** The verifying window's province (this node's own windows, and other provinces' asking here). */
    byProvince: { province: string; count: number }[];
    /** One entry per hour of the window, oldest first; `hour` is the hour's start (epoch ms), empty hours 0. */
    byHour: { hour: number; count: number }[];
  };
  /** Tries in the window (a failure: the registry or the face service said no). */
  enrolment: {
    realNameAttempts: number;
    realNameFailures: number;
    faceAttempts: number;
    faceFailures: number;
  };
  /** Calls made in the window, by what became of them. */
  documentCalls: { created: number; delivered: number; declined: number; expired: number };
  /** Callbacks to relying parties waiting in the outbox now, and dead letters kept. */
  callbacks: { backlog: number; deadLetters: number };
}

export type ProvinceKeyUse =
  'issuer' | 'node' | 'witness' | 'trust_root' | 'party_registry' | 'callback' | 'licence_client';

/** One key this province's key store holds (public half only). */
export interface ProvinceKeyView {
  kid: string;
  use: ProvinceKeyUse;
  /** base64url (no padding) of the raw public key. */
  publicKey: string;
  /** Epoch ms, when the trust list says. */
  notBefore?: number;
  notAfter?: number;
  /** Whole days until `notAfter` (negative once past); null when no end is known. */
  daysLeft: number | null;
  /** True when fewer than KEY_WARNING_DAYS days are left. */
  warning: boolean;
  /** The trust list's status of the key, when it lists it. */
  status?: 'active' | 'retired' | 'compromised';
}

/** Answer of `GET /api/v1/admin/keys`. */
export interface ProvinceKeysView {
  generatedAt: number;
  province: string;
  keys: ProvinceKeyView[];
  /** The federation's accepted national list; null on a node without one. */
  trustList: {
    sequence: number;
    issuedAt: number;
    expiresAt: number;
    provinces: { province: string; name: string; issuerKids: string[] }[];
  } | null;
}
