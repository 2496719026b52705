/**
 * licence-codes.json (docs/formats/licence-codes.md): the licence-issuer list, the issuing body's status list,
 * device bindings, document codes per disclosure, an annotated-copy payload, a window request code and its
 * receipt, every intermediate value, and the refusals: a tampered field, a forged and an altered request, an
 * altered receipt, a revoked, a suspended and an expired document, an unknown issuer, and more.
 */
import QRCode from 'qrcode';
import {
  ANNOTATION_AAD,
  BINDING_AAD,
  LICENCE_ISSUER_LIST_AAD,
  RECEIPT_AAD,
  REQUEST_AAD,
  buildAnnotatedPayload,
  buildDocumentCode,
  cborDecode,
  cborEncode,
  discloseDocumentFields,
  documentCodeSigningInput,
  documentDigest,
  documentType,
  emptyStatusBits,
  encodeAnnotatedPayload,
  encodeBindingPayload,
  encodeDocumentSecrets,
  encodeRequestPayload,
  encodeReceiptPayload,
  formatLicenceIdentifier,
  issueDocumentCredential,
  makeUscc,
  parseAnnotatedPayload,
  parseDocumentCode,
  receiptText,
  requestCodeBytes,
  requestCodeDigest,
  setStatusAt,
  sha256,
  sign1Create,
  sign1Decode,
  sign1Protected,
  sign1ToBeSigned,
  signBinding,
  signDocumentCode,
  signLicenceIssuerList,
  signReceipt,
  signRequestCode,
  signStatusList,
  toHex,
  tweetnaclEd25519 as ed,
  utf8Encode,
  base45Encode,
  type CborValue,
  type DocValue,
  type DocumentCallReceipt,
  type DocumentRequest,
  type DocumentSecrets,
  type LicenceIssuerListContent,
} from '@eid/shared';
import { DAY, KID, ROGUE_KID, ROOT_KID, T0, keyOf, keys, nonceOf, seedOf } from './fixture';
import {
  LICENCE_ISSUER_KID,
  LICENCE_ISSUER_USCC,
  licenceDocumentVectors,
  licenceIssuerKey,
} from './licence-document';
import { SAMPLE_DOCUMENTS } from './licence-samples';

/** A key that signs documents under a kid no licence-issuer list names. */
export const ROGUE_LICENCE_KID = 'vec-lic-37-9';
export const rogueLicenceKey = keyOf('licence issuer not in the list');
/** Verification time of the cases: 5 s after the codes were made at T0 (the request was made at T0 too). */
export const NOW = T0 + 5_000;
/** Verification time of the annotated copies: after the copy was made (T0 + 3 min). */
export const ANNOTATED_NOW = T0 + 10 * 60_000;
export const MAX_STATUS_AGE_MS = 3_600_000;
const STATUS_SIZE = 16384;
const MINUTE = 60_000;

const bff = (tbs: Uint8Array) => ed.sign(keys.issuer.pair.secretKey, tbs);
const rogueBff = (tbs: Uint8Array) => ed.sign(keys.rogueIssuer.pair.secretKey, tbs);
const qrVersion = (text: string) => QRCode.create(text, { errorCorrectionLevel: 'M' }).version;
const size = (bytes: Uint8Array, text: string) => ({
  bytes: bytes.length,
  characters: text.length,
  qrVersionM: qrVersion(text),
});
const jsonValues = (values: Readonly<Record<string, DocValue | null>>) =>
  Object.fromEntries(
    Object.entries(values).map(([k, v]) => [k, v instanceof Uint8Array ? { hex: toHex(v) } : v]),
  );

interface DocSpec {
  name: string;
  type: string;
  serial: string;
  version: number;
  statusIndex: number;
  issuedAt: number;
  values: Readonly<Record<string, DocValue>>;
  kid?: string;
  signer?: { pair: { secretKey: Uint8Array } };
}

