import { CborShapeError, base64urlEncode, bytesEqual } from '../encoding';
import { sha256 as portableSha256, tweetnaclEd25519, type Ed25519, type Sha256 } from '../crypto';
import { CODE_TTL_MS } from '../card/code';
import { CHINA_OFFSET_MS, beijingDate } from '../time';
import type { StatusList } from '../status/status-list';
import type { TrustList } from '../trust/trust-list';
import {
  CLOCK_TOLERANCE_MS,
  statusVerdict,
  type Clock,
  type ReplayGuard,
  type Verdict,
} from '../verifier/verifier';
import {
  decodeDocumentCredential,
  openDocumentDisclosure,
  verifyDocumentSignature,
  type DocValue,
  type DocumentCredential,
} from './document';
import { licenceIssuerFor, type LicenceIssuerList } from './issuer-list';
import {
  DOCUMENT_DIGEST_LENGTH,
  bffSignerFor,
  decodeBinding,
  verifyBindingSignature,
  type DocumentBinding,
} from './binding';
import {
  DOCUMENT_CODE_PREFIX,
  documentCodeDisclosureBytes,
  documentPurposeOf,
  parseDocumentCode,
  verifyDocumentCodeSignature,
  type ParsedDocumentCode,
} from './doc-code';
import {
  ANNOTATED_PREFIX,
  decodeAnnotation,
  parseAnnotatedPayload,
  verifyAnnotationSignature,
  type Annotation,
  type AnnotationClaims,
} from './annotated';
import type { SdDisclosure } from '../card/sd';

/**
 * Offline verification of document codes (`EIDD1:`) and annotated-copy payloads (`EIDA1:`), with the bright
 * card's verdict vocabulary (docs/formats/licence-codes.md, "Verifying"). Web APIs only: the mini-program, the
 * public verify page and the BFF run the same steps.
 */

/** A status list older than this gives `status_unknown` unless the caller says otherwise. */
export const DOCUMENT_MAX_STATUS_AGE_MS = 3_600_000;

/** What the verifier caches per signed part, so a document shown every minute costs one signature check. */
export type LicenceCacheEntry =
  | { kind: 'document'; document: DocumentCredential; publicKey: Uint8Array }
  | { kind: 'binding'; binding: DocumentBinding; publicKey: Uint8Array }
  | { kind: 'annotation'; annotation: Annotation; publicKey: Uint8Array }
  /**
   * A disclosure already opened against a document's root, kept with its bytes (a code's values, salts and
   * proof): the same bytes in every code a wallet makes of one document for one purpose.
   */
  | {
      kind: 'disclosure';
      bytes: Uint8Array;
      disclosed: readonly string[];
      fields: Readonly<Record<string, DocValue | null>>;
    };

export interface LicenceCache {
  get(key: string): LicenceCacheEntry | undefined;
  set(key: string, entry: LicenceCacheEntry): void;
}

/** A bounded in-memory cache of verified documents, bindings and annotations keyed by their digest. */
export function createLicenceCache(maxEntries = 10_000): LicenceCache {
  const map = new Map<string, LicenceCacheEntry>();
  return {
    get: (key) => map.get(key),
    set(key, entry) {
      if (map.size >= maxEntries) map.delete(map.keys().next().value!);
      map.set(key, entry);
    },
  };
}

export interface LicenceVerifyOptions {
  /** The licence-issuer list (openLicenceIssuerList): whose document signatures count. */
  licenceIssuers: LicenceIssuerList;
  /** The trust list: the BFF keys that sign bindings and annotations. */
  trustList: TrustList;
  /** Verified status lists of the issuing bodies (openLicenceStatusList), by the body's key id. */
  statusLists: ReadonlyMap<string, StatusList>;
  clock: Clock;
  /** A status list older than this gives `status_unknown`, never `revoked`. */
  maxStatusAgeMs?: number;
  /** Defaults to tweetnacl; the BFF passes its node:crypto implementation. */
  ed25519?: Ed25519;
  sha256?: Sha256;
  cache?: LicenceCache;
  codeTtlMs?: number;
  clockToleranceMs?: number;
  /** Document codes only: an offline verifier's memory of accepted codes (`replayed`). */
  replayGuard?: ReplayGuard;
}

