// The defining modules rather than the packages' index files: under a CommonJS transpiler (tsx, the BFF and
// the bench) each call through an index costs a second export getter, and this file is the offline hot path.
import { CborShapeError } from '../encoding/cbor';
import { base64urlEncode } from '../encoding/base64url';
import { bytesEqual } from '../encoding/bytes';
import { sha256 as portableSha256, tweetnaclEd25519, type Ed25519, type Sha256 } from '../crypto';
import { CODE_PREFIX, CODE_TTL_MS, parseCode, verifyCodeSignature, type ParsedCode } from '../card/code';
import {
  CODE_V2_PREFIX,
  codeV2DisclosureBytes,
  openDisclosure,
  parseCodeV2,
  verifyCodeV2Signature,
  type ParsedCodeV2,
} from '../card/code-v2';
import { decodeCredential, verifyCredentialSignature, type Credential } from '../card/credential';
import {
  CARD_CLAIM_NAMES,
  decodeCredentialV2,
  verifyCredentialV2Signature,
  type CardClaimName,
  type CardClaimValues,
  type CredentialV2,
} from '../card/credential-v2';
import { findPurposeById } from '../purposes/purposes';
import { CardStatusValue, statusAt, type StatusList } from '../status/status-list';
import type { TrustList, TrustedIssuer } from '../trust/trust-list';

/** The one verdict vocabulary, offline and online. */
export const VERDICTS = [
  'valid',
  'expired',
  'not_yet_valid',
  'bad_signature',
  /** v2: the device signature holds but a disclosed claim does not match the credential's signed digest. */
  'tampered',
  'unknown_issuer',
  'revoked',
  'suspended',
  'status_unknown',
  'replayed',
  'malformed',
] as const;
export type Verdict = (typeof VERDICTS)[number];

/** How far ahead of the verifier's clock a device clock may run before its codes are "not yet valid". */
export const CLOCK_TOLERANCE_MS = 10_000;

export interface Clock {
  /** Epoch ms. */
  now(): number;
}

/** A v2 disclosure that fitted its credential's root: the code's own bytes of it and the claims it proved. */
export interface OpenedDisclosure {
  bytes: Uint8Array;
  claims: Partial<CardClaimValues>;
  /** The names of `claims` in slot order (what a result's `disclosed` copies). */
  names: readonly CardClaimName[];
}

/**
 * What the verifier caches per credential so the issuer signature is checked once. The entry remembers the
 * credential's format: the same bytes inside a code of the other format are malformed, cached or not. A v2
 * entry also remembers the last disclosure it opened (`opened`).
 */
export type CachedCredential =
  | { format: 1; credential: Credential; issuerPublicKey: Uint8Array }
  | { format: 2; credential: CredentialV2; issuerPublicKey: Uint8Array; opened?: OpenedDisclosure };

/**
 * Verified credentials by a short key of their bytes (see `credentialKey`). The key only finds an entry: the
 * verifier uses it only when the entry's credential bytes equal the code's, byte for byte.
 */
export interface CredentialCache {
  get(key: string): CachedCredential | undefined;
  set(key: string, value: CachedCredential): void;
}

/**
 * A bounded in-memory cache of verified credentials. Oldest entries go first; a device shows the same
 * credential for weeks, so recency hardly matters.
 */
export function createCredentialCache(maxEntries = 10_000): CredentialCache {
  const map = new Map<string, CachedCredential>();
  return {
    get: (key) => map.get(key),
    set(key, value) {
      if (map.size >= maxEntries) map.delete(map.keys().next().value!);
      map.set(key, value);
    },
  };
}

/** Remembers codes a verifier has accepted; `firstSight` is false for a code seen before. */
export interface ReplayGuard {
  firstSight(codeDigest: string, expiresAt: number): boolean;
}

/** An in-memory replay guard for one offline terminal; entries leave once their code has expired. */
export function createMemoryReplayGuard(clock: Clock, maxEntries = 100_000): ReplayGuard {
  const seen = new Map<string, number>();
  return {
    firstSight(digest, expiresAt) {
      const now = clock.now();
      for (const [d, exp] of seen) {
        if (exp > now && seen.size < maxEntries) break;
        seen.delete(d);
      }
      const known = seen.get(digest);
      if (known !== undefined && known > now) return false;
      seen.set(digest, expiresAt);
      return true;
    },
  };
}

export interface InspectOptions {
  trustList: TrustList;
  clock: Clock;
  /** Defaults to tweetnacl; the BFF passes its node:crypto implementation. */
  ed25519?: Ed25519;
  sha256?: Sha256;
  cache?: CredentialCache;
  codeTtlMs?: number;
  clockToleranceMs?: number;
  /** Also return the digest of the code itself (for replay caches). */
  computeCodeDigest?: boolean;
}

