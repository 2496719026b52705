import fc from 'fast-check';
import {
  base64DecodeStrict,
  base64Encode,
  parseSfDictionary,
  parseSfItem,
  parseSfList,
  serializeSfBareItem,
  serializeSfDictionary,
  serializeSfList,
  SfParseError,
  type SfBareItem,
  type SfDictionary,
  type SfItem,
  type SfMember,
} from '@eid/shared';

const key = fc.stringMatching(/^[a-z*][a-z0-9_.*-]{0,8}$/);
const bare: fc.Arbitrary<SfBareItem> = fc.oneof(
  fc
    .integer({ min: -999_999_999_999_999, max: 999_999_999_999_999 })
    .map((value): SfBareItem => ({ type: 'integer', value })),
  fc
    .integer({ min: -999_999_999_999_999, max: 999_999_999_999_999 })
    .map((n): SfBareItem => ({ type: 'decimal', value: n / 1000 })),
  fc
    .string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)) })
    .map((value): SfBareItem => ({
      type: 'string',
      value,
    })),
  fc
    .stringMatching(/^[A-Za-z*][A-Za-z0-9!#$%&'*+.^_`|~:/-]{0,8}$/)
    .map((value): SfBareItem => ({ type: 'token', value })),
  fc.uint8Array({ maxLength: 40 }).map((value): SfBareItem => ({ type: 'bytes', value })),
  fc.boolean().map((value): SfBareItem => ({ type: 'boolean', value })),
);
const params = fc
  .uniqueArray(fc.tuple(key, bare), { selector: ([k]) => k, maxLength: 4 })
  .map((e) => new Map(e));
const item: fc.Arbitrary<SfItem> = fc.record({ kind: fc.constant('item' as const), value: bare, params });
const member: fc.Arbitrary<SfMember> = fc.oneof(
  item,
  fc.record({ kind: fc.constant('inner-list' as const), items: fc.array(item, { maxLength: 4 }), params }),
);
const dictionary: fc.Arbitrary<SfDictionary> = fc
  .uniqueArray(fc.tuple(key, member), { selector: ([k]) => k, maxLength: 5 })
  .map((e) => new Map(e));

describe('RFC 8941 structured fields', () => {
  test('when any dictionary is serialised and parsed back, then it is the same dictionary and the same text', () => {
    fc.assert(
      fc.property(dictionary, (dict) => {
        const text = serializeSfDictionary(dict);
        const parsed = parseSfDictionary(text);
        expect(serializeSfDictionary(parsed)).toBe(text);
        expect([...parsed.keys()]).toEqual([...dict.keys()]);
      }),
    );
  });

  test('when any list is serialised and parsed back, then the text is unchanged', () => {
    fc.assert(
      fc.property(fc.array(member, { maxLength: 5 }), (list) => {
        const text = serializeSfList(list);
        expect(serializeSfList(parseSfList(text))).toBe(text);
      }),
    );
  });

  test('when a number is written -0 or -0.0, then it parses to zero and serialises back as 0 (fast-check found "*=-0")', () => {
    for (const text of ['a=-0', 'a=-0.0', 'a=-000']) {
      const d = parseSfDictionary(text);
      const item = d.get('a') as { value: { value: number } };
      expect(Object.is(item.value.value, 0)).toBe(true);
      expect(parseSfDictionary(serializeSfDictionary(d))).toEqual(d);
    }
  });

  test('when a signature header carries a key twice, then it is refused unless RFC 8941 last-wins is asked for', () => {
    expect(() => parseSfDictionary('a=1, b=2, a=3')).toThrow(SfParseError);
    expect(() => parseSfDictionary('a=(1);x=1;x=2')).toThrow(SfParseError);
    const lenient = parseSfDictionary('a=1, b=2, a=3', { duplicates: 'last-wins' });
    expect([...lenient].map(([k, m]) => [k, (m as SfItem).value.value])).toEqual([
      ['a', 3],
      ['b', 2],
    ]);
  });

  test.each([
    ['unpadded base64', ':aGk:'],
    ['non-zero leftover bits', ':aGl=:'],
    ['url-safe alphabet', ':-_8=:'],
    ['integer of 16 digits', '1234567890123456'],
    ['decimal with 4 fraction digits', '1.2345'],
    ['decimal ending in a dot', '1.'],
    ['upper-case key', 'A=1'],
    ['string with a tab', '"a\tb"'],
    ['string with a bad escape', '"a\\nb"'],
    ['unterminated string', '"abc'],
    ['non-ASCII', '"是"'],
    ['trailing comma', 'a=1,'],
    ['tab inside an inner list', 'a=(1\t2)'],
    ['RFC 9651 date', 'a=@1659578233'],
    ['RFC 9651 display string', 'a=%"x"'],
  ])('when a dictionary has %s, then it is refused', (_what, text) => {
    expect(() => parseSfDictionary(text.includes('=') ? text : `a=${text}`)).toThrow(SfParseError);
  });

  test('when OWS surrounds commas and SP the value, then it parses as RFC 8941 says', () => {
    const dict = parseSfDictionary('  a=1 ,\tb=( "x"  y );p , c  ');
    expect(serializeSfDictionary(dict)).toBe('a=1, b=("x" y);p, c');
  });

  test('when decimals are serialised, then they round half to even at three digits', () => {
    expect(serializeSfBareItem({ type: 'decimal', value: 1.0005 })).toBe('1.0');
    expect(serializeSfBareItem({ type: 'decimal', value: 2.5 })).toBe('2.5');
    expect(serializeSfBareItem({ type: 'decimal', value: -0.25 })).toBe('-0.25');
    expect(() => serializeSfBareItem({ type: 'decimal', value: 1e13 })).toThrow(TypeError);
    expect(() => serializeSfBareItem({ type: 'integer', value: 1e15 })).toThrow(TypeError);
  });

  test('when bytes are base64-encoded and decoded strictly, then every byte string round-trips', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
        expect(base64DecodeStrict(base64Encode(bytes))).toEqual(bytes);
        expect(base64Encode(bytes)).toBe(Buffer.from(bytes).toString('base64'));
      }),
    );
  });

  test('when arbitrary text is parsed, then the parser returns or throws SfParseError, nothing else', () => {
    const alphabet = fc.constantFrom(...'a=1(); ,"\\:?*-.0/\tAZz=+'.split(''), '\u00e9', '\n');
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.oneof(
            alphabet,
            fc.integer({ min: 0, max: 0x17f }).map((c) => String.fromCharCode(c)),
          ),
          maxLength: 60,
        }),
        (text) => {
          for (const parse of [parseSfDictionary, parseSfList, parseSfItem]) {
            try {
              parse(text);
            } catch (e) {
              expect(e).toBeInstanceOf(SfParseError);
            }
          }
        },
      ),
      { numRuns: 3000 },
    );
  });
});