export interface DocumentVerifyResult {
  verdict: Verdict;
  /** Epoch ms of the verifier's clock. */
  checkedAt: number;
  /** Which text it was, by prefix; absent when it names neither. */
  format?: 'code' | 'annotated';
  /** The issuing body's key id; set once the document signature has verified, as are the next five. */
  kid?: string;
  issuer?: { uscc: string; name: string };
  /** Registry name of the document type. */
  docType?: string;
  identifier?: string;
  validFrom?: string;
  /** Absent for a long-term document. */
  validUntil?: string;
  statusIndex?: number;
  /** Code: the card purpose or the service (by code) it was made for; set once the device signature holds. */
  purpose?: string;
  service?: string;
  codeTimestamp?: number;
  codeExpiresAt?: number;
  /** Code with a replay guard: base64url SHA-256 of the code's bytes. */
  codeDigest?: string;
  /** Annotated copy: the verified annotation (set once its signature holds and it names this document). */
  annotation?: AnnotationClaims & { kid: string };
  /** Field keys disclosed, slot order; set once they are shown to be the issuer's (not `tampered`). */
  disclosed?: string[];
  /**
   * The disclosed values (`null`: a disclosed optional field that is absent, e.g. a long-term `validUntil`), set
   * with `disclosed`, whatever the verdict that follows: they are in the text in the clear anyway, and a paper
   * copy of an expired or revoked document must still be compared with its print. Only disclosed fields.
   */
  fields?: Record<string, DocValue | null>;
  /** Age of the status list consulted (ms), when there was one. */
  statusAgeMs?: number;
}

function digestKey(kind: string, digest: Uint8Array): string {
  // A Map key, not a display value: one char per byte is the cheapest string to build.
  return kind + String.fromCharCode.apply(null, digest as unknown as number[]);
}

const DAY_MS = 86_400_000;
let memoDay = NaN;
let memoDate = '';

/** beijingDate, remembered for the last day asked: every verification asks it twice for the same day. */
function beijingDay(ms: number): string {
  const day = Math.floor((ms + CHINA_OFFSET_MS) / DAY_MS);
  if (day !== memoDay) {
    memoDate = beijingDate(ms);
    memoDay = day;
  }
  return memoDate;
}

interface Context {
  options: LicenceVerifyOptions;
  ed: Ed25519;
  hash: Sha256;
  now: number;
  tolerance: number;
}

type Refusal = 'malformed' | 'unknown_issuer' | 'bad_signature';

function contextOf(options: LicenceVerifyOptions): Context {
  return {
    options,
    ed: options.ed25519 ?? tweetnaclEd25519,
    hash: options.sha256 ?? portableSha256,
    now: options.clock.now(),
    tolerance: options.clockToleranceMs ?? CLOCK_TOLERANCE_MS,
  };
}

/** The document, decoded and signed by a listed issuing body: from the cache or checked and cached. */
function trustedDocument(
  bytes: Uint8Array,
  docKey: string,
  ctx: Context,
): { document: DocumentCredential; issuer: { uscc: string; name: string } } | Refusal {
  const key = 'd' + docKey;
  const cached = ctx.options.cache?.get(key);
  let document: DocumentCredential;
  if (cached) {
    if (cached.kind !== 'document') return 'malformed';
    document = cached.document;
  } else {
    try {
      document = decodeDocumentCredential(bytes);
    } catch (err) {
      if (err instanceof CborShapeError) return 'malformed';
      throw err;
    }
  }
  const { claims } = document;
  const issuer = licenceIssuerFor(
    ctx.options.licenceIssuers,
    document.kid,
    claims.issuer,
    claims.issuedAt,
    ctx.now,
  );
  if (!issuer) return 'unknown_issuer';
  if (!cached || !bytesEqual(cached.publicKey, issuer.publicKey)) {
    if (!verifyDocumentSignature(document, issuer.publicKey, ctx.ed)) return 'bad_signature';
    ctx.options.cache?.set(key, { kind: 'document', document, publicKey: issuer.publicKey });
  }
  return { document, issuer: { uscc: issuer.uscc, name: issuer.name } };
}