export interface VerifyOptions extends InspectOptions {
  /** Verified status lists by issuer kid (see openStatusList). */
  statusLists: ReadonlyMap<string, StatusList>;
  /** A status list older than this gives `status_unknown`, never `revoked`. */
  maxStatusAgeMs: number;
  /** An offline terminal's own memory of accepted codes. */
  replayGuard?: ReplayGuard;
}

/**
 * The claims a valid code proves, plus the credential's own validity. A v1 code proves its five holder
 * claims; a v2 code exactly the claims it disclosed, and nothing about the others.
 */
export interface VerifiedClaims extends Partial<CardClaimValues> {
  issuedAt: number;
  expiresAt: number;
}

/** The claims every v1 code carries. */
export const V1_CODE_CLAIMS: readonly CardClaimName[] = [
  'name',
  'sex',
  'birthDate',
  'idNumberMasked',
  'portraitDigest',
];

export interface VerifyResult {
  verdict: Verdict;
  /** Epoch ms of the verifier's clock at the check. */
  checkedAt: number;
  /** The format the code's prefix names (`EID1:` 1, `EID2:` 2); absent when it names neither. */
  format?: 1 | 2;
  /** Set once the issuer signature has verified. */
  kid?: string;
  province?: string;
  /** base64url card id; set once the issuer signature has verified. */
  cardId?: string;
  statusIndex?: number;
  /** Epoch ms of the code's timestamp; set once the device signature has verified. */
  codeTimestamp?: number;
  /** Epoch ms after which the code is refused anyway (for replay-cache expiry). */
  codeExpiresAt?: number;
  /** base64url SHA-256 of the code's bytes (with `computeCodeDigest`). */
  codeDigest?: string;
  /** v2: the code of the published purpose the code was made for; set once the device signature has verified. */
  purpose?: string;
  /**
   * The claims the code disclosed, in slot order (v1: `V1_CODE_CLAIMS`); set once they are shown to be the
   * issuer's (a v2 code that is not `tampered`), and kept whatever the verdict: names only, no values.
   */
  disclosed?: CardClaimName[];
  /** Only when the verdict is `valid`. */
  claims?: VerifiedClaims;
}

/** Bytes of the credential's tail that key the cache. */
const CREDENTIAL_KEY_BYTES = 16;

/**
 * The cache key of a credential: its last 16 bytes, one char per byte (a Map key, not a display value). A
 * well-formed credential ends with its issuer's 64-byte signature, so these are 128 bits that differ between
 * any two credentials an issuer signed; they cost nothing to compute where a SHA-256 of the whole credential
 * was an eighth of the check's own work. The key is not trusted: a cached entry is used only for the same
 * bytes (`bytesEqual` in trustedCredential), so a forged tail finds at most an entry it cannot use.
 */
function credentialKey(bytes: Uint8Array): string {
  return String.fromCharCode.apply(
    null,
    bytes.subarray(Math.max(0, bytes.length - CREDENTIAL_KEY_BYTES)) as unknown as number[],
  );
}

function sameKey(a: Uint8Array, b: Uint8Array): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function issuerFor(trustList: TrustList, credential: Credential | CredentialV2): TrustedIssuer | undefined {
  const issuer = trustList.issuers.get(credential.kid);
  if (!issuer || issuer.province !== credential.claims.province) return undefined;
  const iat = credential.claims.issuedAt;
  if (issuer.notBefore !== undefined && iat < issuer.notBefore) return undefined;
  if (issuer.notAfter !== undefined && iat > issuer.notAfter) return undefined;
  return issuer;
}

type Trusted = CachedCredential | 'malformed' | 'unknown_issuer' | 'bad_signature';

function signedBy(entry: CachedCredential, issuerPublicKey: Uint8Array, ed: Ed25519): boolean {
  return entry.format === 2
    ? verifyCredentialV2Signature(entry.credential, issuerPublicKey, ed)
    : verifyCredentialSignature(entry.credential, issuerPublicKey, ed);
}