function issue(spec: DocSpec) {
  const type = documentType(spec.type)!;
  const secrets: DocumentSecrets = {
    seed: seedOf(`licence document ${spec.name}`).subarray(0, 16),
    values: spec.values,
  };
  const validUntil = spec.values.validUntil as string | undefined;
  const credential = issueDocumentCredential(
    spec.kid ?? LICENCE_ISSUER_KID,
    {
      issuer: LICENCE_ISSUER_USCC,
      identifier: formatLicenceIdentifier({
        typeCode: type.typeCode,
        issuerCode: LICENCE_ISSUER_USCC,
        serial: spec.serial,
        version: spec.version,
      }),
      issuedAt: spec.issuedAt,
      docType: spec.type,
      validFrom: spec.values.validFrom as string,
      ...(validUntil === undefined ? {} : { validUntil }),
      statusIndex: spec.statusIndex,
      version: spec.version,
    },
    secrets,
    (tbs) => ed.sign((spec.signer ?? licenceIssuerKey).pair.secretKey, tbs),
  );
  return { spec, type, secrets, credential };
}

const DL = SAMPLE_DOCUMENTS.driving_licence!;
// The first two are licence-document.json's documents (the script checks they come out byte-identical).
const docs = {
  drivingLicence: issue({
    name: 'driving_licence',
    type: 'driving_licence',
    serial: '3701002020DL00012345',
    version: 1,
    statusIndex: 5,
    issuedAt: T0 - 30 * DAY,
    values: DL,
  }),
  vehicleRegistration: issue({
    name: 'vehicle_registration',
    type: 'vehicle_registration',
    serial: '3701002021VR00067890',
    version: 2,
    statusIndex: 6,
    issuedAt: T0 - 10 * DAY,
    values: SAMPLE_DOCUMENTS.vehicle_registration!,
  }),
  revoked: issue({
    name: 'revoked driving licence',
    type: 'driving_licence',
    serial: '3701002019DL00054321',
    version: 1,
    statusIndex: 7,
    issuedAt: T0 - 400 * DAY,
    values: { ...DL, documentNumber: '370102199003071238' },
  }),
  suspended: issue({
    name: 'suspended driving licence',
    type: 'driving_licence',
    serial: '3701002018DL00011111',
    version: 3,
    statusIndex: 8,
    issuedAt: T0 - 200 * DAY,
    values: DL,
  }),
  expired: issue({
    name: 'expired driving licence',
    type: 'driving_licence',
    serial: '3701002014DL00009999',
    version: 1,
    statusIndex: 9,
    issuedAt: T0 - 3000 * DAY,
    values: { ...DL, issueDate: '2014-03-16', validFrom: '2014-03-16', validUntil: '2020-03-16' },
  }),
  unknownIssuer: issue({
    name: 'driving licence of an unlisted key',
    type: 'driving_licence',
    serial: '3701002020DL00012345',
    version: 1,
    statusIndex: 5,
    issuedAt: T0 - 30 * DAY,
    values: DL,
    kid: ROGUE_LICENCE_KID,
    signer: rogueLicenceKey,
  }),
};
type DocName = keyof typeof docs;

function checkAgainstDocumentVectors(): void {
  const published = licenceDocumentVectors().documents;
  for (const [i, d] of [docs.drivingLicence, docs.vehicleRegistration].entries()) {
    if (published[i]!.credential !== toHex(d.credential)) {
      throw new Error(`licence-codes: ${d.spec.name} differs from licence-document.json`);
    }
  }
}

// The licence-issuer list: the vectors' issuing body, and a second one (an exit-entry body) to show the shape.
export const issuerListContent: LicenceIssuerListContent = {
  sequence: 3,
  issuedAt: T0 - DAY,
  expiresAt: T0 + 7 * DAY,
  issuers: [
    {
      kid: LICENCE_ISSUER_KID,
      uscc: LICENCE_ISSUER_USCC,
      name: '山东省济南市公安局交通警察支队',
      publicKey: licenceIssuerKey.pair.publicKey,
      notBefore: T0 - 3650 * DAY,
    },
    {
      kid: 'vec-lic-37-2',
      uscc: makeUscc({
        registrationAuthority: '1',
        category: '1',
        regionCode: '370000',
        organisationBody: 'EXAMPLEC',
      }),
      name: '山东省公安厅出入境管理局',
      publicKey: keyOf('licence issuer 37-2').pair.publicKey,
    },
  ],
};

