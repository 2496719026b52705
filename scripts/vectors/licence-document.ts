/**
 * licence-document.json: two document credentials (docs/formats/licence-document.md), a driving licence and
 * a long-term vehicle registration, signed by the vectors' licence issuing body, with every intermediate
 * value, each with the disclosure of one service's or purpose's fields and a tampered copy of it.
 */
import {
  DOCUMENT_AAD,
  cborEncode,
  discloseDocumentFields,
  documentSdTree,
  documentType,
  encodeDocumentPayload,
  encodeDocumentSecrets,
  formatLicenceIdentifier,
  issueDocumentCredential,
  makeUscc,
  sdRoot,
  sign1Protected,
  sign1ToBeSigned,
  toHex,
  tweetnaclEd25519 as ed,
  type CborValue,
  type DocValue,
  type DocumentClaims,
  type DocumentSecrets,
  type SdDisclosure,
} from '@eid/shared';
import { T0, keyOf, seedOf } from './fixture';
import { SAMPLE_DOCUMENTS } from './licence-samples';

/** The issuing body of the vector documents (a traffic police detachment in Jinan), and its key. */
export const LICENCE_ISSUER_KID = 'vec-lic-37-1';
export const LICENCE_ISSUER_USCC = makeUscc({
  registrationAuthority: '1',
  category: '1',
  regionCode: '370100',
  organisationBody: 'EXAMPLE8',
});
export const licenceIssuerKey = keyOf('licence issuer 37-1');

interface VectorDocument {
  type: string;
  serial: string;
  version: number;
  statusIndex: number;
  issuedAt: number;
  values: Readonly<Record<string, DocValue>>;
  /** The card purpose or service whose fields the disclosure shows. */
  disclose: string;
  /** A disclosed field and the value a tampered copy puts in its place. */
  tamper: { field: string; value: DocValue };
}

const DOCUMENTS: VectorDocument[] = [
  {
    type: 'driving_licence',
    serial: '3701002020DL00012345',
    version: 1,
    statusIndex: 5,
    issuedAt: T0 - 30 * 86_400_000,
    values: SAMPLE_DOCUMENTS.driving_licence!,
    disclose: 'government_services',
    tamper: { field: 'vehicleClass', value: 'A1' },
  },
  {
    type: 'vehicle_registration',
    serial: '3701002021VR00067890',
    version: 2,
    statusIndex: 6,
    issuedAt: T0 - 10 * 86_400_000,
    values: SAMPLE_DOCUMENTS.vehicle_registration!,
    disclose: 'vehicle_transfer',
    tamper: { field: 'owner', value: '王小二' },
  },
];

const jsonValues = (values: Readonly<Record<string, DocValue | null>>) =>
  Object.fromEntries(
    Object.entries(values).map(([k, v]) => [k, v instanceof Uint8Array ? { hex: toHex(v) } : v]),
  );

const disclosureJson = (d: SdDisclosure) => ({
  values: toHex(cborEncode(d.values as Map<number, CborValue>)),
  salts: toHex(d.salts),
  proof: toHex(d.proof),
});

function vector(doc: VectorDocument) {
  const type = documentType(doc.type)!;
  const identifier = formatLicenceIdentifier({
    typeCode: type.typeCode,
    issuerCode: LICENCE_ISSUER_USCC,
    serial: doc.serial,
    version: doc.version,
  });
  const secrets: DocumentSecrets = {
    seed: seedOf(`licence document ${doc.type}`).subarray(0, 16),
    values: doc.values,
  };
  const tree = documentSdTree(type, secrets);
  const claims: Omit<DocumentClaims, 'sdRoot'> = {
    issuer: LICENCE_ISSUER_USCC,
    identifier,
    issuedAt: doc.issuedAt,
    docType: doc.type,
    validFrom: doc.values.validFrom as string,
    ...(doc.values.validUntil === undefined ? {} : { validUntil: doc.values.validUntil as string }),
    statusIndex: doc.statusIndex,
    version: doc.version,
  };
  const root = sdRoot(tree);
  const payload = encodeDocumentPayload({ ...claims, sdRoot: root });
  const protectedBytes = sign1Protected(LICENCE_ISSUER_KID);
  const credential = issueDocumentCredential(LICENCE_ISSUER_KID, claims, secrets, (tbs) =>
    ed.sign(licenceIssuerKey.pair.secretKey, tbs),
  );
  const fields = type.visibility[doc.disclose]!;
  const disclosure = discloseDocumentFields(type, secrets, fields);
  const slot = type.fields.findIndex((f) => f.key === doc.tamper.field);
  const tamperedValues = new Map(disclosure.values);
  const tamperedValue =
    type.fields[slot]!.kind === 'date'
      ? Number(String(doc.tamper.value).replace(/-/g, ''))
      : doc.tamper.value;
  tamperedValues.set(slot, tamperedValue as CborValue);
  return {
    type: doc.type,
    claims: { ...claims, sdRoot: toHex(root) },
    seed: toHex(secrets.seed),
    values: jsonValues(doc.values),
    slots: tree.values.map((v) => (v === null ? null : toHex(cborEncode(v)))),
    secrets: toHex(encodeDocumentSecrets(type, secrets)),
    payload: toHex(payload),
    protected: toHex(protectedBytes),
    externalAad: toHex(DOCUMENT_AAD),
    toBeSigned: toHex(sign1ToBeSigned(protectedBytes, DOCUMENT_AAD, payload)),
    credential: toHex(credential),
    disclosure: {
      for: doc.disclose,
      fields,
      positions: [...disclosure.values.keys()],
      ...disclosureJson(disclosure),
    },
    tampered: {
      field: doc.tamper.field,
      value: doc.tamper.value,
      values: toHex(cborEncode(tamperedValues as Map<number, CborValue>)),
    },
  };
}

/** The contents of licence-document.json. */
export function licenceDocumentVectors() {
  return {
    description:
      'Document credentials (docs/formats/licence-document.md) signed by keys.json licenceIssuer, with their trees, secrets and one disclosure each (hex). The tampered disclosure keeps salts and proof and changes one value: its root no longer matches.',
    issuer: {
      kid: LICENCE_ISSUER_KID,
      uscc: LICENCE_ISSUER_USCC,
      publicKey: toHex(licenceIssuerKey.pair.publicKey),
    },
    documents: DOCUMENTS.map(vector),
  };
}
