import {
  headerFieldValue,
  signRequest,
  verifyRequest,
  type Ed25519,
  type HeaderBag,
  type SignatureKey,
} from '@eid/shared';
import { nodeSha256 } from '../../infra/ed25519';
import type { KeyStore } from '../../infra/keystore';

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