/**
 * A BFF-signed part (binding or annotation), decoded and signed under a trust-list key of its province. The
 * cache entry under `key` counts only when it holds these very bytes: a binding is kept under its document's
 * digest (one hash fewer per code), so a renewed binding of the same document replaces the one before.
 */
function trustedBffPart<K extends 'binding' | 'annotation'>(
  kind: K,
  bytes: Uint8Array,
  key: string,
  ctx: Context,
): (K extends 'binding' ? DocumentBinding : Annotation) | Refusal {
  type Part = K extends 'binding' ? DocumentBinding : Annotation;
  const cached = ctx.options.cache?.get(key);
  if (cached && cached.kind !== kind) return 'malformed';
  let part: DocumentBinding | Annotation | undefined =
    cached?.kind === 'binding'
      ? cached.binding
      : cached?.kind === 'annotation'
        ? cached.annotation
        : undefined;
  // The key whose signature check the cache remembers, when it remembers these very bytes.
  let checkedUnder: Uint8Array | undefined;
  if (part && bytesEqual(part.bytes, bytes)) checkedUnder = (cached as { publicKey: Uint8Array }).publicKey;
  else part = undefined;
  if (!part) {
    try {
      part = kind === 'binding' ? decodeBinding(bytes) : decodeAnnotation(bytes);
    } catch (err) {
      if (err instanceof CborShapeError) return 'malformed';
      throw err;
    }
  }
  const signedAt =
    kind === 'binding' ? (part as DocumentBinding).claims.issuedAt : (part as Annotation).claims.annotatedAt;
  const signer = bffSignerFor(ctx.options.trustList, part.kid, part.claims.province, signedAt);
  if (!signer) return 'unknown_issuer';
  if (!checkedUnder || !bytesEqual(checkedUnder, signer.publicKey)) {
    const ok =
      kind === 'binding'
        ? verifyBindingSignature(part as DocumentBinding, signer.publicKey, ctx.ed)
        : verifyAnnotationSignature(part as Annotation, signer.publicKey, ctx.ed);
    if (!ok) return 'bad_signature';
    const entry =
      kind === 'binding'
        ? { kind: 'binding' as const, binding: part as DocumentBinding, publicKey: signer.publicKey }
        : { kind: 'annotation' as const, annotation: part as Annotation, publicKey: signer.publicKey };
    ctx.options.cache?.set(key, entry);
  }
  return part as Part;
}

function describe(
  result: DocumentVerifyResult,
  document: DocumentCredential,
  issuer: { uscc: string; name: string },
) {
  const { claims } = document;
  result.kid = document.kid;
  result.issuer = issuer;
  result.docType = claims.docType;
  result.identifier = claims.identifier;
  result.validFrom = claims.validFrom;
  if (claims.validUntil !== undefined) result.validUntil = claims.validUntil;
  result.statusIndex = claims.statusIndex;
}

/**
 * Opens the disclosure (`tampered` on any mismatch, or when `slots` are given and differ from it). With
 * `remember` (a cache key naming the document and purpose, and the disclosure's own bytes) a disclosure opened
 * before with the same bytes is not hashed again; other bytes under that key are opened and replace them.
 */
function disclose(
  result: DocumentVerifyResult,
  document: DocumentCredential,
  disclosure: SdDisclosure,
  ctx: Context,
  slots?: readonly number[],
  remember?: { key: string; bytes: Uint8Array },
): boolean {
  const cached = remember && ctx.options.cache?.get(remember.key);
  if (cached?.kind === 'disclosure' && bytesEqual(cached.bytes, remember!.bytes)) {
    result.disclosed = [...cached.disclosed];
    result.fields = { ...cached.fields };
    return true;
  }
  if (slots) {
    const shown = [...disclosure.values.keys()].sort((a, b) => a - b);
    if (shown.length !== slots.length || shown.some((s, i) => s !== slots[i])) return false;
  }
  const opened = openDocumentDisclosure(document.type, disclosure, document.claims.sdRoot, ctx.hash);
  if (opened === 'tampered') return false;
  result.disclosed = document.type.fields.map((f) => f.key).filter((k) => k in opened);
  result.fields = opened;
  if (remember) {
    ctx.options.cache?.set(remember.key, {
      kind: 'disclosure',
      bytes: remember.bytes.slice(),
      disclosed: [...result.disclosed],
      fields: { ...opened },
    });
  }
  return true;
}

