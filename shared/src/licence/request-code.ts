import {
  CborMap,
  CborShapeError,
  base45Decode,
  base45Encode,
  base64urlEncode,
  cborDecode,
  cborEncode,
  utf8Encode,
  type CborValue,
} from '../encoding';
import { sha256 as portableSha256, type Ed25519, type Sha256 } from '../crypto';
import { isProvinceCode } from '../id-number';
import { sign1Create, sign1Decode, type Sign1 } from '../card/cose';
import type { Clock } from '../verifier/verifier';
import type { TrustList } from '../trust/trust-list';
import { documentField, documentType } from './registry';
import { MAX_ACCESS_MS, findService, serviceDocument } from './services';
import { verifyBffSigned } from './signed';

/**
 * The window request code (docs/formats/licence-codes.md): what a service window shows on its screen when a
 * signed-in staff member opens a document call. The BFF signs it with its province issuer key, so the
 * resident's mini-program checks who is asking against the trust list before showing "verified".
 */

/** Version prefix of a request code's QR text. */
export const REQUEST_CODE_PREFIX = 'EIDR1:';
/** External AAD of request signatures. */
export const REQUEST_AAD = utf8Encode('EID document request v1');
export const REQUEST_ID_LENGTH = 16;
/** An unanswered request expires after this by default. */
export const DEFAULT_ANSWER_MS = 10 * 60_000;
/** No request stays answerable longer than this after it was made. */
export const MAX_ANSWER_MS = 60 * 60_000;
/** Shortest read access after approval a request may ask for. */
export const MIN_ACCESS_MS = 60_000;
/** Longest text a parser looks at. */
export const MAX_REQUEST_CODE_CHARS = 4096;
const MAX_ID_BYTES = 64;
const MAX_TEXT_BYTES = 128;
const MAX_DOCUMENTS = 16;
const MAX_FIELDS = 64;

/** The service window asking: its record id, its name and the organisation it belongs to. */
export interface WindowRef {
  id: string;
  /** e.g. `3号窗口（机动车登记）`. */
  name: string;
  /** e.g. `济南市公安局交通警察支队车辆管理所`. */
  organisation: string;
}

/** The signed-in staff member who opened the request. */
export interface StaffRef {
  id: string;
  displayName: string;
}

export interface RequestedDocument {
  /** Registry name of the document type. */
  type: string;
  /** Field keys the window asks to read. */
  fields: readonly string[];
  /** True when the service requires the document (the resident cannot leave it out). */
  required: boolean;
}

export interface DocumentRequest {
  /** Two-digit province code of the signing BFF. */
  province: string;
  requestId: Uint8Array;
  window: WindowRef;
  staff: StaffRef;
  /** Service code of the catalogue (services.ts). */
  service: string;
  /** What for, as the window states it (text, e.g. `办理机动车转移登记`). */
  purpose: string;
  documents: readonly RequestedDocument[];
  /** Epoch ms; whole seconds on the wire. */
  createdAt: number;
  /** Epoch ms; an unanswered request expires then. Whole seconds on the wire. */
  answerBy: number;
  /** How long after approval the window may read the documents, ms. */
  accessForMs: number;
}

const KEY = {
  iss: 1,
  requestId: 2,
  window: 3,
  staff: 4,
  service: 5,
  purpose: 6,
  documents: 7,
  createdAt: 8,
  answerBy: 9,
  accessFor: 10,
} as const;
const WINDOW = { id: 1, name: 2, organisation: 3 } as const;
const STAFF = { id: 1, displayName: 2 } as const;
const DOC = { type: 1, fields: 2, required: 3 } as const;

function fail(what: string): never {
  throw new CborShapeError(`document request ${what} is invalid`);
}

/** True for trimmed UTF-8 text of 1..max bytes without control characters. */
export function isPlainText(v: unknown, max = MAX_TEXT_BYTES): v is string {
  if (typeof v !== 'string' || v.trim() !== v) return false;
  const n = utf8Encode(v).length;
  // eslint-disable-next-line no-control-regex
  return n > 0 && n <= max && !/[\u0000-\u001f\u007f]/.test(v);
}

