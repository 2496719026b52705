import {
  BINDING_AAD,
  CborShapeError,
  ED25519_SMALL_ORDER_ENCODINGS,
  bffSignerFor,
  cborDecode,
  cborEncode,
  decodeBinding,
  documentDigest,
  encodeBindingPayload,
  fromHex,
  sha256,
  sign1Create,
  sign1Decode,
  signBinding,
  toHex,
  trustListOf,
  utf8Encode,
  tweetnaclEd25519 as ed,
  verifyBindingSignature,
  type BindingClaims,
  type CborValue,
} from '@eid/shared';
import {
  BFF_KID,
  ED25519_PATHS,
  nodeSha256,
  pairs,
  signer,
  trustList,
  vectorDocument,
  vectors,
} from '../../helpers/licence-codes';

const v = vectors.binding;
const claims: BindingClaims = {
  ...v.claims,
  documentDigest: fromHex(v.claims.documentDigest),
  devicePublicKey: fromHex(v.claims.devicePublicKey),
};
const bff = signer(pairs.bff);

describe('device binding', () => {
  it.each(ED25519_PATHS)(
    'when the vector claims are signed by the BFF key with %s, then payload, to-be-signed and bytes are the vector',
    (_name, ed25519) => {
      expect(toHex(encodeBindingPayload(claims))).toBe(v.payload);
      const bytes = signBinding(BFF_KID, claims, (tbs) => {
        expect(toHex(tbs)).toBe(v.toBeSigned);
        return ed25519.sign(pairs.bff.secretKey, tbs);
      });
      expect(toHex(bytes)).toBe(v.bytes);
    },
  );

  it('when the vector binding is decoded, then it names the driving licence by its digest and device A by its key', () => {
    const b = decodeBinding(fromHex(v.bytes));
    expect(b.kid).toBe(BFF_KID);
    expect(b.claims).toEqual(claims);
    expect(toHex(b.claims.documentDigest)).toBe(vectors.documents.drivingLicence.digest);
    expect(b.claims.devicePublicKey).toEqual(pairs.device.publicKey);
  });

  it('when a document digest is computed, then it is the first 16 bytes of SHA-256 of the credential, on either hash', () => {
    const { credential } = vectorDocument('drivingLicence');
    expect(documentDigest(credential)).toEqual(sha256(credential).subarray(0, 16));
    expect(documentDigest(credential, nodeSha256)).toEqual(documentDigest(credential));
  });

  describe.each(ED25519_PATHS)('with %s', (_name, ed25519) => {
    it('when the binding is verified under its signer from the trust list, then it holds; under another key it fails', () => {
      const b = decodeBinding(fromHex(v.bytes));
      const key = bffSignerFor(trustList, b.kid, b.claims.province, b.claims.issuedAt)!;
      expect(verifyBindingSignature(b, key.publicKey, ed25519)).toBe(true);
      expect(verifyBindingSignature(b, pairs.rogueBff.publicKey, ed25519)).toBe(false);
    });

    it('when any byte of the binding changes, then it no longer decodes or no longer verifies', () => {
      const bytes = fromHex(v.bytes);
      for (let offset = 0; offset < bytes.length; offset++) {
        const copy = bytes.slice();
        copy[offset] = copy[offset]! ^ 0x01;
        let decoded;
        try {
          decoded = decodeBinding(copy);
        } catch (err) {
          expect(err).toBeInstanceOf(CborShapeError);
          continue;
        }
        expect(verifyBindingSignature(decoded, pairs.bff.publicKey, ed25519)).toBe(false);
      }
    });

    it('when another AAD signed the same payload (a card credential signature), then it does not verify as a binding', () => {
      const payload = encodeBindingPayload(claims);
      const other = sign1Create(BFF_KID, utf8Encode('EID credential v2'), payload, bff);
      expect(verifyBindingSignature(decodeBinding(other), pairs.bff.publicKey, ed25519)).toBe(false);
      expect(BINDING_AAD).toEqual(utf8Encode('EID licence binding v1'));
    });
  });

  it.each(ED25519_SMALL_ORDER_ENCODINGS)(
    'when the device key is the small-order point %s, then signing refuses it and a BFF-signed one does not decode',
    (hex) => {
      expect(() => signBinding(BFF_KID, { ...claims, devicePublicKey: fromHex(hex) }, bff)).toThrow(
        CborShapeError,
      );
      const payload = fromHex(v.payload);
      payload.set(fromHex(hex), toHex(payload).indexOf(toHex(claims.devicePublicKey)) / 2);
      expect(() => decodeBinding(sign1Create(BFF_KID, BINDING_AAD, payload, bff))).toThrow(CborShapeError);
    },
  );

  it('when the payload has an unknown key, a non-canonical spelling or a short digest, then it does not decode', () => {
    const map = cborDecode(fromHex(v.payload)) as Map<number, CborValue>;
    const resign = (p: Uint8Array) => sign1Create(BFF_KID, BINDING_AAD, p, bff);
    expect(() => decodeBinding(resign(cborEncode(new Map(map).set(2, 'x'))))).toThrow(CborShapeError);
    expect(() => decodeBinding(resign(cborEncode(new Map(map).set(-30, new Uint8Array(15)))))).toThrow(
      CborShapeError,
    );
    // The province `37` respelled: text head 0x62 -> 0x78 0x02 (a one-byte length that fits in the head).
    const hex = toHex(fromHex(v.payload));
    const at = hex.indexOf('01623337');
    expect(at).toBeGreaterThanOrEqual(0);
    const respelled = fromHex(`${hex.slice(0, at)}0178023337${hex.slice(at + 8)}`);
    expect(() => decodeBinding(resign(respelled))).toThrow(CborShapeError);
  });

  it('when expiry is not after issue, or the province is not one, then signing refuses it', () => {
    expect(() => signBinding(BFF_KID, { ...claims, expiresAt: claims.issuedAt }, bff)).toThrow(
      CborShapeError,
    );
    expect(() => signBinding(BFF_KID, { ...claims, province: '99' }, bff)).toThrow(CborShapeError);
  });

  it('when the signer is looked up, then the kid, the province and the key validity all count', () => {
    const b = decodeBinding(fromHex(v.bytes));
    expect(bffSignerFor(trustList, b.kid, '37', b.claims.issuedAt)?.kid).toBe(BFF_KID);
    expect(bffSignerFor(trustList, b.kid, '11', b.claims.issuedAt)).toBeUndefined();
    expect(bffSignerFor(trustList, 'vec-37-9', '37', b.claims.issuedAt)).toBeUndefined();
    const key = trustList.issuers.get(BFF_KID)!;
    expect(bffSignerFor(trustList, b.kid, '37', key.notBefore! - 1)).toBeUndefined();
    const retired = trustListOf([{ ...key, notAfter: b.claims.issuedAt - 1000 }]);
    expect(bffSignerFor(retired, b.kid, '37', b.claims.issuedAt)).toBeUndefined();
  });

  it('when decoded from a COSE_Sign1 of the vector, then the protected kid is the BFF key of trust-list.json', () => {
    expect(sign1Decode(fromHex(v.bytes)).kid).toBe(BFF_KID);
    expect(
      ed.verify(pairs.bff.publicKey, fromHex(v.toBeSigned), sign1Decode(fromHex(v.bytes)).signature),
    ).toBe(true);
  });
});
