import { CborMap, CborShapeError, cborDecode, cborEncode, utf8Encode, type CborValue } from '../encoding';
import { sha256 as portableSha256, type Ed25519, type Sha256 } from '../crypto';
import { sign1Create, sign1Decode, sign1ToBeSigned, type Sign1 } from '../card/cose';
import {
  SD_NODE_LENGTH,
  sdBuild,
  sdCheck,
  type SdDisclosure,
  type SdLayout,
  type SdTree,
  type SdValue,
} from '../card/sd';
import {
  DEFAULT_BYTES_MAX,
  DEFAULT_TEXT_MAX_BYTES,
  documentSlots,
  documentType,
  type DocFieldSpec,
  type DocumentType,
} from './registry';
import { isValidUscc } from './uscc';
import { parseLicenceIdentifier, type LicenceIdentifierParts } from './identifier';

/**
 * The document credential (docs/formats/licence-document.md): a COSE_Sign1 by the issuing body over the
 * document's identity (issuer, licence identifier, type, validity, status index) and the 16-byte root of a
 * salted hash tree (shared/src/card/sd.ts) whose slots are the type's fields. The field values and the seed
 * travel beside it, as `DocumentSecrets`, to the holder and to parties the holder authorises.
 */

/** External AAD of document signatures: a credential, list or code signature can never pass as one. */
export const DOCUMENT_AAD = utf8Encode('EID licence document v1');
/** Longest key id a document credential may name. */
export const MAX_DOCUMENT_KID_BYTES = 16;

/** Payload keys: CWT's registered ones (RFC 8392) for iss/sub/iat, private negative keys for the rest. */
export const DOCUMENT_CLAIM = {
  iss: 1,
  sub: 2,
  iat: 6,
  statusIndex: -2,
  sdRoot: -8,
  docType: -20,
  validFrom: -21,
  validUntil: -22,
  version: -23,
} as const;

/** A field's value on the JS side: text, `YYYY-MM-DD` for dates, number, boolean or bytes, by its kind. */
export type DocValue = string | number | boolean | Uint8Array;

/**
 * The slot value of an optional field that is absent (a long-term `validUntil`, no former name): the empty
 * CBOR array, which no field kind produces. It is salted like any value, so a code that does not disclose the
 * slot does not show whether it is empty; `null` is reserved for the slots beyond the type's fields.
 */
export const ABSENT_FIELD_VALUE: CborValue = [];

/** What travels beside the credential: the tree's seed and the field values (absent optional fields omitted). */
export interface DocumentSecrets {
  /** 16 random bytes from the issuer: the root of the salt tree. */
  seed: Uint8Array;
  values: Readonly<Record<string, DocValue>>;
}

export interface DocumentClaims {
  /** The issuing body's unified social credit code (18 characters). */
  issuer: string;
  /** The licence identifier (`1.2.156.3005.2.…`); its issuer code is `issuer`, its type code the type's. */
  identifier: string;
  /** Epoch ms; encoded in whole seconds. */
  issuedAt: number;
  /** Registry name of the document type. */
  docType: string;
  /** YYYY-MM-DD */
  validFrom: string;
  /** YYYY-MM-DD, or absent for long-term (长期), encoded 0. */
  validUntil?: string;
  /** Position in the issuing body's status list (shared/src/status; the list's kid is the body's key id). */
  statusIndex: number;
  /** The identifier's version as a number (`002` -> 2). */
  version: number;
  /** Root of the field tree. */
  sdRoot: Uint8Array;
}

/** A decoded document credential; not yet verified. */
export interface DocumentCredential {
  kid: string;
  claims: DocumentClaims;
  type: DocumentType;
  /** The identifier's parts (type code, issuer code, serial, version). */
  identifier: LicenceIdentifierParts;
  bytes: Uint8Array;
  sign1: Sign1;
}

const DATE = /^([0-9]{4})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$/;
const patterns = new Map<string, RegExp>();

function fail(what: string): never {
  throw new CborShapeError(`licence document ${what} is invalid`);
}

const patternOf = (source: string): RegExp => {
  let re = patterns.get(source);
  if (!re) patterns.set(source, (re = new RegExp(`^(?:${source})$`)));
  return re;
};

/** True for a real calendar date `YYYY-MM-DD`. */
export function isDocumentDate(v: unknown): v is string {
  const m = typeof v === 'string' ? DATE.exec(v) : null;
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCDate() === Number(m[3]) && Number(m[1]) >= 1000;
}