function text(m: CborMap, key: number, what: string, max = MAX_TEXT_BYTES): string {
  const v = m.text(key);
  if (!isPlainText(v, max)) fail(what);
  return v;
}

/** CBOR of a window reference `{1: id, 2: name, 3: organisation}`. */
export function encodeWindow(w: WindowRef): Map<number, CborValue> {
  if (!isPlainText(w.id, MAX_ID_BYTES) || !isPlainText(w.name) || !isPlainText(w.organisation))
    fail('window');
  return new Map<number, CborValue>([
    [WINDOW.id, w.id],
    [WINDOW.name, w.name],
    [WINDOW.organisation, w.organisation],
  ]);
}

/** CBOR of a staff reference `{1: id, 2: displayName}`. */
export function encodeStaff(s: StaffRef): Map<number, CborValue> {
  if (!isPlainText(s.id, MAX_ID_BYTES) || !isPlainText(s.displayName)) fail('staff');
  return new Map<number, CborValue>([
    [STAFF.id, s.id],
    [STAFF.displayName, s.displayName],
  ]);
}

export function decodeWindow(m: CborMap): WindowRef {
  m.only(Object.values(WINDOW));
  return {
    id: text(m, WINDOW.id, 'window id', MAX_ID_BYTES),
    name: text(m, WINDOW.name, 'window name'),
    organisation: text(m, WINDOW.organisation, 'window organisation'),
  };
}

export function decodeStaff(m: CborMap): StaffRef {
  m.only(Object.values(STAFF));
  return {
    id: text(m, STAFF.id, 'staff id', MAX_ID_BYTES),
    displayName: text(m, STAFF.displayName, 'staff name'),
  };
}

/** Field keys in their type's slot order (unknown keys last, as given): the one order a request encodes. */
function slotOrder(type: string, fields: readonly string[]): string[] {
  const t = documentType(type);
  const slot = (k: string) => (t ? (documentField(t, k)?.slot ?? 1 << 6) : 0);
  return [...fields].sort((a, b) => slot(a) - slot(b));
}

function checkRequest(r: DocumentRequest): void {
  if (!isProvinceCode(r.province)) fail('iss');
  if (!(r.requestId instanceof Uint8Array) || r.requestId.length !== REQUEST_ID_LENGTH) fail('requestId');
  if (!isPlainText(r.service, 40)) fail('service');
  if (!isPlainText(r.purpose)) fail('purpose');
  if (!(Number.isSafeInteger(r.createdAt) && r.createdAt >= 0)) fail('createdAt');
  if (!(r.answerBy > r.createdAt && r.answerBy - r.createdAt <= MAX_ANSWER_MS)) fail('answerBy');
  if (!(
    Number.isSafeInteger(r.accessForMs) &&
    r.accessForMs >= MIN_ACCESS_MS &&
    r.accessForMs <= MAX_ACCESS_MS
  ))
    fail('accessFor');
  if (!Array.isArray(r.documents) || r.documents.length === 0 || r.documents.length > MAX_DOCUMENTS)
    fail('documents');
  const types = new Set<string>();
  for (const d of r.documents) {
    if (!isPlainText(d.type, 40) || types.has(d.type)) fail('document type');
    types.add(d.type);
    if (typeof d.required !== 'boolean') fail('document required');
    if (!Array.isArray(d.fields) || d.fields.length === 0 || d.fields.length > MAX_FIELDS) fail('fields');
    if (new Set(d.fields).size !== d.fields.length || !d.fields.every((f: unknown) => isPlainText(f, 32)))
      fail('fields');
  }
}

/**
 * What a request asks beyond its service in the catalogue (empty when nothing): an unknown service, a type the
 * service does not list, a field it may not read, a `required` flag other than the catalogue's, or more read
 * access than the service allows. The BFF refuses such a request at creation; a verifier refuses to show it.
 */
