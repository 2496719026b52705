import {
  CborShapeError,
  DOCUMENT_AAD,
  DOCUMENT_CLAIM,
  cborDecode,
  cborEncode,
  decodeDocumentCredential,
  decodeDocumentSecrets,
  discloseDocumentFields,
  documentSdLayout,
  documentSdTree,
  documentType,
  encodeDocumentPayload,
  encodeDocumentSecrets,
  formatLicenceIdentifier,
  fromHex,
  issueDocumentCredential,
  makeUscc,
  openDocumentDisclosure,
  sdImpliedRoot,
  sdRoot,
  sign1Create,
  sign1Protected,
  sign1ToBeSigned,
  toHex,
  tweetnaclEd25519,
  verifyDocumentSignature,
  type CborValue,
  type DocValue,
  type DocumentClaims,
  type DocumentSecrets,
  type DocumentType,
  type SdDisclosure,
} from '@eid/shared';
import { createNodeEd25519 } from '@eid/bff/infra/ed25519';
import keys from '../../../docs/formats/vectors/keys.json';
import vectors from '../../../docs/formats/vectors/licence-document.json';

type Vector = (typeof vectors.documents)[number];

const nodeEd25519 = createNodeEd25519();
const PATHS = [
  ['tweetnacl', tweetnaclEd25519],
  ['node:crypto', nodeEd25519],
] as const;
const issuerPair = tweetnaclEd25519.keyPairFromSeed(fromHex(keys.licenceIssuer.seed));
const KID = keys.licenceIssuer.kid;

const valuesOf = (v: Vector): Record<string, DocValue> =>
  Object.fromEntries(
    Object.entries(v.values).map(([k, x]) => [
      k,
      typeof x === 'object' ? fromHex((x as { hex: string }).hex) : x,
    ]),
  );
const secretsOf = (v: Vector): DocumentSecrets => ({ seed: fromHex(v.seed), values: valuesOf(v) });
const claimsOf = (v: Vector): Omit<DocumentClaims, 'sdRoot'> => {
  const { sdRoot: _root, ...claims } = v.claims;
  return claims;
};
const typeOf = (v: Vector): DocumentType => documentType(v.type)!;
const disclosureOf = (d: { values: string; salts: string; proof: string }): SdDisclosure => ({
  values: cborDecode(fromHex(d.values)) as Map<number, CborValue>,
  salts: fromHex(d.salts),
  proof: fromHex(d.proof),
});

/** Signs any payload as a document credential with the vectors' issuing body, for shapes issue would refuse. */
const signRaw = (payload: Map<number, CborValue>, kid = KID) =>
  sign1Create(kid, DOCUMENT_AAD, cborEncode(payload), (tbs) =>
    tweetnaclEd25519.sign(issuerPair.secretKey, tbs),
  );
const payloadOf = (v: Vector) => cborDecode(fromHex(v.payload)) as Map<number, CborValue>;
const changed = (v: Vector, key: number, value: CborValue | undefined) => {
  const m = new Map(payloadOf(v));
  if (value === undefined) m.delete(key);
  else m.set(key, value);
  return m;
};

const OTHER_ISSUER = makeUscc({
  registrationAuthority: '1',
  category: '1',
  regionCode: '370200',
  organisationBody: 'EXAMPLE9',
});