/** `YYYY-MM-DD` as the uint YYYYMMDD, and back (undefined when not a real date). */
export const dateToUint = (date: string): number => Number(date.replace(/-/g, ''));
export function uintToDate(v: unknown): string | undefined {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 10_000_101 || v > 99_991_231) return undefined;
  const s = String(v);
  const date = `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6)}`;
  return isDocumentDate(date) ? date : undefined;
}

function isTextValue(f: DocFieldSpec, v: unknown): v is string {
  if (typeof v !== 'string' || v.trim() !== v) return false;
  const n = utf8Encode(v).length;
  // eslint-disable-next-line no-control-regex
  if (n === 0 || n > (f.maxBytes ?? DEFAULT_TEXT_MAX_BYTES) || /[\u0000-\u001f\u007f]/.test(v)) return false;
  return f.pattern === undefined || patternOf(f.pattern).test(v);
}

/** The CBOR of a field value, or undefined when the value is outside the field's kind and bounds. */
export function encodeDocumentValue(f: DocFieldSpec, v: unknown): CborValue | undefined {
  switch (f.kind) {
    case 'text':
      return isTextValue(f, v) ? v : undefined;
    case 'date':
      return isDocumentDate(v) ? dateToUint(v) : undefined;
    case 'uint':
      return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : undefined;
    case 'bool':
      return typeof v === 'boolean' ? v : undefined;
    case 'bytes':
      return v instanceof Uint8Array &&
        v.length >= (f.minBytes ?? 1) &&
        v.length <= (f.maxBytes ?? DEFAULT_BYTES_MAX)
        ? v
        : undefined;
  }
}

/** The JS value of a field's CBOR, or undefined when it is not in the field's domain (a verifier says `tampered`). */
export function decodeDocumentValue(f: DocFieldSpec, v: unknown): DocValue | undefined {
  if (f.kind === 'date') return uintToDate(v);
  return encodeDocumentValue(f, v) === undefined ? undefined : (v as DocValue);
}

const isAbsentMarker = (v: unknown): boolean => Array.isArray(v) && v.length === 0;

const layouts = new WeakMap<DocumentType, SdLayout>();

/** The salted tree's layout of a type: its depth, and the slots past its fields as the empty ones. */
export function documentSdLayout(type: DocumentType): SdLayout {
  let layout = layouts.get(type);
  if (!layout) {
    const empty = Array.from(
      { length: (1 << type.depth) - type.fields.length },
      (_, i) => type.fields.length + i,
    );
    layouts.set(type, (layout = Object.freeze({ depth: type.depth, empty: Object.freeze(empty) })));
  }
  return layout;
}

/** One CBOR value per field slot; throws CborShapeError on a missing required field, a bad value or an unknown key. */
function slotValues(type: DocumentType, values: Readonly<Record<string, DocValue>>): CborValue[] {
  const known = new Set(type.fields.map((f) => f.key));
  for (const key of Object.keys(values)) {
    if (!known.has(key) && values[key] !== undefined) fail(`field ${key} (not a field of ${type.name})`);
  }
  return type.fields.map((f) => {
    const v = values[f.key];
    if (v === undefined) {
      if (!f.optional) fail(`field ${f.key} (missing)`);
      return ABSENT_FIELD_VALUE;
    }
    const encoded = encodeDocumentValue(f, v);
    if (encoded === undefined) fail(`field ${f.key}`);
    return encoded;
  });
}

const SECRETS_SEED = 1;
const SECRETS_VALUES = 2;

function checkSeed(seed: unknown): void {
  if (!(seed instanceof Uint8Array) || seed.length !== SD_NODE_LENGTH) fail('seed');
}

/**
 * CBOR `{1: seed, 2: {slot: value}}` of a document's secrets (absent optional fields are not in the map).
 * Throws CborShapeError on a value outside its field's kind, a missing required field or an unknown key.
 */
export function encodeDocumentSecrets(type: DocumentType, s: DocumentSecrets): Uint8Array {
  checkSeed(s.seed);
  const slots = slotValues(type, s.values);
  const map = new Map<number, CborValue>();
  slots.forEach((v, i) => {
    if (!isAbsentMarker(v)) map.set(i, v);
  });
  return cborEncode(
    new Map<number, CborValue>([
      [SECRETS_SEED, s.seed],
      [SECRETS_VALUES, map],
    ]),
  );
}

/**
 * Decodes a document's secrets against its type: throws CborShapeError unless the seed is 16 bytes, every
 * required field is there, every value is in its field's kind and bounds, and nothing else is.
 */
