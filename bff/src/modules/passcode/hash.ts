import { randomBytes, scrypt, type ScryptOptions } from 'node:crypto';
import { safeEqual } from '../../infra/keystore';

/**
 * scrypt with N=2^15, r=8, p=1: 32 MiB and about a tenth of a second per derivation, so each guess costs
 * memory as well as time. The parameters are written into every hash, so raising them later still
 * verifies the passcodes stored before.
 */
export const PASSCODE_SCRYPT = { N: 2 ** 15, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;

/** Derivations this process ran: lets a test see that a refused try (paused, not set) costs none. */
export const passcodeHashMetrics = { derivations: 0 };

// scrypt needs 128·N·r bytes; node's default limit (32 MiB) is exactly that, and the check counts more.
const maxmemOf = (N: number, r: number) => 256 * N * r + (1 << 20);

function derive(passcode: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  passcodeHashMetrics.derivations += 1;
  return new Promise((resolve, reject) => {
    scrypt(passcode, salt, KEY_LENGTH, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/**
 * Hashes a passcode with a fresh salt as `scrypt$N$r$p$<salt>$<key>` (base64url).
 * @example hashPasscode('482913') // 'scrypt$32768$8$1$3q...$Xk...'
 */
export async function hashPasscode(passcode: string): Promise<string> {
  const { N, r, p } = PASSCODE_SCRYPT;
  const salt = randomBytes(SALT_LENGTH);
  const key = await derive(passcode, salt, { N, r, p, maxmem: maxmemOf(N, r) });
  return ['scrypt', N, r, p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** True when `passcode` matches `encoded`, compared in constant time; a malformed hash never matches. */
export async function passcodeMatches(passcode: string, encoded: string): Promise<boolean> {
  const parts = encoded.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  // Bounds, so that even a corrupted value cannot ask for gigabytes.
  if (![N, r, p].every((x) => Number.isSafeInteger(x) && x > 0) || N > 2 ** 17 || r > 16 || p > 4)
    return false;
  const expected = Buffer.from(parts[5]!, 'base64url');
  const key = await derive(passcode, Buffer.from(parts[4]!, 'base64url'), {
    N,
    r,
    p,
    maxmem: maxmemOf(N, r),
  });
  return safeEqual(key, expected);
}
