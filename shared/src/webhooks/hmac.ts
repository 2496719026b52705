import { sha256 as portableSha256, type Sha256 } from '../crypto';

/** An HMAC-SHA256 function; the BFF passes node:crypto's createHmac where speed matters. */
export type HmacSha256 = (key: Uint8Array, message: Uint8Array) => Uint8Array;

const BLOCK = 64;

/**
 * HMAC-SHA256 (RFC 2104) over shared's SHA-256, pure, so the mini-program and a browser page compute the same
 * `v1` signatures as node:crypto (tests check both against RFC 4231).
 *
 * @example hmacSha256(secretBytes, webhookSignedContent(id, ts, body))
 */
export function hmacSha256(
  key: Uint8Array,
  message: Uint8Array,
  sha256: Sha256 = portableSha256,
): Uint8Array {
  const k = new Uint8Array(BLOCK);
  k.set(key.length > BLOCK ? sha256(key) : key);
  const inner = new Uint8Array(BLOCK + message.length);
  for (let i = 0; i < BLOCK; i++) inner[i] = k[i]! ^ 0x36;
  inner.set(message, BLOCK);
  const innerHash = sha256(inner);
  const outer = new Uint8Array(BLOCK + innerHash.length);
  for (let i = 0; i < BLOCK; i++) outer[i] = k[i]! ^ 0x5c;
  outer.set(innerHash, BLOCK);
  return sha256(outer);
}

/** The portable HMAC as an HmacSha256, the default of signWebhook and verifyWebhook. */
export const portableHmacSha256: HmacSha256 = (key, message) => hmacSha256(key, message);

/**
 * Equality in time that depends on the length only, for comparing a computed MAC with a received one
 * (an early exit would tell an attacker how many leading bytes of a forgery were right).
 */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}
