import { createPrivateKey, createPublicKey, hash, sign, verify, type KeyObject } from 'node:crypto';
import {
  isStrictEd25519PublicKey,
  isStrictEd25519Signature,
  type Ed25519,
  type Ed25519KeyPair,
  type Sha256,
} from '@eid/shared';

const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const MAX_CACHED_KEYS = 50_000;

/**
 * Ed25519 through node:crypto (OpenSSL), behind the same interface as the portable tweetnacl one,
 * roughly 90x faster. Raw 32-byte keys become KeyObjects through fixed DER prefixes (RFC 8410).
 * Public KeyObjects are cached: by array identity first (the verifier reuses the arrays of a cached
 * credential, so the hot path is one WeakMap lookup), then by content, bounded.
 *
 * OpenSSL accepts small-order and non-canonical public keys and R values, so the shared strict checks run
 * first, exactly as in the tweetnacl implementation: the verdict of the key check is cached with the key
 * (`null` for a refused key), and the signature check is a few byte compares.
 */
export function createNodeEd25519(): Ed25519 {
  const byArray = new WeakMap<Uint8Array, KeyObject | null>();
  const byContent = new Map<string, KeyObject | null>();

  const publicKeyObject = (raw: Uint8Array): KeyObject | null => {
    const known = byArray.get(raw);
    if (known !== undefined) return known;
    const hex = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('hex');
    let key = byContent.get(hex);
    if (key === undefined) {
      key = isStrictEd25519PublicKey(raw)
        ? createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: 'der', type: 'spki' })
        : null;
      if (byContent.size >= MAX_CACHED_KEYS) byContent.delete(byContent.keys().next().value!);
      byContent.set(hex, key);
    }
    byArray.set(raw, key);
    return key;
  };

  const privateKeyObject = (secretKey: Uint8Array): KeyObject => {
    if (secretKey.length !== 64) throw new TypeError('Ed25519 secret key must be 64 bytes');
    return createPrivateKey({
      key: Buffer.concat([PKCS8_PREFIX, secretKey.subarray(0, 32)]),
      format: 'der',
      type: 'pkcs8',
    });
  };

  return {
    sign: (secretKey, message) => new Uint8Array(sign(null, message, privateKeyObject(secretKey))),
    verify(publicKey, message, signature) {
      if (publicKey.length !== 32 || !isStrictEd25519Signature(signature)) return false;
      try {
        const key = publicKeyObject(publicKey);
        return key !== null && verify(null, message, key, signature);
      } catch {
        // OpenSSL refuses some non-canonical point encodings outright; that is a failed verification.
        return false;
      }
    },
    keyPairFromSeed(seed): Ed25519KeyPair {
      if (seed.length !== 32) throw new TypeError('Ed25519 seed must be 32 bytes');
      const privateKey = createPrivateKey({
        key: Buffer.concat([PKCS8_PREFIX, seed]),
        format: 'der',
        type: 'pkcs8',
      });
      const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
      const publicKey = new Uint8Array(spki.subarray(spki.length - 32));
      const secretKey = new Uint8Array(64);
      secretKey.set(seed);
      secretKey.set(publicKey, 32);
      return { publicKey, secretKey };
    },
  };
}

/**
 * SHA-256 through node:crypto, for the verifier (credential cache key, selective-disclosure trees). The
 * one-shot `crypto.hash` (Node >= 20.12; engines asks for 20.19) costs a third of a `createHash` object for
 * the short inputs a v2 code's check hashes about twenty times; the result is a view of its own buffer.
 */
export const nodeSha256: Sha256 = (data) => {
  const digest = hash('sha256', data, 'buffer');
  return new Uint8Array(digest.buffer, digest.byteOffset, digest.byteLength);
};
