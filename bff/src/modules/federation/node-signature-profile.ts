import type { Context } from 'koa';
import {
  AppError,
  MAX_SIGNATURE_SKEW_MS,
  headerFieldValue,
  signRequest,
  verifyRequest,
  type Ed25519,
  type HeaderBag,
  type SignatureKey,
} from '@eid/shared';
import { nodeSha256 } from '../../infra/ed25519';
import type { KeyStore } from '../../infra/keystore';
import type { Logger } from '../../infra/logger';
import type { ReplayStore } from '../../infra/replay-store';
import { parseJsonObject } from '../../middleware/body';

/**
 * The node-to-node profile of RFC 9421 (docs/federation.md, "Node-to-node signatures"). Requests are signed
 * as relying parties sign theirs (`@method`, `@target-uri`, `content-digest`, `created`, `nonce`, ed25519)
 * with the sender's node key and the tag below. Answers are signed with the responder's node key by the same
 * shared signer over a base that binds them to their request: the request's `@method` and `@target-uri`, the
 * answer's `content-digest`, and two answer fields the responder sets and the requester checks: `eid-status`
 * (the HTTP status, since the shared signer derives no `@status`) and `eid-request-nonce` (the request
 * signature's nonce, in place of RFC 9421's `;req` binding). A requester's nonce is fresh, so an answer to
 * another request, or an old answer, never verifies; the tags keep a request signature from passing as an
 * answer's and the other way round.
 */
export const NODE_REQUEST_TAG = 'eid-node';
export const NODE_RESPONSE_TAG = 'eid-node-response';
export const NODE_REQUEST_COMPONENTS = ['@method', '@target-uri', 'content-digest'] as const;
export const NODE_RESPONSE_COMPONENTS = [
  '@method',
  '@target-uri',
  'content-digest',
  'eid-status',
  'eid-request-nonce',
] as const;

/** The signing node key: the newest of EID_NODE_KEYS. */
function signer(keys: Pick<KeyStore, 'nodeKeys' | 'signAsNode'>): {
  keyId: string;
  sign: (m: Uint8Array) => Uint8Array;
} {
  return { keyId: keys.nodeKeys()[0]!.kid, sign: (m) => keys.signAsNode(m).signature };
}

/** Header fields of a signed node request (content-type included when there is a body). */
export function signNodeRequest(input: {
  keys: Pick<KeyStore, 'nodeKeys' | 'signAsNode'>;
  method: string;
  url: string;
  body?: Uint8Array;
  nonce: string;
  now: number;
}): Record<string, string> {
  const headers: Record<string, string> = input.body ? { 'content-type': 'application/json' } : {};
  const signed = signRequest({
    method: input.method,
    url: input.url,
    headers,
    body: input.body ?? new Uint8Array(0),
    ...signer(input.keys),
    created: Math.floor(input.now / 1000),
    nonce: input.nonce,
    tag: NODE_REQUEST_TAG,
    sha256: nodeSha256,
  });
  return { ...headers, ...signed };
}

/** Header fields of a signed answer to the request of `method`, `url` and signature nonce `requestNonce`. */
export function signNodeResponse(input: {
  keys: Pick<KeyStore, 'nodeKeys' | 'signAsNode'>;
  method: string;
  url: string;
  status: number;
  requestNonce: string;
  body: Uint8Array;
  now: number;
}): Record<string, string> {
  const headers = { 'eid-status': String(input.status), 'eid-request-nonce': input.requestNonce };
  const signed = signRequest({
    method: input.method,
    url: input.url,
    headers,
    body: input.body,
    components: NODE_RESPONSE_COMPONENTS,
    ...signer(input.keys),
    created: Math.floor(input.now / 1000),
    tag: NODE_RESPONSE_TAG,
    sha256: nodeSha256,
  });
  return { ...headers, ...signed };
}

export type ResponseCheck<K extends SignatureKey> =
  { ok: true; keyId: string; key: K } | { ok: false; reason: string; detail: string };

/**
 * Verifies the answer to our request (`method`, `url`, our `nonce`): its signature under the profile with a
 * key `resolveKey` knows, its `eid-status` equal to the status received, its `eid-request-nonce` ours.
 */