describe('licence document vectors', () => {
  it('when the vector issuer is compared with keys.json, then kid, USCC and public key agree', () => {
    expect(vectors.issuer).toEqual({
      kid: keys.licenceIssuer.kid,
      uscc: keys.licenceIssuer.uscc,
      publicKey: keys.licenceIssuer.publicKey,
    });
    expect(toHex(issuerPair.publicKey)).toBe(keys.licenceIssuer.publicKey);
    expect(vectors.documents.map((d) => d.type)).toEqual(['driving_licence', 'vehicle_registration']);
  });

  describe.each(vectors.documents.map((v) => [v.type, v] as const))('%s', (_, v) => {
    const type = typeOf(v);
    const secrets = secretsOf(v);

    it('when the vector inputs are encoded, then tree, secrets, payload, protected header and to-be-signed match', () => {
      const tree = documentSdTree(type, secrets);
      expect(tree.values.map((x) => (x === null ? null : toHex(cborEncode(x))))).toEqual(v.slots);
      expect(toHex(sdRoot(tree))).toBe(v.claims.sdRoot);
      expect(toHex(encodeDocumentSecrets(type, secrets))).toBe(v.secrets);
      const payload = encodeDocumentPayload({ ...claimsOf(v), sdRoot: fromHex(v.claims.sdRoot) });
      expect(toHex(payload)).toBe(v.payload);
      expect(toHex(sign1Protected(KID))).toBe(v.protected);
      expect(toHex(DOCUMENT_AAD)).toBe(v.externalAad);
      expect(toHex(sign1ToBeSigned(fromHex(v.protected), DOCUMENT_AAD, payload))).toBe(v.toBeSigned);
    });

    it.each(PATHS)(
      'when issued by the %s signer, then the credential is the vector byte for byte',
      (_p, ed) => {
        const bytes = issueDocumentCredential(KID, claimsOf(v), secrets, (tbs) =>
          ed.sign(issuerPair.secretKey, tbs),
        );
        expect(toHex(bytes)).toBe(v.credential);
      },
    );

    it.each(PATHS)(
      'when verified on the %s path, then the signature holds, and fails for another key or payload',
      (_p, ed) => {
        const doc = decodeDocumentCredential(fromHex(v.credential));
        expect(verifyDocumentSignature(doc, issuerPair.publicKey, ed)).toBe(true);
        const other = ed.keyPairFromSeed(fromHex(keys.issuer.seed)).publicKey;
        expect(verifyDocumentSignature(doc, other, ed)).toBe(false);
        const forged = {
          ...doc,
          sign1: { ...doc.sign1, payload: encodeDocumentPayload({ ...doc.claims, statusIndex: 99 }) },
        };
        expect(verifyDocumentSignature(forged, issuerPair.publicKey, ed)).toBe(false);
      },
    );

    it('when the vector credential is decoded, then claims, type and identifier parts come back', () => {
      const doc = decodeDocumentCredential(fromHex(v.credential));
      expect(doc.kid).toBe(KID);
      expect(doc.type).toBe(type);
      expect({ ...doc.claims, sdRoot: toHex(doc.claims.sdRoot) }).toEqual(v.claims);
      expect(doc.identifier).toMatchObject({
        typeCode: type.typeCode,
        issuerCode: vectors.issuer.uscc,
        version: String(v.claims.version).padStart(3, '0'),
      });
    });

    it('when the secrets are decoded, then they are the vector values', () => {
      expect(decodeDocumentSecrets(type, fromHex(v.secrets))).toEqual(secrets);
    });

    it("when the service's fields are disclosed, then the vector disclosure comes out and re-derives the root", () => {
      const d = discloseDocumentFields(type, secrets, v.disclosure.fields);
      expect(toHex(cborEncode(d.values as Map<number, CborValue>))).toBe(v.disclosure.values);
      expect(toHex(d.salts)).toBe(v.disclosure.salts);
      expect(toHex(d.proof)).toBe(v.disclosure.proof);
      expect([...d.values.keys()]).toEqual(v.disclosure.positions);
      const fromVector = disclosureOf(v.disclosure);
      expect(toHex(sdImpliedRoot(documentSdLayout(type), fromVector)!)).toBe(v.claims.sdRoot);
      const opened = openDocumentDisclosure(type, fromVector, fromHex(v.claims.sdRoot));
      expect(opened).toEqual(
        Object.fromEntries(v.disclosure.fields.map((k) => [k, secrets.values[k] ?? null])),
      );
    });

    it('when a disclosed value is flipped, then the implied root differs and the disclosure opens as tampered', () => {
      const tampered = disclosureOf({ ...v.disclosure, values: v.tampered.values });
      const implied = sdImpliedRoot(documentSdLayout(type), tampered);
      expect(implied).toBeDefined();
      expect(toHex(implied!)).not.toBe(v.claims.sdRoot);
      expect(openDocumentDisclosure(type, tampered, fromHex(v.claims.sdRoot))).toBe('tampered');
    });
  });
});

