import Taro from '@tarojs/taro';
import { AppError, type ErrorCode, isErrorCode, type Session, type StaffSession } from '@eid/shared';
import { langStore } from '../i18n';
import { clock } from '../lib/clock';
import { createStore } from '../lib/store';
import { endSession, saveSession, sessionStore } from './session';

/** The BFF's origin: the H5 build is served from it; the weapp build is told at build time. */
export const API_BASE =
  process.env.TARO_APP_API_BASE || (process.env.TARO_ENV === 'h5' ? '' : 'http://127.0.0.1:8080');

const TIMEOUT_MS = 15000;

export type Audience = 'none' | 'resident' | 'staff';

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path on the BFF (`/api/v1/...`) or an absolute URL (the stand-in services on H5). */
  path: string;
  data?: unknown;
  query?: Record<string, string | number | undefined | null>;
  auth?: Audience;
  /** Answer raw bytes instead of JSON (the portrait). */
  binary?: boolean;
}

export interface BinaryAnswer {
  bytes: ArrayBuffer;
  contentType: string;
}

/** The staff terminal's session: kept in memory only, so closing the browser signs the staff out. */
export const staffStore = createStore<StaffSession | null>(null);

/** The clock token expiry is read from: the mini-program's one clock (tests set its `now`). */
export const requestClock = clock;

// Codes after which the resident's session cannot continue: back to the welcome page.
const SESSION_ENDED: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'SESSION_REVOKED',
  'REFRESH_TOKEN_REUSED',
  'REFRESH_TOKEN_INVALID',
  'TOKEN_INVALID',
  'UNAUTHENTICATED',
]);

// Codes after which a staff token is of no more use (staff have no refresh token): sign in again.
const STAFF_SESSION_ENDED: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'SESSION_REVOKED',
  'TOKEN_EXPIRED',
  'TOKEN_INVALID',
  'UNAUTHENTICATED',
]);

function buildUrl(path: string, query?: RequestOptions['query']): string {
  const base = /^https?:\/\//.test(path) ? path : `${API_BASE}${path}`;
  if (!query) return base;
  const pairs = Object.entries(query)
    .filter(([, v]) => v !== undefined && v !== null && v !== '')
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
  return pairs.length === 0 ? base : `${base}${base.includes('?') ? '&' : '?'}${pairs.join('&')}`;
}

function bytesToText(buffer: ArrayBuffer): string {
  const bytes = new Uint8Array(buffer);
  let out = '';
  for (let i = 0; i < bytes.length; i += 4096) out += String.fromCharCode(...bytes.subarray(i, i + 4096));
  return out;
}

function toAppError(status: number, body: unknown): AppError {
  let parsed = body;
  if (body instanceof ArrayBuffer) {
    try {
      parsed = JSON.parse(bytesToText(body));
    } catch {
      parsed = null;
    }
  }
  const b = (parsed ?? {}) as { code?: unknown; message?: unknown; details?: Record<string, unknown> };
  if (isErrorCode(b.code)) {
    return new AppError(b.code, typeof b.message === 'string' ? b.message : b.code, b.details, status);
  }
  if (status === 413) return new AppError('BODY_TOO_LARGE', 'Body too large', undefined, status);
  if (status === 429) return new AppError('RATE_LIMITED', 'Rate limited', undefined, status);
  if (status >= 500) return new AppError('UPSTREAM_UNAVAILABLE', 'Service unavailable', undefined, status);
  return new AppError('BAD_REQUEST', `HTTP ${status}`, undefined, status);
}

interface RawAnswer {
  statusCode: number;
  data: unknown;
  header: Record<string, string>;
}

