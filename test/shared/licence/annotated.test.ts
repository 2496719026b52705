import {
  ANNOTATED_PREFIX,
  ANNOTATION_AAD,
  BINDING_AAD,
  CborShapeError,
  base45Decode,
  base45Encode,
  buildAnnotatedPayload,
  cborDecode,
  cborEncode,
  concatBytes,
  decodeAnnotation,
  encodeAnnotationPayload,
  fromHex,
  parseAnnotatedPayload,
  sign1Create,
  sign1Decode,
  signAnnotation,
  toHex,
  tweetnaclEd25519 as ed,
  verifyAnnotationSignature,
  type AnnotationClaims,
  type CborValue,
} from '@eid/shared';
import {
  BFF_KID,
  ED25519_PATHS,
  nodeSha256,
  pairs,
  signer,
  vectorDocument,
  vectors,
} from '../../helpers/licence-codes';

const v = vectors.annotated;
const vr = vectorDocument('vehicleRegistration');
const dl = vectorDocument('drivingLicence');
const claims: AnnotationClaims = {
  ...v.annotation.claims,
  requestId: fromHex(v.annotation.claims.requestId),
  documentDigest: fromHex(v.annotation.claims.documentDigest),
};
const { documentDigest: _digest, slots: _slots, ...annotation } = claims;
const bff = signer(pairs.bff);