/** The code's credential, decoded and signed by a trusted issuer: from the cache, or checked and cached. */
function trustedCredential(format: 1 | 2, bytes: Uint8Array, options: InspectOptions, ed: Ed25519): Trusted {
  const key = credentialKey(bytes);
  const cached = options.cache?.get(key);
  let entry: CachedCredential;
  let issuer: TrustedIssuer | undefined;
  // The issuer signature the entry vouches for is over exactly its bytes: any other bytes are checked anew.
  if (cached && bytesEqual(cached.credential.bytes, bytes)) {
    if (cached.format !== format) return 'malformed';
    entry = cached;
    issuer = issuerFor(options.trustList, entry.credential);
    if (!issuer) return 'unknown_issuer';
    if (!sameKey(issuer.publicKey, cached.issuerPublicKey)) {
      if (!signedBy(entry, issuer.publicKey, ed)) return 'bad_signature';
      entry = { ...entry, issuerPublicKey: issuer.publicKey };
      options.cache?.set(key, entry);
    }
    return entry;
  }
  try {
    entry =
      format === 2
        ? { format, credential: decodeCredentialV2(bytes), issuerPublicKey: new Uint8Array(0) }
        : { format, credential: decodeCredential(bytes), issuerPublicKey: new Uint8Array(0) };
  } catch (err) {
    if (err instanceof CborShapeError) return 'malformed';
    throw err;
  }
  issuer = issuerFor(options.trustList, entry.credential);
  if (!issuer) return 'unknown_issuer';
  if (!signedBy(entry, issuer.publicKey, ed)) return 'bad_signature';
  entry.issuerPublicKey = issuer.publicKey;
  options.cache?.set(key, entry);
  return entry;
}

/** Copies claim values, so that what a cache keeps never reaches a caller by reference. */
function copyClaims(claims: Partial<CardClaimValues>): Partial<CardClaimValues> {
  const out = { ...claims };
  if (out.portraitDigest) out.portraitDigest = out.portraitDigest.slice();
  return out;
}

/**
 * The claims a v2 code's disclosure proves against the credential's root, or `tampered`. A wallet sends the
 * same disclosure bytes in every code it makes for one purpose (the salts are derived, not random), so a
 * cached credential remembers the last disclosure that fitted its root, by those bytes: a returning holder's
 * code is then not hashed again. A disclosure that did not fit is never remembered.
 */
function provenClaims(
  entry: Extract<CachedCredential, { format: 2 }>,
  code: ParsedCodeV2,
  hash: Sha256,
  remember: boolean,
): OpenedDisclosure | 'tampered' {
  const bytes = codeV2DisclosureBytes(code);
  // The caller copies what it hands out (claimsOf), so a remembered disclosure is returned as it is.
  if (entry.opened && bytesEqual(entry.opened.bytes, bytes)) return entry.opened;
  const claims = openDisclosure(code, entry.credential.claims.sdRoot, hash);
  if (claims === 'tampered') return claims;
  const opened = {
    bytes: bytes.slice(),
    // What the cache keeps is a copy, so that no caller's edits of the claims `openDisclosure` built reach it.
    claims: remember ? copyClaims(claims) : claims,
    names: CARD_CLAIM_NAMES.filter((name) => claims[name] !== undefined),
  };
  if (remember) entry.opened = opened;
  return opened;
}

/**
 * The claims of a valid result: `proven`'s values of `names` (the portrait digest copied, never a cached array)
 * and the card's validity. Assigned by name rather than spread: under a CommonJS transpiler (tsx) an object
 * spread is a helper's property-by-property loop, 1.5 µs here, more than the rest of the result.
 */
function claimsOf(
  proven: Partial<CardClaimValues>,
  names: readonly CardClaimName[],
  issuedAt: number,
  expiresAt: number,
): VerifiedClaims {
  const claims: Record<string, unknown> = {};
  for (const name of names) claims[name] = proven[name];
  claims.issuedAt = issuedAt;
  claims.expiresAt = expiresAt;
  if (proven.portraitDigest) claims.portraitDigest = proven.portraitDigest.slice();
  return claims as unknown as VerifiedClaims;
}

function formatOf(text: unknown): 1 | 2 | undefined {
  if (typeof text !== 'string') return undefined;
  if (text.startsWith(CODE_V2_PREFIX)) return 2;
  return text.startsWith(CODE_PREFIX) ? 1 : undefined;
}

/**
 * Everything but revocation: format, issuer, both signatures, a v2 code's disclosure against the root its
 * issuer signed, and the credential's and code's validity in time. The online verifier follows it with the
 * card's live status; `verifyCode` follows it with a cached status list. Takes `EID1:` and `EID2:` codes.
 */
