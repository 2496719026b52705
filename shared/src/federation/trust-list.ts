import { isStrictEd25519PublicKey, tweetnaclEd25519, type Ed25519 } from '../crypto/ed25519';
import { base64urlDecode, base64urlEncode } from '../encoding/base64url';
import { concatBytes } from '../encoding/bytes';
import { canonicalJson } from '../encoding/canonical-json';
import { utf8Encode } from '../encoding/utf8';
import { isProvinceCode } from '../id-number';
import type { TrustedIssuer } from '../trust/trust-list';
import { FederationError, type FederationFailureReason } from './errors';
import type {
  FederationKey,
  FederationKeyEvent,
  FederationKeyStatus,
  NationalTrustList,
  ProvinceNode,
  SignedTrustList,
} from './types';

/**
 * What the root signs is this line and a newline, then the list text: the same root key signs the v1 CBOR
 * trust lists (COSE, docs/formats/trust-list.md), so a v2 signature can never be taken for anything else.
 */
export const NATIONAL_TRUST_LIST_CONTEXT = 'EID national trust list v2';
/** Longest validity a list may claim (expiresAt - issuedAt); the national publishes about 48 hours. */
export const NATIONAL_TRUST_LIST_MAX_VALIDITY_MS = 31 * 24 * 3600_000;
/** Bounds that keep a hostile list from exhausting a terminal. */
export const NATIONAL_TRUST_LIST_LIMITS = {
  provinces: 64,
  keys: 4096,
  history: 64,
  kid: 128,
  name: 64,
  url: 256,
  reason: 512,
} as const;

const KEY_USES = ['issuer', 'node', 'witness'] as const;
const KEY_STATUSES = ['active', 'retired', 'compromised'] as const;
/** A status never goes back: compromised is final, a retired key is never revived. */
const STATUS_RANK: Record<FederationKeyStatus, number> = { active: 0, retired: 1, compromised: 2 };
// Printable ASCII without space: a kid travels in HTTP signature parameters and log lines.
const KID = /^[\x21-\x7e]+$/;
// No URL global in the mini-program: a plain pattern of what a node base URL may be.
const NODE_URL = /^https?:\/\/[A-Za-z0-9.-]+(?::[0-9]{1,5})?(?:\/[A-Za-z0-9._~%!$&'()*+,;=:@/-]*)?$/;

/** The bytes the root signs for a list text. */
export function nationalTrustListMessage(listText: string): Uint8Array {
  return concatBytes(utf8Encode(`${NATIONAL_TRUST_LIST_CONTEXT}\n`), utf8Encode(listText));
}

function fail(reason: FederationFailureReason, message: string): never {
  throw new FederationError(reason, message);
}

type Json = Record<string, unknown>;

function object(
  value: unknown,
  what: string,
  keys: readonly string[],
  optional: readonly string[] = [],
): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    fail('malformed_list', `${what} is an object`);
  const o = value as Json;
  for (const k of Object.keys(o))
    if (!keys.includes(k) && !optional.includes(k)) fail('malformed_list', `${what} has no member ${k}`);
  for (const k of keys) if (!(k in o)) fail('malformed_list', `${what} lacks ${k}`);
  return o;
}

function time(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0)
    fail('malformed_list', `${what} is a non-negative integer of epoch ms`);
  return value;
}

function text(value: unknown, what: string, max: number): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > max)
    fail('malformed_list', `${what} is a string of 1 to ${max} characters`);
  return value;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], what: string): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value))
    fail('malformed_list', `${what} is one of ${allowed.join(', ')}`);
  return value as T;
}

function provinceCode(value: unknown, what: string): string {
  if (typeof value !== 'string' || !isProvinceCode(value))
    fail('malformed_list', `${what} is a province code`);
  return value;
}

function checkProvince(raw: unknown, i: number): ProvinceNode {
  const p = object(raw, `provinces[${i}]`, ['province', 'name', 'url']);
  const url = text(p.url, `provinces[${i}].url`, NATIONAL_TRUST_LIST_LIMITS.url);
  if (!NODE_URL.test(url)) fail('malformed_list', `provinces[${i}].url is an http(s) base URL`);
  return {
    province: provinceCode(p.province, `provinces[${i}].province`),
    name: text(p.name, `provinces[${i}].name`, NATIONAL_TRUST_LIST_LIMITS.name),
    url,
  };
}

function checkEvent(raw: unknown, what: string): FederationKeyEvent {
  const e = object(raw, what, ['at', 'status'], ['reason']);
  const event: FederationKeyEvent = {
    at: time(e.at, `${what}.at`),
    status: oneOf(e.status, KEY_STATUSES, `${what}.status`),
  };
  if (e.reason !== undefined)
    event.reason = text(e.reason, `${what}.reason`, NATIONAL_TRUST_LIST_LIMITS.reason);
  return event;
}

