import { base64urlDecode, base64urlEncode } from '../encoding';
import { randomBytes } from '../crypto';

/**
 * The consent request code (docs/formats/party-registration.md): `EIDC1:<id>.<secret>`, what a party shows
 * as a QR code or puts in a link for the resident to open. `id` names the request; `secret` proves the
 * holder was given the code (the BFF keeps only its SHA-256). Both are 16 bytes, base64url without padding:
 * exactly 22 characters each.
 */

export const CONSENT_CODE_PREFIX = 'EIDC1:';
/** Bytes behind the id and behind the secret. */
export const CONSENT_CODE_PART_BYTES = 16;
const PART_CHARS = 22;
const PART = /^[A-Za-z0-9_-]{22}$/;

/** A request code's two parts, each 22 base64url characters. */
export interface ConsentCodeParts {
  id: string;
  secret: string;
}

// 16 bytes leave 4 unused bits in the last character; only the spelling with them zero is accepted, so
// every code has one text (base64urlDecode refuses the others).
function isPart(text: string): boolean {
  if (text.length !== PART_CHARS || !PART.test(text)) return false;
  try {
    return base64urlDecode(text).length === CONSENT_CODE_PART_BYTES;
  } catch {
    return false;
  }
}

/**
 * `<prefix><id>.<secret>`, the shape of every two-part code (consent requests here, sign-in requests in
 * signin/request-code.ts); throws TypeError when either part is not 22 canonical base64url characters.
 */
export function formatTwoPartCode(prefix: string, id: string, secret: string): string {
  if (!isPart(id) || !isPart(secret)) throw new TypeError('Code parts must be 22 base64url characters');
  return `${prefix}${id}.${secret}`;
}

/**
 * The id and secret of a `<prefix><id>.<secret>` code, or undefined unless `text` is exactly one: no
 * whitespace, no other case of the prefix, nothing before or after (a scanner or link that altered the text
 * gets a clear refusal).
 */
export function parseTwoPartCode(prefix: string, text: unknown): ConsentCodeParts | undefined {
  if (typeof text !== 'string') return undefined;
  if (text.length !== prefix.length + 2 * PART_CHARS + 1) return undefined;
  if (!text.startsWith(prefix)) return undefined;
  const rest = text.slice(prefix.length);
  if (rest[PART_CHARS] !== '.') return undefined;
  const id = rest.slice(0, PART_CHARS);
  const secret = rest.slice(PART_CHARS + 1);
  return isPart(id) && isPart(secret) ? { id, secret } : undefined;
}

/** Fresh random parts (16 secure random bytes each) and the code of `prefix` that carries them. */
export function newTwoPartCode(
  prefix: string,
  random: (length: number) => Uint8Array = randomBytes,
): ConsentCodeParts & { code: string } {
  const id = base64urlEncode(random(CONSENT_CODE_PART_BYTES));
  const secret = base64urlEncode(random(CONSENT_CODE_PART_BYTES));
  return { id, secret, code: formatTwoPartCode(prefix, id, secret) };
}

/**
 * `EIDC1:<id>.<secret>`; throws TypeError when either part is not 22 canonical base64url characters.
 *
 * @example formatConsentCode(base64urlEncode(randomBytes(16)), base64urlEncode(randomBytes(16)))
 */
export function formatConsentCode(id: string, secret: string): string {
  return formatTwoPartCode(CONSENT_CODE_PREFIX, id, secret);
}

/** The id and secret of a consent request code, or undefined unless `text` is exactly one. */
export function parseConsentCode(text: unknown): ConsentCodeParts | undefined {
  return parseTwoPartCode(CONSENT_CODE_PREFIX, text);
}

/** A fresh request: random id and secret (16 secure random bytes each) and the code that carries them. */
export function newConsentCode(random: (length: number) => Uint8Array = randomBytes): ConsentCodeParts & {
  code: string;
} {
  return newTwoPartCode(CONSENT_CODE_PREFIX, random);
}
