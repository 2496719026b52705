import {
  createHash,
  createHmac,
  createPrivateKey,
  createPublicKey,
  sign as edSign,
  type KeyObject,
} from 'node:crypto';

/*
 * DEVELOPMENT KEYS ONLY. Every key here is derived from a public label, so anyone can recompute it: the
 * issuing bodies' signing keys and the BFF's request-signing key of the licence stand-in protect nothing and
 * must never sign anything real. Real issuing bodies hold their own keys; a real BFF is configured with its
 * own LICENCE_CLIENT_KEY.
 */

/** Key id the BFF signs licence requests and grants with by default (its `LICENCE_CLIENT_KID`). */
export const MOCK_LICENCE_CLIENT_KID = 'bff-licence-dev-1';
/** Stand-in licence system admin key for the test controls, sent as `X-Api-Key` (development only). */
export const MOCK_LICENCE_ADMIN_KEY = 'dev-licence-admin-key-not-for-production';

const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/**
 * The BFF's development request-signing seed: HMAC-SHA256 keyed `eid-DEVELOPMENT-ONLY-keys` over
 * `licence-client`, the derivation of the BFF key store's other development keys, so a BFF without
 * LICENCE_CLIENT_KEY and this stand-in agree out of the box.
 */
export function mockLicenceClientSeed(): Uint8Array {
  return new Uint8Array(createHmac('sha256', 'eid-DEVELOPMENT-ONLY-keys').update('licence-client').digest());
}

/** Public key of the BFF's development request-signing key (what the stand-in trusts by default). */
export function mockLicenceClientPublicKey(): Uint8Array {
  return seedSigner(mockLicenceClientSeed()).publicKey;
}

/** The development signing seed of an issuing body's key: SHA-256 of a public label and the key id. */
export function devIssuerSeed(kid: string): Uint8Array {
  return new Uint8Array(
    createHash('sha256').update(`eid-DEVELOPMENT-ONLY licence issuer key: ${kid}`).digest(),
  );
}

/** An Ed25519 signer over a 32-byte seed (node:crypto: the stand-in signs thousands of documents). */
export function seedSigner(seed: Uint8Array): {
  publicKey: Uint8Array;
  sign(message: Uint8Array): Uint8Array;
} {
  const key: KeyObject = createPrivateKey({
    key: Buffer.concat([ED25519_PKCS8_PREFIX, Buffer.from(seed)]),
    format: 'der',
    type: 'pkcs8',
  });
  return {
    // The raw key is the last 32 bytes of its SubjectPublicKeyInfo.
    publicKey: new Uint8Array(createPublicKey(key).export({ format: 'der', type: 'spki' }).subarray(-32)),
    sign: (message) => new Uint8Array(edSign(null, message, key)),
  };
}
