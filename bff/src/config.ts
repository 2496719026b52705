import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { PROVINCE_CODE_PATTERN, STAFF_ROLES } from '@eid/shared';
import type { StaffRole } from './modules/staff/staff.model';

/**
 * One typed configuration, read from the environment once at boot. A bad value stops the process
 * with a message naming the variable; development keys and stand-in services are announced loudly.
 */
const base64Key = (minBytes: number) =>
  z
    .string()
    .refine((v) => /^[A-Za-z0-9+/_-]+={0,2}$/.test(v) && Buffer.from(v, 'base64').length >= minBytes, {
      message: `must be base64 of at least ${minBytes} bytes`,
    });

const int = (def: number, min: number, max: number) => z.coerce.number().int().min(min).max(max).default(def);

/** A development staff account, created at boot outside production (STAFF_DEV_ACCOUNT, STAFF_DEV_ADMIN). */
export interface DevStaffAccount {
  username: string;
  password: string;
  role: StaffRole;
  displayName: string;
  org: string;
  /** A badge number (警号) for the default accounts, so the usage records they appear in show one. */
  badge?: string;
}

/** Used when STAFF_DEV_ACCOUNT is not set outside production. */
export const DEFAULT_DEV_STAFF: DevStaffAccount = {
  username: 'staff01',
  password: 'staff01-dev-password',
  role: 'officer',
  displayName: '开发窗口 01 (dev window)',
  org: '开发环境演示服务大厅 (development service hall)',
  badge: '900001',
};

/**
 * Used when STAFF_DEV_ADMIN is not set outside production: an administrator, so a newcomer can register
 * relying parties (`/api/v1/admin`), as `npm start` does for the example hotel.
 */
export const DEFAULT_DEV_ADMIN: DevStaffAccount = {
  username: 'admin01',
  password: 'admin01-dev-password',
  role: 'administrator',
  displayName: '开发环境管理员 (dev admin)',
  org: DEFAULT_DEV_STAFF.org,
  badge: '900002',
};

/**
 * The other roles' development accounts, so `npm start` has one account per role for the admin pages
 * (never in production; a username STAFF_DEV_ACCOUNT or STAFF_DEV_ADMIN takes is left to it).
 */
export const DEFAULT_DEV_SUPERVISOR: DevStaffAccount = {
  username: 'super01',
  password: 'super01-dev-password',
  role: 'supervisor',
  displayName: '开发环境主管 (dev supervisor)',
  org: DEFAULT_DEV_STAFF.org,
  badge: '900003',
};

export const DEFAULT_DEV_AUDITOR: DevStaffAccount = {
  username: 'audit01',
  password: 'audit01-dev-password',
  role: 'auditor',
  displayName: '开发环境审计员 (dev auditor)',
  org: DEFAULT_DEV_STAFF.org,
  badge: '900004',
};

const DEV_STAFF_ROLES: readonly string[] = STAFF_ROLES;
const DEV_STAFF_FORMAT =
  'must be username:password:role:displayName, with a username of letters, digits, ".", "_" or "-" (at most 64), role one of officer, supervisor, auditor, administrator, national_operator, and a display name of at most 64 characters';

/**
 * Parses `username:password:role:displayName` (the display name may hold ':'); null when malformed. The
 * username follows the sign-in route's rule, or the account could never sign in.
 */
export function parseDevStaffAccount(value: string): DevStaffAccount | null {
  const [username = '', password = '', role = '', ...rest] = value.split(':');
  const displayName = rest.join(':');
  const ok =
    /^[A-Za-z0-9._-]{1,64}$/.test(username) &&
    password.length >= 1 &&
    password.length <= 256 &&
    DEV_STAFF_ROLES.includes(role) &&
    displayName.trim().length > 0 &&
    displayName.length <= 64 &&
    /^[^\p{C}]*$/u.test(displayName);
  if (!ok) return null;
  return { username, password, role: role as StaffRole, displayName, org: DEFAULT_DEV_STAFF.org };
}