export function requestOverreach(
  r: Pick<DocumentRequest, 'service' | 'documents' | 'accessForMs'>,
): string[] {
  const service = findService(r.service);
  if (!service) return [`service ${r.service} is not in the catalogue`];
  const out: string[] = [];
  if (r.accessForMs > service.maxAccessMs) out.push(`access for ${r.accessForMs} ms exceeds the service's`);
  for (const d of r.documents) {
    const allowed = serviceDocument(service, d.type);
    if (!allowed) {
      out.push(`${service.code} does not call ${d.type}`);
      continue;
    }
    for (const f of d.fields)
      if (!allowed.fields.includes(f)) out.push(`${service.code} may not read ${d.type}.${f}`);
    if (allowed.required !== d.required)
      out.push(`${d.type} is ${allowed.required ? 'required' : 'optional'}`);
  }
  return out;
}

/** Deterministic CBOR of the request payload; throws CborShapeError on a bad shape or an overreaching request. */
export function encodeRequestPayload(r: DocumentRequest): Uint8Array {
  checkRequest(r);
  const over = requestOverreach(r);
  if (over.length > 0) fail(`(overreach: ${over.join('; ')})`);
  return cborEncode(
    new Map<number, CborValue>([
      [KEY.iss, r.province],
      [KEY.requestId, r.requestId],
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
              [DOC.fields, slotOrder(d.type, d.fields)],
              [DOC.required, d.required],
            ]),
        ),
      ],
      [KEY.createdAt, Math.floor(r.createdAt / 1000)],
      [KEY.answerBy, Math.floor(r.answerBy / 1000)],
      [KEY.accessFor, r.accessForMs],
    ]),
  );
}

/**
 * Signs a request with the BFF's province issuer key and returns the code's text `EIDR1:` + base45(COSE_Sign1).
 *
 * @example signRequestCode(kid, { province: '37', requestId, window, staff, service: 'vehicle_transfer', ... }, sign)
 */
export function signRequestCode(
  kid: string,
  request: DocumentRequest,
  sign: (toBeSigned: Uint8Array) => Uint8Array,
): string {
  return (
    REQUEST_CODE_PREFIX + base45Encode(sign1Create(kid, REQUEST_AAD, encodeRequestPayload(request), sign))
  );
}

/** The COSE_Sign1 bytes inside a request code's text; throws CborShapeError when the text is not one. */
export function requestCodeBytes(text: string): Uint8Array {
  if (typeof text !== 'string' || !text.startsWith(REQUEST_CODE_PREFIX)) {
    throw new CborShapeError('missing request code prefix');
  }
  if (text.length > MAX_REQUEST_CODE_CHARS) throw new CborShapeError('request code too long');
  try {
    return base45Decode(text.slice(REQUEST_CODE_PREFIX.length));
  } catch {
    throw new CborShapeError('request code is not base45');
  }
}

/**
 * The request digest an approval names: unpadded base64url SHA-256 of the COSE_Sign1 bytes, so a resident
 * approves exactly the request they were shown.
 */
export function requestCodeDigest(text: string, sha256: Sha256 = portableSha256): string {
  return base64urlEncode(sha256(requestCodeBytes(text)));
}

/** Decodes a request payload strictly (shape only, not the catalogue); throws CborShapeError. */
export function decodeRequestPayload(payload: Uint8Array): DocumentRequest {
  const m = CborMap.from(cborDecode(payload), 'document request').only(Object.values(KEY));
  const documents = m.array(KEY.documents).map((raw) => {
    const d = CborMap.from(raw, 'requested document').only(Object.values(DOC));
    const required = (raw as Map<number, CborValue>).get(DOC.required);
    if (typeof required !== 'boolean') fail('document required');
    const fields = d.array(DOC.fields);
    if (!fields.every((f) => typeof f === 'string')) fail('fields');
    const type = d.text(DOC.type);
    // Canonical: the one order the signer writes.
    if (slotOrder(type, fields as string[]).some((f, i) => f !== fields[i])) fail('fields order');
    return { type, fields: fields as string[], required };
  });
  const request: DocumentRequest = {
    province: m.text(KEY.iss),
    requestId: m.bytes(KEY.requestId, REQUEST_ID_LENGTH),
    window: decodeWindow(m.child(KEY.window)),
    staff: decodeStaff(m.child(KEY.staff)),
    service: m.text(KEY.service),
    purpose: m.text(KEY.purpose),
    documents,
    createdAt: m.uint(KEY.createdAt) * 1000,
    answerBy: m.uint(KEY.answerBy) * 1000,
    accessForMs: m.uint(KEY.accessFor),
  };
  checkRequest(request);
  return request;
}