export function decodeDocumentSecrets(type: DocumentType, bytes: Uint8Array): DocumentSecrets {
  const decoded = cborDecode(bytes);
  const m = CborMap.from(decoded, 'document secrets').only([SECRETS_SEED, SECRETS_VALUES]);
  const seed = m.bytes(SECRETS_SEED, SD_NODE_LENGTH);
  m.child(SECRETS_VALUES).only(type.fields.map((_, i) => i));
  const slots = (decoded as Map<number, Map<number, CborValue>>).get(SECRETS_VALUES)!;
  const values: Record<string, DocValue> = {};
  type.fields.forEach((f, i) => {
    if (!slots.has(i)) {
      if (!f.optional) fail(`field ${f.key} (missing)`);
      return;
    }
    const v = decodeDocumentValue(f, slots.get(i));
    if (v === undefined) fail(`field ${f.key}`);
    values[f.key] = v;
  });
  return { seed, values };
}

/** The salted tree of a document: slot i = field i (absent optional fields as ABSENT_FIELD_VALUE), then nulls. */
export function documentSdTree(type: DocumentType, secrets: DocumentSecrets): SdTree {
  checkSeed(secrets.seed);
  const values: SdValue[] = slotValues(type, secrets.values);
  while (values.length < 1 << type.depth) values.push(null);
  return { depth: type.depth, seed: secrets.seed, values };
}

/**
 * The disclosure of `keys` of a document (what a code or an annotated copy carries beside the credential).
 *
 * @example discloseDocumentFields(type, secrets, type.visibility.vehicle_transfer!)
 */
export function discloseDocumentFields(
  type: DocumentType,
  secrets: DocumentSecrets,
  keys: readonly string[],
  sha256: Sha256 = portableSha256,
): SdDisclosure {
  return sdBuild(documentSdTree(type, secrets), sha256).disclose(documentSlots(type, keys));
}

/**
 * Checks a disclosure against a credential's root and decodes it: field key -> value (`null` for a disclosed
 * optional field that is absent, e.g. a long-term `validUntil`), or `tampered` when a slot is not a field, a
 * value is outside its field's domain, or the salts and proof do not lead to `sdRoot`.
 */
export function openDocumentDisclosure(
  type: DocumentType,
  disclosure: SdDisclosure,
  sdRoot: Uint8Array,
  sha256: Sha256 = portableSha256,
): Record<string, DocValue | null> | 'tampered' {
  const out: Record<string, DocValue | null> = {};
  for (const [slot, raw] of disclosure.values) {
    const f = type.fields[slot];
    if (!f || raw === null) return 'tampered';
    if (isAbsentMarker(raw)) {
      if (!f.optional) return 'tampered';
      out[f.key] = null;
      continue;
    }
    const v = decodeDocumentValue(f, raw);
    if (v === undefined) return 'tampered';
    out[f.key] = v;
  }
  return sdCheck(documentSdLayout(type), disclosure, sdRoot, sha256) ? out : 'tampered';
}

/** The type a credential names, with its identifier checked against it; throws CborShapeError. */
function checkClaims(c: Omit<DocumentClaims, 'sdRoot'> & { sdRoot?: Uint8Array }): {
  type: DocumentType;
  identifier: LicenceIdentifierParts;
} {
  if (!isValidUscc(c.issuer)) fail('iss (not a unified social credit code)');
  const parsed = parseLicenceIdentifier(c.identifier);
  if (!parsed.ok) fail(`sub (${parsed.reason})`);
  const identifier = parsed.value;
  const type = documentType(c.docType);
  if (!type) fail('docType (not a registered type)');
  if (identifier.typeCode !== type.typeCode) fail('sub (type code is not the type of docType)');
  if (identifier.issuerCode !== c.issuer) fail('sub (issuer code is not iss)');
  if (c.version !== Number(identifier.version) || !Number.isInteger(c.version)) fail('version');
  if (!isDocumentDate(c.validFrom)) fail('validFrom');
  if (c.validUntil !== undefined && (!isDocumentDate(c.validUntil) || c.validUntil < c.validFrom))
    fail('validUntil');
  if (!Number.isSafeInteger(c.statusIndex) || c.statusIndex < 0 || c.statusIndex > 0xffffffff)
    fail('statusIndex');
  if (!(Number.isFinite(c.issuedAt) && c.issuedAt >= 0 && c.issuedAt < 2 ** 32 * 1000)) fail('iat');
  if (c.sdRoot !== undefined && c.sdRoot.length !== SD_NODE_LENGTH) fail('sdRoot');
  return { type, identifier };
}