function issuerList() {
  const bytes = signLicenceIssuerList(issuerListContent, ROOT_KID, (tbs) =>
    ed.sign(keys.root.pair.secretKey, tbs),
  );
  const sign1 = sign1Decode(bytes);
  return {
    content: {
      ...issuerListContent,
      issuers: issuerListContent.issuers.map((i) => ({ ...i, publicKey: toHex(i.publicKey) })),
    },
    rootKid: ROOT_KID,
    externalAad: toHex(LICENCE_ISSUER_LIST_AAD),
    payload: toHex(sign1.payload),
    toBeSigned: toHex(sign1ToBeSigned(sign1.protectedBytes, LICENCE_ISSUER_LIST_AAD, sign1.payload)),
    bytes: toHex(bytes),
  };
}

function statusList() {
  const bits = emptyStatusBits(STATUS_SIZE);
  setStatusAt(bits, docs.revoked.spec.statusIndex, 1);
  setStatusAt(bits, docs.suspended.spec.statusIndex, 2);
  const issuedAt = T0 - MINUTE;
  const bytes = signStatusList(
    { kid: LICENCE_ISSUER_KID, issuedAt, ttlSeconds: 300, size: STATUS_SIZE, bits },
    (tbs) => ed.sign(licenceIssuerKey.pair.secretKey, tbs),
  );
  return {
    kid: LICENCE_ISSUER_KID,
    size: STATUS_SIZE,
    entries: { '5': 0, '6': 0, '7': 1, '8': 2, '9': 0 },
    issuedAt,
    ttlSeconds: 300,
    bytes: toHex(bytes),
  };
}

const bindingClaims = (credential: Uint8Array, device = keys.device) => ({
  province: '37',
  issuedAt: T0 - DAY,
  expiresAt: T0 + 29 * DAY,
  documentDigest: documentDigest(credential),
  devicePublicKey: device.pair.publicKey,
});
const bindingOf = (name: DocName, sign = bff, kid = KID) =>
  signBinding(kid, bindingClaims(docs[name].credential), sign);

function bindingVector() {
  const claims = bindingClaims(docs.drivingLicence.credential);
  const payload = encodeBindingPayload(claims);
  const protectedBytes = sign1Protected(KID);
  return {
    kid: KID,
    claims: {
      ...claims,
      documentDigest: toHex(claims.documentDigest),
      devicePublicKey: toHex(claims.devicePublicKey),
    },
    payload: toHex(payload),
    protected: toHex(protectedBytes),
    externalAad: toHex(BINDING_AAD),
    toBeSigned: toHex(sign1ToBeSigned(protectedBytes, BINDING_AAD, payload)),
    bytes: toHex(bindingOf('drivingLicence')),
  };
}

const code = (name: DocName, purpose: string | undefined, label: string, binding = bindingOf(name)) =>
  buildDocumentCode({
    document: docs[name].credential,
    secrets: docs[name].secrets,
    binding,
    ...(purpose === undefined ? {} : { purpose }),
    deviceSecretKey: keys.device.pair.secretKey,
    now: T0,
    nonce: nonceOf(label),
    ed25519: ed,
  });

function codeVector(name: string, doc: DocName, purpose: string | undefined, label: string) {
  const text = code(doc, purpose, label);
  const parsed = parseDocumentCode(text);
  const d = docs[doc];
  const shown = [...parsed.disclosure.values.keys()].map((slot) => d.type.fields[slot]!.key);
  return {
    name,
    document: doc,
    purpose: purpose ?? null,
    purposeId: parsed.purposeId,
    nonce: toHex(parsed.nonce),
    timestamp: T0,
    disclosed: shown,
    values: toHex(cborEncode(parsed.disclosure.values as Map<number, CborValue>)),
    salts: toHex(parsed.disclosure.salts),
    proof: toHex(parsed.disclosure.proof),
    signingInput: toHex(documentCodeSigningInput(parsed)),
    signature: toHex(parsed.signature),
    cbor: toHex(parsed.bytes),
    text,
    size: size(parsed.bytes, text),
    fields: jsonValues(Object.fromEntries(shown.map((k) => [k, d.secrets.values[k] ?? null]))),
  };
}

