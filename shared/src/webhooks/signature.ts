import { concatBytes, utf8Encode } from '../encoding';
import { base64DecodeStrict, base64Encode } from '../http-signatures/structured-fields';
import {
  ED25519_SIGNATURE_LENGTH,
  isStrictEd25519Signature,
  tweetnaclEd25519,
  type Ed25519,
} from '../crypto';
import { constantTimeEqual, portableHmacSha256, type HmacSha256 } from './hmac';
import { parseWebhookSecret } from './keys';

/**
 * Callback signatures (Standard Webhooks; docs/formats/webhooks.md). Headers `webhook-id`,
 * `webhook-timestamp` (epoch seconds) and `webhook-signature`: space-separated `<version>,<base64>`
 * entries over `${id}.${timestamp}.${body}`. We send `v1` (HMAC-SHA256 with the party's `whsec_` secret)
 * for every live secret and `v1a` (Ed25519 by a BFF callback key) for every live key, so rotation lists
 * old and new side by side and a receiver accepts any one it can check.
 */

/** How far `webhook-timestamp` may be from the receiver's clock, either way (Standard Webhooks: 5 min). */
export const WEBHOOK_TOLERANCE_S = 300;
/** Entries of a signature header looked at; more are ignored, so a long header cannot make us verify forever. */
export const MAX_WEBHOOK_SIGNATURES = 16;
const MAX_ID_CHARS = 256;
const HMAC_LENGTH = 32;

export type WebhookBody = Uint8Array | string;

const bodyBytes = (body: WebhookBody) => (typeof body === 'string' ? utf8Encode(body) : body);

/** The signed bytes: UTF-8 of `${id}.${timestampS}.` followed by the body's bytes exactly as sent. */
export function webhookSignedContent(id: string, timestampS: number, body: WebhookBody): Uint8Array {
  return concatBytes(utf8Encode(`${id}.${timestampS}.`), bodyBytes(body));
}

export interface SignWebhookInput {
  /** `webhook-id`: the event's id, the same on every attempt (receivers de-duplicate by it). */
  id: string;
  /** `webhook-timestamp`: epoch seconds of this attempt. */
  timestampS: number;
  body: WebhookBody;
  /** `whsec_` secrets, newest first: one `v1` entry each. */
  secrets: readonly string[];
  /** Ed25519 signers over the signed content (the key store's signAsCallback), newest first: one `v1a` each. */
  signers: readonly ((message: Uint8Array) => Uint8Array)[];
  hmac?: HmacSha256;
}

/**
 * The `webhook-signature` header value: `v1,<base64>` per secret, then `v1a,<base64>` per signer, joined by
 * spaces. Throws TypeError for a malformed secret, id or timestamp (our own configuration, never input).
 *
 * @example signWebhook({ id, timestampS, body, secrets: [whsec], signers: [(m) => keys.signAsCallback(kid, m)] })
 */
export function signWebhook(input: SignWebhookInput): string {
  if (!isWebhookId(input.id))
    throw new TypeError('Webhook id must be 1-256 printable characters without spaces');
  if (!Number.isSafeInteger(input.timestampS) || input.timestampS < 0)
    throw new TypeError('Webhook timestamp must be whole epoch seconds');
  if (input.secrets.length + input.signers.length === 0)
    throw new TypeError('Nothing to sign a webhook with');
  const hmac = input.hmac ?? portableHmacSha256;
  const content = webhookSignedContent(input.id, input.timestampS, input.body);
  const entries: string[] = [];
  for (const secret of input.secrets) {
    const key = parseWebhookSecret(secret);
    if (!key) throw new TypeError('Not a whsec_ webhook secret');
    entries.push(`v1,${base64Encode(hmac(key, content))}`);
  }
  for (const sign of input.signers) entries.push(`v1a,${base64Encode(sign(content))}`);
  return entries.join(' ');
}

/** Header names as Standard Webhooks gives them. */
export const WEBHOOK_HEADERS = {
  id: 'webhook-id',
  timestamp: 'webhook-timestamp',
  signature: 'webhook-signature',
} as const;

/** Request headers: a fetch `Headers` (anything with `get`) or a plain object such as node's `req.headers`. */
export type WebhookHeaders =
  { get(name: string): string | null } | Readonly<Record<string, string | readonly string[] | undefined>>;

export interface VerifyWebhookOptions {
  /** `whsec_` secrets of this endpoint (both during a rotation). */
  secrets?: readonly string[];
  /** Raw Ed25519 callback public keys (parseWebhookPublicKey of `GET /api/v1/rp/callback-keys`). */
  publicKeys?: readonly Uint8Array[];
  /** The receiver's clock, epoch ms. */
  nowMs: number;
  toleranceS?: number;
  ed25519?: Ed25519;
  hmac?: HmacSha256;
}

