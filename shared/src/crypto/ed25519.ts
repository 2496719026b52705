import nacl from 'tweetnacl';

/** A raw Ed25519 key pair: 32-byte public key, 64-byte secret key (seed followed by the public key). */
export interface Ed25519KeyPair {
  publicKey: Uint8Array;
  secretKey: Uint8Array;
}

/**
 * The one door to Ed25519 (RFC 8032, pure). Keys and signatures are raw bytes so the same values
 * move between the portable tweetnacl implementation and the BFF's node:crypto one.
 */
export interface Ed25519 {
  /** Detached 64-byte signature; `secretKey` is the 64-byte seed-then-public-key form. */
  sign(secretKey: Uint8Array, message: Uint8Array): Uint8Array;
  /** False for a wrong signature or a malformed key or signature; never throws on bad input. */
  verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean;
  /** The key pair of a 32-byte seed (deterministic). */
  keyPairFromSeed(seed: Uint8Array): Ed25519KeyPair;
}

export const ED25519_PUBLIC_KEY_LENGTH = 32;
export const ED25519_SECRET_KEY_LENGTH = 64;
export const ED25519_SEED_LENGTH = 32;
export const ED25519_SIGNATURE_LENGTH = 64;

/** The portable implementation: pure JavaScript, runs in the mini-program. */
export const tweetnaclEd25519: Ed25519 = {
  sign(secretKey, message) {
    if (secretKey.length !== ED25519_SECRET_KEY_LENGTH)
      throw new TypeError('Ed25519 secret key must be 64 bytes');
    return nacl.sign.detached(message, secretKey);
  },
  verify(publicKey, message, signature) {
    if (publicKey.length !== ED25519_PUBLIC_KEY_LENGTH || signature.length !== ED25519_SIGNATURE_LENGTH)
      return false;
    try {
      return nacl.sign.detached.verify(message, signature, publicKey);
    } catch {
      return false;
    }
  },
  keyPairFromSeed(seed) {
    if (seed.length !== ED25519_SEED_LENGTH) throw new TypeError('Ed25519 seed must be 32 bytes');
    return nacl.sign.keyPair.fromSeed(seed);
  },
};
