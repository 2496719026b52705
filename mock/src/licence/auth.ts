import type Koa from 'koa';
import {
  LICENCE_GRANT_HEADER,
  MAX_SIGNATURE_SKEW_MS,
  verifyRequest,
  type SignatureFailureReason,
} from '@eid/shared';
import { MockHttpError, type MockClock } from '../lib/server';
import { nodeEd25519 } from './ed25519';

/** A BFF key the stand-in accepts request signatures (and grants) from. */
export interface LicenceClientKey {
  keyId: string;
  /** Raw 32-byte Ed25519 public key. */
  publicKey: Uint8Array;
}

/** Stable codes of refused signatures (401), one per reason of shared verifyRequest, and a reused nonce. */
export const SIGNATURE_CODES: Readonly<Record<SignatureFailureReason | 'nonce_reused', string>> = {
  missing_signature: 'signature_missing',
  malformed_signature: 'signature_malformed',
  unknown_key: 'signature_unknown_key',
  retired_key: 'signature_retired_key',
  bad_signature: 'signature_invalid',
  created_out_of_window: 'signature_stale',
  missing_component: 'signature_component_missing',
  digest_mismatch: 'signature_digest_mismatch',
  missing_nonce: 'signature_nonce_missing',
  nonce_reused: 'signature_nonce_reused',
};

const RAW_BODY_LIMIT = 64 * 1024;

/**
 * Nonces seen per key, each remembered until its signature's `created` leaves the acceptance window: a
 * replayed request is refused for as long as it would otherwise be accepted.
 */
export function createNonceStore() {
  const seen = new Map<string, number>();
  let sweptAt = 0;
  return {
    /** True the first time (keyId, nonce) is offered within the window; records it. */
    firstUse(keyId: string, nonce: string, created: number, now: number): boolean {
      if (now - sweptAt > 60_000) {
        for (const [k, until] of seen) if (until < now) seen.delete(k);
        sweptAt = now;
      }
      const key = `${keyId}\n${nonce}`;
      const until = seen.get(key);
      if (until !== undefined && until >= now) return false;
      seen.set(key, created * 1000 + MAX_SIGNATURE_SKEW_MS);
      return true;
    },
  };
}
export type NonceStore = ReturnType<typeof createNonceStore>;

/** The raw body of a request the body parser left alone (signed requests are GETs; a body is still checked). */
async function rawBody(ctx: Koa.Context): Promise<Uint8Array> {
  const parsed = (ctx.request as { rawBody?: unknown }).rawBody;
  if (typeof parsed === 'string') return new TextEncoder().encode(parsed);
  const length = Number(ctx.get('Content-Length') || 0);
  if (!ctx.get('Transfer-Encoding') && length === 0) return new Uint8Array(0);
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > RAW_BODY_LIMIT) throw new MockHttpError(413, 'body_too_large', 'body too large');
    chunks.push(chunk);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

/** Thrown by the signature check; the route logs it with the key id and renders it. */
export class Refused extends MockHttpError {
  constructor(
    status: number,
    code: string,
    message: string,
    readonly log: { keyId?: string; grantId?: string; reason: string },
  ) {
    super(status, code, message);
  }
}

export interface SignatureCheckOptions {
  keys: readonly LicenceClientKey[];
  clock: MockClock;
  nonces: NonceStore;
  /** Origin the BFF addresses the stand-in by, when it differs from the Host header (a proxy). */
  publicOrigin?: string;
}

/**
 * Verifies the request's RFC 9421 signature under the stand-in's profile: ed25519 by a configured BFF key,
 * covering `@method` and `@target-uri` (and `content-digest` when there is a body, `licence-grant` when a
 * grant is sent), `created` within 5 minutes, a nonce not seen before in that window. Returns the key id;
 * throws Refused (401) with the reason's code.
 */
export async function checkSignature(ctx: Koa.Context, options: SignatureCheckOptions): Promise<string> {
  const body = await rawBody(ctx);
  const required = ['@method', '@target-uri'];
  if (body.length > 0) required.push('content-digest');
  if (ctx.get(LICENCE_GRANT_HEADER)) required.push(LICENCE_GRANT_HEADER);
  const origin = options.publicOrigin ?? `${ctx.protocol}://${ctx.host}`;
  const now = options.clock.now();
  const result = verifyRequest(
    { method: ctx.method, url: origin + ctx.originalUrl, headers: ctx.headers, body },
    {
      resolveKey: (keyId) => options.keys.find((k) => k.keyId === keyId),
      now,
      requiredComponents: required,
      requireNonce: true,
      verify: nodeEd25519,
    },
  );
  if (!result.ok) {
    const keyId = signatureKeyId(ctx);
    throw new Refused(401, SIGNATURE_CODES[result.reason], result.detail, {
      ...(keyId ? { keyId } : {}),
      reason: result.reason,
    });
  }
  if (!options.nonces.firstUse(result.keyId, result.nonce!, result.created, now)) {
    throw new Refused(401, SIGNATURE_CODES.nonce_reused, 'this nonce was already used', {
      keyId: result.keyId,
      reason: 'nonce_reused',
    });
  }
  return result.keyId;
}

/** The keyid a refused request claimed, for the log line (bounded, printable, never request content). */
function signatureKeyId(ctx: Koa.Context): string | undefined {
  const m = /keyid="([\x20-\x21\x23-\x5b\x5d-\x7e]{1,64})"/.exec(ctx.get('Signature-Input'));
  return m?.[1];
}