describe('licence document credential', () => {
  const [driving, vehicle] = vectors.documents as [Vector, Vector];

  it('when a long-term document is issued, then validUntil is 0 on the wire and absent after decoding', () => {
    const payload = payloadOf(vehicle);
    expect(payload.get(DOCUMENT_CLAIM.validUntil)).toBe(0);
    const doc = decodeDocumentCredential(fromHex(vehicle.credential));
    expect('validUntil' in doc.claims).toBe(false);
    const d = discloseDocumentFields(doc.type, secretsOf(vehicle), ['plateNumber', 'validUntil']);
    expect(openDocumentDisclosure(doc.type, d, doc.claims.sdRoot)).toEqual({
      plateNumber: '鲁A8K2M7',
      validUntil: null,
    });
  });

  it.each<[string, Map<number, CborValue>, RegExp, string]>(
    (
      [
        [
          'sub is not a licence identifier',
          changed(driving, DOCUMENT_CLAIM.sub, 'DL-370102-0001'),
          /sub \(format\)/,
        ],
        [
          'sub has a wrong check character',
          changed(
            driving,
            DOCUMENT_CLAIM.sub,
            driving.claims.identifier.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')),
          ),
          /sub \(check_character\)/,
        ],
        [
          'iss is not a USCC',
          changed(driving, DOCUMENT_CLAIM.iss, '11370100EXAMPLE89X'),
          /iss \(not a unified/,
        ],
        [
          'iss is another issuing body than the identifier names',
          changed(driving, DOCUMENT_CLAIM.iss, OTHER_ISSUER),
          /issuer code is not iss/,
        ],
        [
          'docType is not registered',
          changed(driving, DOCUMENT_CLAIM.docType, 'fishing_licence'),
          /docType \(not a registered/,
        ],
        [
          'docType is another type than the identifier',
          changed(driving, DOCUMENT_CLAIM.docType, 'passport'),
          /type code is not the type of docType/,
        ],
        [
          'version is not the identifier version',
          changed(driving, DOCUMENT_CLAIM.version, 2),
          /version is invalid/,
        ],
        [
          'validFrom is not a calendar date',
          changed(driving, DOCUMENT_CLAIM.validFrom, 20230230),
          /validFrom is invalid/,
        ],
        [
          'validUntil is before validFrom',
          changed(driving, DOCUMENT_CLAIM.validUntil, 20190101),
          /validUntil is invalid/,
        ],
        [
          'validUntil is text',
          changed(driving, DOCUMENT_CLAIM.validUntil, '2030-03-16'),
          /\[-22\] is not an unsigned/,
        ],
        [
          'statusIndex is negative',
          changed(driving, DOCUMENT_CLAIM.statusIndex, -1),
          /\[-2\] is not an unsigned/,
        ],
        [
          'sdRoot is 32 bytes',
          changed(driving, DOCUMENT_CLAIM.sdRoot, new Uint8Array(32)),
          /\[-8\] has the wrong length/,
        ],
        ['sdRoot is missing', changed(driving, DOCUMENT_CLAIM.sdRoot, undefined), /\[-8\] is not bytes/],
        ['an unknown claim is present', changed(driving, -24, 1), /unknown key/],
        ['the kid is 17 bytes', payloadOf(driving), /kid is invalid/, 'k'.repeat(17)],
      ] as [string, Map<number, CborValue>, RegExp, string?][]
    ).map(([what, payload, reason, kid]) => [what, payload, reason, kid ?? KID]),
  )('when %s, then decoding refuses it as malformed', (_, payload, reason, kid) => {
    const bytes = signRaw(payload, kid);
    expect(() => decodeDocumentCredential(bytes)).toThrow(CborShapeError);
    expect(() => decodeDocumentCredential(bytes)).toThrow(reason);
  });

  it('when the payload is re-spelled (validFrom as an 8-byte integer), then decoding refuses it', () => {
    // Key -21 (0x34) then 20200316 as 0x1a 01343b7c; the same number with a non-shortest 0x1b head.
    const hex = driving.payload;
    expect(hex.split('341a01343b7c')).toHaveLength(2);
    const respelled = fromHex(hex.replace('341a01343b7c', '341b0000000001343b7c'));
    const bytes = sign1Create(KID, DOCUMENT_AAD, respelled, (tbs) =>
      tweetnaclEd25519.sign(issuerPair.secretKey, tbs),
    );
    expect(() => decodeDocumentCredential(bytes)).toThrow(CborShapeError);
  });

  it('when issuing under an empty kid or one over 16 bytes, then issuing refuses', () => {
    const sign = (tbs: Uint8Array) => tweetnaclEd25519.sign(issuerPair.secretKey, tbs);
    for (const kid of ['', 'k'.repeat(17)]) {
      expect(() => issueDocumentCredential(kid, claimsOf(driving), secretsOf(driving), sign)).toThrow(
        CborShapeError,
      );
    }
  });

  it.each<[string, Partial<Omit<DocumentClaims, 'sdRoot'>>]>([
    ['an identifier of another type', { docType: 'vehicle_registration' }],
    [
      'an identifier of another issuer',
      {
        identifier: formatLicenceIdentifier({
          typeCode: documentType('driving_licence')!.typeCode,
          issuerCode: OTHER_ISSUER,
          serial: '3701002020DL00012345',
          version: 1,
        }),
      },
    ],
    ['a validFrom other than the field', { validFrom: '2020-03-17' }],
    ['a validUntil other than the field', { validUntil: undefined }],
    ['a fractional version', { version: 1.5 }],
  ])('when issuing with %s, then issuing refuses', (_, change) => {
    const sign = (tbs: Uint8Array) => tweetnaclEd25519.sign(issuerPair.secretKey, tbs);
    expect(() =>
      issueDocumentCredential(KID, { ...claimsOf(driving), ...change }, secretsOf(driving), sign),
    ).toThrow(CborShapeError);
  });
});

describe('document secrets', () => {
  const type = documentType('vehicle_registration')!;
  const [, vehicle] = vectors.documents as [Vector, Vector];
  const good = secretsOf(vehicle);
  const slot = (key: string) => type.fields.findIndex((f) => f.key === key);
  /** The vector secrets with one slot's CBOR value replaced (undefined: removed). */
  const withSlot = (key: number, value: CborValue | undefined) => {
    const m = cborDecode(fromHex(vehicle.secrets)) as Map<number, CborValue>;
    const slots = new Map(m.get(2) as Map<number, CborValue>);
    if (value === undefined) slots.delete(key);
    else slots.set(key, value);
    return cborEncode(
      new Map<number, CborValue>([
        [1, m.get(1)!],
        [2, slots],
      ]),
    );
  };

  it.each<[string, Uint8Array]>([
    [
      'a seed of 15 bytes',
      cborEncode(
        new Map<number, CborValue>([
          [1, new Uint8Array(15)],
          [2, new Map()],
        ]),
      ),
    ],
    [
      'an extra top-level key',
      cborEncode(
        new Map<number, CborValue>([
          [1, fromHex(vehicle.seed)],
          [2, new Map()],
          [3, 0],
        ]),
      ),
    ],
    ['a slot past the fields', withSlot(type.fields.length, 'x')],
    ['a required field missing', withSlot(slot('vin'), undefined)],
    ['text where the kind is text but the pattern fails', withSlot(slot('vin'), 'LSVAU218XN218329I')],
    ['text with surrounding spaces', withSlot(slot('owner'), ' 欧阳明远')],
    ['text too long for its field', withSlot(slot('vehicleType'), '车'.repeat(17))],
    ['a number in a text field', withSlot(slot('owner'), 7)],
    ['a date that is no calendar day', withSlot(slot('registrationDate'), 20210631)],
    ['a date as text', withSlot(slot('registrationDate'), '2021-06-08')],
    ['a date of 7 digits', withSlot(slot('registrationDate'), 2021068)],
    ['a negative uint', withSlot(slot('seats'), -5)],
    ['a boolean in a uint field', withSlot(slot('seats'), true)],
    ['the absent marker in a required field', withSlot(slot('seats'), [])],
    ['the absent marker stored for an optional field', withSlot(slot('validUntil'), [])],
  ])('when the secrets hold %s, then decoding refuses them', (_, bytes) => {
    expect(() => decodeDocumentSecrets(type, bytes)).toThrow(CborShapeError);
  });

  it('when a bytes field has the wrong length or a bool field a number, then encoding refuses', () => {
    const passport = documentType('passport')!;
    const values = { ...secretsOf(vectors.documents[0] as Vector).values };
    expect(() => encodeDocumentSecrets(type, { ...good, values: { ...good.values, seats: 5.5 } })).toThrow(
      CborShapeError,
    );
    expect(() => encodeDocumentSecrets(type, { ...good, values: { ...good.values, colour: '白' } })).toThrow(
      CborShapeError,
    );
    expect(() =>
      encodeDocumentSecrets(documentType('driving_licence')!, {
        ...good,
        values: { ...values, portraitDigest: new Uint8Array(15) },
      }),
    ).toThrow(CborShapeError);
    expect(() => encodeDocumentSecrets(passport, { ...good, values: { ...values } })).toThrow(CborShapeError);
  });
});

describe('document disclosure', () => {
  const [driving] = vectors.documents as [Vector];
  const type = typeOf(driving);
  const secrets = secretsOf(driving);
  const root = fromHex(driving.claims.sdRoot);

  it('when nothing is disclosed, then it opens to no field, and carries no salts or proof', () => {
    const d = discloseDocumentFields(type, secrets, []);
    expect(d.salts).toHaveLength(0);
    expect(d.proof).toHaveLength(0);
    expect(openDocumentDisclosure(type, d, root)).toEqual({});
    expect(openDocumentDisclosure(type, { ...d, proof: new Uint8Array(16) }, root)).toBe('tampered');
  });

  it('when a disclosure is checked against another root, then it is tampered', () => {
    const d = discloseDocumentFields(type, secrets, ['vehicleClass']);
    expect(openDocumentDisclosure(type, d, fromHex(vectors.documents[1]!.claims.sdRoot))).toBe('tampered');
  });

  it('when a disclosed value is outside its field, a slot is past the fields, or a salt is cut, then it is tampered', () => {
    const d = discloseDocumentFields(type, secrets, ['vehicleClass', 'validUntil']);
    const bad = (change: Partial<SdDisclosure>) => openDocumentDisclosure(type, { ...d, ...change }, root);
    expect(bad({ values: new Map(d.values).set(14, 'X9') })).toBe('tampered');
    expect(bad({ values: new Map(d.values).set(20, 'C1') })).toBe('tampered');
    expect(bad({ values: new Map(d.values).set(7, []) })).toBe('tampered');
    expect(bad({ salts: d.salts.subarray(0, d.salts.length - 1) })).toBe('tampered');
    expect(openDocumentDisclosure(type, d, root)).toEqual({ vehicleClass: 'C1', validUntil: '2030-03-16' });
  });

  it('when a required field is disclosed as absent, then it is tampered', () => {
    const d = discloseDocumentFields(type, secrets, ['vehicleClass']);
    expect(openDocumentDisclosure(type, { ...d, values: new Map([[14, []]]) }, root)).toBe('tampered');
  });
});