/** Validity in Beijing calendar days: from `validFrom` through `validUntil` inclusive. */
function documentTime(document: DocumentCredential, ctx: Context): 'valid' | 'not_yet_valid' | 'expired' {
  const { validFrom, validUntil } = document.claims;
  if (validFrom > beijingDay(ctx.now + ctx.tolerance)) return 'not_yet_valid';
  if (validUntil !== undefined && validUntil < beijingDay(ctx.now)) return 'expired';
  return 'valid';
}

function status(result: DocumentVerifyResult, document: DocumentCredential, ctx: Context): Verdict {
  const list = ctx.options.statusLists.get(document.kid);
  if (list) result.statusAgeMs = ctx.now - list.issuedAt;
  return statusVerdict(
    list,
    document.claims.statusIndex,
    ctx.now,
    ctx.options.maxStatusAgeMs ?? DOCUMENT_MAX_STATUS_AGE_MS,
    ctx.tolerance,
  );
}

/**
 * Verifies a document code offline. Order: parse (`malformed`) -> document issuer in the licence-issuer list
 * (`unknown_issuer`) -> document signature (`bad_signature`) -> binding signer in the trust list
 * (`unknown_issuer`) -> binding signature, binding names this document, device signature (`bad_signature`) ->
 * disclosure against the signed root (`tampered`) -> time: document validity, binding expiry, code age 60 s
 * (`not_yet_valid`, `expired`) -> the issuing body's status list (`revoked`, `suspended`, `status_unknown`) ->
 * replay guard (`replayed`).
 *
 * @example verifyDocumentCode(text, { licenceIssuers, trustList, statusLists, clock, cache })
 */
export function verifyDocumentCode(text: unknown, options: LicenceVerifyOptions): DocumentVerifyResult {
  const ctx = contextOf(options);
  const result: DocumentVerifyResult = { verdict: 'valid', checkedAt: ctx.now, format: 'code' };
  const refuse = (verdict: Verdict): DocumentVerifyResult => ({ ...result, verdict });
  let code: ParsedDocumentCode;
  try {
    code = parseDocumentCode(text as string);
  } catch {
    return typeof text === 'string' && text.startsWith(DOCUMENT_CODE_PREFIX)
      ? refuse('malformed')
      : { verdict: 'malformed', checkedAt: ctx.now };
  }
  const docHash = ctx.hash(code.document);
  const docKey = digestKey('', docHash);
  const trusted = trustedDocument(code.document, docKey, ctx);
  if (typeof trusted === 'string') return refuse(trusted);
  const { document } = trusted;
  describe(result, document, trusted.issuer);

  const binding = trustedBffPart('binding', code.binding, 'b' + docKey, ctx);
  if (typeof binding === 'string') return refuse(binding);
  // A genuine binding of another document proves nothing about this one.
  if (!bytesEqual(binding.claims.documentDigest, docHash.subarray(0, DOCUMENT_DIGEST_LENGTH)))
    return refuse('bad_signature');
  if (!verifyDocumentCodeSignature(code, binding.claims.devicePublicKey, ctx.ed))
    return refuse('bad_signature');
  const purpose = documentPurposeOf(code.purposeId);
  if (purpose?.kind === 'purpose') result.purpose = purpose.code;
  if (purpose?.kind === 'service') result.service = purpose.code;
  const codeExpiresAt = code.timestamp + (options.codeTtlMs ?? CODE_TTL_MS);
  result.codeTimestamp = code.timestamp;
  result.codeExpiresAt = codeExpiresAt;
  if (options.replayGuard) result.codeDigest = base64urlEncode(ctx.hash(code.bytes));

  // The device signed this disclosure, so a mismatch is the holder's own device presenting a lie.
  const remember = ctx.options.cache
    ? { key: `o${code.purposeId}:${docKey}`, bytes: documentCodeDisclosureBytes(code) }
    : undefined;
  if (!disclose(result, document, code.disclosure, ctx, undefined, remember)) return refuse('tampered');

  const time = documentTime(document, ctx);
  if (
    time === 'not_yet_valid' ||
    binding.claims.issuedAt > ctx.now + ctx.tolerance ||
    code.timestamp > ctx.now + ctx.tolerance
  )
    return refuse('not_yet_valid');
  if (time === 'expired' || ctx.now >= binding.claims.expiresAt || ctx.now >= codeExpiresAt)
    return refuse('expired');
  const verdict = status(result, document, ctx);
  if (verdict !== 'valid') return refuse(verdict);
  if (options.replayGuard && !options.replayGuard.firstSight(result.codeDigest!, codeExpiresAt)) {
    return refuse('replayed');
  }
  return result;
}

