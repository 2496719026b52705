import { sha512 } from '@noble/hashes/sha2.js';
import { sha256 as portableSha256, type Sha256 } from '../crypto/sha256';
import { bytesEqual } from '../encoding/bytes';
import {
  parseSfDictionary,
  serializeSfDictionary,
  SfParseError,
  type SfDictionary,
} from './structured-fields';

/** The digest algorithms of RFC 9530 we create and check; others in a field are ignored. */
export const CONTENT_DIGEST_ALGORITHMS = ['sha-256', 'sha-512'] as const;
export type ContentDigestAlgorithm = (typeof CONTENT_DIGEST_ALGORITHMS)[number];

/** Why a Content-Digest does not vouch for a body. */
export type ContentDigestProblem = 'missing' | 'malformed' | 'unsupported_algorithm' | 'mismatch';

export type ContentDigestCheck =
  | { ok: true; algorithms: ContentDigestAlgorithm[] }
  | { ok: false; problem: ContentDigestProblem; detail: string };

export interface ContentDigestOptions {
  /** SHA-256 to use; the BFF passes node:crypto's. Portable by default. */
  sha256?: Sha256;
}

function digestOf(algorithm: ContentDigestAlgorithm, body: Uint8Array, options?: ContentDigestOptions) {
  return algorithm === 'sha-256' ? (options?.sha256 ?? portableSha256)(body) : sha512(body);
}

function isSupported(key: string): key is ContentDigestAlgorithm {
  return (CONTENT_DIGEST_ALGORITHMS as readonly string[]).includes(key);
}

/**
 * The Content-Digest field value (RFC 9530) of the raw body bytes, one member per algorithm.
 *
 * @example contentDigest(utf8Encode('{"hello": "world"}')) // 'sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:'
 */
export function contentDigest(
  body: Uint8Array,
  algorithms: readonly ContentDigestAlgorithm[] = ['sha-256'],
  options?: ContentDigestOptions,
): string {
  if (algorithms.length === 0) throw new TypeError('Content-Digest needs at least one algorithm');
  const dict: SfDictionary = new Map();
  for (const algorithm of algorithms) {
    if (!isSupported(algorithm)) throw new TypeError(`Unsupported digest algorithm: ${String(algorithm)}`);
    dict.set(algorithm, {
      kind: 'item',
      value: { type: 'bytes', value: digestOf(algorithm, body, options) },
      params: new Map(),
    });
  }
  return serializeSfDictionary(dict);
}

/**
 * Checks a Content-Digest field value against the raw body bytes. Every supported algorithm in the field
 * must match; algorithms we do not know are ignored, but a field with none we know is refused
 * (`unsupported_algorithm`), never taken as vouching for the body. Never throws.
 */
export function verifyContentDigest(
  field: string | undefined,
  body: Uint8Array,
  options?: ContentDigestOptions,
): ContentDigestCheck {
  if (field === undefined) return { ok: false, problem: 'missing', detail: 'no Content-Digest field' };
  let dict: SfDictionary;
  try {
    dict = parseSfDictionary(field);
  } catch (e) {
    if (e instanceof SfParseError) return { ok: false, problem: 'malformed', detail: e.message };
    throw e;
  }
  const checked: ContentDigestAlgorithm[] = [];
  for (const [key, member] of dict) {
    if (!isSupported(key)) continue;
    if (member.kind !== 'item' || member.value.type !== 'bytes' || member.params.size > 0)
      return { ok: false, problem: 'malformed', detail: `${key} is not a byte sequence` };
    if (!bytesEqual(member.value.value, digestOf(key, body, options)))
      return { ok: false, problem: 'mismatch', detail: `${key} does not match the body` };
    checked.push(key);
  }
  if (checked.length === 0) {
    const named = [...dict.keys()].join(', ') || 'none';
    return {
      ok: false,
      problem: 'unsupported_algorithm',
      detail: `no supported algorithm (sha-256, sha-512) in Content-Digest; it names: ${named}`,
    };
  }
  return { ok: true, algorithms: checked };
}