/** A driving-licence code whose device changed vehicleClass to A1 and signed the lie. */
function tamperedCode(): string {
  const d = docs.drivingLicence;
  const fields = d.type.visibility.government_services!;
  const disclosure = discloseDocumentFields(d.type, d.secrets, fields);
  const slot = d.type.fields.findIndex((f) => f.key === 'vehicleClass');
  const values = new Map(disclosure.values);
  values.set(slot, 'A1');
  return signDocumentCode(
    {
      document: d.credential,
      binding: bindingOf('drivingLicence'),
      timestamp: T0,
      nonce: nonceOf('licence code tampered'),
      purposeId: 11,
      disclosure: { ...disclosure, values },
    },
    keys.device.pair.secretKey,
    ed,
  );
}

/** A valid code's bytes re-signed by device B, whose key the binding does not name. */
function otherDeviceCode(): string {
  const parsed = parseDocumentCode(
    code('drivingLicence', 'government_services', 'licence code other device'),
  );
  return signDocumentCode(parsed, keys.otherDevice.pair.secretKey, ed);
}

const WINDOW = {
  id: 'win-370100-cgs-03',
  name: '3号窗口（机动车登记）',
  organisation: '济南市公安局交通警察支队车辆管理所',
};
const STAFF = { id: 'staff-370100-0042', displayName: '李静' };
const REQUEST_ID = sha256(utf8Encode('document request 1')).subarray(0, 16);

export const request: DocumentRequest = {
  province: '37',
  requestId: REQUEST_ID,
  window: WINDOW,
  staff: STAFF,
  service: 'vehicle_transfer',
  purpose: '办理机动车转移登记',
  documents: [
    {
      type: 'vehicle_registration',
      fields: documentType('vehicle_registration')!.visibility.vehicle_transfer!,
      required: true,
    },
    {
      type: 'residence_permit',
      fields: documentType('residence_permit')!.visibility.vehicle_transfer!,
      required: false,
    },
  ],
  createdAt: T0,
  answerBy: T0 + 10 * MINUTE,
  accessForMs: DAY,
};

const requestJson = (r: DocumentRequest) => ({ ...r, requestId: toHex(r.requestId) });

function requestVector() {
  const text = signRequestCode(KID, request, bff);
  const payload = encodeRequestPayload(request);
  const protectedBytes = sign1Protected(KID);
  const bytes = requestCodeBytes(text);
  return {
    kid: KID,
    request: requestJson(request),
    payload: toHex(payload),
    protected: toHex(protectedBytes),
    externalAad: toHex(REQUEST_AAD),
    toBeSigned: toHex(sign1ToBeSigned(protectedBytes, REQUEST_AAD, payload)),
    bytes: toHex(bytes),
    text,
    digest: requestCodeDigest(text),
    size: size(bytes, text),
  };
}

/** The genuine request with one character of the window's name changed (3号 -> 8号), signature kept. */
function alteredRequest(): string {
  const bytes = requestCodeBytes(signRequestCode(KID, request, bff));
  const at = toHex(bytes).indexOf(toHex(utf8Encode('3号窗口'))) / 2;
  const altered = bytes.slice();
  altered[at] = '8'.charCodeAt(0);
  return `EIDR1:${base45Encode(altered)}`;
}

/** A request whose payload the signer extended by a field the service may not read (the owner's address). */
function overreachingRequest(): string {
  const payload = cborDecode(encodeRequestPayload(request)) as Map<number, CborValue>;
  const documents = payload.get(7) as Map<number, CborValue>[];
  documents[0]!.set(2, [...(documents[0]!.get(2) as string[]), 'address']);
  return `EIDR1:${base45Encode(sign1Create(KID, REQUEST_AAD, cborEncode(payload), bff))}`;
}

