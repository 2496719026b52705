import fc from 'fast-check';
import {
  CborShapeError,
  base45Decode,
  base45Encode,
  base64urlDecode,
  base64urlEncode,
  cborDecode,
  cborEncode,
  fromHex,
  toHex,
  utf8Decode,
  utf8Encode,
  type CborValue,
} from '@eid/shared';

const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

describe('base45 (RFC 9285)', () => {
  it.each([
    ['AB', 'BB8'],
    ['Hello!!', '%69 VD92EX0'],
    ['base-45', 'UJCLQE7W581'],
    ['ietf!', 'QED8WEX0'],
  ])('when %j is encoded, then it is the RFC example %j and decodes back', (plain, encoded) => {
    expect(base45Encode(ascii(plain))).toBe(encoded);
    expect(base45Decode(encoded)).toEqual(ascii(plain));
  });

  it.each(['GGW', 'GGWGG', 'A', 'AB=', 'abc', 'ÄBC'])('when %j is decoded, then it throws', (text) => {
    expect(() => base45Decode(text)).toThrow(TypeError);
  });

  it('when any bytes are encoded, then they decode back and use only QR alphanumeric characters', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
        const text = base45Encode(bytes);
        expect(text).toMatch(/^[0-9A-Z $%*+\-./:]*$/);
        expect(base45Decode(text)).toEqual(bytes);
      }),
    );
  });
});

describe('base64url', () => {
  it('when any bytes are encoded, then they match Node and decode back', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const text = base64urlEncode(bytes);
        expect(text).toBe(Buffer.from(bytes).toString('base64url'));
        expect(base64urlDecode(text)).toEqual(bytes);
      }),
    );
  });

  it.each(['A', 'AB==', 'A+B/', 'AB', 'ABC'])(
    'when %j (padding, wrong alphabet or stray bits) is decoded, then it throws',
    (text) => {
      expect(() => base64urlDecode(text)).toThrow(TypeError);
    },
  );
});

describe('utf8', () => {
  it('when any string is encoded, then it matches TextEncoder and decodes back', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (s) => {
        expect(utf8Encode(s)).toEqual(new TextEncoder().encode(s));
        expect(utf8Decode(utf8Encode(s))).toBe(s);
      }),
    );
  });

  it.each(['c0af', 'e080af', 'eda080', 'f4908080', 'e6b0', '80', 'ff'])(
    'when invalid UTF-8 %s is decoded, then it throws',
    (hex) => {
      expect(() => utf8Decode(fromHex(hex))).toThrow(TypeError);
    },
  );

  it('when a lone surrogate is encoded, then it throws', () => {
    expect(() => utf8Encode('a\ud800b')).toThrow(TypeError);
  });
});

describe('CBOR', () => {
  const map = (entries: [number | string, CborValue][]) => new Map(entries);

  it.each<[CborValue, string]>([
    [0, '00'],
    [23, '17'],
    [24, '1818'],
    [100, '1864'],
    [1000, '1903e8'],
    [1000000, '1a000f4240'],
    [1000000000000, '1b000000e8d4a51000'],
    [Number.MAX_SAFE_INTEGER, '1b001fffffffffffff'],
    [-1, '20'],
    [-10, '29'],
    [-100, '3863'],
    [-1000, '3903e7'],
    [new Uint8Array(0), '40'],
    [fromHex('01020304'), '4401020304'],
    ['', '60'],
    ['a', '6161'],
    ['IETF', '6449455446'],
    ['\u00fc', '62c3bc'],
    ['\u6c34', '63e6b0b4'],
    [false, 'f4'],
    [true, 'f5'],
    [[], '80'],
    [[1, 2, 3], '83010203'],
    [[1, [2, 3], [4, 5]], '8301820203820405'],
    [map([]), 'a0'],
    [
      map([
        [3, 4],
        [1, 2],
      ]),
      'a201020304',
    ],
    [
      map([
        ['b', [2, 3]],
        ['a', 1],
      ]),
      'a26161016162820203',
    ],
    [
      map([
        [-1, 0],
        [10, 0],
        [1, 0],
      ]),
      'a301000a002000',
    ],
  ])('when %p is encoded, then it is the RFC 8949 deterministic %s and decodes back', (value, hex) => {
    expect(toHex(cborEncode(value))).toBe(hex);
    expect(cborDecode(fromHex(hex))).toEqual(value);
  });

  it.each([
    ['1805', 'a non-shortest integer'],
    ['5801ff', 'a non-shortest length'],
    ['9fff', 'an indefinite array'],
    ['f93c00', 'a float'],
    ['f6', 'a simple value other than false/true (null)'],
    ['f820', 'a one-byte simple value'],
    ['c000', 'a tag'],
    ['a203040102', 'unsorted map keys'],
    ['a201020103', 'duplicate map keys'],
    ['a1f500', 'a map key that is not an integer or text'],
    ['0000', 'trailing bytes'],
    ['830102', 'a truncated array'],
    ['62c3', 'a truncated string'],
    ['61ff', 'text that is not UTF-8'],
    ['1b0020000000000000', 'an integer beyond 2^53'],
    ['9b00000000ffffffff', 'a length beyond the input'],
  ])('when %s (%s) is decoded, then it is refused', (hex) => {
    expect(() => cborDecode(fromHex(hex))).toThrow(CborShapeError);
  });

  it('when nesting is deeper than 16, then decoding is refused', () => {
    expect(() => cborDecode(fromHex('81'.repeat(20) + '00'))).toThrow(CborShapeError);
  });

  it('when any supported value is encoded, then it decodes to an equal value and re-encodes to the same bytes', () => {
    const leaf = fc.oneof(
      fc.maxSafeInteger(),
      fc.boolean(),
      fc.string({ maxLength: 10 }),
      fc.uint8Array({ maxLength: 10 }),
    ) as fc.Arbitrary<CborValue>;
    const value = fc.letrec<{ v: CborValue }>((tie) => ({
      v: fc.oneof(
        { depthSize: 'small' },
        leaf,
        fc.array(tie('v'), { maxLength: 4 }),
        fc
          .uniqueArray(
            fc.tuple(fc.oneof(fc.integer({ min: -500, max: 500 }), fc.string({ maxLength: 4 })), tie('v')),
            {
              maxLength: 4,
              selector: ([k]) => k,
            },
          )
          .map((entries) => new Map(entries)),
      ),
    })).v;
    fc.assert(
      fc.property(value, (v) => {
        const bytes = cborEncode(v);
        const back = cborDecode(bytes);
        expect(back).toEqual(v);
        expect(cborEncode(back)).toEqual(bytes);
      }),
    );
  });
});