describe('annotated-copy payload', () => {
  it.each(ED25519_PATHS)(
    'when the vector copy is built again with %s, then annotation and payload text are byte-identical',
    (_name, ed25519) => {
      const text = buildAnnotatedPayload({
        document: vr.credential,
        secrets: vr.secrets,
        fields: vr.type.visibility.vehicle_transfer!,
        annotation,
        kid: BFF_KID,
        sign: (tbs) => {
          expect(toHex(tbs)).toBe(v.annotation.toBeSigned);
          return ed25519.sign(pairs.bff.secretKey, tbs);
        },
        sha256: nodeSha256,
      });
      expect(text).toBe(v.text);
    },
  );

  it('when the vector payload is parsed, then it is [document, values, salts, proof, annotation] as the vector lists', () => {
    const parts = parseAnnotatedPayload(v.text);
    expect(toHex(parts.bytes)).toBe(v.cbor);
    expect(parts.document).toEqual(vr.credential);
    expect(toHex(cborEncode(parts.disclosure.values as Map<number, CborValue>))).toBe(v.values);
    expect(toHex(parts.disclosure.salts)).toBe(v.salts);
    expect(toHex(parts.disclosure.proof)).toBe(v.proof);
    expect(toHex(parts.annotation)).toBe(v.annotation.bytes);
    expect(cborDecode(parts.bytes)).toEqual([
      parts.document,
      parts.disclosure.values,
      parts.disclosure.salts,
      parts.disclosure.proof,
      parts.annotation,
    ]);
  });

  describe.each(ED25519_PATHS)('with %s', (_name, ed25519) => {
    it('when the annotation is decoded and verified, then it names the document digest, the printed slots and the window', () => {
      const a = decodeAnnotation(fromHex(v.annotation.bytes));
      expect(a.kid).toBe(BFF_KID);
      expect(a.claims).toEqual(claims);
      expect(toHex(encodeAnnotationPayload(a.claims))).toBe(v.annotation.payload);
      expect(verifyAnnotationSignature(a, pairs.bff.publicKey, ed25519)).toBe(true);
      expect(verifyAnnotationSignature(a, pairs.rogueBff.publicKey, ed25519)).toBe(false);
    });

    it('when an annotation is signed with another AAD (a binding), then it does not verify as an annotation', () => {
      const other = sign1Create(BFF_KID, BINDING_AAD, sign1Decode(fromHex(v.annotation.bytes)).payload, bff);
      expect(verifyAnnotationSignature(decodeAnnotation(other), pairs.bff.publicKey, ed25519)).toBe(false);
    });
  });

  it('when the printed slots are the service fields, then they are the slots of vehicle_transfer in slot order', () => {
    const slots = vr.type.visibility.vehicle_transfer!.map((k) =>
      vr.type.fields.findIndex((f) => f.key === k),
    );
    expect(claims.slots).toEqual(slots);
    expect(v.disclosed).toEqual(vr.type.visibility.vehicle_transfer);
  });

  it('when the secrets are not the document, then building throws', () => {
    expect(() =>
      buildAnnotatedPayload({
        document: vr.credential,
        secrets: { ...vr.secrets, seed: dl.secrets.seed },
        fields: ['holderName'],
        annotation,
        kid: BFF_KID,
        sign: bff,
      }),
    ).toThrow(TypeError);
  });

  describe('when an annotation is out of shape, then signing refuses it', () => {
    it.each([
      ['no slot', { slots: [] }],
      ['slots out of order', { slots: [2, 1] }],
      ['a slot twice', { slots: [1, 1] }],
      ['a slot beyond 63', { slots: [64] }],
      ['a digest of 32 bytes', { documentDigest: new Uint8Array(32) }],
      ['a window name with a control character', { windowName: '3号\u0007窗口' }],
      ['no organisation', { organisation: '' }],
      ['province 00', { province: '00' }],
    ])('%s', (_what, change) => {
      expect(() => signAnnotation(BFF_KID, { ...claims, ...change }, bff)).toThrow(CborShapeError);
    });
  });

  it('when a genuinely signed annotation is not canonical or has an unknown key, then it does not decode', () => {
    const payload = fromHex(v.annotation.payload);
    const map = cborDecode(payload) as Map<number, CborValue>;
    const extra = sign1Create(BFF_KID, ANNOTATION_AAD, cborEncode(new Map(map).set(11, 1)), bff);
    expect(() => decodeAnnotation(extra)).toThrow(CborShapeError);
    // Map head a a (10 entries) respelled b8 0a.
    expect(toHex(payload.subarray(0, 1))).toBe('aa');
    const respelled = sign1Create(
      BFF_KID,
      ANNOTATION_AAD,
      concatBytes(Uint8Array.of(0xb8, 0x0a), payload.subarray(1)),
      bff,
    );
    expect(() => decodeAnnotation(respelled)).toThrow(CborShapeError);
  });

  describe('when the text is not exactly an annotated payload, then parsing throws CborShapeError', () => {
    const bytes = base45Decode(v.text.slice(ANNOTATED_PREFIX.length));
    const parts = parseAnnotatedPayload(v.text);
    it.each([
      ['the document code prefix', `EIDD1:${v.text.slice(ANNOTATED_PREFIX.length)}`],
      ['a trailing byte', ANNOTATED_PREFIX + base45Encode(concatBytes(bytes, Uint8Array.of(0)))],
      [
        'a 3-array (disclosure nested)',
        ANNOTATED_PREFIX +
          base45Encode(
            cborEncode([
              parts.document,
              [
                parts.disclosure.values as Map<number, CborValue>,
                parts.disclosure.salts,
                parts.disclosure.proof,
              ],
              parts.annotation,
            ]),
          ),
      ],
      [
        'the annotation as a map',
        ANNOTATED_PREFIX +
          base45Encode(
            cborEncode([
              parts.document,
              parts.disclosure.values as Map<number, CborValue>,
              parts.disclosure.salts,
              parts.disclosure.proof,
              new Map(),
            ]),
          ),
      ],
      ['more than 8192 characters', ANNOTATED_PREFIX + '0'.repeat(8192)],
    ])('%s', (_what, bad) => {
      expect(() => parseAnnotatedPayload(bad)).toThrow(CborShapeError);
    });
  });

  it('when the annotated payload is signed with tweetnacl by default, then it verifies with the portable key material alone', () => {
    const a = decodeAnnotation(parseAnnotatedPayload(v.text).annotation);
    expect(verifyAnnotationSignature(a, pairs.bff.publicKey, ed)).toBe(true);
  });
});