export function receiptOf(requestText: string): DocumentCallReceipt {
  const vr = docs.vehicleRegistration;
  return {
    province: '37',
    requestId: REQUEST_ID,
    requestDigest: sha256(requestCodeBytes(requestText)),
    window: WINDOW,
    staff: STAFF,
    service: 'vehicle_transfer',
    purpose: request.purpose,
    documents: [
      {
        type: 'vehicle_registration',
        identifier: formatLicenceIdentifier({
          typeCode: vr.type.typeCode,
          issuerCode: LICENCE_ISSUER_USCC,
          serial: vr.spec.serial,
          version: vr.spec.version,
        }),
        digest: documentDigest(vr.credential),
        fields: request.documents[0]!.fields,
      },
    ],
    approvedAt: T0 + 2 * MINUTE,
    accessUntil: T0 + 2 * MINUTE + DAY,
  };
}

function receiptVector(requestText: string) {
  const receipt = receiptOf(requestText);
  const payload = encodeReceiptPayload(receipt);
  const protectedBytes = sign1Protected(KID);
  const bytes = signReceipt(KID, receipt, bff);
  const altered = bytes.slice();
  // The last byte of the payload is accessUntil's lowest byte: the window would read 1 s longer.
  const end = toHex(bytes).indexOf(toHex(payload)) / 2 + payload.length - 1;
  altered[end] = altered[end]! + 1;
  return {
    kid: KID,
    receipt: {
      ...receipt,
      requestId: toHex(receipt.requestId),
      requestDigest: toHex(receipt.requestDigest),
      documents: receipt.documents.map((d) => ({ ...d, digest: toHex(d.digest) })),
    },
    payload: toHex(payload),
    protected: toHex(protectedBytes),
    externalAad: toHex(RECEIPT_AAD),
    toBeSigned: toHex(sign1ToBeSigned(protectedBytes, RECEIPT_AAD, payload)),
    bytes: toHex(bytes),
    text: receiptText(receipt),
    altered: toHex(altered),
    rogue: toHex(signReceipt(ROGUE_KID, receipt, rogueBff)),
  };
}

const annotationInput = {
  province: '37',
  requestId: REQUEST_ID,
  service: 'vehicle_transfer',
  purpose: request.purpose,
  windowName: WINDOW.name,
  organisation: WINDOW.organisation,
  accessUntil: T0 + 2 * MINUTE + DAY,
  annotatedAt: T0 + 3 * MINUTE,
};

const annotated = (doc: DocName, sign = bff, kid = KID) =>
  buildAnnotatedPayload({
    document: docs[doc].credential,
    secrets: docs[doc].secrets,
    fields: docs[doc].type.visibility.vehicle_transfer ?? docs[doc].type.visibility.government_services!,
    annotation: annotationInput,
    kid,
    sign,
  });

function annotatedVector() {
  const text = annotated('vehicleRegistration');
  const parts = parseAnnotatedPayload(text);
  const sign1 = sign1Decode(parts.annotation);
  const vr = docs.vehicleRegistration;
  const shown = [...parts.disclosure.values.keys()].map((slot) => vr.type.fields[slot]!.key);
  return {
    document: 'vehicleRegistration',
    annotation: {
      kid: KID,
      claims: {
        ...annotationInput,
        requestId: toHex(REQUEST_ID),
        documentDigest: toHex(documentDigest(vr.credential)),
        slots: [...parts.disclosure.values.keys()],
      },
      payload: toHex(sign1.payload),
      externalAad: toHex(ANNOTATION_AAD),
      toBeSigned: toHex(sign1ToBeSigned(sign1.protectedBytes, ANNOTATION_AAD, sign1.payload)),
      bytes: toHex(parts.annotation),
    },
    disclosed: shown,
    values: toHex(cborEncode(parts.disclosure.values as Map<number, CborValue>)),
    salts: toHex(parts.disclosure.salts),
    proof: toHex(parts.disclosure.proof),
    cbor: toHex(parts.bytes),
    text,
    size: size(parts.bytes, text),
    fields: jsonValues(Object.fromEntries(shown.map((k) => [k, vr.secrets.values[k] ?? null]))),
  };
}

