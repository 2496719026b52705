import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import {
  AppError,
  LICENCE_GRANT_HEADER,
  LICENCE_REQUEST_COMPONENTS,
  base64urlDecode,
  licenceHolderKey,
  signLicenceGrant,
  signRequest,
} from '@eid/shared';
import type { Clock } from '../../infra/clock';
import { nodeSha256 } from '../../infra/ed25519';
import type { KeyStore } from '../../infra/keystore';
import type { Logger } from '../../infra/logger';
import type { Deadline } from '../../infra/upstream';

/*
 * The adapter to the electronic licence system (docs/mock-systems.md, "Electronic licence system"): every
 * request is signed (RFC 9421, shared/src/http-signatures) with the BFF's licence-client key, which only the
 * key store holds, and a document request carries a grant (shared/src/licence/grant.ts) signed by the same
 * key for one holder, the types and the purpose. Failures are LICENCE_SYSTEM_UNAVAILABLE (503): retryable,
 * with Retry-After, when the system is down, slow or unreachable; not retryable when it refuses our
 * signature or answers something we cannot read. Log lines name the route and the system's code, never
 * the holder (whose key is in the URL, so URLs are never logged either).
 */

/** Seconds a client is told to wait (Retry-After) when the licence system is down or slow. */
export const LICENCE_RETRY_AFTER_S = 5;
/** How long a grant lives: one request, with room for the clock skew between the BFF and the system. */
export const LICENCE_GRANT_TTL_MS = 60_000;
/** Largest answer read (a holder's whole wallet is a few dozen kB). */
const MAX_ANSWER_BYTES = 2 * 1024 * 1024;

/** An issuing body as the licence system publishes it (`GET /issuers`). */
export interface LicenceSystemIssuer {
  kid: string;
  uscc: string;
  name: string;
  /** Raw 32-byte Ed25519 public key. */
  publicKey: Uint8Array;
}

/** One document as `GET /documents` answers it, not yet checked. */
export interface LicenceSystemDocument {
  /** The system's stable id of the document (the same across renewals). */
  id: string;
  type: string;
  identifier: string;
  status: 'valid' | 'revoked' | 'suspended';
  credential: Uint8Array;
  secrets: Uint8Array;
  /** Epoch ms of the issuing body's last change. */
  updatedAt: number;
}

export type LicenceDocumentsAnswer =
  { notModified: true } | { notModified: false; etag: string | null; documents: LicenceSystemDocument[] };

/** One entry of the change feed: the document and its grant-free holder key, never an ID number. */
export interface LicenceChange {
  cursor: string;
  id: string;
  type: string;
  identifier: string;
  previousIdentifier?: string;
  holder: string;
  change: 'renewed' | 'revoked' | 'suspended' | 'resumed';
  at: number;
}

export type LicenceChangesAnswer =
  | { cursorExpired: true }
  | { cursorExpired: false; changes: LicenceChange[]; next: string; hasMore: boolean };

/** A signed status list of an issuing body, as fetched. */
export interface FetchedStatusList {
  kid: string;
  issuedAt: number;
  ttlSeconds: number;
  bytes: Uint8Array;
  etag: string | null;
}

export type LicenceStatusListAnswer = { notModified: true } | ({ notModified: false } & FetchedStatusList);

/** What a document request names: the holder (by ID number, from the BFF's own record), types, purpose. */
export interface LicenceDocumentsRequest {
  holderIdNumber: string;
  types: readonly string[];
  /** `wallet`, or the code of a document-call service. */
  purpose: string;
  /** The ETag of the last answer for the same holder and types. */
  ifNoneMatch?: string;
}

export interface LicenceSystemClient {
  issuers(): Promise<LicenceSystemIssuer[]>;
  documents(request: LicenceDocumentsRequest): Promise<LicenceDocumentsAnswer>;
  changes(since: string | undefined, limit: number): Promise<LicenceChangesAnswer>;
  /** null when the system knows no issuing body of this key id. */
  statusList(kid: string, ifNoneMatch?: string): Promise<LicenceStatusListAnswer | null>;
}

export interface LicenceClientOptions {
  baseUrl: string;
  /** Budget of one call, connection to last byte. */
  timeoutMs: number;
  /** How a call's budget runs out; a real timer unless a test fires it itself. */
  deadline?: Deadline;
  keys: Pick<KeyStore, 'licenceClientKid' | 'signAsLicenceClient'>;
  clock: Clock;
  logger: Logger;
}

