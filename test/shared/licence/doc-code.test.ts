import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import QRCode from 'qrcode';
import {
  CborShapeError,
  DOCUMENT_CODE_PREFIX,
  base45Decode,
  base45Encode,
  buildDocumentCode,
  cborEncode,
  concatBytes,
  discloseDocumentFields,
  documentCodeSigningInput,
  documentDisclosureFor,
  documentPurposeId,
  documentPurposeOf,
  documentType,
  fromHex,
  parseDocumentCode,
  signDocumentCode,
  toHex,
  tweetnaclEd25519 as ed,
  verifyDocumentCodeSignature,
  type CborValue,
} from '@eid/shared';
import { ED25519_PATHS, nodeSha256, pairs, vectorDocument, vectors } from '../../helpers/licence-codes';

const T0 = vectors.codes[0]!.timestamp;
const dl = vectorDocument('drivingLicence');
const vr = vectorDocument('vehicleRegistration');
const dlBinding = fromHex(vectors.binding.bytes);
const qrVersion = (text: string) => QRCode.create(text, { errorCorrectionLevel: 'M' }).version;
const docPage = readFileSync(join(__dirname, '../../../docs/formats/licence-codes.md'), 'utf8');

/** The vector code's inputs (its document, the binding the vector made for it, its purpose and nonce). */
function inputsOf(c: (typeof vectors.codes)[number]) {
  const doc = vectorDocument(c.document as 'drivingLicence' | 'vehicleRegistration');
  const text = c.text;
  return {
    doc,
    binding: parseDocumentCode(text).binding,
    purpose: c.purpose ?? undefined,
    nonce: fromHex(c.nonce),
  };
}

