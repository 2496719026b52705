import {
  CborShapeError,
  ED25519_SMALL_ORDER_ENCODINGS,
  TRUST_LIST_AAD,
  fromHex,
  openTrustList,
  sign1Create,
  sign1Decode,
  signTrustList,
  toHex,
  tweetnaclEd25519 as ed,
} from '@eid/shared';
import { createNodeEd25519 } from '@eid/bff/infra/ed25519';
import { TRUST_ROOT_KID } from '@eid/bff/modules/trust/trust.types';
import { VECTORS } from './vectors';

const { keys, trustList: vector } = VECTORS;
const KID = keys.issuer.kid;
const root = ed.keyPairFromSeed(fromHex(keys.root.seed));
const content = {
  ...vector.content,
  issuers: vector.content.issuers.map((i) => ({ ...i, publicKey: fromHex(i.publicKey) })),
};

describe('trust list', () => {
  it('when the vector content is signed by the vector root, then it is byte-identical to trust-list.json', () => {
    const signed = signTrustList(content, keys.root.kid, (tbs) => ed.sign(root.secretKey, tbs));
    expect(toHex(signed)).toBe(vector.bytes);
  });

  it('when the vector list is opened with the root key, then every issuer is there with its province and validity', () => {
    const list = openTrustList(fromHex(vector.bytes), root.publicKey, ed);
    expect(list.sequence).toBe(vector.content.sequence);
    expect(list.issuedAt).toBe(vector.content.issuedAt);
    expect([...list.issuers.values()]).toEqual(content.issuers);
  });

  it('when opened with another root key, then it throws', () => {
    expect(() => openTrustList(fromHex(vector.bytes), fromHex(keys.issuer.publicKey), ed)).toThrow(
      CborShapeError,
    );
  });

  it('when any byte is changed, then opening it throws', () => {
    const bytes = fromHex(vector.bytes);
    for (let offset = 0; offset < bytes.length; offset++) {
      const copy = bytes.slice();
      copy[offset] = copy[offset]! ^ 0x01;
      expect(() => openTrustList(copy, root.publicKey, ed)).toThrow(CborShapeError);
    }
  });

  it('when two issuers share a kid, then it is refused', () => {
    const twice = { ...content, issuers: [content.issuers[0]!, content.issuers[0]!] };
    const signed = signTrustList(twice, keys.root.kid, (tbs) => ed.sign(root.secretKey, tbs));
    expect(() => openTrustList(signed, root.publicKey, ed)).toThrow(CborShapeError);
  });

  it('when the vector list is decoded, then its protected kid is "root", the kid the BFF gives its root key', () => {
    expect(sign1Decode(fromHex(vector.bytes)).kid).toBe('root');
    expect(keys.root.kid).toBe(TRUST_ROOT_KID);
  });

  describe.each([
    ['tweetnacl', ed],
    ['node:crypto', createNodeEd25519()],
  ])('with %s', (_name, ed25519) => {
    const weakKeys = [...ED25519_SMALL_ORDER_ENCODINGS, `ee${'ff'.repeat(30)}7f`, `ed${'ff'.repeat(30)}7f`];
    it.each(weakKeys)(
      'when the root signs a list naming the issuer key %s, then signing refuses it and opening the list throws',
      (hex) => {
        const weak = { ...content, issuers: [{ ...content.issuers[0]!, publicKey: fromHex(hex) }] };
        expect(() => signTrustList(weak, keys.root.kid, (tbs) => ed.sign(root.secretKey, tbs))).toThrow(
          CborShapeError,
        );
        // A root that signed one anyway (another implementation): the same list with the key patched in.
        const honest = sign1Decode(
          signTrustList(content, keys.root.kid, (tbs) => ed.sign(root.secretKey, tbs)),
        );
        const at = toHex(honest.payload).indexOf(toHex(content.issuers[0]!.publicKey)) / 2;
        const withKey = (key: Uint8Array) => {
          const payload = honest.payload.slice();
          payload.set(key, at);
          return sign1Create(keys.root.kid, TRUST_LIST_AAD, payload, (tbs) => ed.sign(root.secretKey, tbs));
        };
        // The patch itself is sound: with a strict key in the same place the list opens.
        const strictKey = content.issuers[1]!.publicKey;
        expect(
          openTrustList(withKey(strictKey), root.publicKey, ed25519).issuers.get(KID)?.publicKey,
        ).toEqual(strictKey);
        const signed = withKey(fromHex(hex));
        expect(() => openTrustList(signed, root.publicKey, ed25519)).toThrow(CborShapeError);
      },
    );
  });
});