const b64url = z.string().regex(/^[A-Za-z0-9_-]+$/);
const issuersAnswer = z
  .array(
    z.object({
      kid: z.string().min(1).max(16),
      uscc: z.string().regex(/^[0-9A-HJ-NPQRTUWXY]{18}$/),
      name: z.string().min(1).max(128),
      publicKey: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
    }),
  )
  .max(10_000);
const documentsAnswer = z
  .array(
    z.object({
      id: z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/),
      type: z.string().min(1).max(64),
      identifier: z.string().min(1).max(128),
      status: z.enum(['valid', 'revoked', 'suspended']),
      credential: b64url.max(8192),
      secrets: b64url.max(65_536),
      updatedAt: z.number().int().nonnegative(),
    }),
  )
  .max(256);
const changesAnswer = z.object({
  changes: z
    .array(
      z.object({
        cursor: z.string().min(1).max(64),
        id: z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/),
        type: z.string().min(1).max(64),
        identifier: z.string().min(1).max(128),
        previousIdentifier: z.string().min(1).max(128).optional(),
        holder: z.string().regex(/^[0-9a-f]{64}$/),
        change: z.enum(['renewed', 'revoked', 'suspended', 'resumed']),
        at: z.number().int().nonnegative(),
      }),
    )
    .max(1000),
  next: z.string().min(1).max(64),
  hasMore: z.boolean(),
});
const statusListAnswer = z.object({
  kid: z.string().min(1).max(16),
  issuedAt: z.number().int().nonnegative(),
  ttlSeconds: z.number().int().positive(),
  statusList: b64url.max(8 * 1024 * 1024),
});

interface Answer {
  status: number;
  headers: Headers;
  bytes: Uint8Array;
}

/** The licence system's own error code (`{ error }`), for the log line; never the message. */
function errorOf(answer: Answer): string | undefined {
  try {
    const value = JSON.parse(new TextDecoder().decode(answer.bytes)) as { error?: unknown };
    return typeof value?.error === 'string' && /^[a-z_]{1,64}$/.test(value.error) ? value.error : undefined;
  } catch {
    return undefined;
  }
}

/**
 * LICENCE_SYSTEM_UNAVAILABLE; `retryable` ones carry `retryAfterS`, which the error renderer answers as
 * Retry-After. The message says what happened, never what was asked.
 */
export function licenceUnavailable(why: string, retryable: boolean): AppError {
  return new AppError(
    'LICENCE_SYSTEM_UNAVAILABLE',
    `The electronic licence system ${why}`,
    retryable ? { retryable, retryAfterS: LICENCE_RETRY_AFTER_S } : { retryable },
  );
}

