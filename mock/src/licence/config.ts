import { isStrictEd25519PublicKey } from '@eid/shared';
import type { LicenceClientKey } from './auth';
import { MOCK_LICENCE_CLIENT_KID, mockLicenceClientPublicKey, seedSigner } from './credentials';

/**
 * The BFF keys the stand-in trusts, from the environment (docs/mock-systems.md, "Configuration"):
 * `MOCK_LICENCE_CLIENT_KEYS` = `keyid:base64url-public-key[,...]`; else the public half of the BFF's own
 * `LICENCE_CLIENT_KEY` (base64 32-byte seed) under `LICENCE_CLIENT_KID`; else the BFF's development key.
 * Throws an Error naming the variable on a bad value.
 */
export function licenceClientKeysFromEnv(
  env: Readonly<Record<string, string | undefined>>,
): LicenceClientKey[] {
  const listed = env.MOCK_LICENCE_CLIENT_KEYS;
  if (listed) {
    return listed.split(',').map((entry) => {
      const [keyId, b64, ...rest] = entry.trim().split(':');
      const publicKey = new Uint8Array(Buffer.from(b64 ?? '', 'base64url'));
      if (!keyId || rest.length > 0 || !isStrictEd25519PublicKey(publicKey)) {
        throw new Error('MOCK_LICENCE_CLIENT_KEYS must be keyid:base64url-ed25519-public-key[,...]');
      }
      return { keyId, publicKey };
    });
  }
  const keyId = env.LICENCE_CLIENT_KID || MOCK_LICENCE_CLIENT_KID;
  if (env.LICENCE_CLIENT_KEY) {
    const seed = Buffer.from(env.LICENCE_CLIENT_KEY, 'base64');
    if (seed.length !== 32) throw new Error('LICENCE_CLIENT_KEY must be base64 of a 32-byte Ed25519 seed');
    return [{ keyId, publicKey: seedSigner(new Uint8Array(seed)).publicKey }];
  }
  return [{ keyId, publicKey: mockLicenceClientPublicKey() }];
}
