import {
  CborMap,
  CborShapeError,
  cborDecode,
  cborEncode,
  toHex,
  utf8Encode,
  type CborValue,
} from '../encoding';
import type { Ed25519 } from '../crypto';
import { isProvinceCode } from '../id-number';
import { CHINA_OFFSET_MS } from '../time';
import { sign1Create, sign1Decode, type Sign1 } from '../card/cose';
import type { TrustList } from '../trust/trust-list';
import { documentField, documentType } from './registry';
import { findService } from './services';
import { isValidLicenceIdentifier } from './identifier';
import { DOCUMENT_DIGEST_LENGTH } from './binding';
import { verifyBffSigned } from './signed';
import {
  REQUEST_ID_LENGTH,
  decodeStaff,
  decodeWindow,
  encodeStaff,
  encodeWindow,
  isPlainText,
  type StaffRef,
  type WindowRef,
} from './request-code';

/**
 * The document-call receipt (docs/formats/licence-codes.md): what the BFF signs when a resident approves a
 * request, for both sides to keep: who read which documents (by identifier and digest), what for, and until
 * when. It verifies from its own bytes and the trust list alone, years later.
 */

/** External AAD of receipt signatures. */
export const RECEIPT_AAD = utf8Encode('EID document call receipt v1');
/** Length of the request digest a receipt names (SHA-256 of the request code's COSE_Sign1). */
export const REQUEST_DIGEST_LENGTH = 32;

export interface ReceiptDocument {
  /** Registry name of the type. */
  type: string;
  /** The licence identifier of the document delivered. */
  identifier: string;
  /** `documentDigest` of the exact credential delivered. */
  digest: Uint8Array;
  /** Field keys the window may read. */
  fields: readonly string[];
}

export interface DocumentCallReceipt {
  /** Two-digit province code of the signing BFF. */
  province: string;
  requestId: Uint8Array;
  /** SHA-256 of the request code's COSE_Sign1 bytes the resident approved (`requestCodeDigest`, raw). */
  requestDigest: Uint8Array;
  window: WindowRef;
  staff: StaffRef;
  service: string;
  purpose: string;
  /** The documents delivered (optional ones the resident left out are not here). */
  documents: readonly ReceiptDocument[];
  /** Epoch ms; whole seconds on the wire. */
  approvedAt: number;
  /** Epoch ms; the window reads nothing after it. Whole seconds on the wire. */
  accessUntil: number;
}

const KEY = {
  iss: 1,
  requestId: 2,
  requestDigest: 3,
  window: 4,
  staff: 5,
  service: 6,
  purpose: 7,
  documents: 8,
  approvedAt: 9,
  accessUntil: 10,
} as const;
const DOC = { type: 1, identifier: 2, digest: 3, fields: 4 } as const;

function fail(what: string): never {
  throw new CborShapeError(`document call receipt ${what} is invalid`);
}

function check(r: DocumentCallReceipt): void {
  if (!isProvinceCode(r.province)) fail('iss');
  if (!(r.requestId instanceof Uint8Array) || r.requestId.length !== REQUEST_ID_LENGTH) fail('requestId');
  if (!(r.requestDigest instanceof Uint8Array) || r.requestDigest.length !== REQUEST_DIGEST_LENGTH)
    fail('requestDigest');
  if (!isPlainText(r.service, 40)) fail('service');
  if (!isPlainText(r.purpose)) fail('purpose');
  if (!(Number.isSafeInteger(r.approvedAt) && r.approvedAt >= 0)) fail('approvedAt');
  if (!(Number.isSafeInteger(r.accessUntil) && r.accessUntil > r.approvedAt)) fail('accessUntil');
  // A receipt of an approval that delivered nothing is possible (every document optional and left out).
  if (!Array.isArray(r.documents) || r.documents.length > 16) fail('documents');
  for (const d of r.documents) {
    if (!isPlainText(d.type, 40)) fail('document type');
    if (!isValidLicenceIdentifier(d.identifier)) fail('document identifier');
    if (!(d.digest instanceof Uint8Array) || d.digest.length !== DOCUMENT_DIGEST_LENGTH)
      fail('document digest');
    if (!Array.isArray(d.fields) || d.fields.length === 0 || d.fields.length > 64) fail('fields');
    if (new Set(d.fields).size !== d.fields.length || !d.fields.every((f: unknown) => isPlainText(f, 32)))
      fail('fields');
  }
}