describe('document code', () => {
  describe.each(ED25519_PATHS)('with %s', (_name, ed25519) => {
    it.each(vectors.codes.map((c) => [c.name, c] as const))(
      'when the vector code "%s" is built again, then it is byte-identical',
      (_n, c) => {
        const { doc, binding, purpose, nonce } = inputsOf(c);
        const text = buildDocumentCode({
          document: doc.credential,
          secrets: doc.secrets,
          binding,
          ...(purpose ? { purpose } : {}),
          deviceSecretKey: pairs.device.secretKey,
          now: T0,
          nonce,
          ed25519,
          sha256: nodeSha256,
        });
        expect(text).toBe(c.text);
      },
    );

    it.each(vectors.codes.map((c) => [c.name, c] as const))(
      'when the vector code "%s" is parsed, then its parts, signing input and device signature are the vector',
      (_n, c) => {
        const parsed = parseDocumentCode(c.text);
        expect(toHex(parsed.bytes)).toBe(c.cbor);
        expect(parsed.timestamp).toBe(T0);
        expect(parsed.purposeId).toBe(c.purposeId);
        expect(toHex(cborEncode(parsed.disclosure.values as Map<number, CborValue>))).toBe(c.values);
        expect(toHex(parsed.disclosure.salts)).toBe(c.salts);
        expect(toHex(parsed.disclosure.proof)).toBe(c.proof);
        expect(toHex(documentCodeSigningInput(parsed))).toBe(c.signingInput);
        expect(verifyDocumentCodeSignature(parsed, pairs.device.publicKey, ed25519)).toBe(true);
        expect(verifyDocumentCodeSignature(parsed, pairs.otherDevice.publicKey, ed25519)).toBe(false);
      },
    );
  });

  it('when the signing input is built by hand, then it is CBOR ["EID document code v1", the first eight items]', () => {
    const parsed = parseDocumentCode(vectors.codes[0]!.text);
    const d = parsed.disclosure;
    const expected = cborEncode([
      'EID document code v1',
      parsed.document,
      parsed.binding,
      T0 / 1000,
      parsed.nonce,
      parsed.purposeId,
      d.values as Map<number, CborValue>,
      d.salts,
      d.proof,
    ]);
    expect(documentCodeSigningInput(parsed)).toEqual(expected);
  });

  it('when a type and a purpose or service are named, then the disclosure is the type visibility for it', () => {
    expect(documentDisclosureFor(vr.type, 'vehicle_transfer')).toEqual(vr.type.visibility.vehicle_transfer);
    expect(documentDisclosureFor(dl.type, 'government_services')).toEqual(
      dl.type.visibility.government_services,
    );
    expect(documentDisclosureFor(dl.type, 'vehicle_transfer')).toBeUndefined();
    expect(documentDisclosureFor(dl.type, 'no_such_purpose')).toBeUndefined();
    expect(documentDisclosureFor(dl.type, 'toString')).toBeUndefined();
    expect(documentPurposeId('vehicle_transfer')).toBe(106);
    expect(documentPurposeId('government_services')).toBe(11);
    expect(documentPurposeOf(106)).toEqual({ kind: 'service', code: 'vehicle_transfer' });
    expect(documentPurposeOf(11)).toEqual({ kind: 'purpose', code: 'government_services' });
    expect(documentPurposeOf(0)).toBeUndefined();
    expect(documentPurposeOf(999)).toBeUndefined();
  });

  it('when a code is built for a service, then it discloses exactly that service fields and names the service id', () => {
    const parsed = parseDocumentCode(vectors.codes[1]!.text);
    const keys = [...parsed.disclosure.values.keys()].map((slot) => vr.type.fields[slot]!.key);
    expect(keys).toEqual(documentType('vehicle_registration')!.visibility.vehicle_transfer);
    expect(keys).not.toContain('address');
    expect(parsed.purposeId).toBe(106);
  });

  describe('when the wallet would show a code every verifier refuses, then building throws', () => {
    const base = {
      document: dl.credential,
      secrets: dl.secrets,
      binding: dlBinding,
      deviceSecretKey: pairs.device.secretKey,
      now: T0,
    };
    it.each([
      ['secrets of another document', { secrets: vr.secrets }],
      ['a binding of another document', { binding: parseDocumentCode(vectors.codes[1]!.text).binding }],
      ['another device key', { deviceSecretKey: pairs.otherDevice.secretKey }],
      [
        'a service the type grants nothing (driving licence, vehicle_transfer)',
        { purpose: 'vehicle_transfer' },
      ],
      ['an unknown purpose', { purpose: 'shopping' }],
      ['a nonce of 7 bytes', { nonce: new Uint8Array(7) }],
    ])('%s', (_what, change) => {
      expect(() => buildDocumentCode({ ...base, ...change })).toThrow();
    });
  });

  describe('when the text is not exactly a document code, then parsing throws CborShapeError', () => {
    const text = vectors.codes[0]!.text;
    const bytes = base45Decode(text.slice(DOCUMENT_CODE_PREFIX.length));
    const parsed = parseDocumentCode(text);
    const nonceAt =
      1 +
      cborEncode(parsed.document).length +
      cborEncode(parsed.binding).length +
      cborEncode(T0 / 1000).length;
    const respelledNonce = concatBytes(
      bytes.subarray(0, nonceAt),
      Uint8Array.of(0x58, 0x08),
      bytes.subarray(nonceAt + 1),
    );
    const items = [parsed.document, parsed.binding, T0 / 1000, parsed.nonce, 11] as CborValue[];
    const d = parsed.disclosure;
    const withValues = (values: Map<number, CborValue>) =>
      DOCUMENT_CODE_PREFIX + base45Encode(cborEncode([...items, values, d.salts, d.proof, parsed.signature]));
    it.each([
      ['the v2 card prefix', `EID2:${text.slice(DOCUMENT_CODE_PREFIX.length)}`],
      ['lower-case base45', text.toLowerCase().replace('eidd1:', 'EIDD1:')],
      ['a trailing byte', DOCUMENT_CODE_PREFIX + base45Encode(concatBytes(bytes, Uint8Array.of(0)))],
      [
        'the nonce length in a two-byte head (non-canonical CBOR)',
        DOCUMENT_CODE_PREFIX + base45Encode(respelledNonce),
      ],
      [
        'an 8-array',
        DOCUMENT_CODE_PREFIX + base45Encode(cborEncode([...items, d.salts, d.proof, parsed.signature])),
      ],
      ['a disclosed slot beyond 63', withValues(new Map([[64, 'x']]))],
      [
        'a text key in the values',
        withValues(new Map([['holderName', 'x']]) as unknown as Map<number, CborValue>),
      ],
      ['more than 4096 characters', DOCUMENT_CODE_PREFIX + '0'.repeat(4096)],
    ])('%s', (_what, bad) => {
      expect(() => parseDocumentCode(bad)).toThrow(CborShapeError);
    });
  });

  it('when a signature is made over a disclosure the device edited, then it still verifies: the verifier needs the root (tampered)', () => {
    const disclosure = discloseDocumentFields(dl.type, dl.secrets, dl.type.visibility.government_services!);
    const values = new Map(disclosure.values).set(
      dl.type.fields.findIndex((f) => f.key === 'vehicleClass'),
      'A1',
    );
    const text = signDocumentCode(
      {
        document: dl.credential,
        binding: dlBinding,
        timestamp: T0,
        nonce: new Uint8Array(8),
        purposeId: 11,
        disclosure: { ...disclosure, values },
      },
      pairs.device.secretKey,
      ed,
    );
    expect(verifyDocumentCodeSignature(parseDocumentCode(text), pairs.device.publicKey, ed)).toBe(true);
  });

  describe('sizes', () => {
    const rows = [
      ...vectors.codes.map((c) => ({ name: c.name, text: c.text, bytes: parseDocumentCode(c.text).bytes })),
      {
        name: 'annotated copy of the vehicle registration (vehicle_transfer fields)',
        text: vectors.annotated.text,
        bytes: fromHex(vectors.annotated.cbor),
      },
      {
        name: 'window request code (vehicle_transfer)',
        text: vectors.request.text,
        bytes: fromHex(vectors.request.bytes),
      },
    ];

    it.each(rows.map((r) => [r.name, r] as const))(
      'when "%s" is measured, then bytes, characters and QR version at M are the ones docs/formats/licence-codes.md prints',
      (_n, r) => {
        const row = `| ${r.name} | ${r.bytes.length} | ${r.text.length} | ${qrVersion(r.text)} |`;
        expect(docPage).toContain(row);
      },
    );

    it('when a driving licence code discloses every field, then it still fits a QR code at M (version <= 30)', () => {
      const all = dl.type.fields.map((f) => f.key);
      const text = signDocumentCode(
        {
          document: dl.credential,
          binding: dlBinding,
          timestamp: T0,
          nonce: new Uint8Array(8),
          purposeId: 0,
          disclosure: discloseDocumentFields(dl.type, dl.secrets, all),
        },
        pairs.device.secretKey,
        ed,
      );
      const row = `| driving licence, every field (upper bound) | ${parseDocumentCode(text).bytes.length} | ${text.length} | ${qrVersion(text)} |`;
      expect(docPage).toContain(row);
      expect(qrVersion(text)).toBeLessThanOrEqual(30);
    });
  });
});