function checkKey(raw: unknown, i: number): FederationKey {
  const what = `keys[${i}]`;
  const k = object(
    raw,
    what,
    ['kid', 'province', 'use', 'publicKey', 'notBefore', 'status', 'history'],
    ['notAfter'],
  );
  const kid = text(k.kid, `${what}.kid`, NATIONAL_TRUST_LIST_LIMITS.kid);
  if (!KID.test(kid)) fail('malformed_list', `${what}.kid is printable ASCII without spaces`);
  const publicKey = text(k.publicKey, `${what}.publicKey`, 43);
  let bytes: Uint8Array;
  try {
    bytes = base64urlDecode(publicKey);
  } catch {
    fail('malformed_list', `${what}.publicKey is base64url`);
  }
  if (bytes.length !== 32) fail('malformed_list', `${what}.publicKey is 32 bytes`);
  // A small-order key verifies forged signatures for every message: the whole list is refused, not the key.
  if (!isStrictEd25519PublicKey(bytes))
    fail('weak_key', `${what}.publicKey is of small order or non-canonical`);
  const key: FederationKey = {
    kid,
    province: provinceCode(k.province, `${what}.province`),
    use: oneOf(k.use, KEY_USES, `${what}.use`),
    publicKey,
    notBefore: time(k.notBefore, `${what}.notBefore`),
    status: oneOf(k.status, KEY_STATUSES, `${what}.status`),
    history: [],
  };
  if (k.notAfter !== undefined) {
    key.notAfter = time(k.notAfter, `${what}.notAfter`);
    if (key.notAfter < key.notBefore) fail('malformed_list', `${what}.notAfter is not before notBefore`);
  }
  // A retirement is an overlap that ends: without its end the key would verify forever.
  if (key.status === 'retired' && key.notAfter === undefined)
    fail('malformed_list', `${what} is retired without notAfter`);
  if (!Array.isArray(k.history) || k.history.length === 0)
    fail('bad_history', `${what}.history is never empty`);
  if (k.history.length > NATIONAL_TRUST_LIST_LIMITS.history)
    fail('malformed_list', `${what}.history has at most ${NATIONAL_TRUST_LIST_LIMITS.history} events`);
  key.history = k.history.map((e, j) => checkEvent(e, `${what}.history[${j}]`));
  for (let j = 1; j < key.history.length; j++) {
    const [prev, cur] = [key.history[j - 1]!, key.history[j]!];
    if (cur.at < prev.at) fail('bad_history', `${what}.history is ordered by time`);
    if (STATUS_RANK[cur.status] < STATUS_RANK[prev.status])
      fail('bad_history', `${what}.history never goes back (${prev.status} then ${cur.status})`);
  }
  if (key.history[key.history.length - 1]!.status !== key.status)
    fail('bad_history', `${what}.history ends in its status`);
  return key;
}

/**
 * Checks a parsed value field by field as a v2 list and answers a fresh copy of exactly the known fields.
 * Throws FederationError: `malformed_list`, `weak_key`, `duplicate_kid`, `duplicate_province`,
 * `unknown_province` (a key of a province the list has no node for), `bad_history`.
 */
export function checkNationalTrustList(value: unknown): NationalTrustList {
  const l = object(value, 'the list', ['v', 'sequence', 'issuedAt', 'expiresAt', 'provinces', 'keys']);
  if (l.v !== 2) fail('malformed_list', 'the list is of version 2');
  const sequence = time(l.sequence, 'sequence');
  const issuedAt = time(l.issuedAt, 'issuedAt');
  const expiresAt = time(l.expiresAt, 'expiresAt');
  if (expiresAt <= issuedAt) fail('malformed_list', 'expiresAt is after issuedAt');
  if (expiresAt - issuedAt > NATIONAL_TRUST_LIST_MAX_VALIDITY_MS)
    fail('malformed_list', 'a list is valid for at most 31 days');
  if (!Array.isArray(l.provinces) || l.provinces.length > NATIONAL_TRUST_LIST_LIMITS.provinces)
    fail('malformed_list', `provinces is an array of at most ${NATIONAL_TRUST_LIST_LIMITS.provinces}`);
  if (!Array.isArray(l.keys) || l.keys.length > NATIONAL_TRUST_LIST_LIMITS.keys)
    fail('malformed_list', `keys is an array of at most ${NATIONAL_TRUST_LIST_LIMITS.keys}`);
  const provinces = l.provinces.map(checkProvince);
  const codes = new Set<string>();
  for (const p of provinces) {
    if (codes.has(p.province)) fail('duplicate_province', `province ${p.province} has two nodes`);
    codes.add(p.province);
  }
  const keys = l.keys.map(checkKey);
  const kids = new Set<string>();
  for (const k of keys) {
    // One kid, one key: a verifier looks keys up by kid, so a second one could shadow the first.
    if (kids.has(k.kid)) fail('duplicate_kid', `kid ${k.kid} appears twice`);
    kids.add(k.kid);
    if (!codes.has(k.province)) fail('unknown_province', `key ${k.kid} is of a province with no node`);
  }
  return { v: 2, sequence, issuedAt, expiresAt, provinces, keys };
}

/**
 * Signs a list with the root signer (the key store's trust-root key): the list is checked as a verifier
 * would check it, written as canonical JSON, and the context line plus that text is signed.
 *
 * @example signNationalTrustList(list, 'national-root-1', (m) => keys.signAsTrustRoot(m))
 */
