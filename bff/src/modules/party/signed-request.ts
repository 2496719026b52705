import type { Middleware } from 'koa';
import {
  AppError,
  base64urlDecode,
  MAX_SIGNATURE_SKEW_MS,
  verifyRequestAsync,
  type ErrorCode,
  type SignatureFailureReason,
} from '@eid/shared';
import { nodeSha256 } from '../../infra/ed25519';
import { parseJsonObject } from '../../middleware/body';
import { isRetired, partyOf, type PartyDeps } from './deps';
import { countRequest } from './limits';
import type { PartyKeyRecord, PartyRecord } from './party.repository';

/** One stable code per reason shared verifyRequest gives (docs/relying-party.md lists them). */
const CODE_OF: Record<SignatureFailureReason, ErrorCode> = {
  missing_signature: 'SIGNATURE_MISSING',
  malformed_signature: 'SIGNATURE_MALFORMED',
  unknown_key: 'SIGNATURE_UNKNOWN_KEY',
  retired_key: 'SIGNATURE_RETIRED_KEY',
  bad_signature: 'SIGNATURE_INVALID',
  created_out_of_window: 'SIGNATURE_STALE',
  missing_component: 'SIGNATURE_COMPONENT_MISSING',
  digest_mismatch: 'CONTENT_DIGEST_MISMATCH',
  missing_nonce: 'SIGNATURE_NONCE_MISSING',
};

/** The key ids a party may register: anything else is not looked up at all. */
export const KID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

const EMPTY = Buffer.alloc(0);

interface ResolvedKey {
  publicKey: Uint8Array;
  retired: boolean;
  key: PartyKeyRecord;
  party: PartyRecord;
}

/**
 * The guard of the parties' signed API (RFC 9421 over the raw body, docs/relying-party.md), in this order:
 * the signature (shared verifyRequestAsync with node:crypto Ed25519: form, `created` within 5 minutes, the
 * covered components, the key and its retirement time, the signature, the body against Content-Digest), then
 * the nonce in the database's replay store for the window (after the signature, so nobody can burn another
 * party's nonces), then a suspended party, then the per-minute limit and the daily quota; only then is the
 * body parsed. Keys and parties come from the short-lived cache: a request costs the nonce write and the two
 * counters.
 */
export function requireSignedRequest(deps: PartyDeps): Middleware {
  // Decoded public keys by the cached record: the same bytes object each time lets node Ed25519 reuse its key.
  const decoded = new WeakMap<PartyKeyRecord, Uint8Array>();

  async function resolveKey(kid: string, now: number): Promise<ResolvedKey | undefined> {
    if (!KID_PATTERN.test(kid)) return undefined;
    const key = await deps.cache.key(kid);
    if (!key) return undefined;
    const party = await deps.cache.party(key.partyId);
    if (!party) return undefined;
    let publicKey = decoded.get(key);
    if (!publicKey) {
      publicKey = base64urlDecode(key.publicKey);
      decoded.set(key, publicKey);
    }
    return { publicKey, retired: isRetired(key, now), key, party };
  }

  return async function verifyPartySignature(ctx, next) {
    const raw = ctx.request.rawBytes ?? EMPTY;
    const now = deps.clock.now();
    const targetUri = `${ctx.protocol}://${ctx.host}${ctx.originalUrl}`;
    const result = await verifyRequestAsync(
      { method: ctx.method, url: targetUri, headers: ctx.headers, body: raw },
      { resolveKey: (kid) => resolveKey(kid, now), now, verify: deps.ed25519, sha256: nodeSha256 },
    );
    if (!result.ok) {
      deps.logger.info({ reason: result.reason, requestId: ctx.state.requestId }, 'signed request refused');
      throw new AppError(CODE_OF[result.reason], `The request signature is not accepted: ${result.detail}`);
    }
    const { key, party } = result.key;
    // Remembered until `created` leaves the window: after that the signature is stale anyway.
    const first = await deps.replays.unique(
      'rp-nonce',
      `${result.keyId}:${result.nonce!}`,
      result.created * 1000 + MAX_SIGNATURE_SKEW_MS,
    );
    if (!first) throw new AppError('SIGNATURE_NONCE_REUSED', 'This nonce was used before');
    if (party.status === 'suspended')
      throw new AppError('PARTY_SUSPENDED', 'The party is suspended; ask the registry to reinstate it');
    await countRequest(deps, party);

    const text = raw.length > 0 ? raw.toString('utf8') : '';
    if (text !== '') ctx.request.body = parseJsonObject(text);
    ctx.state.signed = {
      party: partyOf(party),
      kid: key.kid,
      publicKey: key.publicKey,
      method: ctx.method,
      targetUri,
      signatureInput: ctx.get('signature-input'),
      signature: ctx.get('signature'),
      contentDigest: ctx.get('content-digest'),
      created: result.created,
      rawBody: text,
    };
    await next();
  };
}
