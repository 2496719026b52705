import type { KeyObject } from 'node:crypto';
import { signRpRequest } from './signer';

/** The hotel's source of time (epoch ms): the tests pass the stack's manual clock. */
export interface HotelClock {
  now(): number;
}

export interface RpReply<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

/** An answer of the BFF that was not 2xx: its stable `code` (docs/api.md) is what the hotel switches on. */
export class RpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly retryAfterS?: number,
  ) {
    super(message);
    this.name = 'RpError';
  }
}

export interface RpClientOptions {
  /** The BFF's origin, e.g. `https://eid.example.cn` (no trailing slash). */
  bffUrl: string;
  kid: string;
  privateKey: KeyObject;
  clock: HotelClock;
}

export interface RpClient {
  /** Sends one signed request; the body is serialised once and those very bytes are digested and sent. */
  call<T = unknown>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<RpReply<T>>;
  /** Like call, but throws RpError unless the answer is 2xx. */
  ok<T = unknown>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T>;
}

/**
 * A client of the relying-party API (`/api/v1/rp/...`) that signs every request (docs/relying-party.md).
 *
 * @example const rp = createRpClient({ bffUrl, kid, privateKey, clock }); await rp.ok('POST', '/api/v1/rp/verify', { code, purpose });
 */
export function createRpClient(options: RpClientOptions): RpClient {
  const origin = options.bffUrl.replace(/\/+$/, '');
  async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<RpReply<T>> {
    const url = `${origin}${path}`;
    const bytes = body === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(body), 'utf8');
    const signed = signRpRequest({
      method,
      url,
      body: bytes,
      keyId: options.kid,
      privateKey: options.privateKey,
      created: Math.floor(options.clock.now() / 1000),
    });
    const headers: Record<string, string> = { ...signed.headers, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(url, { method, headers, body: body === undefined ? undefined : bytes });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // Not JSON (a proxy's error page): keep the text for the error message.
    }
    return { status: res.status, body: parsed as T, headers: res.headers };
  }
  return {
    call,
    async ok<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
      const reply = await call<T>(method, path, body);
      if (reply.status >= 200 && reply.status < 300) return reply.body;
      const err = (reply.body ?? {}) as { code?: unknown; message?: unknown };
      const retry = Number(reply.headers.get('retry-after'));
      throw new RpError(
        reply.status,
        typeof err.code === 'string' ? err.code : `HTTP_${reply.status}`,
        typeof err.message === 'string' ? err.message : `the BFF answered ${reply.status}`,
        Number.isFinite(retry) && retry > 0 ? retry : undefined,
      );
    },
  };
}
