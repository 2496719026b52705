import {
  CborShapeError,
  fromHex,
  openTrustList,
  signTrustList,
  toHex,
  tweetnaclEd25519 as ed,
} from '@eid/shared';
import { VECTORS } from './vectors';

const { keys, trustList: vector } = VECTORS;
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
});