export type WebhookVerification =
  | { ok: true; id: string; timestampS: number; scheme: 'v1' | 'v1a' }
  | { ok: false; reason: 'missing_headers' | 'malformed' | 'stale' | 'no_matching_signature' };

function isWebhookId(id: unknown): id is string {
  return typeof id === 'string' && id.length > 0 && id.length <= MAX_ID_CHARS && /^[\x21-\x7e]+$/.test(id);
}

// One value per name; a repeated id or timestamp is ambiguous and refused, repeated signature headers
// (node joins them with ", " only for some names) are taken together as one list.
function header(headers: WebhookHeaders, name: string): string | null | undefined {
  if (typeof (headers as { get?: unknown }).get === 'function')
    return (headers as { get(name: string): string | null }).get(name) ?? undefined;
  const bag = headers as Readonly<Record<string, string | readonly string[] | undefined>>;
  let found: string | readonly string[] | undefined;
  for (const key of Object.keys(bag)) {
    if (key.toLowerCase() !== name || bag[key] === undefined) continue;
    if (found !== undefined) return null;
    found = bag[key];
  }
  if (found === undefined || typeof found === 'string') return found;
  if (name === WEBHOOK_HEADERS.signature) return found.join(' ');
  return found.length === 1 ? found[0] : null;
}

/**
 * Checks a received callback: headers present, timestamp within `toleranceS` of `nowMs` either way, and at
 * least one `v1` entry matching one of `secrets` (compared in constant time) or one `v1a` entry verifying
 * under one of `publicKeys`. Unknown versions and malformed entries are skipped, never thrown on; pass the
 * body's bytes exactly as received, before any JSON parsing. Throws TypeError only for a malformed secret of
 * `options` (the receiver's own configuration).
 */
export function verifyWebhook(
  headers: WebhookHeaders,
  body: WebhookBody,
  options: VerifyWebhookOptions,
): WebhookVerification {
  const id = header(headers, WEBHOOK_HEADERS.id);
  const timestamp = header(headers, WEBHOOK_HEADERS.timestamp);
  const signature = header(headers, WEBHOOK_HEADERS.signature);
  if (id === undefined || timestamp === undefined || signature === undefined)
    return { ok: false, reason: 'missing_headers' };
  if (id === null || timestamp === null || signature === null) return { ok: false, reason: 'malformed' };
  if (!isWebhookId(id) || !/^(0|[1-9][0-9]{0,14})$/.test(timestamp))
    return { ok: false, reason: 'malformed' };
  const timestampS = Number(timestamp);
  const entries = signature
    .split(/\s+/)
    // node joins a repeated header with ", ": the comma left on an entry is not part of it (base64 has none).
    .map((e) => e.replace(/,$/, '').split(','))
    .filter((parts): parts is [string, string] => parts.length === 2 && parts[0] !== '' && parts[1] !== '');
  if (entries.length === 0) return { ok: false, reason: 'malformed' };
  const tolerance = options.toleranceS ?? WEBHOOK_TOLERANCE_S;
  if (Math.abs(options.nowMs / 1000 - timestampS) > tolerance) return { ok: false, reason: 'stale' };

  const v1: Uint8Array[] = [];
  const v1a: Uint8Array[] = [];
  for (const [version, value] of entries.slice(0, MAX_WEBHOOK_SIGNATURES)) {
    if (version !== 'v1' && version !== 'v1a') continue;
    const bytes = base64DecodeStrict(value);
    if (version === 'v1' && bytes?.length === HMAC_LENGTH) v1.push(bytes);
    else if (
      version === 'v1a' &&
      bytes?.length === ED25519_SIGNATURE_LENGTH &&
      isStrictEd25519Signature(bytes)
    )
      v1a.push(bytes);
  }
  const content = webhookSignedContent(id, timestampS, body);
  if (v1.length > 0) {
    const hmac = options.hmac ?? portableHmacSha256;
    for (const secret of options.secrets ?? []) {
      const key = parseWebhookSecret(secret);
      if (!key) throw new TypeError('Not a whsec_ webhook secret');
      const expected = hmac(key, content);
      // Every entry is compared, match or not, so timing tells nothing about which one matched.
      let match = false;
      for (const received of v1) match = constantTimeEqual(expected, received) || match;
      if (match) return { ok: true, id, timestampS, scheme: 'v1' };
    }
  }
  if (v1a.length > 0) {
    const ed = options.ed25519 ?? tweetnaclEd25519;
    for (const publicKey of options.publicKeys ?? [])
      for (const received of v1a)
        if (ed.verify(publicKey, content, received)) return { ok: true, id, timestampS, scheme: 'v1a' };
  }
  return { ok: false, reason: 'no_matching_signature' };
}