const schema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  /**
   * Which node this process is (issue 18): a province node (residents, cards, windows) or the national role
   * that publishes the trust list of every province's keys (bff/src/national).
   */
  NODE_ROLE: z.enum(['province', 'national']).default('province'),
  /** A JSON file of these settings (names as here); the environment overrides it. Each node has its own. */
  EID_CONFIG_FILE: z.string().min(1).optional(),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: int(8080, 0, 65535),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  MONGODB_URI: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\//, 'must be a mongodb:// or mongodb+srv:// URI')
    .default('mongodb://127.0.0.1:27017/eid'),
  MONGODB_DB: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,63}$/)
    .default('eid'),
  /** Set by npm start when the database is the local stand-in, so the BFF can say so. */
  MONGODB_STANDIN: z.enum(['0', '1']).default('0'),
  PROVINCE_CODE: z
    .string()
    .regex(PROVINCE_CODE_PATTERN, 'must be a two-digit province code such as 37')
    .default('37'),
  /** `kid:base64,kid:base64`; the first key wraps new data keys, the rest only unwrap (rotation). */
  EID_MASTER_KEYS: z.string().optional(),
  EID_BLIND_INDEX_KEY: base64Key(32).optional(),
  EID_JWT_SECRET: base64Key(32).optional(),
  /** `kid:province:base64seed,...`; the first key of this node's province signs new credentials. */
  EID_ISSUER_KEYS: z.string().optional(),
  /** base64 32-byte seed of the trust-list signing key (national root in production). */
  EID_TRUST_ROOT_KEY: base64Key(32).optional(),
  SUPERAPP_URL: z.url().default('http://127.0.0.1:7101'),
  SUPERAPP_APP_ID: z.string().min(1).default('wx-dev-appid'),
  SUPERAPP_APP_SECRET: z.string().min(1).default('dev-app-secret-not-for-production'),
  REGISTRY_URL: z.url().default('http://127.0.0.1:7102'),
  REGISTRY_API_KEY: z.string().min(1).default('dev-registry-key-not-for-production'),
  FACE_URL: z.url().default('http://127.0.0.1:7103'),
  FACE_API_KEY: z.string().min(1).default('dev-face-key-not-for-production'),
  /** The electronic licence system (issue 15); `npm start` points it at the stand-in (mock/src/licence). */
  LICENCE_SYSTEM_URL: z.url().default('http://127.0.0.1:7104'),
  /** Key id the licence system knows this BFF's request-signing key by (RFC 9421 `keyid`, grant kid). */
  LICENCE_CLIENT_KID: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be 1-64 letters, digits, ".", "_" or "-"')
    .default('bff-licence-dev-1'),
  /** base64 32-byte Ed25519 seed of the key that signs licence-system requests and grants. */
  LICENCE_CLIENT_KEY: base64Key(32).optional(),
  /** How often this process reads the licence system's change feed to refresh wallets; 0 turns it off. */
  LICENCE_REFRESH_INTERVAL_S: int(300, 0, 24 * 3600),
  /** Public licence verifications (`POST /api/v1/licences/verify`) per client address per minute. */
  LICENCE_VERIFY_RATE_PER_MINUTE: int(60, 1, 100000),
  /** base64 32-byte Ed25519 seed of the key that signs relying-party registrations (issue 16). */
  EID_PARTY_REGISTRY_KEY: base64Key(32).optional(),
  /** `kid:base64seed,...`: the Ed25519 keys that sign callbacks (`v1a`); during a rotation both are listed, newest first. */
  EID_CALLBACK_KEYS: z.string().optional(),
  /** base64 32-byte HMAC key of pairwise subject identifiers; changing it changes every party's identifiers. */
  EID_PAIRWISE_KEY: base64Key(32).optional(),
  /**
   * Hosts (`host` or `host:port`, comma-separated) a callback may reach although they are not public https:
   * plain http and loopback/private addresses are allowed for exactly these. Empty in production.
   */
  CALLBACK_ALLOW_HOSTS: z.string().default(''),
  /** Where the mini-program's H5 build is served: the base of consent request links (`requestUrl`). */
  MINIAPP_URL: z.url().default('http://127.0.0.1:10086'),
  /** Default signed requests per minute and per Beijing day of a newly registered party. */
  PARTY_RATE_PER_MINUTE: int(600, 1, 1_000_000),
  PARTY_QUOTA_PER_DAY: int(100_000, 1, 100_000_000),
  /** Days a party has to acknowledge a deletion request before the resident sees it overdue. */
  DELETION_ACK_DAYS: int(15, 1, 365),
  /** How often this process delivers due callbacks (the webhook outbox); 0 turns the timer off. */
  CALLBACK_INTERVAL_MS: int(1000, 0, 3_600_000),
  /** Per-attempt timeout of a callback delivery. */
  CALLBACK_TIMEOUT_MS: int(15_000, 100, 60_000),
  /**
   * Remote sign-in (issue 17, docs/remote-signin.md). `kid:base64seed,...` of the Ed25519 keys that sign ID
   * tokens, newest first: the first signs, all are published in the JWKS (rotation with overlap).
   */
  EID_OIDC_KEYS: z.string().optional(),
  /** Comma-separated secrets (16+ characters each) that sign the OpenID provider's cookies, newest first. */
  EID_OIDC_COOKIE_KEYS: z.string().optional(),
  /**
   * The public origin of this BFF (`https://eid.example.gov.cn`): the OpenID issuer is it + `/oidc`.
   * Required in production; elsewhere the issuer follows the origin a request is addressed to.
   */
  PUBLIC_URL: z.url().optional(),
  /** Lifetime of an authorization code: at most 60 s (the issue's bound). */
  OIDC_CODE_TTL_S: int(60, 5, 60),
  /** How long a resident has to approve a sign-in on the phone. */
  SIGNIN_TTL_S: int(300, 60, 600),
  /** Wrong e-ID passcodes in a row before the passcode pauses (growing pauses, never a permanent lock). */
  PASSCODE_MAX_TRIES: int(5, 3, 10),
  /**
   * The federation (issue 18; docs/federation.md). Unset FEDERATION_NATIONAL_URL: a standalone node that
   * trusts only its own issuer keys, as before.
   */
  FEDERATION_NATIONAL_URL: z.url().optional(),
  /** The national root's public key, pinned: base64url of the raw 32 bytes. */
  FEDERATION_ROOT_PUBLIC_KEY: z
    .string()
    .regex(/^[A-Za-z0-9_-]{43}$/, 'must be base64url of 32 bytes')
    .optional(),
  /** The national log's C2SP verifier key (`<name>+<hex id>+<base64 key>`), pinned. */
  FEDERATION_LOG_KEY: z.string().min(1).optional(),
  /** Comma-separated C2SP verifier keys of the witnesses whose cosignatures count, pinned. */
  FEDERATION_WITNESSES: z.string().default(''),
  /** Witness cosignatures a trust list needs to be accepted. */
  FEDERATION_QUORUM: int(2, 1, 64),
  /** How often a node fetches the national trust bundle (and peers' checkpoints); 0 turns the timer off. */
  FEDERATION_REFRESH_S: int(3600, 0, 24 * 3600),
  /** Per-attempt timeout of a node-to-node call. */
  FEDERATION_TIMEOUT_MS: int(2000, 50, 60_000),
  /** How long an open circuit to another node stays open before one trial call goes through. */
  FEDERATION_CIRCUIT_HALF_OPEN_MS: int(30_000, 100, 600_000),
  /** This province's name as other provinces' residents see it in their usage trace (山东省). */
  FEDERATION_PROVINCE_NAME: z.string().min(1).max(32).optional(),
  /** `kid:base64seed,...`: this node's keys for node-to-node requests and responses, newest first. */
  EID_NODE_KEYS: z.string().optional(),
  /** base64 32-byte seed of this node's witness key (cosigns the national log's checkpoints). */
  EID_WITNESS_KEY: base64Key(32).optional(),
  /** National role: base64 32-byte seed of the national log's checkpoint key. */
  EID_LOG_KEY: base64Key(32).optional(),
  /** National role: the log's origin line (C2SP checkpoint) and key name. */
  NATIONAL_LOG_ORIGIN: z
    .string()
    .regex(/^[A-Za-z0-9./_-]{1,128}$/)
    .default('eid.gov.cn/national-trust-log'),
  /** National role: the operator's bearer secret (32+ characters) until issue 19's admin roles. */
  NATIONAL_OPERATOR_TOKEN: z.string().min(32).optional(),
  /** National role: how long a published list is valid. */
  NATIONAL_LIST_TTL_H: int(48, 1, 24 * 14),
  /** National role: how often it publishes anew so lists never lapse; 0 turns the timer off. */
  NATIONAL_REPUBLISH_S: int(43_200, 0, 7 * 24 * 3600),
  /** National role: witness cosignatures a publication needs before the national serves it. */
  NATIONAL_QUORUM: int(2, 1, 64),
  /**
   * National role: JSON array of the provinces enrolled out of band, each `{ province, name, url, nodeKeys:
   * [{kid, publicKey}], issuerKeys: [{kid, publicKey}], witness: <vkey> }`; unset outside production: the
   * development provinces 37, 42 and 11 with their development keys.
   */
  NATIONAL_PROVINCES: z.string().optional(),
  UPSTREAM_TIMEOUT_MS: int(3000, 50, 60000),
  /** Consecutive timeouts / failures of one upstream system (registry, face, super-app) that open its circuit. */
  UPSTREAM_CIRCUIT_FAILURES: int(5, 1, 1000),
  /** How long an open upstream circuit answers at once before it lets one trial call through. */
  UPSTREAM_CIRCUIT_HALF_OPEN_MS: int(30_000, 100, 600_000),
  BODY_LIMIT_BYTES: int(64 * 1024, 1024, 10 * 1024 * 1024),
  ACCESS_TOKEN_TTL_S: int(900, 30, 3600),
  REFRESH_TOKEN_TTL_S: int(30 * 24 * 3600, 300, 90 * 24 * 3600),
  REAUTH_TOKEN_TTL_S: int(300, 30, 900),
  REAL_NAME_ATTEMPTS_PER_DAY: int(5, 1, 100),
  FACE_ATTEMPTS_PER_DAY: int(5, 1, 100),
  /** A face check passes only at or above this similarity (0..1) between the capture and the registry portrait. */
  FACE_MIN_SIMILARITY: z.coerce.number().min(0.5).max(1).default(0.8),
  /**
   * An enrolment face check from here up to FACE_MIN_SIMILARITY (live, clear capture) goes to a supervisor's
   * review queue instead of failing (docs/identity.md "Review queue"); unset: 0.05 below the pass mark.
   */
  FACE_REVIEW_MIN_SIMILARITY: z.coerce.number().min(0).max(1).optional(),
  /** Resident login and refresh requests per client address per minute. */
  LOGIN_RATE_PER_MINUTE: int(600, 1, 100000),
  /**
   * Staff sign-in tries per client address per 15 minutes, times ten (whatever the usernames); failures per
   * account and per account and address are slowed down by growing delays (modules/staff/sign-in-throttle.ts).
   */
  STAFF_LOGIN_TRIES_PER_15_MIN: int(10, 1, 10000),
  /** A staff session ends this long after its last request (NIST SP 800-63B AAL2: at most 30 min). */
  STAFF_IDLE_TIMEOUT_S: int(900, 60, 1800),
  /** A staff session ends this long after its sign-in at the latest, however busy (AAL2: at most 12 h). */
  STAFF_SESSION_MAX_S: int(12 * 3600, 300, 12 * 3600),
  /**
   * Whether every staff account needs a confirmed TOTP second factor to work (`true`/`false`). Unset: yes in
   * production, no elsewhere, so the development accounts and the suites still sign in with a password.
   */
  STAFF_TOTP_REQUIRED: z.stringbool().optional(),
  STATUS_LIST_MAX_AGE_S: int(3600, 60, 7 * 24 * 3600),
  /** Staff lookups (issue 19 §4): the longest a supervisor may defer a lookup's disclosure; at most 90 days. */
  OVERSIGHT_MAX_DEFER_S: int(30 * 24 * 3600, 3600, 90 * 24 * 3600),
  /** How long a lookup that asks for deferral stays out of the resident's trace awaiting a supervisor. */
  OVERSIGHT_DEFER_HOLD_S: int(24 * 3600, 600, 3 * 24 * 3600),
  /** How long after a lookup its officer may reveal a field of it. */
  OVERSIGHT_REVEAL_WINDOW_S: int(600, 60, 3600),
  /** How often this process asks the registry about holders of live cards; 0 turns the timer off. */
  REVOCATION_CHECK_INTERVAL_S: int(900, 0, 7 * 24 * 3600),
  /**
   * How often this node publishes a signed checkpoint of its log of usage-chain heads (docs/admin.md
   * "Audit"), asking the federation's other nodes to cosign it; 0 turns the timer off (on demand only).
   */
  AUDIT_CHECKPOINT_INTERVAL_S: int(3600, 0, 7 * 24 * 3600),
  /**
   * Retention (docs/data-inventory.md): how often the sweep deletes what has outlived its period; 0 turns
   * the timer off in this process. Periods are days; 180 is the floor of records that are logs (at least
   * six months: Cybersecurity Law art. 21).
   */
  RETENTION_SWEEP_INTERVAL_S: int(3600, 0, 7 * 24 * 3600),
  /** A closed account's usage trace (and its questions, notices, former homes), counted from the closure. */
  RETENTION_USAGE_DAYS: int(1095, 180, 7300),
  /** An ended consent record (declined, expired, withdrawn), counted from its end. */
  RETENTION_CONSENT_DAYS: int(1095, 180, 7300),
  /** An ended document call (its receipt and summary), counted from its end. */
  RETENTION_DOCUMENT_CALL_DAYS: int(1095, 180, 7300),
  /** A decided or withdrawn enrolment review, counted from the decision (or its opening). */
  RETENTION_REVIEW_DAYS: int(1095, 180, 7300),
  /** An outbox event that stopped being retried, counted from then. */
  RETENTION_DEAD_LETTER_DAYS: int(90, 7, 3650),
  /** A revoked card's record, counted from its credential's expiry. */
  RETENTION_CARD_DAYS: int(30, 0, 3650),
  /** `username:password:role:displayName` for a development staff account created at boot (never in production). */
  STAFF_DEV_ACCOUNT: z
    .string()
    .refine((v) => parseDevStaffAccount(v) !== null, DEV_STAFF_FORMAT)
    .optional(),
  /** The same for a second development account, an administrator by default (never in production). */
  STAFF_DEV_ADMIN: z
    .string()
    .refine((v) => parseDevStaffAccount(v) !== null, DEV_STAFF_FORMAT)
    .optional(),
  SHUTDOWN_GRACE_MS: int(10000, 0, 120000),
  REQUEST_TIMEOUT_MS: int(30_000, 1000, 300_000),
});

