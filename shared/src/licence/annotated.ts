import {
  CborMap,
  CborShapeError,
  base45Decode,
  base45Encode,
  bytesEqual,
  cborDecode,
  cborEncode,
  utf8Encode,
  type CborValue,
} from '../encoding';
import { sha256 as portableSha256, type Ed25519, type Sha256 } from '../crypto';
import { isProvinceCode } from '../id-number';
import { sign1Create, sign1Decode, sign1ToBeSigned, type Sign1 } from '../card/cose';
import { SD_MAX_DEPTH, sdBuild, sdValuesFrom, type SdDisclosure } from '../card/sd';
import { documentSlots } from './registry';
import { decodeDocumentCredential, documentSdTree, type DocumentSecrets } from './document';
import { DOCUMENT_DIGEST_LENGTH, documentDigest } from './binding';
import { REQUEST_ID_LENGTH, isPlainText } from './request-code';

/**
 * The annotated copy's payload (加注件, docs/formats/licence-codes.md): the QR code on the PDF a window files.
 * It carries the issuing body's document credential, the disclosure of exactly the fields printed, and the
 * BFF's annotation (what for, which window, until when, which fields), so the paper verifies offline years
 * later with nothing but the licence-issuer list, the trust list and, for currency, a status list.
 */

/** Version prefix of the payload text. */
export const ANNOTATED_PREFIX = 'EIDA1:';
/** External AAD of annotation signatures. */
export const ANNOTATION_AAD = utf8Encode('EID annotated copy v1');
/** Longest text a parser looks at. */
export const MAX_ANNOTATED_CHARS = 8192;

export interface AnnotationClaims {
  /** Two-digit province code of the signing BFF. */
  province: string;
  /** `documentDigest` of the credential in the payload. */
  documentDigest: Uint8Array;
  /** The document call the copy was made in. */
  requestId: Uint8Array;
  /** Service code of the catalogue. */
  service: string;
  /** The request's purpose text. */
  purpose: string;
  /** The window's name and organisation: "仅供……使用". */
  windowName: string;
  organisation: string;
  /** The slots printed (and disclosed), ascending: a copy with fields left out or added is `tampered`. */
  slots: readonly number[];
  /** Epoch ms: the window's read access ended then (printed as the copy's limit). Whole seconds on the wire. */
  accessUntil: number;
  /** Epoch ms the copy was made. Whole seconds on the wire. */
  annotatedAt: number;
}

/** A decoded annotation; not yet verified. */
export interface Annotation {
  kid: string;
  claims: AnnotationClaims;
  bytes: Uint8Array;
  sign1: Sign1;
}

const KEY = {
  iss: 1,
  docDigest: 2,
  requestId: 3,
  service: 4,
  purpose: 5,
  window: 6,
  organisation: 7,
  slots: 8,
  accessUntil: 9,
  annotatedAt: 10,
} as const;

function fail(what: string): never {
  throw new CborShapeError(`annotation ${what} is invalid`);
}

function check(c: AnnotationClaims): void {
  if (!isProvinceCode(c.province)) fail('iss');
  if (!(c.documentDigest instanceof Uint8Array) || c.documentDigest.length !== DOCUMENT_DIGEST_LENGTH)
    fail('docDigest');
  if (!(c.requestId instanceof Uint8Array) || c.requestId.length !== REQUEST_ID_LENGTH) fail('requestId');
  if (!isPlainText(c.service, 40)) fail('service');
  if (!isPlainText(c.purpose)) fail('purpose');
  if (!isPlainText(c.windowName)) fail('window');
  if (!isPlainText(c.organisation)) fail('organisation');
  if (!Array.isArray(c.slots) || c.slots.length === 0) fail('slots');
  c.slots.forEach((s, i) => {
    if (!Number.isInteger(s) || s < 0 || s >= 1 << SD_MAX_DEPTH || (i > 0 && s <= c.slots[i - 1]!))
      fail('slots');
  });
  if (!(Number.isSafeInteger(c.annotatedAt) && c.annotatedAt >= 0)) fail('annotatedAt');
  if (!(Number.isSafeInteger(c.accessUntil) && c.accessUntil >= 0)) fail('accessUntil');
}

/** Deterministic CBOR of the annotation payload; throws CborShapeError. */
export function encodeAnnotationPayload(c: AnnotationClaims): Uint8Array {
  check(c);
  return cborEncode(
    new Map<number, CborValue>([
      [KEY.iss, c.province],
      [KEY.docDigest, c.documentDigest],
      [KEY.requestId, c.requestId],
      [KEY.service, c.service],
      [KEY.purpose, c.purpose],
      [KEY.window, c.windowName],
      [KEY.organisation, c.organisation],
      [KEY.slots, [...c.slots]],
      [KEY.accessUntil, Math.floor(c.accessUntil / 1000)],
      [KEY.annotatedAt, Math.floor(c.annotatedAt / 1000)],
    ]),
  );
}

/** Signs an annotation with the BFF's province issuer key. */
export function signAnnotation(
  kid: string,
  claims: AnnotationClaims,
  sign: (toBeSigned: Uint8Array) => Uint8Array,
): Uint8Array {
  return sign1Create(kid, ANNOTATION_AAD, encodeAnnotationPayload(claims), sign);
}

