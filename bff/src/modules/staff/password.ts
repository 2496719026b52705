import { randomBytes, scrypt, type ScryptOptions } from 'node:crypto';
import { safeEqual } from '../../infra/keystore';

const PARAMS = { N: 16384, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;

/**
 * Counts of the key derivations this process ran and their scrypt work (N·r·p summed): what a login
 * costs, so a test can check that an unknown username pays the same hash as a wrong password.
 */
export const passwordHashMetrics = { derivations: 0, work: 0 };

function derive(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  passwordHashMetrics.derivations += 1;
  passwordHashMetrics.work += (options.N ?? 0) * (options.r ?? 0) * (options.p ?? 0);
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, options, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

/** Hashes a password as `scrypt$N$r$p$salt$hash` (base64url), with a fresh salt. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, PARAMS);
  return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64url'), key.toString('base64url')].join(
    '$',
  );
}

/**
 * What a sign-in with an unknown username is checked against, so it pays for the same derivation as a
 * wrong password from its very first try (a hash made lazily would cost a second derivation once per
 * process, and tell that the name does not exist). Its key matches no password anyone can find.
 */
export const UNKNOWN_USER_HASH = [
  'scrypt',
  PARAMS.N,
  PARAMS.r,
  PARAMS.p,
  'A'.repeat(22),
  'A'.repeat(43),
].join('$');

/** Checks a password against a stored hash in constant time; a malformed hash never matches. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (![N, r, p].every(Number.isSafeInteger) || N > 1 << 20 || r > 32 || p > 16) return false;
  const key = await derive(password, Buffer.from(parts[4]!, 'base64url'), {
    N,
    r,
    p,
    maxmem: 256 * N * r + (1 << 20),
  });
  return safeEqual(key, Buffer.from(parts[5]!, 'base64url'));
}