/** Deterministic CBOR of the receipt payload; throws CborShapeError on a bad value. */
export function encodeReceiptPayload(r: DocumentCallReceipt): Uint8Array {
  check(r);
  return cborEncode(
    new Map<number, CborValue>([
      [KEY.iss, r.province],
      [KEY.requestId, r.requestId],
      [KEY.requestDigest, r.requestDigest],
      [KEY.window, encodeWindow(r.window)],
      [KEY.staff, encodeStaff(r.staff)],
      [KEY.service, r.service],
      [KEY.purpose, r.purpose],
      [
        KEY.documents,
        r.documents.map(
          (d) =>
            new Map<number, CborValue>([
              [DOC.type, d.type],
              [DOC.identifier, d.identifier],
              [DOC.digest, d.digest],
              [DOC.fields, [...d.fields]],
            ]),
        ),
      ],
      [KEY.approvedAt, Math.floor(r.approvedAt / 1000)],
      [KEY.accessUntil, Math.floor(r.accessUntil / 1000)],
    ]),
  );
}

/**
 * Signs a receipt with the BFF's province issuer key: an untagged COSE_Sign1, the bytes both sides keep.
 *
 * @example signReceipt(kid, { province: '37', requestId, requestDigest, window, staff, ... }, sign)
 */
export function signReceipt(
  kid: string,
  receipt: DocumentCallReceipt,
  sign: (toBeSigned: Uint8Array) => Uint8Array,
): Uint8Array {
  return sign1Create(kid, RECEIPT_AAD, encodeReceiptPayload(receipt), sign);
}

/** Decodes a receipt payload strictly; throws CborShapeError. */
export function decodeReceiptPayload(payload: Uint8Array): DocumentCallReceipt {
  const m = CborMap.from(cborDecode(payload), 'document call receipt').only(Object.values(KEY));
  const documents = m.array(KEY.documents).map((raw) => {
    const d = CborMap.from(raw, 'receipt document').only(Object.values(DOC));
    const fields = d.array(DOC.fields);
    if (!fields.every((f) => typeof f === 'string')) fail('fields');
    return {
      type: d.text(DOC.type),
      identifier: d.text(DOC.identifier),
      digest: d.bytes(DOC.digest, DOCUMENT_DIGEST_LENGTH),
      fields: fields as string[],
    };
  });
  const receipt: DocumentCallReceipt = {
    province: m.text(KEY.iss),
    requestId: m.bytes(KEY.requestId, REQUEST_ID_LENGTH),
    requestDigest: m.bytes(KEY.requestDigest, REQUEST_DIGEST_LENGTH),
    window: decodeWindow(m.child(KEY.window)),
    staff: decodeStaff(m.child(KEY.staff)),
    service: m.text(KEY.service),
    purpose: m.text(KEY.purpose),
    documents,
    approvedAt: m.uint(KEY.approvedAt) * 1000,
    accessUntil: m.uint(KEY.accessUntil) * 1000,
  };
  check(receipt);
  return receipt;
}

/** A decoded, not yet verified, receipt. */
export interface DecodedReceipt {
  kid: string;
  receipt: DocumentCallReceipt;
  sign1: Sign1;
}

/** Decodes a receipt without verifying it; throws CborShapeError. */
export function decodeReceipt(bytes: Uint8Array): DecodedReceipt {
  const sign1 = sign1Decode(bytes);
  return { kid: sign1.kid, receipt: decodeReceiptPayload(sign1.payload), sign1 };
}