export function signNationalTrustList(
  list: NationalTrustList,
  kid: string,
  sign: (message: Uint8Array) => Uint8Array,
): SignedTrustList {
  if (typeof kid !== 'string' || kid.length === 0 || kid.length > 128 || !KID.test(kid))
    throw new TypeError('a root kid is printable ASCII without spaces');
  const text = canonicalJson(checkNationalTrustList(JSON.parse(canonicalJson(list))));
  const signature = sign(nationalTrustListMessage(text));
  if (signature.length !== 64) throw new TypeError('an Ed25519 signature is 64 bytes');
  return { list: text, kid, signature: base64urlEncode(signature) };
}

/**
 * Verifies a signed list against the pinned root key and reads it, strictly: the signature first, then the
 * text must be canonical JSON (parsing and writing it again gives the same characters: one list has one
 * spelling, so one leaf), then the v2 shape (checkNationalTrustList). Time and sequence are the caller's
 * (openTrustBundle). Throws FederationError (`bad_root_signature`, `non_canonical_list`, and the shape's).
 */
export function openSignedTrustList(
  signed: SignedTrustList,
  rootPublicKey: Uint8Array,
  ed25519: Ed25519 = tweetnaclEd25519,
): NationalTrustList {
  let signature: Uint8Array;
  try {
    signature = base64urlDecode(signed.signature);
  } catch {
    fail('bad_root_signature', 'the signature is base64url');
  }
  if (
    signature.length !== 64 ||
    typeof signed.list !== 'string' ||
    !ed25519.verify(rootPublicKey, nationalTrustListMessage(signed.list), signature)
  )
    fail('bad_root_signature', 'the national root did not sign this list');
  let parsed: unknown;
  try {
    parsed = JSON.parse(signed.list);
  } catch {
    fail('non_canonical_list', 'the list is JSON');
  }
  let again: string | undefined;
  try {
    again = canonicalJson(parsed);
  } catch {
    again = undefined;
  }
  if (again !== signed.list) fail('non_canonical_list', 'the list text is not canonical JSON');
  return checkNationalTrustList(parsed);
}

function overlapOpen(key: FederationKey, at: number): boolean {
  return key.notAfter === undefined || at <= key.notAfter;
}

/**
 * The issuer keys a credential verifier takes (shared/src/trust TrustedIssuer): active ones, and retired
 * ones with their notAfter, so what they signed before it still verifies and nothing after it does; both
 * keep notBefore. `at` removes none of them: their window is on the credential's date, which the verifier
 * checks (so keys announced ahead are in, and what they signed before notBefore is refused). Compromised keys never, not even for credentials dated before the
 * compromise: a credential's date is what the key's holder wrote, and whoever holds the stolen key writes
 * any date, so after a compromise nothing it signed can be told apart from a forgery. Those residents get
 * their cards issued again.
 */
export function issuersOfList(list: NationalTrustList, _at: number): TrustedIssuer[] {
  const out: TrustedIssuer[] = [];
  for (const k of list.keys) {
    if (k.use !== 'issuer' || k.status === 'compromised') continue;
    if (k.status === 'retired' && k.notAfter === undefined) continue;
    const issuer: TrustedIssuer = {
      kid: k.kid,
      province: k.province,
      publicKey: base64urlDecode(k.publicKey),
      notBefore: k.notBefore,
    };
    if (k.notAfter !== undefined) issuer.notAfter = k.notAfter;
    out.push(issuer);
  }
  return out;
}

/**
 * The keys `province`'s node may sign requests and responses with at `at` (a request's created time, or
 * now): active or retired, notBefore ≤ at ≤ notAfter (when set); never compromised.
 */
export function nodeKeysOfList(
  list: NationalTrustList,
  province: string,
  at: number,
): { kid: string; publicKey: Uint8Array }[] {
  return usableKeysOf(list, 'node', province, at);
}

/** The same for witness keys: the raw public keys a province's witness may cosign with at `at`. */
export function witnessKeysOfList(
  list: NationalTrustList,
  province: string,
  at: number,
): { kid: string; publicKey: Uint8Array }[] {
  return usableKeysOf(list, 'witness', province, at);
}

/** The keys of one use and province usable at `at`: active or retired within their overlap; never compromised. */
function usableKeysOf(
  list: NationalTrustList,
  use: 'node' | 'witness',
  province: string,
  at: number,
): { kid: string; publicKey: Uint8Array }[] {
  return list.keys
    .filter(
      (k) =>
        k.use === use &&
        k.province === province &&
        k.status !== 'compromised' &&
        k.notBefore <= at &&
        (k.status === 'active' ? overlapOpen(k, at) : k.notAfter !== undefined && at <= k.notAfter),
    )
    .map((k) => ({ kid: k.kid, publicKey: base64urlDecode(k.publicKey) }));
}

/** The node entry of `province`, or undefined when the list has none. */
export function provinceNodeOf(list: NationalTrustList, province: string): ProvinceNode | undefined {
  return list.provinces.find((p) => p.province === province);
}