export type RawConfig = z.infer<typeof schema>;

export interface Config extends RawConfig {
  /** Names of settings that fell back to development values; non-empty means "not for production". */
  devFallbacks: string[];
  /**
   * The development staff account this process creates at boot (STAFF_DEV_ACCOUNT, else
   * DEFAULT_DEV_STAFF); null in production. What `npm start` prints for a newcomer to sign in with.
   */
  staffDevAccount: DevStaffAccount | null;
  /** The development administrator created at boot (STAFF_DEV_ADMIN, else DEFAULT_DEV_ADMIN); null in production. */
  staffDevAdmin: DevStaffAccount | null;
  /** The development supervisor and auditor (DEFAULT_DEV_SUPERVISOR, DEFAULT_DEV_AUDITOR); empty in production. */
  staffDevOthers: DevStaffAccount[];
  /** STAFF_TOTP_REQUIRED with its default filled in (true in production). */
  staffTotpRequired: boolean;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`Invalid configuration: ${variable} ${problem}`);
    this.name = 'ConfigError';
  }
}

const SECRET_KEYS = [
  'EID_MASTER_KEYS',
  'EID_BLIND_INDEX_KEY',
  'EID_JWT_SECRET',
  'EID_ISSUER_KEYS',
  'EID_TRUST_ROOT_KEY',
  'LICENCE_CLIENT_KEY',
  'EID_PARTY_REGISTRY_KEY',
  'EID_CALLBACK_KEYS',
  'EID_PAIRWISE_KEY',
  'EID_OIDC_KEYS',
  'EID_OIDC_COOKIE_KEYS',
  'EID_NODE_KEYS',
  'EID_WITNESS_KEY',
] as const;

