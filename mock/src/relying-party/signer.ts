import { createHash, createPrivateKey, createPublicKey, KeyObject, randomBytes, sign } from 'node:crypto';

/*
 * The hotel's own RFC 9421 signer, written from docs/relying-party.md with node:crypto alone, as an
 * integrator would write it: it must not lean on the BFF's shared code, so the tests that run it against
 * docs/formats/vectors/rp-request.json check the docs, not the code against itself.
 */

/** The components every relying-party request covers, in the order we sign them. */
export const RP_COMPONENTS = ['@method', '@target-uri', 'content-digest'] as const;

// PKCS#8 DER prefix of an Ed25519 private key (RFC 8410): the 32-byte seed follows it.
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/**
 * An Ed25519 private key from a PEM (PKCS#8), a 32-byte seed (hex, base64url or bytes) or a KeyObject.
 *
 * @example const key = privateKeyFrom('5060f5fe…'); // 64 hex characters
 */
export function privateKeyFrom(input: string | Uint8Array | KeyObject): KeyObject {
  if (input instanceof KeyObject) return input;
  if (typeof input === 'string' && input.includes('-----BEGIN')) return createPrivateKey(input);
  let seed: Buffer;
  if (typeof input !== 'string') seed = Buffer.from(input);
  else if (/^[0-9a-fA-F]{64}$/.test(input)) seed = Buffer.from(input, 'hex');
  else seed = Buffer.from(input, 'base64url');
  if (seed.length !== 32) throw new TypeError('an Ed25519 seed is 32 bytes');
  return createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
}

/** The raw 32-byte public key of an Ed25519 private key, base64url without padding (what registration takes). */
export function publicKeyOf(privateKey: KeyObject): string {
  const jwk = createPublicKey(privateKey).export({ format: 'jwk' });
  return String(jwk.x);
}

/** RFC 9530 Content-Digest of the raw body bytes: `sha-256=:<base64>:` (the empty body too). */
export function contentDigestOf(body: Uint8Array): string {
  return `sha-256=:${createHash('sha256').update(body).digest('base64')}:`;
}

export interface RpSignInput {
  method: string;
  /** The absolute URL exactly as sent: lower-case scheme and host, no default port. */
  url: string;
  /** The raw body bytes as sent; empty for GET. */
  body: Uint8Array;
  keyId: string;
  privateKey: KeyObject;
  /** Epoch seconds. */
  created: number;
  /** 16 random bytes base64url when absent. */
  nonce?: string;
}

export interface RpSignature {
  headers: { 'content-digest': string; 'signature-input': string; signature: string };
  /** The exact bytes that were signed (UTF-8 text), for logs and for comparing with the vectors. */
  signatureBase: string;
  /** The inner list and parameters after `sig1=`. */
  signatureParams: string;
}

/**
 * Signs one request to the BFF's relying-party API: Content-Digest of the body, the signature base of
 * `@method`, `@target-uri`, `content-digest` and `@signature-params`, Ed25519 over it.
 *
 * @example const s = signRpRequest({ method: 'GET', url, body: Buffer.alloc(0), keyId: 'hotel-1', privateKey, created: 1795420800 });
 */
export function signRpRequest(input: RpSignInput): RpSignature {
  if (!/^[\x20-\x7e]{1,256}$/.test(input.keyId) || /["\\]/.test(input.keyId))
    throw new TypeError('keyid: 1-256 printable ASCII characters, no quote or backslash');
  const nonce = input.nonce ?? randomBytes(16).toString('base64url');
  const digest = contentDigestOf(input.body);
  const list = RP_COMPONENTS.map((c) => `"${c}"`).join(' ');
  // Our order of parameters; any order verifies, as long as the base repeats exactly what is sent.
  const signatureParams = `(${list});created=${input.created};keyid="${input.keyId}";alg="ed25519";nonce="${nonce}"`;
  const signatureBase = [
    `"@method": ${input.method}`,
    `"@target-uri": ${input.url}`,
    `"content-digest": ${digest}`,
    `"@signature-params": ${signatureParams}`,
  ].join('\n');
  const signature = sign(null, Buffer.from(signatureBase, 'utf8'), input.privateKey).toString('base64');
  return {
    headers: {
      'content-digest': digest,
      'signature-input': `sig1=${signatureParams}`,
      signature: `sig1=:${signature}:`,
    },
    signatureBase,
    signatureParams,
  };
}
