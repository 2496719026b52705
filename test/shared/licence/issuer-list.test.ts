import {
  CborShapeError,
  ED25519_SMALL_ORDER_ENCODINGS,
  IssuerListError,
  LICENCE_ISSUER_LIST_AAD,
  cborDecode,
  cborEncode,
  fromHex,
  licenceIssuerFor,
  licenceIssuerListOf,
  openLicenceIssuerList,
  openLicenceStatusList,
  sign1Create,
  sign1Decode,
  signLicenceIssuerList,
  signStatusList,
  emptyStatusBits,
  toHex,
  tweetnaclEd25519 as ed,
  type CborValue,
  type LicenceIssuerListContent,
} from '@eid/shared';
import { ED25519_PATHS, issuerList, keys, pairs, signer, vectors } from '../../helpers/licence-codes';

const v = vectors.issuerList;
const content: LicenceIssuerListContent = {
  ...v.content,
  issuers: v.content.issuers.map((i) => ({ ...i, publicKey: fromHex(i.publicKey) })),
};
const root = signer(pairs.root);
const T0 = v.content.issuedAt + 86_400_000;

/** The root signs `payload` as given (another implementation that signed something it should not have). */
const rootSigned = (payload: Uint8Array) => sign1Create('root', LICENCE_ISSUER_LIST_AAD, payload, root);
const reason = (f: () => unknown) => {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(CborShapeError);
    return (err as IssuerListError).reason;
  }
  throw new Error('did not throw');
};

