import { randomBytes } from '../crypto/random';
import type { Sha256 } from '../crypto/sha256';
import { base64urlEncode } from '../encoding/base64url';
import {
  headerFieldValue,
  signatureBase,
  signatureBaseBytes,
  type HeaderBag,
  type SignableRequest,
} from './components';
import { contentDigest } from './content-digest';
import {
  DEFAULT_SIGNATURE_LABEL,
  KEYID_MAX_LENGTH,
  MAX_COVERED_COMPONENTS,
  NONCE_MAX_LENGTH,
  NONCE_MIN_LENGTH,
  REQUIRED_COMPONENTS,
  SIGNATURE_ALGORITHM,
  TAG_MAX_LENGTH,
} from './profile';
import {
  isSfKey,
  isSfStringText,
  serializeSfDictionary,
  serializeSfMember,
  type SfInnerList,
  type SfItem,
  type SfParameters,
} from './structured-fields';

export interface SignRequestInput extends SignableRequest {
  /** The raw body bytes as they will be sent; absent means empty. Its Content-Digest is covered. */
  body?: Uint8Array;
  keyId: string;
  /** Ed25519 over the signature base, behind the key store (callers never hold the key bytes). */
  sign: (message: Uint8Array) => Uint8Array;
  /** Epoch seconds, from the injected clock. */
  created: number;
  /** Epoch seconds after which the signature is refused; optional. */
  expires?: number;
  /** Unique per key within the verifier's window; 16 random bytes (base64url) when absent. */
  nonce?: string;
  /** Covered components in order; default `@method`, `@target-uri`, `content-digest` (+ `content-type`). */
  components?: readonly string[];
  label?: string;
  /** Application tag (RFC 9421 section 2.3), e.g. which API the signature is meant for. */
  tag?: string;
  sha256?: Sha256;
}

/**
 * Header fields to add to the request (lower-case names, so they spread into Node's or fetch's headers).
 * A type alias, not an interface, so it is also a HeaderBag.
 */
export type SignedRequestHeaders = {
  'signature-input': string;
  signature: string;
  /** Present whenever the signature covers `content-digest` (computed from `body`). */
  'content-digest'?: string;
};

function sfString(value: string): SfItem {
  return { kind: 'item', value: { type: 'string', value }, params: new Map() };
}

function checkText(what: string, value: string, min: number, max: number): void {
  if (value.length < min || value.length > max || !isSfStringText(value))
    throw new TypeError(`${what} must be ${min} to ${max} printable ASCII characters`);
}

function checkSeconds(what: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0 || value > 999_999_999_999_999)
    throw new TypeError(`${what} must be whole epoch seconds`);
}

/** The default covered components: the profile's, and `content-type` when the request has one. */
function defaultComponents(headers: HeaderBag): string[] {
  const components = [...REQUIRED_COMPONENTS];
  if (headerFieldValue(headers, 'content-type') !== undefined) components.push('content-type');
  return components;
}

/** A fresh nonce: 16 random bytes, base64url (22 characters). */
export function newSignatureNonce(): string {
  return base64urlEncode(randomBytes(16));
}

/**
 * Signs a request (RFC 9421, ed25519) and returns the header fields to add. Throws TypeError for input no
 * verifier would accept (bad label, keyid, nonce or times, a covered field the request lacks, a
 * Content-Digest in `headers` that does not match `body`).
 *
 * @example
 * const signed = signRequest({ method: 'GET', url, headers: {}, keyId: 'bff-1', created: Math.floor(clock.now() / 1000),
 *   sign: (m) => keys.signAsIssuer('bff-1', m) });
 * await fetch(url, { headers: { ...signed } });
 */
export function signRequest(input: SignRequestInput): SignedRequestHeaders {
  const label = input.label ?? DEFAULT_SIGNATURE_LABEL;
  if (!isSfKey(label)) throw new TypeError(`Signature label ${JSON.stringify(label)} is not an sf-key`);
  checkText('keyId', input.keyId, 1, KEYID_MAX_LENGTH);
  const nonce = input.nonce ?? newSignatureNonce();
  checkText('nonce', nonce, NONCE_MIN_LENGTH, NONCE_MAX_LENGTH);
  if (input.tag !== undefined) checkText('tag', input.tag, 1, TAG_MAX_LENGTH);
  checkSeconds('created', input.created);
  if (input.expires !== undefined) {
    checkSeconds('expires', input.expires);
    if (input.expires <= input.created) throw new TypeError('expires must be after created');
  }

  const components = input.components ? [...input.components] : defaultComponents(input.headers);
  if (components.length > MAX_COVERED_COMPONENTS) throw new TypeError('Too many covered components');
  if (new Set(components).size !== components.length) throw new TypeError('A component is covered twice');
  if (components.includes('@signature-params')) throw new TypeError('@signature-params cannot be covered');

  let headers = input.headers;
  let digest: string | undefined;
  if (components.includes('content-digest') || input.body !== undefined) {
    digest = contentDigest(input.body ?? new Uint8Array(0), ['sha-256'], { sha256: input.sha256 });
    const given = headerFieldValue(headers, 'content-digest');
    if (given !== undefined && given !== digest)
      throw new TypeError('headers carry a Content-Digest that is not the sha-256 digest of the body');
    const rest: Record<string, string | number | readonly string[] | undefined> = {};
    for (const [name, value] of Object.entries(headers))
      if (name.toLowerCase() !== 'content-digest') rest[name] = value;
    headers = { ...rest, 'content-digest': digest };
  }

  const params: SfParameters = new Map();
  params.set('created', { type: 'integer', value: input.created });
  if (input.expires !== undefined) params.set('expires', { type: 'integer', value: input.expires });
  params.set('keyid', { type: 'string', value: input.keyId });
  params.set('alg', { type: 'string', value: SIGNATURE_ALGORITHM });
  params.set('nonce', { type: 'string', value: nonce });
  if (input.tag !== undefined) params.set('tag', { type: 'string', value: input.tag });
  const signatureInput: SfInnerList = { kind: 'inner-list', items: components.map(sfString), params };

  const base = signatureBase({ method: input.method, url: input.url, headers }, signatureInput);
  const signature = input.sign(signatureBaseBytes(base));
  if (signature.length !== 64) throw new TypeError('sign() must return a 64-byte Ed25519 signature');

  const out: SignedRequestHeaders = {
    'signature-input': `${label}=${serializeSfMember(signatureInput)}`,
    signature: serializeSfDictionary(
      new Map([[label, { kind: 'item', value: { type: 'bytes', value: signature }, params: new Map() }]]),
    ),
  };
  if (digest !== undefined) out['content-digest'] = digest;
  return out;
}