/** The payload of a document credential, deterministic CBOR; throws CborShapeError on bad claims. */
export function encodeDocumentPayload(claims: DocumentClaims): Uint8Array {
  checkClaims(claims);
  return cborEncode(
    new Map<number, CborValue>([
      [DOCUMENT_CLAIM.iss, claims.issuer],
      [DOCUMENT_CLAIM.sub, claims.identifier],
      [DOCUMENT_CLAIM.iat, Math.floor(claims.issuedAt / 1000)],
      [DOCUMENT_CLAIM.statusIndex, claims.statusIndex],
      [DOCUMENT_CLAIM.sdRoot, claims.sdRoot],
      [DOCUMENT_CLAIM.docType, claims.docType],
      [DOCUMENT_CLAIM.validFrom, dateToUint(claims.validFrom)],
      [DOCUMENT_CLAIM.validUntil, claims.validUntil === undefined ? 0 : dateToUint(claims.validUntil)],
      [DOCUMENT_CLAIM.version, claims.version],
    ]),
  );
}

function decodePayload(payload: Uint8Array): {
  claims: DocumentClaims;
  type: DocumentType;
  identifier: LicenceIdentifierParts;
} {
  const m = CborMap.from(cborDecode(payload), 'document claims').only(Object.values(DOCUMENT_CLAIM));
  const validFrom = uintToDate(m.uint(DOCUMENT_CLAIM.validFrom));
  if (validFrom === undefined) fail('validFrom');
  const until = m.uint(DOCUMENT_CLAIM.validUntil);
  const validUntil = until === 0 ? undefined : uintToDate(until);
  if (until !== 0 && validUntil === undefined) fail('validUntil');
  const claims: DocumentClaims = {
    issuer: m.text(DOCUMENT_CLAIM.iss),
    identifier: m.text(DOCUMENT_CLAIM.sub),
    issuedAt: m.uint(DOCUMENT_CLAIM.iat) * 1000,
    docType: m.text(DOCUMENT_CLAIM.docType),
    validFrom,
    ...(validUntil === undefined ? {} : { validUntil }),
    statusIndex: m.uint(DOCUMENT_CLAIM.statusIndex),
    version: m.uint(DOCUMENT_CLAIM.version),
    sdRoot: m.bytes(DOCUMENT_CLAIM.sdRoot, SD_NODE_LENGTH),
  };
  return { claims, ...checkClaims(claims) };
}

/** Parses a payload; throws CborShapeError unless it is exactly the deterministic format with consistent claims. */
export function decodeDocumentPayload(payload: Uint8Array): DocumentClaims {
  return decodePayload(payload).claims;
}

/**
 * Builds and signs a document credential over the root of `secrets`. Refuses secrets whose `validFrom` /
 * `validUntil` differ from the claims', and an identifier whose type or issuer code does not match.
 *
 * @example issueDocumentCredential('jn-tp-1', claims, secrets, (tbs) => keys.sign('jn-tp-1', tbs))
 */
export function issueDocumentCredential(
  kid: string,
  claims: Omit<DocumentClaims, 'sdRoot'>,
  secrets: DocumentSecrets,
  sign: (toBeSigned: Uint8Array) => Uint8Array,
  sha256: Sha256 = portableSha256,
): Uint8Array {
  const kidBytes = utf8Encode(kid).length;
  if (kidBytes === 0 || kidBytes > MAX_DOCUMENT_KID_BYTES) fail('kid');
  const { type } = checkClaims(claims);
  if (secrets.values.validFrom !== claims.validFrom) fail('validFrom (claims and fields differ)');
  if (secrets.values.validUntil !== claims.validUntil) fail('validUntil (claims and fields differ)');
  const root = sdBuild(documentSdTree(type, secrets), sha256).root;
  return sign1Create(kid, DOCUMENT_AAD, encodeDocumentPayload({ ...claims, sdRoot: root }), sign);
}

/**
 * Decodes a document credential without verifying it; throws CborShapeError when malformed: not a COSE_Sign1,
 * a kid over 16 bytes, an unknown payload key, `iss` not a valid USCC, `sub` not a valid licence identifier
 * or one of another issuer or type, an unregistered `docType`, or a `version` other than the identifier's.
 */
export function decodeDocumentCredential(bytes: Uint8Array): DocumentCredential {
  const sign1 = sign1Decode(bytes);
  if (utf8Encode(sign1.kid).length > MAX_DOCUMENT_KID_BYTES) fail('kid');
  const { claims, type, identifier } = decodePayload(sign1.payload);
  return { kid: sign1.kid, claims, type, identifier, bytes, sign1 };
}

/** True when the issuing body's signature over the document verifies under `issuerPublicKey`. */
export function verifyDocumentSignature(
  doc: DocumentCredential,
  issuerPublicKey: Uint8Array,
  ed25519: Ed25519,
): boolean {
  const { protectedBytes, payload, signature } = doc.sign1;
  return ed25519.verify(issuerPublicKey, sign1ToBeSigned(protectedBytes, DOCUMENT_AAD, payload), signature);
}