/** Decodes an annotation strictly; throws CborShapeError. */
export function decodeAnnotation(bytes: Uint8Array): Annotation {
  const sign1 = sign1Decode(bytes);
  const m = CborMap.from(cborDecode(sign1.payload), 'annotation').only(Object.values(KEY));
  const slots = m.array(KEY.slots);
  if (!slots.every((s) => typeof s === 'number')) fail('slots');
  const claims: AnnotationClaims = {
    province: m.text(KEY.iss),
    documentDigest: m.bytes(KEY.docDigest, DOCUMENT_DIGEST_LENGTH),
    requestId: m.bytes(KEY.requestId, REQUEST_ID_LENGTH),
    service: m.text(KEY.service),
    purpose: m.text(KEY.purpose),
    windowName: m.text(KEY.window),
    organisation: m.text(KEY.organisation),
    slots: slots as number[],
    accessUntil: m.uint(KEY.accessUntil) * 1000,
    annotatedAt: m.uint(KEY.annotatedAt) * 1000,
  };
  check(claims);
  return { kid: sign1.kid, claims, bytes, sign1 };
}

/** True when the annotation's signature verifies under `signerPublicKey`. */
export function verifyAnnotationSignature(
  annotation: Annotation,
  signerPublicKey: Uint8Array,
  ed25519: Ed25519,
): boolean {
  const { protectedBytes, payload, signature } = annotation.sign1;
  return ed25519.verify(signerPublicKey, sign1ToBeSigned(protectedBytes, ANNOTATION_AAD, payload), signature);
}

export interface BuildAnnotatedInput {
  /** The document credential bytes as delivered. */
  document: Uint8Array;
  secrets: DocumentSecrets;
  /** Field keys the PDF prints (the service's fields for the type). */
  fields: readonly string[];
  /** The annotation without what is derived here (digest and slots). */
  annotation: Omit<AnnotationClaims, 'documentDigest' | 'slots'>;
  /** Key id and signer of the BFF's province issuer key. */
  kid: string;
  sign: (toBeSigned: Uint8Array) => Uint8Array;
  sha256?: Sha256;
}

/** What an annotated payload holds. */
export interface AnnotatedParts {
  document: Uint8Array;
  disclosure: SdDisclosure;
  annotation: Uint8Array;
}

/** Encodes the payload text `EIDA1:` + base45(CBOR `[document, values, salts, proof, annotation]`), unchecked. */
export function encodeAnnotatedPayload(parts: AnnotatedParts): string {
  const { document, disclosure: d, annotation } = parts;
  return (
    ANNOTATED_PREFIX +
    base45Encode(cborEncode([document, d.values as Map<number, CborValue>, d.salts, d.proof, annotation]))
  );
}

/**
 * Builds the QR payload of an annotated copy: discloses `fields` of the document and signs the annotation over
 * the document's digest and the printed slots. Throws TypeError when the secrets are not the document's.
 *
 * @example buildAnnotatedPayload({ document, secrets, fields, annotation: { province: '37', requestId, ... }, kid, sign })
 */
export function buildAnnotatedPayload(input: BuildAnnotatedInput): string {
  const sha = input.sha256 ?? portableSha256;
  const doc = decodeDocumentCredential(input.document);
  const tree = sdBuild(documentSdTree(doc.type, input.secrets), sha);
  if (!bytesEqual(tree.root, doc.claims.sdRoot))
    throw new TypeError('secrets do not belong to this document');
  const slots = documentSlots(doc.type, input.fields);
  const annotation = signAnnotation(
    input.kid,
    { ...input.annotation, documentDigest: documentDigest(input.document, sha), slots },
    input.sign,
  );
  return encodeAnnotatedPayload({ document: input.document, disclosure: tree.disclose(slots), annotation });
}

/** Parses a payload text; throws CborShapeError when it is not one (the verdict `malformed`). */
export function parseAnnotatedPayload(text: string): AnnotatedParts & { bytes: Uint8Array } {
  if (typeof text !== 'string' || !text.startsWith(ANNOTATED_PREFIX)) {
    throw new CborShapeError('missing annotated payload prefix');
  }
  if (text.length > MAX_ANNOTATED_CHARS) throw new CborShapeError('annotated payload too long');
  let bytes: Uint8Array;
  try {
    bytes = base45Decode(text.slice(ANNOTATED_PREFIX.length));
  } catch {
    throw new CborShapeError('annotated payload is not base45');
  }
  const value = cborDecode(bytes);
  if (!Array.isArray(value) || value.length !== 5)
    throw new CborShapeError('annotated payload is not a 5-array');
  const [document, values, salts, proof, annotation] = value as unknown[];
  if (!(document instanceof Uint8Array) || !(annotation instanceof Uint8Array)) {
    throw new CborShapeError('document or annotation is not bytes');
  }
  if (!(salts instanceof Uint8Array) || !(proof instanceof Uint8Array)) {
    throw new CborShapeError('salts or proof is not bytes');
  }
  return { document, disclosure: { values: sdValuesFrom(values), salts, proof }, annotation, bytes };
}