/**
 * Verifies an annotated copy's payload offline, years later if need be. Order: parse (`malformed`) -> document
 * issuer and signature (`unknown_issuer`, `bad_signature`) -> annotation signer in the trust list
 * (`unknown_issuer`) -> annotation signature and that it names this document (`bad_signature`) -> disclosure
 * against the signed root and exactly the annotation's printed slots (`tampered`) -> document validity today and
 * an annotation not from the future (`not_yet_valid`, `expired`) -> status list. The window's access limit
 * (`annotation.accessUntil`) is returned, not judged: the filed copy outlives it.
 *
 * @example verifyAnnotatedPayload(qrText, { licenceIssuers, trustList, statusLists, clock })
 */
export function verifyAnnotatedPayload(text: unknown, options: LicenceVerifyOptions): DocumentVerifyResult {
  const ctx = contextOf(options);
  const result: DocumentVerifyResult = { verdict: 'valid', checkedAt: ctx.now, format: 'annotated' };
  const refuse = (verdict: Verdict): DocumentVerifyResult => ({ ...result, verdict });
  let parts: ReturnType<typeof parseAnnotatedPayload>;
  try {
    parts = parseAnnotatedPayload(text as string);
  } catch {
    return typeof text === 'string' && text.startsWith(ANNOTATED_PREFIX)
      ? refuse('malformed')
      : { verdict: 'malformed', checkedAt: ctx.now };
  }
  const docHash = ctx.hash(parts.document);
  const trusted = trustedDocument(parts.document, digestKey('', docHash), ctx);
  if (typeof trusted === 'string') return refuse(trusted);
  const { document } = trusted;
  describe(result, document, trusted.issuer);

  const annotation = trustedBffPart(
    'annotation',
    parts.annotation,
    digestKey('a', ctx.hash(parts.annotation)),
    ctx,
  );
  if (typeof annotation === 'string') return refuse(annotation);
  if (!bytesEqual(annotation.claims.documentDigest, docHash.subarray(0, DOCUMENT_DIGEST_LENGTH)))
    return refuse('bad_signature');
  result.annotation = { ...annotation.claims, kid: annotation.kid };

  if (!disclose(result, document, parts.disclosure, ctx, annotation.claims.slots)) return refuse('tampered');

  const time = documentTime(document, ctx);
  if (time === 'not_yet_valid' || annotation.claims.annotatedAt > ctx.now + ctx.tolerance)
    return refuse('not_yet_valid');
  if (time === 'expired') return refuse('expired');
  const verdict = status(result, document, ctx);
  return verdict === 'valid' ? result : refuse(verdict);
}

/**
 * Verifies either text by its prefix (`EIDD1:` a document code, `EIDA1:` an annotated copy); anything else is
 * `malformed`.
 */
export function verifyLicenceText(text: unknown, options: LicenceVerifyOptions): DocumentVerifyResult {
  if (typeof text === 'string' && text.startsWith(ANNOTATED_PREFIX))
    return verifyAnnotatedPayload(text, options);
  return verifyDocumentCode(text, options);
}