describe('licence-issuer list', () => {
  it.each(ED25519_PATHS)(
    'when the vector content is signed by the vector root with %s, then it is byte-identical to licence-codes.json',
    (_name, ed25519) => {
      const bytes = signLicenceIssuerList(content, 'root', (tbs) => ed25519.sign(pairs.root.secretKey, tbs));
      expect(toHex(bytes)).toBe(v.bytes);
      expect(toHex(sign1Decode(bytes).payload)).toBe(v.payload);
    },
  );

  it.each(ED25519_PATHS)(
    'when the vector list is opened with %s, then every issuing body is there with its USCC, name, key and validity',
    (_name, ed25519) => {
      const list = openLicenceIssuerList(fromHex(v.bytes), pairs.root.publicKey, ed25519, { now: T0 });
      expect(list).toMatchObject({ sequence: 3, issuedAt: content.issuedAt, expiresAt: content.expiresAt });
      expect([...list.issuers.values()]).toEqual(content.issuers);
      expect(list.issuers.get(keys.licenceIssuer.kid)!.uscc).toBe(keys.licenceIssuer.uscc);
    },
  );

  it('when opened with another root key, then it is refused as bad_signature', () => {
    expect(reason(() => openLicenceIssuerList(fromHex(v.bytes), pairs.bff.publicKey, ed))).toBe(
      'bad_signature',
    );
  });

  it('when any byte is changed, then opening it throws', () => {
    const bytes = fromHex(v.bytes);
    for (let offset = 0; offset < bytes.length; offset++) {
      const copy = bytes.slice();
      copy[offset] = copy[offset]! ^ 0x01;
      expect(() => openLicenceIssuerList(copy, pairs.root.publicKey, ed)).toThrow(CborShapeError);
    }
  });

  it('when the root signed a payload spelled non-canonically (a sequence in two bytes), then it is malformed', () => {
    const payload = sign1Decode(fromHex(v.bytes)).payload;
    // a4 01 03 ...: map of 4, key 1, sequence 3; respelled 01 18 03.
    expect(toHex(payload.subarray(0, 3))).toBe('a40103');
    const respelled = fromHex(`a4011803${toHex(payload.subarray(3))}`);
    expect(reason(() => openLicenceIssuerList(rootSigned(respelled), pairs.root.publicKey, ed))).toBe(
      'malformed',
    );
  });

  it('when the root signed a payload with an unknown key or an entry with one, then it is malformed', () => {
    const map = cborDecode(sign1Decode(fromHex(v.bytes)).payload) as Map<number, CborValue>;
    const extra = new Map(map).set(9, 1);
    expect(reason(() => openLicenceIssuerList(rootSigned(cborEncode(extra)), pairs.root.publicKey, ed))).toBe(
      'malformed',
    );
    const entries = (map.get(4) as Map<number, CborValue>[]).map((e) => new Map(e).set(7, 'x'));
    const withEntry = new Map(map).set(4, entries);
    expect(
      reason(() => openLicenceIssuerList(rootSigned(cborEncode(withEntry)), pairs.root.publicKey, ed)),
    ).toBe('malformed');
  });

  it('when two entries share a kid, then signing refuses and a root-signed one is refused', () => {
    const twice = { ...content, issuers: [content.issuers[0]!, content.issuers[0]!] };
    expect(reason(() => signLicenceIssuerList(twice, 'root', root))).toBe('malformed');
    const map = cborDecode(sign1Decode(fromHex(v.bytes)).payload) as Map<number, CborValue>;
    const first = (map.get(4) as CborValue[])[0]!;
    const dup = new Map(map).set(4, [first, first]);
    expect(reason(() => openLicenceIssuerList(rootSigned(cborEncode(dup)), pairs.root.publicKey, ed))).toBe(
      'malformed',
    );
  });

  it.each([
    ['a USCC with a wrong check character', { uscc: `${keys.licenceIssuer.uscc.slice(0, 17)}0` }],
    ['an empty name', { name: '' }],
    ['a kid of 17 bytes', { kid: 'k'.repeat(17) }],
    ['notAfter before notBefore', { notBefore: 2_000_000_000_000, notAfter: 1_000_000_000_000 }],
  ])('when an entry has %s, then signing refuses it as malformed', (_what, change) => {
    const bad = { ...content, issuers: [{ ...content.issuers[0]!, ...change }] };
    expect(reason(() => signLicenceIssuerList(bad, 'root', root))).toBe('malformed');
  });

  describe.each(ED25519_PATHS)('with %s', (_name, ed25519) => {
    const weakKeys = [...ED25519_SMALL_ORDER_ENCODINGS, `ee${'ff'.repeat(30)}7f`, `ed${'ff'.repeat(30)}7f`];
    it.each(weakKeys)(
      'when the root signs a list naming the key %s, then signing refuses it and the whole list is refused (weak_key)',
      (hex) => {
        const weak = { ...content, issuers: [{ ...content.issuers[0]!, publicKey: fromHex(hex) }] };
        expect(reason(() => signLicenceIssuerList(weak, 'root', root))).toBe('weak_key');
        const payload = sign1Decode(fromHex(v.bytes)).payload.slice();
        const at = toHex(payload).indexOf(toHex(content.issuers[0]!.publicKey)) / 2;
        payload.set(fromHex(hex), at);
        expect(reason(() => openLicenceIssuerList(rootSigned(payload), pairs.root.publicKey, ed25519))).toBe(
          'weak_key',
        );
      },
    );
  });

  it('when the list has expired at the given time, then it is refused as expired; a moment before it opens', () => {
    const bytes = fromHex(v.bytes);
    expect(
      reason(() => openLicenceIssuerList(bytes, pairs.root.publicKey, ed, { now: content.expiresAt })),
    ).toBe('expired');
    expect(() =>
      openLicenceIssuerList(bytes, pairs.root.publicKey, ed, { now: content.expiresAt - 1 }),
    ).not.toThrow();
  });

  it('when the verifier holds a later sequence, then the list is refused as rollback; the same sequence opens', () => {
    const bytes = fromHex(v.bytes);
    expect(reason(() => openLicenceIssuerList(bytes, pairs.root.publicKey, ed, { minSequence: 4 }))).toBe(
      'rollback',
    );
    expect(() => openLicenceIssuerList(bytes, pairs.root.publicKey, ed, { minSequence: 3 })).not.toThrow();
  });

  it('when a list expires before it is issued, then signing refuses it', () => {
    expect(
      reason(() => signLicenceIssuerList({ ...content, expiresAt: content.issuedAt }, 'root', root)),
    ).toBe('malformed');
  });

  it('when an issuing body is looked up, then the kid, USCC, key validity and list expiry all count', () => {
    const body = content.issuers[0]!;
    const signedAt = T0 - 86_400_000;
    expect(licenceIssuerFor(issuerList, body.kid, body.uscc, signedAt, T0)).toEqual(body);
    expect(licenceIssuerFor(issuerList, 'vec-lic-37-9', body.uscc, signedAt, T0)).toBeUndefined();
    expect(licenceIssuerFor(issuerList, body.kid, content.issuers[1]!.uscc, signedAt, T0)).toBeUndefined();
    expect(licenceIssuerFor(issuerList, body.kid, body.uscc, body.notBefore! - 1000, T0)).toBeUndefined();
    expect(licenceIssuerFor(issuerList, body.kid, body.uscc, signedAt, content.expiresAt)).toBeUndefined();
    const retired = licenceIssuerListOf([{ ...body, notAfter: signedAt - 1000 }]);
    expect(licenceIssuerFor(retired, body.kid, body.uscc, signedAt, T0)).toBeUndefined();
  });

  it('when an issuing body status list is opened with the list, then it is its own; one signed by another key is refused', () => {
    const opened = openLicenceStatusList(fromHex(vectors.statusList.bytes), issuerList, ed);
    expect(opened).toMatchObject({ kid: keys.licenceIssuer.kid, size: vectors.statusList.size });
    const forged = signStatusList(
      { kid: keys.licenceIssuer.kid, issuedAt: T0, ttlSeconds: 300, size: 16, bits: emptyStatusBits(16) },
      signer(pairs.rogueLicenceIssuer),
    );
    expect(() => openLicenceStatusList(forged, issuerList, ed)).toThrow(CborShapeError);
  });
});