/** A decoded, not yet verified, request code. */
export interface DecodedRequestCode {
  kid: string;
  request: DocumentRequest;
  sign1: Sign1;
  bytes: Uint8Array;
}

/** Decodes a request code's text without verifying it; throws CborShapeError when it is not one. */
export function decodeRequestCode(text: string): DecodedRequestCode {
  const bytes = requestCodeBytes(text);
  const sign1 = sign1Decode(bytes);
  return { kid: sign1.kid, request: decodeRequestPayload(sign1.payload), sign1, bytes };
}

/**
 * Why a request code is refused. Only `expired` is a genuine request; every other reason means the screen
 * must say "this request is not genuine" and offer no approval. A changed byte and a made-up code look the
 * same to a verifier (the signature fails, or the CBOR no longer parses), so there is no separate "altered".
 * - `malformed`: not a request code (prefix, base45, CBOR shape or spelling, a value out of bounds);
 * - `unknown_signer`: signed under a key id the trust list does not have, for another province than the key's,
 *   or outside the key's validity (someone signed it with their own key);
 * - `bad_signature`: the signature does not verify under the trusted key its kid names (forged, or changed
 *   after signing);
 * - `overreach`: genuinely signed, but asking what the published service does not allow (requestOverreach);
 * - `expired`: genuine, but its answer-by time has passed.
 */
export type RequestCodeProblem = 'malformed' | 'unknown_signer' | 'bad_signature' | 'overreach' | 'expired';

/** What a page says for each problem, Chinese first, and whether the request is genuine at all. */
export const REQUEST_CODE_PROBLEMS: Readonly<
  Record<RequestCodeProblem, { genuine: boolean; zh: string; en: string }>
> = Object.freeze({
  malformed: { genuine: false, zh: '这不是有效的调证请求码', en: 'This is not a document request code' },
  unknown_signer: {
    genuine: false,
    zh: '请求不是由可信的政务服务平台签发，不是真实请求',
    en: 'Not signed by a trusted service platform: this request is not genuine',
  },
  bad_signature: {
    genuine: false,
    zh: '请求签名无效（被伪造或被改动），不是真实请求',
    en: 'The signature does not verify (forged or changed): this request is not genuine',
  },
  overreach: {
    genuine: false,
    zh: '请求超出该事项可调取的证照和字段，不能批准',
    en: 'It asks for more than the service may read and cannot be approved',
  },
  expired: {
    genuine: true,
    zh: '请求已过期，请窗口重新发起',
    en: 'The request has expired; ask the window for a new one',
  },
});

export type OpenRequestResult =
  | { ok: true; request: DocumentRequest; kid: string; digest: string; bytes: Uint8Array }
  | { ok: false; reason: RequestCodeProblem; digest?: string };

/**
 * Verifies a request code against the trust list and the catalogue at the clock's time: the request, who signed
 * it and its digest, or why it is refused (see RequestCodeProblem). Never throws on bad input.
 *
 * @example const r = openRequestCode(scanned, trustList, tweetnaclEd25519, { now: () => Date.now() })
 */
export function openRequestCode(
  text: unknown,
  trustList: TrustList,
  ed25519: Ed25519,
  clock: Clock,
  sha256: Sha256 = portableSha256,
): OpenRequestResult {
  let bytes: Uint8Array;
  let sign1: Sign1;
  try {
    bytes = requestCodeBytes(text as string);
    sign1 = sign1Decode(bytes);
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  const digest = base64urlEncode(sha256(bytes));
  const verified = verifyBffSigned(
    sign1,
    REQUEST_AAD,
    decodeRequestPayload,
    (r) => r.createdAt,
    trustList,
    ed25519,
  );
  if (!verified.ok) return { ok: false, reason: verified.reason, digest };
  const request = verified.value;
  if (requestOverreach(request).length > 0) return { ok: false, reason: 'overreach', digest };
  if (clock.now() >= request.answerBy) return { ok: false, reason: 'expired', digest };
  return { ok: true, request, kid: sign1.kid, digest, bytes };
}