/** Builds the licence-system adapter over the key store's licence-client key. */
export function createLicenceClient(options: LicenceClientOptions): LicenceSystemClient {
  const { timeoutMs, keys, clock, logger } = options;
  const base = options.baseUrl.replace(/\/+$/, '');
  const sign = (message: Uint8Array) => keys.signAsLicenceClient(message);

  async function get(route: string, pathAndQuery: string, extra: Record<string, string> = {}) {
    const url = base + pathAndQuery;
    const headers: Record<string, string> = { accept: 'application/json', ...extra };
    const grant = headers[LICENCE_GRANT_HEADER] !== undefined;
    Object.assign(
      headers,
      signRequest({
        method: 'GET',
        url,
        headers,
        keyId: keys.licenceClientKid(),
        sign,
        created: Math.floor(clock.now() / 1000),
        ...(grant ? { components: LICENCE_REQUEST_COMPONENTS } : {}),
        sha256: nodeSha256,
      }),
    );
    let answer: Answer;
    try {
      const response = await fetch(url, {
        headers,
        signal: options.deadline ? options.deadline(timeoutMs) : AbortSignal.timeout(timeoutMs),
        redirect: 'error',
      });
      const declared = Number(response.headers.get('content-length') ?? '0');
      if (declared > MAX_ANSWER_BYTES) {
        await response.body?.cancel();
        throw licenceUnavailable('sent an answer that is too large', false);
      }
      const bytes = new Uint8Array(await response.arrayBuffer());
      if (bytes.length > MAX_ANSWER_BYTES)
        throw licenceUnavailable('sent an answer that is too large', false);
      answer = { status: response.status, headers: response.headers, bytes };
    } catch (err) {
      if (err instanceof AppError) throw err;
      const timedOut = (err as { name?: unknown })?.name === 'TimeoutError';
      logger.warn({ system: 'licence', route, timedOut }, 'licence system call failed');
      throw licenceUnavailable(timedOut ? `did not answer within ${timeoutMs} ms` : 'is unreachable', true);
    }
    if (answer.status >= 500) {
      logger.warn({ system: 'licence', route, status: answer.status }, 'licence system is failing');
      throw licenceUnavailable(`answered ${answer.status}`, true);
    }
    return answer;
  }

  /** Any status the caller does not handle: our request or key was refused, or the contract changed. */
  function refused(route: string, answer: Answer): never {
    const code = errorOf(answer);
    logger.error(
      { system: 'licence', route, status: answer.status, code },
      'licence system refused a request',
    );
    throw licenceUnavailable(`refused the request (${answer.status})`, false);
  }

  function parse<T>(route: string, answer: Answer, schema: z.ZodType<T>): T {
    let value: unknown;
    try {
      value = JSON.parse(new TextDecoder().decode(answer.bytes));
    } catch {
      value = undefined;
    }
    const parsed = schema.safeParse(value);
    // The issues may quote personal data from the answer: they are not logged.
    if (!parsed.success) {
      logger.error({ system: 'licence', route }, 'licence system sent a malformed answer');
      throw licenceUnavailable('sent a malformed answer', false);
    }
    return parsed.data;
  }

  return {
    async issuers() {
      const answer = await get('/issuers', '/issuers');
      if (answer.status !== 200) refused('/issuers', answer);
      return parse('/issuers', answer, issuersAnswer).map((i) => ({
        ...i,
        publicKey: base64urlDecode(i.publicKey),
      }));
    },

    async documents({ holderIdNumber, types, purpose, ifNoneMatch }) {
      const now = clock.now();
      const grant = signLicenceGrant(
        keys.licenceClientKid(),
        {
          grantId: `g_${randomBytes(16).toString('base64url')}`,
          holderIdNumber,
          types,
          purpose,
          issuedAt: now,
          expiresAt: now + LICENCE_GRANT_TTL_MS,
        },
        sign,
      );
      const query = new URLSearchParams({
        holder: licenceHolderKey(holderIdNumber, nodeSha256),
        types: types.join(','),
        purpose,
      });
      const headers: Record<string, string> = { [LICENCE_GRANT_HEADER]: grant };
      if (ifNoneMatch) headers['if-none-match'] = ifNoneMatch;
      const answer = await get('/documents', `/documents?${query.toString()}`, headers);
      if (answer.status === 304) return { notModified: true };
      if (answer.status !== 200) refused('/documents', answer);
      const documents = parse('/documents', answer, documentsAnswer).map((d) => ({
        ...d,
        credential: base64urlDecode(d.credential),
        secrets: base64urlDecode(d.secrets),
      }));
      return { notModified: false, etag: answer.headers.get('etag'), documents };
    },

    async changes(since, limit) {
      const query = new URLSearchParams({ limit: String(limit) });
      if (since !== undefined) query.set('since', since);
      const answer = await get('/changes', `/changes?${query.toString()}`);
      if (answer.status === 410) return { cursorExpired: true };
      if (answer.status !== 200) refused('/changes', answer);
      return { cursorExpired: false, ...parse('/changes', answer, changesAnswer) };
    },

    async statusList(kid, ifNoneMatch) {
      const headers: Record<string, string> = ifNoneMatch ? { 'if-none-match': ifNoneMatch } : {};
      const answer = await get('/status-lists', `/status-lists/${encodeURIComponent(kid)}`, headers);
      if (answer.status === 304) return { notModified: true };
      if (answer.status === 404) return null;
      if (answer.status !== 200) refused('/status-lists', answer);
      const list = parse('/status-lists', answer, statusListAnswer);
      return {
        notModified: false,
        kid: list.kid,
        issuedAt: list.issuedAt,
        ttlSeconds: list.ttlSeconds,
        bytes: base64urlDecode(list.statusList),
        etag: answer.headers.get('etag'),
      };
    },
  };
}