/** Why a receipt is refused: not a receipt, not signed by a key the trust list has, or its signature fails. */
export type ReceiptProblem = 'malformed' | 'unknown_signer' | 'bad_signature';

export type VerifyReceiptResult =
  { ok: true; receipt: DocumentCallReceipt; kid: string } | { ok: false; reason: ReceiptProblem };

/**
 * Verifies a receipt from its bytes and the trust list alone: decoded strictly, signed under a listed key of
 * the province it names, valid when it was approved. Never throws on bad input. The catalogue is not
 * consulted: a receipt stays verifiable after its service is retired.
 *
 * @example verifyReceipt(base64urlDecode(answer.receipt), trustList, tweetnaclEd25519)
 */
export function verifyReceipt(bytes: unknown, trustList: TrustList, ed25519: Ed25519): VerifyReceiptResult {
  if (!(bytes instanceof Uint8Array)) return { ok: false, reason: 'malformed' };
  let sign1: Sign1;
  try {
    sign1 = sign1Decode(bytes);
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  const verified = verifyBffSigned(
    sign1,
    RECEIPT_AAD,
    decodeReceiptPayload,
    (r) => r.approvedAt,
    trustList,
    ed25519,
  );
  if (!verified.ok) return verified;
  return { ok: true, receipt: verified.value, kid: sign1.kid };
}

/** `YYYY-MM-DD HH:mm` in Beijing time. */
export function beijingMinute(ms: number): string {
  return new Date(ms + CHINA_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}

function fieldNames(type: string, fields: readonly string[], lang: 'zh' | 'en'): string {
  const t = documentType(type);
  return fields
    .map((k) => (t ? (documentField(t, k)?.spec[lang] ?? k) : k))
    .join(lang === 'zh' ? '、' : ', ');
}

/**
 * The receipt as the resident reads it, Chinese then English: one text, the same for the same receipt on
 * every device (names from the registry and catalogue of this build; codes where they know none).
 *
 * @example receiptText(verified.receipt) // "你已同意……3号窗口（工作人员：李静）为办理“机动车转移登记”……读取以下证照：…"
 */
export function receiptText(r: DocumentCallReceipt): string {
  const service = findService(r.service);
  const docs = (lang: 'zh' | 'en') =>
    r.documents.map((d, i) => {
      const t = documentType(d.type);
      const name = t ? t[lang] : d.type;
      return lang === 'zh'
        ? `${i + 1}. ${name}（证照标识 ${d.identifier}）：${fieldNames(d.type, d.fields, 'zh')}`
        : `${i + 1}. ${name} (${d.identifier}): ${fieldNames(d.type, d.fields, 'en')}`;
    });
  const none = { zh: '（未读取任何证照）', en: '(no document)' };
  const id = toHex(r.requestId);
  return [
    `你已同意${r.window.organisation}${r.window.name}（工作人员：${r.staff.displayName}）为办理“${service?.zh ?? r.service}”（${r.purpose}）读取以下证照：`,
    ...(r.documents.length ? docs('zh') : [none.zh]),
    `批准时间：${beijingMinute(r.approvedAt)}（北京时间）；读取期限至：${beijingMinute(r.accessUntil)}（北京时间），此后窗口不能再读取。`,
    `回执编号：${id}`,
    '',
    `You agreed that ${r.window.name}, ${r.window.organisation} (staff: ${r.staff.displayName}) may read, for "${service?.en ?? r.service}" (${r.purpose}):`,
    ...(r.documents.length ? docs('en') : [none.en]),
    `Approved ${beijingMinute(r.approvedAt)} Beijing time; readable until ${beijingMinute(r.accessUntil)} Beijing time, and not after.`,
    `Receipt ${id}`,
  ].join('\n');
}
