/**
 * The admin pages' one door to the BFF: same origin (`/api`, served by the same H5 server), the staff
 * token in memory (and in sessionStorage so a reload in the same tab keeps the session; never
 * localStorage), every failure an `ApiError` carrying the BFF's stable code.
 */
import type { StaffSession } from '@eid/shared';

const STORE_KEY = 'eid-admin-session';

export interface AdminSession extends StaffSession {
  /** Epoch ms the token stops working (from expiresIn at sign-in). */
  expiresAt: number;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

let session: AdminSession | null = readStored();
const listeners = new Set<(s: AdminSession | null) => void>();

function readStored(): AdminSession | null {
  try {
    const text = sessionStorage.getItem(STORE_KEY);
    const stored = text ? (JSON.parse(text) as AdminSession) : null;
    return stored && stored.expiresAt > Date.now() ? stored : null;
  } catch {
    return null;
  }
}

/** The signed-in session, or null. */
export function currentSession(): AdminSession | null {
  return session;
}

export function onSession(listener: (s: AdminSession | null) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Keeps a fresh session (from sign-in, confirm or refresh), or forgets it (null). */
export function setSession(next: StaffSession | null): void {
  session = next ? { ...next, expiresAt: Date.now() + next.expiresIn * 1000 } : null;
  try {
    if (session) sessionStorage.setItem(STORE_KEY, JSON.stringify(session));
    else sessionStorage.removeItem(STORE_KEY);
  } catch {
    // A browser refusing storage still keeps the session in memory for this page.
  }
  for (const listener of listeners) listener(session);
}

/**
 * One JSON call. `token` defaults to the session's; pass `null` to send none. A 401 on a signed-in call
 * ends the session (the page then shows the sign-in form).
 */
export async function api<T>(
  method: string,
  path: string,
  options: { body?: unknown; token?: string | null } = {},
): Promise<T> {
  const token = options.token === undefined ? session?.accessToken : options.token;
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers: {
        accept: 'application/json',
        ...(options.body !== undefined && { 'content-type': 'application/json' }),
        ...(token && { authorization: `Bearer ${token}` }),
      },
      ...(options.body !== undefined && { body: JSON.stringify(options.body) }),
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch {
    throw new ApiError(0, 'NETWORK', 'network');
  }
  const text = await res.text();
  let body: unknown = undefined;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (!res.ok) {
    const e = (body ?? {}) as { code?: string; message?: string; details?: Record<string, unknown> };
    const retryAfter = res.headers.get('retry-after');
    const details = { ...(e.details ?? {}), ...(retryAfter && { retryAfterS: Number(retryAfter) }) };
    const error = new ApiError(res.status, e.code ?? `HTTP_${res.status}`, e.message ?? '', details);
    if (res.status === 401 && token && token === session?.accessToken && options.token === undefined)
      setSession(null);
    throw error;
  }
  return body as T;
}