/** What the national role holds instead (it has no residents, parties or licence client). */
const NATIONAL_SECRET_KEYS = [
  'EID_MASTER_KEYS',
  'EID_JWT_SECRET',
  'EID_TRUST_ROOT_KEY',
  'EID_LOG_KEY',
  'NATIONAL_OPERATOR_TOKEN',
] as const;

/** Parses and validates the environment; throws ConfigError naming the first bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const file = env.EID_CONFIG_FILE ? readConfigFile(env.EID_CONFIG_FILE) : {};
  const input: Record<string, string> = {};
  for (const key of Object.keys(schema.shape)) {
    const value = env[key] ?? file[key];
    if (value !== undefined && value !== '') input[key] = value;
  }
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(String(issue.path[0] ?? 'environment'), issue.message);
  }
  const config = parsed.data;
  const secrets = config.NODE_ROLE === 'national' ? NATIONAL_SECRET_KEYS : SECRET_KEYS;
  const devFallbacks: string[] = secrets.filter((k) => config[k] === undefined);
  if (config.NODE_ENV === 'production') {
    if (devFallbacks.length > 0) throw new ConfigError(devFallbacks[0]!, 'is required in production');
    if (config.STAFF_DEV_ACCOUNT) throw new ConfigError('STAFF_DEV_ACCOUNT', 'must not be set in production');
    if (config.STAFF_DEV_ADMIN) throw new ConfigError('STAFF_DEV_ADMIN', 'must not be set in production');
    if (config.MONGODB_STANDIN === '1')
      throw new ConfigError('MONGODB_STANDIN', 'must not be 1 in production');
    // The OpenID issuer must not follow a request's Host header in production.
    if (!config.PUBLIC_URL) throw new ConfigError('PUBLIC_URL', 'is required in production');
    if (config.NODE_ROLE === 'national' && !config.NATIONAL_PROVINCES)
      throw new ConfigError('NATIONAL_PROVINCES', 'is required in production');
  }
  if ((config.FACE_REVIEW_MIN_SIMILARITY ?? 0) > config.FACE_MIN_SIMILARITY)
    throw new ConfigError('FACE_REVIEW_MIN_SIMILARITY', 'must not be above FACE_MIN_SIMILARITY');
  const staffDevAccount = devStaffAccountOf(config);
  const staffDevAdmin = devStaffAdminOf(config);
  // One username, two roles: the second upsert would silently replace the first account.
  if (staffDevAccount && staffDevAdmin && staffDevAccount.username === staffDevAdmin.username)
    throw new ConfigError('STAFF_DEV_ADMIN', 'must name another username than STAFF_DEV_ACCOUNT');
  const staffTotpRequired = config.STAFF_TOTP_REQUIRED ?? config.NODE_ENV === 'production';
  const taken = [staffDevAccount?.username, staffDevAdmin?.username];
  const staffDevOthers =
    config.NODE_ENV === 'production'
      ? []
      : [DEFAULT_DEV_SUPERVISOR, DEFAULT_DEV_AUDITOR].filter((d) => !taken.includes(d.username));
  return { ...config, devFallbacks, staffDevAccount, staffDevAdmin, staffDevOthers, staffTotpRequired };
}

/**
 * The settings of an EID_CONFIG_FILE: a JSON object of setting names to values. Strings are taken as they
 * are, numbers and booleans as their text, arrays and objects as JSON text (NATIONAL_PROVINCES).
 */
