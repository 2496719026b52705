import { CborShapeError, base64urlEncode } from '../encoding';
import { sha256 as portableSha256, tweetnaclEd25519, type Ed25519, type Sha256 } from '../crypto';
import {
  CODE_TTL_MS,
  decodeCredential,
  parseCode,
  verifyCodeSignature,
  verifyCredentialSignature,
  type Credential,
  type HolderClaims,
  type ParsedCode,
} from '../card';
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

/** What the verifier caches per credential so the issuer signature is checked once. */
export interface CachedCredential {
  credential: Credential;
  /** The key that verified it; a trust-list change that alters the key invalidates the entry. */
  issuerPublicKey: Uint8Array;
}

export interface CredentialCache {
  get(digest: string): CachedCredential | undefined;
  set(digest: string, value: CachedCredential): void;
}

/**
 * A bounded in-memory cache of verified credentials keyed by credential digest. Oldest entries go
 * first; a device shows the same credential for weeks, so recency hardly matters.
 */
export function createCredentialCache(maxEntries = 10_000): CredentialCache {
  const map = new Map<string, CachedCredential>();
  return {
    get: (digest) => map.get(digest),
    set(digest, value) {
      if (map.size >= maxEntries) map.delete(map.keys().next().value!);
      map.set(digest, value);
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

/** The face data a valid code proves, plus the credential's own validity. */
export interface VerifiedClaims extends HolderClaims {
  issuedAt: number;
  expiresAt: number;
}

export interface VerifyResult {
  verdict: Verdict;
  /** Epoch ms of the verifier's clock at the check. */
  checkedAt: number;
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
  /** Only when the verdict is `valid`. */
  claims?: VerifiedClaims;
}

function digestKey(digest: Uint8Array): string {
  // A Map key, not a display value: one char per byte is the cheapest string to build.
  return String.fromCharCode.apply(null, digest as unknown as number[]);
}

function sameKey(a: Uint8Array, b: Uint8Array): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function issuerFor(trustList: TrustList, credential: Credential): TrustedIssuer | undefined {
  const issuer = trustList.issuers.get(credential.kid);
  if (!issuer || issuer.province !== credential.claims.province) return undefined;
  const iat = credential.claims.issuedAt;
  if (issuer.notBefore !== undefined && iat < issuer.notBefore) return undefined;
  if (issuer.notAfter !== undefined && iat > issuer.notAfter) return undefined;
  return issuer;
}

/**
 * Everything but revocation: format, issuer, both signatures, and the credential's and code's
 * validity in time. The online verifier follows it with the card's live status; `verifyCode`
 * follows it with a cached status list.
 */
export function inspectCode(text: unknown, options: InspectOptions, computeCodeDigest = false): VerifyResult {
  const now = options.clock.now();
  const ed = options.ed25519 ?? tweetnaclEd25519;
  const hash = options.sha256 ?? portableSha256;
  const tolerance = options.clockToleranceMs ?? CLOCK_TOLERANCE_MS;
  let code: ParsedCode;
  try {
    code = parseCode(text as string);
  } catch {
    return { verdict: 'malformed', checkedAt: now };
  }

  const key = digestKey(hash(code.credential));
  let credential: Credential;
  const cached = options.cache?.get(key);
  let issuer: TrustedIssuer | undefined;
  if (cached) {
    credential = cached.credential;
    issuer = issuerFor(options.trustList, credential);
    if (!issuer) return { verdict: 'unknown_issuer', checkedAt: now };
    if (!sameKey(issuer.publicKey, cached.issuerPublicKey)) {
      if (!verifyCredentialSignature(credential, issuer.publicKey, ed))
        return { verdict: 'bad_signature', checkedAt: now };
      options.cache?.set(key, { credential, issuerPublicKey: issuer.publicKey });
    }
  } else {
    try {
      credential = decodeCredential(code.credential);
    } catch (err) {
      if (err instanceof CborShapeError) return { verdict: 'malformed', checkedAt: now };
      throw err;
    }
    issuer = issuerFor(options.trustList, credential);
    if (!issuer) return { verdict: 'unknown_issuer', checkedAt: now };
    if (!verifyCredentialSignature(credential, issuer.publicKey, ed))
      return { verdict: 'bad_signature', checkedAt: now };
    options.cache?.set(key, { credential, issuerPublicKey: issuer.publicKey });
  }

  const { claims } = credential;
  const result: VerifyResult = {
    verdict: 'valid',
    checkedAt: now,
    kid: credential.kid,
    province: claims.province,
    cardId: base64urlEncode(claims.cardId),
    statusIndex: claims.statusIndex,
  };
  if (!verifyCodeSignature(code, claims.devicePublicKey, ed)) return { ...result, verdict: 'bad_signature' };
  const codeExpiresAt = code.timestamp + (options.codeTtlMs ?? CODE_TTL_MS);
  result.codeTimestamp = code.timestamp;
  result.codeExpiresAt = codeExpiresAt;
  if (computeCodeDigest || options.computeCodeDigest) result.codeDigest = base64urlEncode(hash(code.bytes));

  if (now + tolerance < claims.issuedAt || now + tolerance < code.timestamp) result.verdict = 'not_yet_valid';
  else if (now >= claims.expiresAt || now >= codeExpiresAt) result.verdict = 'expired';
  else result.claims = { ...claims.holder, issuedAt: claims.issuedAt, expiresAt: claims.expiresAt };
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