async function send(opts: RequestOptions, token: string | null): Promise<RawAnswer> {
  const header: Record<string, string> = { 'Accept-Language': langStore.get() === 'zh' ? 'zh-CN' : 'en' };
  if (token) header.Authorization = `Bearer ${token}`;
  // A POST always carries a JSON body, so the BFF's schema sees `{}` rather than nothing.
  const data = opts.data ?? (opts.method === 'POST' ? {} : undefined);
  if (data !== undefined) header['Content-Type'] = 'application/json';
  try {
    const answer = await Taro.request({
      url: buildUrl(opts.path, opts.query),
      method: opts.method ?? 'GET',
      data: data as Record<string, unknown> | undefined,
      header,
      timeout: TIMEOUT_MS,
      dataType: opts.binary ? 'other' : 'json',
      responseType: opts.binary ? 'arraybuffer' : 'text',
    });
    return {
      statusCode: answer.statusCode,
      data: answer.data,
      header: (answer.header ?? {}) as Record<string, string>,
    };
  } catch (err) {
    const text = String(
      (err as { errMsg?: string; message?: string })?.errMsg ?? (err as Error)?.message ?? '',
    );
    if (/timeout|abort/i.test(text))
      throw new AppError('UPSTREAM_TIMEOUT', 'Request timed out', { network: true }, 0);
    throw new AppError('UPSTREAM_UNAVAILABLE', 'Network unavailable', { network: true }, 0);
  }
}

let refreshing: Promise<void> | null = null;

/** Exchanges the refresh token for a new session; concurrent callers share the one call in flight. */
export function refreshSession(): Promise<void> {
  if (refreshing) return refreshing;
  const tokens = sessionStore.get().tokens;
  if (!tokens) return Promise.reject(new AppError('UNAUTHENTICATED', 'No session'));
  refreshing = (async () => {
    try {
      const answer = await send(
        { method: 'POST', path: '/api/v1/auth/refresh', data: { refreshToken: tokens.refreshToken } },
        null,
      );
      if (answer.statusCode !== 200) throw toAppError(answer.statusCode, answer.data);
      saveSession(answer.data as Session, requestClock.now());
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

async function residentToken(): Promise<string> {
  const tokens = sessionStore.get().tokens;
  if (!tokens) throw new AppError('UNAUTHENTICATED', 'No session');
  if (requestClock.now() < tokens.accessExpiresAt) return tokens.accessToken;
  await refreshSession();
  return sessionStore.get().tokens!.accessToken;
}

function finish<T>(opts: RequestOptions, answer: RawAnswer): T {
  if (answer.statusCode >= 200 && answer.statusCode < 300) {
    if (opts.binary) {
      const contentType = answer.header['content-type'] ?? answer.header['Content-Type'] ?? 'image/jpeg';
      return { bytes: answer.data as ArrayBuffer, contentType } as T;
    }
    return (answer.statusCode === 204 ? undefined : answer.data) as T;
  }
  throw toAppError(answer.statusCode, answer.data);
}

async function residentRequest<T>(opts: RequestOptions): Promise<T> {
  try {
    let answer = await send(opts, await residentToken());
    if (answer.statusCode === 401 && (answer.data as { code?: string } | null)?.code === 'TOKEN_EXPIRED') {
      await refreshSession();
      answer = await send(opts, sessionStore.get().tokens!.accessToken);
    }
    return finish<T>(opts, answer);
  } catch (err) {
    if (err instanceof AppError && SESSION_ENDED.has(err.code)) {
      endSession(err.code === 'UNAUTHENTICATED' ? 'expired' : 'revoked');
    }
    throw err;
  }
}

/**
 * The one way the mini-program talks to the BFF: JSON in and out, errors as AppError with the BFF's
 * code, the resident's token refreshed silently on TOKEN_EXPIRED.
 */
export async function request<T>(opts: RequestOptions): Promise<T> {
  const auth = opts.auth ?? 'resident';
  if (auth === 'resident') return residentRequest<T>(opts);
  const staff = auth === 'staff' ? staffStore.get() : null;
  if (auth === 'staff' && !staff) throw new AppError('UNAUTHENTICATED', 'No staff session');
  const answer = await send(opts, staff?.accessToken ?? null);
  try {
    return await finish<T>(opts, answer);
  } catch (err) {
    if (auth === 'staff' && err instanceof AppError && STAFF_SESSION_ENDED.has(err.code))
      staffStore.set(null);
    throw err;
  }
}