/** The annotated payload with the last printed field left out (disclosure re-derived, annotation kept). */
function strippedAnnotated(): string {
  const vr = docs.vehicleRegistration;
  const parts = parseAnnotatedPayload(annotated('vehicleRegistration'));
  const fields = vr.type.visibility.vehicle_transfer!.slice(0, -1);
  return encodeAnnotatedPayload({
    ...parts,
    disclosure: discloseDocumentFields(vr.type, vr.secrets, fields),
  });
}

/** The vehicle registration's disclosure under the annotation the window got for the driving licence. */
function swappedAnnotation(): string {
  const parts = parseAnnotatedPayload(annotated('vehicleRegistration'));
  const other = parseAnnotatedPayload(annotated('drivingLicence'));
  return encodeAnnotatedPayload({ ...parts, annotation: other.annotation });
}

interface Case {
  name: string;
  kind: 'code' | 'annotated' | 'request' | 'receipt';
  /** Text (code, annotated, request) or hex bytes (receipt). */
  input: string;
  now: number;
  /** `fresh`: the status list of this file; `none`: no list. */
  statusList: 'fresh' | 'none';
  /** A verdict (code, annotated) or `ok` / a refusal reason (request, receipt). */
  expect: string;
}

function cases(requestText: string, receipt: ReturnType<typeof receiptVector>): Case[] {
  const c = (
    name: string,
    kind: Case['kind'],
    input: string,
    expect: string,
    now = NOW,
    statusList: Case['statusList'] = 'fresh',
  ): Case => ({ name, kind, input, now, statusList, expect });
  const dlCode = code('drivingLicence', 'government_services', 'licence code dl');
  return [
    c('driving licence, government services', 'code', dlCode, 'valid'),
    c(
      'vehicle registration, vehicle transfer',
      'code',
      code('vehicleRegistration', 'vehicle_transfer', 'licence code vr'),
      'valid',
    ),
    c('driving licence, no field', 'code', code('drivingLicence', undefined, 'licence code none'), 'valid'),
    c('the same code 61 s later', 'code', dlCode, 'expired', T0 + 61_000),
    c('the same code from 11 s ahead of the verifier', 'code', dlCode, 'not_yet_valid', T0 - 11_000),
    c('the same code without a status list', 'code', dlCode, 'status_unknown', NOW, 'none'),
    c('tampered field (device re-signed vehicleClass A1)', 'code', tamperedCode(), 'tampered'),
    c(
      'revoked in the status list',
      'code',
      code('revoked', 'government_services', 'licence code revoked'),
      'revoked',
    ),
    c(
      'suspended in the status list',
      'code',
      code('suspended', 'government_services', 'licence code suspended'),
      'suspended',
    ),
    c(
      'expired document (valid until 2020-03-16)',
      'code',
      code('expired', 'government_services', 'licence code expired'),
      'expired',
    ),
    c(
      'unknown issuer (signed under a kid the list does not name)',
      'code',
      code('unknownIssuer', 'government_services', 'licence code unknown'),
      'unknown_issuer',
    ),
    c(
      'binding signed by a key outside the trust list',
      'code',
      code(
        'drivingLicence',
        'government_services',
        'licence code rogue binding',
        bindingOf('drivingLicence', rogueBff, ROGUE_KID),
      ),
      'unknown_issuer',
    ),
    c(
      'binding of another document',
      'code',
      (() => {
        const p = parseDocumentCode(dlCode);
        return signDocumentCode(
          { ...p, binding: bindingOf('vehicleRegistration') },
          keys.device.pair.secretKey,
          ed,
        );
      })(),
      'bad_signature',
    ),
    c('signed by another device', 'code', otherDeviceCode(), 'bad_signature'),
    c('not a code', 'code', 'EIDD1:NOT-A-CODE', 'malformed'),
    c(
      'annotated copy of the vehicle registration',
      'annotated',
      annotated('vehicleRegistration'),
      'valid',
      ANNOTATED_NOW,
    ),
    c(
      'annotated copy, a printed field left out',
      'annotated',
      strippedAnnotated(),
      'tampered',
      ANNOTATED_NOW,
    ),
    c(
      'annotated copy, annotation of another document',
      'annotated',
      swappedAnnotation(),
      'bad_signature',
      ANNOTATED_NOW,
    ),
    c('annotated copy of a revoked document', 'annotated', annotated('revoked'), 'revoked', ANNOTATED_NOW),
    c('annotated copy of an expired document', 'annotated', annotated('expired'), 'expired', ANNOTATED_NOW),
    c(
      'annotated copy of a document by an unknown issuer',
      'annotated',
      annotated('unknownIssuer'),
      'unknown_issuer',
      ANNOTATED_NOW,
    ),
    c(
      'annotated copy without a status list',
      'annotated',
      annotated('vehicleRegistration'),
      'status_unknown',
      ANNOTATED_NOW,
      'none',
    ),
    c('request code', 'request', requestText, 'ok'),
    c(
      "annotated copy made 3 min after the verifier's clock",
      'annotated',
      annotated('vehicleRegistration'),
      'not_yet_valid',
      NOW,
    ),
    c('request code after its answer-by time', 'request', requestText, 'expired', T0 + 10 * MINUTE),
    c(
      'forged request (own key, own kid)',
      'request',
      signRequestCode(ROGUE_KID, request, rogueBff),
      'unknown_signer',
    ),
    c(
      'forged request (own key under the real kid)',
      'request',
      signRequestCode(KID, request, rogueBff),
      'bad_signature',
    ),
    c('altered request (window name 3号 -> 8号)', 'request', alteredRequest(), 'bad_signature'),
    c('request asking a field the service may not read', 'request', overreachingRequest(), 'overreach'),
    c('not a request code', 'request', 'EIDR1:%%%', 'malformed'),
    c('receipt', 'receipt', receipt.bytes, 'ok'),
    c('altered receipt (accessUntil + 1 s)', 'receipt', receipt.altered, 'bad_signature'),
    c('receipt signed by a key outside the trust list', 'receipt', receipt.rogue, 'unknown_signer'),
  ];
}

