import { randomBytes } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import { sha256b64url } from '../../infra/keystore';

/** RFC 6238 as every authenticator app reads it by default: HMAC-SHA-1, 6 digits, 30 s steps. */
const ALGORITHM = 'SHA1';
const DIGITS = 6;
export const TOTP_PERIOD_S = 30;
/**
 * Steps either side of the current one a code may come from: a phone whose clock is up to 30 s off, or a
 * code typed just as it changed, still signs in; two steps old is refused.
 */
export const TOTP_WINDOW = 1;
/** 160 bits, the secret length RFC 4226 §4 recommends (and the most apps accept). */
const SECRET_BYTES = 20;
export const RECOVERY_CODE_COUNT = 10;
/** 80 random bits per recovery code: too many to guess online or, from its hash, offline. */
const RECOVERY_CODE_BYTES = 10;
/** What an authenticator app shows above the account's codes. */
const ISSUER = 'eID staff';

const base32Of = (bytes: Buffer): string => new Secret({ buffer: new Uint8Array(bytes).buffer }).base32;

/** A fresh TOTP secret from node:crypto, base32 (RFC 4648, no padding): what the user's app is given. */
export function newTotpSecret(): string {
  return base32Of(randomBytes(SECRET_BYTES));
}

/**
 * The `otpauth://totp/...` URI an authenticator app scans as a QR code.
 * @example totpUri('JBSWY3DPEHPK3PXP', 'staff01') // 'otpauth://totp/eID%20staff:staff01?issuer=...'
 */
export function totpUri(secret: string, username: string): string {
  return new TOTP({
    issuer: ISSUER,
    label: username,
    algorithm: ALGORITHM,
    digits: DIGITS,
    period: TOTP_PERIOD_S,
    secret: Secret.fromBase32(secret),
  }).toString();
}

/**
 * The time step (unix seconds / 30) whose code `code` is, within TOTP_WINDOW of `nowMs`, or null when it
 * is none of them. Comparisons are constant-time (otpauth). The step is what a use is remembered by, so
 * the same code, or an older one, is never accepted twice.
 */
export function totpStepOf(secret: string, code: string, nowMs: number): number | null {
  const delta = TOTP.validate({
    token: code,
    secret: Secret.fromBase32(secret),
    algorithm: ALGORITHM,
    digits: DIGITS,
    period: TOTP_PERIOD_S,
    timestamp: nowMs,
    window: TOTP_WINDOW,
  });
  return delta === null ? null : TOTP.counter({ period: TOTP_PERIOD_S, timestamp: nowMs }) + delta;
}

/** RECOVERY_CODE_COUNT fresh recovery codes, each 16 base32 characters in groups of four (`ABCD-EFGH-...`). */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () =>
    base32Of(randomBytes(RECOVERY_CODE_BYTES)).match(/.{4}/g)!.join('-'),
  );
}

/**
 * What a recovery code is stored and looked up as: SHA-256 of it without separators, in capitals, so a
 * code typed in lower case or without dashes still matches. No salt or slow hash is needed: the codes
 * are random, not chosen.
 */
export function recoveryCodeHash(code: string): string {
  return sha256b64url(`staff-recovery:${code.replace(/[\s-]/g, '').toUpperCase()}`);
}

/** The key store binds each sealed secret to its account: one account's secret copied to another never opens. */
export const totpAad = (staffId: string): string => `staff-totp:${staffId}`;
