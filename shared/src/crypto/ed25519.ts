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
  /**
   * False for a wrong signature, a malformed key or signature, or one `isStrictEd25519PublicKey` /
   * `isStrictEd25519Signature` refuses; never throws on bad input.
   */
  verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean;
  /** The key pair of a 32-byte seed (deterministic). */
  keyPairFromSeed(seed: Uint8Array): Ed25519KeyPair;
}

export const ED25519_PUBLIC_KEY_LENGTH = 32;
export const ED25519_SECRET_KEY_LENGTH = 64;
export const ED25519_SEED_LENGTH = 32;
export const ED25519_SIGNATURE_LENGTH = 64;

/**
 * The eight points of order dividing 8 (RFC 8032 encoding, hex): the identity, the point of order 2, two of
 * order 4 and four of order 8. As public key and R together they make a signature that verifies for every
 * message with S = 0 and no secret at all (cofactorless RFC 8032 sees the neutral point on both sides), so
 * no key or R of small order is ever accepted. Same list as libsodium's `has_small_order`.
 */
export const ED25519_SMALL_ORDER_ENCODINGS: readonly string[] = [
  '0100000000000000000000000000000000000000000000000000000000000000',
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  '0000000000000000000000000000000000000000000000000000000000000000',
  '0000000000000000000000000000000000000000000000000000000000000080',
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05',
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85',
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a',
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa',
];

// Their y coordinates (the encoding with the sign bit of x cleared): five values, compared with the top
// bit masked, so the sign-flipped spellings of x = 0 (`01…80`, `ec…ff`) are caught as well.
const SMALL_ORDER_Y: Uint8Array[] = [];
for (const hex of ED25519_SMALL_ORDER_ENCODINGS) {
  const y = Uint8Array.from(hex.match(/../g)!, (b) => parseInt(b, 16));
  y[31] = y[31]! & 0x7f;
  if (!SMALL_ORDER_Y.some((known) => known.every((b, i) => b === y[i]))) SMALL_ORDER_Y.push(y);
}
// First bytes of those y values: almost every honest encoding leaves after one table look-up.
const SMALL_ORDER_FIRST = new Uint8Array(256);
for (const y of SMALL_ORDER_Y) SMALL_ORDER_FIRST[y[0]!] = 1;

// The group order L = 2^252 + 27742317777372353535851937790883648493, little-endian.
const ORDER_L = Uint8Array.from([
  0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
]);

/** Why a 32-byte point encoding is refused: y ≥ p (`non_canonical`) or a point of order ≤ 8 (`small_order`). */
export type Ed25519PointWeakness = 'non_canonical' | 'small_order';

/**
 * Why the 32 bytes at `offset` of `bytes` are not a point encoding we accept, or undefined when they are.
 * Only the encoding is judged (no square root): a y that is on no curve point is left to verification, which
 * always fails for it.
 */
export function ed25519PointWeakness(bytes: Uint8Array, offset = 0): Ed25519PointWeakness | undefined {
  const top = bytes[offset + 31]! & 0x7f;
  // y ≥ p = 2^255 - 19: top byte 0x7f, bytes 30..1 all 0xff, byte 0 ≥ 0xed (RFC 8032 section 5.1.3 step 1).
  if (top === 0x7f && bytes[offset]! >= 0xed) {
    let i = 1;
    while (i < 31 && bytes[offset + i] === 0xff) i++;
    if (i === 31) return 'non_canonical';
  }
  if (SMALL_ORDER_FIRST[bytes[offset]!] === 0) return undefined;
  for (const y of SMALL_ORDER_Y) {
    if (bytes[offset] !== y[0] || top !== y[31]) continue;
    let i = 1;
    while (i < 31 && bytes[offset + i] === y[i]) i++;
    if (i === 31) return 'small_order';
  }
  return undefined;
}

/**
 * True for a 32-byte public key we accept from anyone: canonical (y < p) and not of small order. Cheap (a
 * few byte compares); callers validating input use it to say why a key is refused before trying to verify.
 *
 * @example isStrictEd25519PublicKey(base64urlDecode(body.devicePublicKey))
 */
export function isStrictEd25519PublicKey(publicKey: Uint8Array): boolean {
  return publicKey.length === ED25519_PUBLIC_KEY_LENGTH && ed25519PointWeakness(publicKey) === undefined;
}

/** True when the 32 little-endian bytes at `offset` are a scalar below the group order L. */
export function isCanonicalEd25519Scalar(bytes: Uint8Array, offset = 0): boolean {
  for (let i = 31; i >= 0; i--) {
    const b = bytes[offset + i]!;
    if (b !== ORDER_L[i]) return b < ORDER_L[i]!;
  }
  return false;
}

/**
 * True for a 64-byte signature whose R is a canonical point not of small order and whose S is below L
 * (RFC 8032 section 5.1.7 step 1, plus the small-order rule). Both of our implementations apply it before
 * verifying, so they refuse exactly the same signatures (OpenSSL already refuses S ≥ L; tweetnacl did not).
 */
export function isStrictEd25519Signature(signature: Uint8Array): boolean {
  return (
    signature.length === ED25519_SIGNATURE_LENGTH &&
    isCanonicalEd25519Scalar(signature, 32) &&
    ed25519PointWeakness(signature, 0) === undefined
  );
}

/** The portable implementation: pure JavaScript, runs in the mini-program. */
export const tweetnaclEd25519: Ed25519 = {
  sign(secretKey, message) {
    if (secretKey.length !== ED25519_SECRET_KEY_LENGTH)
      throw new TypeError('Ed25519 secret key must be 64 bytes');
    return nacl.sign.detached(message, secretKey);
  },
  verify(publicKey, message, signature) {
    if (!isStrictEd25519PublicKey(publicKey) || !isStrictEd25519Signature(signature)) return false;
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
