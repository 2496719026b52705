import { base64DecodeStrict, base64Encode } from '../http-signatures/structured-fields';
import { ED25519_PUBLIC_KEY_LENGTH, isStrictEd25519PublicKey } from '../crypto';

/**
 * Text forms of callback keys (docs/formats/webhooks.md), as Standard Webhooks spells them: a shared `v1`
 * secret is `whsec_` + standard base64 (RFC 4648 section 4, padded) of its bytes; a `v1a` public key is
 * `whpk_` + standard base64 of the raw 32-byte Ed25519 key. Parsing is strict (one spelling per value).
 */

export const WEBHOOK_SECRET_PREFIX = 'whsec_';
export const WEBHOOK_PUBLIC_KEY_PREFIX = 'whpk_';
/** Standard Webhooks asks for secrets of 24 to 64 bytes; ours are 32. */
export const WEBHOOK_SECRET_MIN_BYTES = 24;
export const WEBHOOK_SECRET_MAX_BYTES = 64;

/** `whsec_` + base64 of `secret`; throws TypeError unless it is 24..64 bytes. */
export function encodeWebhookSecret(secret: Uint8Array): string {
  if (secret.length < WEBHOOK_SECRET_MIN_BYTES || secret.length > WEBHOOK_SECRET_MAX_BYTES)
    throw new TypeError('Webhook secrets are 24 to 64 bytes');
  return WEBHOOK_SECRET_PREFIX + base64Encode(secret);
}

/** The bytes of a `whsec_` secret, or undefined unless it is exactly one (prefix, padded base64, 24..64 bytes). */
export function parseWebhookSecret(text: unknown): Uint8Array | undefined {
  if (typeof text !== 'string' || !text.startsWith(WEBHOOK_SECRET_PREFIX)) return undefined;
  const bytes = base64DecodeStrict(text.slice(WEBHOOK_SECRET_PREFIX.length));
  if (!bytes || bytes.length < WEBHOOK_SECRET_MIN_BYTES || bytes.length > WEBHOOK_SECRET_MAX_BYTES)
    return undefined;
  return bytes;
}

/** `whpk_` + base64 of a raw Ed25519 public key; throws TypeError unless it is a strict one. */
export function encodeWebhookPublicKey(publicKey: Uint8Array): string {
  if (!isStrictEd25519PublicKey(publicKey)) throw new TypeError('Not a strict Ed25519 public key');
  return WEBHOOK_PUBLIC_KEY_PREFIX + base64Encode(publicKey);
}

/**
 * The raw key of a `whpk_` text, or undefined unless it is 32 bytes of a canonical Ed25519 point not of small
 * order (isStrictEd25519PublicKey), so a party fetching `GET /api/v1/rp/callback-keys` never trusts a weak key.
 */
export function parseWebhookPublicKey(text: unknown): Uint8Array | undefined {
  if (typeof text !== 'string' || !text.startsWith(WEBHOOK_PUBLIC_KEY_PREFIX)) return undefined;
  const bytes = base64DecodeStrict(text.slice(WEBHOOK_PUBLIC_KEY_PREFIX.length));
  if (!bytes || bytes.length !== ED25519_PUBLIC_KEY_LENGTH || !isStrictEd25519PublicKey(bytes))
    return undefined;
  return bytes;
}