/** The contents of licence-codes.json. */
export function licenceCodesVectors() {
  checkAgainstDocumentVectors();
  const requestText = signRequestCode(KID, request, bff);
  const receipt = receiptVector(requestText);
  return {
    description:
      'Licence codes (docs/formats/licence-codes.md). Keys: keys.json (root signs the issuer list, issuer = the BFF province key vec-37-1 of trust-list.json signs bindings, requests, receipts and annotations, licenceIssuer signs documents, device signs codes). Verify each case at `now` with issuerList, trust-list.json and the status list it names.',
    maxStatusAgeMs: MAX_STATUS_AGE_MS,
    bffKid: KID,
    issuerList: issuerList(),
    statusList: statusList(),
    documents: Object.fromEntries(
      Object.entries(docs).map(([name, d]) => [
        name,
        {
          type: d.spec.type,
          kid: d.spec.kid ?? LICENCE_ISSUER_KID,
          credential: toHex(d.credential),
          digest: toHex(documentDigest(d.credential)),
          seed: toHex(d.secrets.seed),
          values: jsonValues(d.secrets.values),
          secrets: toHex(encodeDocumentSecrets(d.type, d.secrets)),
        },
      ]),
    ),
    binding: bindingVector(),
    codes: [
      codeVector(
        'driving licence for government_services (purpose 11)',
        'drivingLicence',
        'government_services',
        'licence code dl',
      ),
      codeVector(
        'vehicle registration for vehicle_transfer (service 106)',
        'vehicleRegistration',
        'vehicle_transfer',
        'licence code vr',
      ),
      codeVector(
        'driving licence with no field (purpose 0)',
        'drivingLicence',
        undefined,
        'licence code none',
      ),
    ],
    annotated: annotatedVector(),
    request: requestVector(),
    receipt,
    cases: cases(requestText, receipt),
  };
}