function readConfigFile(file: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ConfigError('EID_CONFIG_FILE', `cannot be read as JSON: ${(err as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new ConfigError('EID_CONFIG_FILE', 'must hold a JSON object of settings');
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (!(key in schema.shape)) throw new ConfigError('EID_CONFIG_FILE', `names an unknown setting ${key}`);
    if (value === null || value === undefined) continue;
    out[key] =
      typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
  }
  return out;
}

function devAccountOf(
  nodeEnv: RawConfig['NODE_ENV'],
  variable: 'STAFF_DEV_ACCOUNT' | 'STAFF_DEV_ADMIN',
  value: string | undefined,
  fallback: DevStaffAccount,
): DevStaffAccount | null {
  if (nodeEnv === 'production') return null;
  if (!value) return fallback;
  const account = parseDevStaffAccount(value);
  if (!account) throw new ConfigError(variable, DEV_STAFF_FORMAT);
  return account;
}

/** The development staff account a configuration asks for: null in production, the default when unset. */
export function devStaffAccountOf(
  config: Pick<RawConfig, 'NODE_ENV' | 'STAFF_DEV_ACCOUNT'>,
): DevStaffAccount | null {
  return devAccountOf(config.NODE_ENV, 'STAFF_DEV_ACCOUNT', config.STAFF_DEV_ACCOUNT, DEFAULT_DEV_STAFF);
}

/** The development administrator a configuration asks for: null in production, DEFAULT_DEV_ADMIN when unset. */
export function devStaffAdminOf(
  config: Pick<RawConfig, 'NODE_ENV' | 'STAFF_DEV_ADMIN'>,
): DevStaffAccount | null {
  return devAccountOf(config.NODE_ENV, 'STAFF_DEV_ADMIN', config.STAFF_DEV_ADMIN, DEFAULT_DEV_ADMIN);
}