export function inspectCode(text: unknown, options: InspectOptions, computeCodeDigest = false): VerifyResult {
  const now = options.clock.now();
  const ed = options.ed25519 ?? tweetnaclEd25519;
  const hash = options.sha256 ?? portableSha256;
  const tolerance = options.clockToleranceMs ?? CLOCK_TOLERANCE_MS;
  const format = formatOf(text);
  if (format === undefined) return { verdict: 'malformed', checkedAt: now };
  let code: ParsedCode | ParsedCodeV2;
  try {
    code = format === 2 ? parseCodeV2(text as string) : parseCode(text as string);
  } catch {
    return { verdict: 'malformed', checkedAt: now, format };
  }

  const trusted = trustedCredential(format, code.credential, options, ed);
  if (typeof trusted === 'string') return { verdict: trusted, checkedAt: now, format };
  const { claims } = trusted.credential;
  const result: VerifyResult = {
    verdict: 'valid',
    checkedAt: now,
    format,
    kid: trusted.credential.kid,
    province: claims.province,
    cardId: base64urlEncode(claims.cardId),
    statusIndex: claims.statusIndex,
  };

  let proven: Partial<CardClaimValues>;
  let names: readonly CardClaimName[];
  if (trusted.format === 2) {
    const v2 = code as ParsedCodeV2;
    if (!verifyCodeV2Signature(v2, trusted.credential.claims.devicePublicKey, ed))
      return { ...result, verdict: 'bad_signature' };
    const purpose = findPurposeById(v2.purposeId);
    if (purpose) result.purpose = purpose.code;
  } else if (!verifyCodeSignature(code as ParsedCode, trusted.credential.claims.devicePublicKey, ed)) {
    return { ...result, verdict: 'bad_signature' };
  }
  const codeExpiresAt = code.timestamp + (options.codeTtlMs ?? CODE_TTL_MS);
  result.codeTimestamp = code.timestamp;
  result.codeExpiresAt = codeExpiresAt;
  if (computeCodeDigest || options.computeCodeDigest) result.codeDigest = base64urlEncode(hash(code.bytes));

  if (trusted.format === 2) {
    // The device signed this disclosure, so a mismatch is the holder's own device presenting a lie.
    const opened = provenClaims(trusted, code as ParsedCodeV2, hash, options.cache !== undefined);
    if (opened === 'tampered') return { ...result, verdict: 'tampered' };
    proven = opened.claims;
    names = opened.names;
  } else {
    proven = trusted.credential.claims.holder;
    names = V1_CODE_CLAIMS;
  }
  result.disclosed = names.slice();

  if (now + tolerance < claims.issuedAt || now + tolerance < code.timestamp) result.verdict = 'not_yet_valid';
  else if (now >= claims.expiresAt || now >= codeExpiresAt) result.verdict = 'expired';
  else result.claims = claimsOf(proven, names, claims.issuedAt, claims.expiresAt);
  return result;
}

/** The verdict a status list gives for one card; never `revoked` from a list that is too old. */
export function statusVerdict(
  list: StatusList | undefined,
  statusIndex: number,
  now: number,
  maxStatusAgeMs: number,
  toleranceMs = CLOCK_TOLERANCE_MS,
): Verdict {
  if (!list) return 'status_unknown';
  if (now - list.issuedAt > maxStatusAgeMs || list.issuedAt > now + toleranceMs) return 'status_unknown';
  switch (statusAt(list, statusIndex)) {
    case CardStatusValue.valid:
      return 'valid';
    case CardStatusValue.revoked:
      return 'revoked';
    case CardStatusValue.suspended:
      return 'suspended';
    default:
      return 'status_unknown';
  }
}

/** The same result with another verdict and, since it is no longer valid, without the claims. */
export function withVerdict(result: VerifyResult, verdict: Verdict): VerifyResult {
  const { claims: _claims, ...rest } = result;
  return verdict === 'valid' ? { ...result } : { ...rest, verdict };
}

/**
 * The offline verifier: a code, a trust list, cached status lists and a clock in; a verdict out.
 *
 * @example verifyCode(text, { trustList, statusLists, clock, maxStatusAgeMs: 3_600_000, cache })
 */
export function verifyCode(text: unknown, options: VerifyOptions): VerifyResult {
  const result = inspectCode(text, options, options.replayGuard !== undefined);
  if (result.verdict !== 'valid') return result;
  const verdict = statusVerdict(
    options.statusLists.get(result.kid!),
    result.statusIndex!,
    result.checkedAt,
    options.maxStatusAgeMs,
    options.clockToleranceMs,
  );
  if (verdict !== 'valid') return withVerdict(result, verdict);
  if (options.replayGuard && !options.replayGuard.firstSight(result.codeDigest!, result.codeExpiresAt!)) {
    return withVerdict(result, 'replayed');
  }
  return result;
}
