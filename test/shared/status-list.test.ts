import fc from 'fast-check';
import {
  CborShapeError,
  MAX_STATUS_LIST_SIZE,
  emptyStatusBits,
  fromHex,
  openStatusList,
  setStatusAt,
  signStatusList,
  statusAt,
  toHex,
  trustListOf,
  tweetnaclEd25519 as ed,
} from '@eid/shared';
import { VECTORS, vectorLists } from './vectors';

const { keys, statusList: vector } = VECTORS;
const issuer = ed.keyPairFromSeed(fromHex(keys.issuer.seed));
const signAsIssuer = (tbs: Uint8Array) => ed.sign(issuer.secretKey, tbs);
const { trust } = vectorLists();

describe('status list', () => {
  it('when the vector list is rebuilt from its entries, then it is byte-identical to status-list.json', () => {
    const bits = emptyStatusBits(vector.size);
    for (const [index, value] of Object.entries(vector.entries)) setStatusAt(bits, Number(index), value);
    const signed = signStatusList(
      {
        kid: vector.kid,
        issuedAt: vector.fresh.issuedAt,
        ttlSeconds: vector.fresh.ttlSeconds,
        size: vector.size,
        bits,
      },
      signAsIssuer,
    );
    expect(toHex(signed)).toBe(vector.fresh.bytes);
  });

  it('when the vector list is opened, then each published entry reads back and the rest are valid', () => {
    const list = openStatusList(fromHex(vector.fresh.bytes), trust, ed);
    expect(list).toMatchObject({
      kid: vector.kid,
      issuedAt: vector.fresh.issuedAt,
      ttlSeconds: 300,
      size: vector.size,
    });
    for (const [index, value] of Object.entries(vector.entries))
      expect(statusAt(list, Number(index))).toBe(value);
    expect(statusAt(list, 0)).toBe(0);
    expect(statusAt(list, vector.size - 1)).toBe(0);
    expect(statusAt(list, vector.size)).toBeUndefined();
    expect(statusAt(list, -1)).toBeUndefined();
  });

  it('when entries are set in any order, then each reads back its last value and neighbours are untouched', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(99), fc.integer({ min: 0, max: 3 })), { maxLength: 60 }),
        (writes) => {
          const bits = emptyStatusBits(100);
          const expected = new Array<number>(100).fill(0);
          for (const [i, v] of writes) {
            setStatusAt(bits, i, v);
            expected[i] = v;
          }
          expect(Array.from({ length: 100 }, (_, i) => statusAt({ size: 100, bits }, i))).toEqual(expected);
        },
      ),
    );
  });

  it('when 100 000 cards are mostly valid, then the signed list stays small', () => {
    const bits = emptyStatusBits(100_000);
    for (let i = 0; i < 100_000; i += 97) setStatusAt(bits, i, 1);
    const signed = signStatusList(
      { kid: 'k', issuedAt: 0, ttlSeconds: 300, size: 100_000, bits },
      signAsIssuer,
    );
    expect(signed.length).toBeLessThan(bits.length / 4);
  });

  it('when a byte of the signed list is changed, then opening it throws', () => {
    const bytes = fromHex(vector.fresh.bytes);
    for (const offset of [0, 10, Math.floor(bytes.length / 2), bytes.length - 1]) {
      const copy = bytes.slice();
      copy[offset] = copy[offset]! ^ 1;
      expect(() => openStatusList(copy, trust, ed)).toThrow(CborShapeError);
    }
  });

  it('when the signer is not in the trust list, then opening it throws', () => {
    expect(() => openStatusList(fromHex(vector.fresh.bytes), trustListOf([]), ed)).toThrow(CborShapeError);
  });

  it('when the size does not match the compressed bits, then signing or opening refuses it', () => {
    expect(() =>
      signStatusList(
        { kid: 'k', issuedAt: 0, ttlSeconds: 1, size: 10, bits: new Uint8Array(2) },
        signAsIssuer,
      ),
    ).toThrow(CborShapeError);
    expect(() =>
      signStatusList(
        {
          kid: 'k',
          issuedAt: 0,
          ttlSeconds: 1,
          size: MAX_STATUS_LIST_SIZE + 4,
          bits: emptyStatusBits(MAX_STATUS_LIST_SIZE + 4),
        },
        signAsIssuer,
      ),
    ).toThrow(CborShapeError);
  });
});