export function verifyNodeResponse<K extends SignatureKey>(input: {
  method: string;
  url: string;
  status: number;
  headers: HeaderBag;
  body: Uint8Array;
  nonce: string;
  resolveKey: (kid: string) => K | undefined;
  now: number;
  ed25519: Ed25519;
}): ResponseCheck<K> {
  const result = verifyRequest(
    { method: input.method, url: input.url, headers: input.headers, body: input.body },
    {
      resolveKey: input.resolveKey,
      now: input.now,
      requiredComponents: NODE_RESPONSE_COMPONENTS,
      tag: NODE_RESPONSE_TAG,
      verify: input.ed25519,
      sha256: nodeSha256,
    },
  );
  if (!result.ok) return { ok: false, reason: result.reason, detail: result.detail };
  if (headerFieldValue(input.headers, 'eid-status') !== String(input.status))
    return { ok: false, reason: 'status_mismatch', detail: 'the signed status is not the status received' };
  if (headerFieldValue(input.headers, 'eid-request-nonce') !== input.nonce)
    return { ok: false, reason: 'not_our_request', detail: 'the answer is bound to another request' };
  return { ok: true, keyId: result.keyId, key: result.key };
}

const EMPTY = Buffer.alloc(0);

/** The URL a node signed: this node's public origin when configured (behind a proxy), else as addressed. */
export function nodeTargetUriOf(ctx: Context, publicUrl: string | undefined): string {
  const origin = publicUrl ? new URL(publicUrl).origin : `${ctx.protocol}://${ctx.host}`;
  return origin + ctx.originalUrl;
}

/**
 * The server side of a node-signed request, for the province guard (`/api/v1/federation/node/*`) and the
 * national's submissions alike: the signature under one of `keys` (usable node keys of the list, by kid) with
 * the profile's tag and components and `created` within 5 minutes, then the nonce once in the replay store
 * under `replayScope` (after the signature, so nobody can burn a node's nonces). Sets `ctx.state.node` and
 * re-parses the body from the verified bytes, so what the handler reads is what was signed.
 */
export async function verifyNodeRequest<K extends SignatureKey & { province: string }>(
  ctx: Context,
  input: {
    keys: ReadonlyMap<string, K>;
    now: number;
    publicUrl: string | undefined;
    ed25519: Ed25519;
    replays: ReplayStore;
    replayScope: string;
    logger: Logger;
    /** The log line of a refusal. */
    refusedLine: string;
  },
): Promise<void> {
  const raw = ctx.request.rawBytes ?? EMPTY;
  const result = verifyRequest(
    { method: ctx.method, url: nodeTargetUriOf(ctx, input.publicUrl), headers: ctx.headers, body: raw },
    {
      resolveKey: (kid) => input.keys.get(kid),
      now: input.now,
      requiredComponents: NODE_REQUEST_COMPONENTS,
      tag: NODE_REQUEST_TAG,
      verify: input.ed25519,
      sha256: nodeSha256,
    },
  );
  if (!result.ok) {
    input.logger.info({ reason: result.reason, requestId: ctx.state.requestId }, input.refusedLine);
    if (result.reason === 'unknown_key' || result.reason === 'retired_key')
      throw new AppError('NODE_KEY_UNKNOWN', 'The signing key is not a usable node key of the national list');
    throw new AppError('NODE_SIGNATURE_INVALID', `The node signature is not accepted: ${result.detail}`, {
      reason: result.reason,
    });
  }
  const nonce = result.nonce!;
  const first = await input.replays.unique(
    input.replayScope,
    `${result.keyId}:${nonce}`,
    result.created * 1000 + MAX_SIGNATURE_SKEW_MS,
  );
  if (!first)
    throw new AppError('NODE_SIGNATURE_INVALID', 'This nonce was used before', { reason: 'replayed' });
  ctx.state.node = { province: result.key.province, kid: result.keyId, nonce };
  // jsonBody parsed it already; parsed again from the verified bytes, so what the handler reads is what was signed.
  ctx.request.body = raw.length > 0 ? parseJsonObject(raw.toString('utf8')) : undefined;
}
