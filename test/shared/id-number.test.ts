import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import {
  AppError,
  PROVINCES,
  checkDigit,
  isValidIdNumber,
  makeIdNumber,
  maskIdNumber,
  parseIdNumber,
  type ErrorCode,
} from '@eid/shared';

interface ValidVector {
  input: string;
  note: string;
  now?: string;
  idNumber: string;
  regionCode: string;
  provinceCode: string;
  birthDate: string;
  sex: 'M' | 'F';
  checkDigit: string;
}

interface Vectors {
  now: string;
  checkDigits: { first17: string; checkDigit: string }[];
  masks: { input: string; masked: string }[];
  valid: ValidVector[];
  invalid: { input: unknown; code: ErrorCode; note: string; now?: string }[];
}

const vectors: Vectors = JSON.parse(
  readFileSync(path.join(__dirname, '../../docs/formats/vectors/id-number.json'), 'utf8'),
);
const NOW = Date.parse(vectors.now);
const nowOf = (v: { now?: string }) => ({ now: v.now ? Date.parse(v.now) : NOW });

// Mainland region codes the generators draw from, including a city without districts (441900).
const REGIONS = ['110105', '310104', '370102', '440305', '441900', '540102', '650102', '820000'];
const birthDates = fc
  .date({ min: new Date(Date.UTC(1900, 0, 1)), max: new Date(Date.UTC(2026, 10, 22)), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const validIds = fc
  .record({
    region: fc.constantFrom(...REGIONS),
    birthDate: birthDates,
    seq: fc.integer({ min: 0, max: 999 }),
  })
  .map(({ region, birthDate, seq }) => ({
    region,
    birthDate,
    seq,
    id: makeIdNumber(region, birthDate, seq),
  }));

describe('ID-number vectors (docs/formats/vectors/id-number.json)', () => {
  it.each(vectors.valid.map((v) => [v.note, v] as const))('when %s, then it parses', (_note, v) => {
    expect(parseIdNumber(v.input, nowOf(v))).toEqual({
      ok: true,
      value: {
        idNumber: v.idNumber,
        regionCode: v.regionCode,
        provinceCode: v.provinceCode,
        birthDate: v.birthDate,
        sex: v.sex,
        checkDigit: v.checkDigit,
      },
    });
    expect(isValidIdNumber(v.input, nowOf(v))).toBe(true);
  });

  it.each(vectors.invalid.map((v) => [v.note, v] as const))(
    'when %s, then it is refused with its code',
    (_note, v) => {
      const result = parseIdNumber(v.input, nowOf(v));
      expect(result).toMatchObject({ ok: false, code: v.code });
      if (!result.ok) expect(result.message).toMatch(/^[\x20-\x7e]+$/);
      expect(isValidIdNumber(v.input, nowOf(v))).toBe(false);
    },
  );

  it('when the check digit of known prefixes is computed, then it matches the vectors', () => {
    for (const v of vectors.checkDigits) expect(checkDigit(v.first17)).toBe(v.checkDigit);
  });

  it('when known numbers are masked, then the first and last four survive', () => {
    for (const v of vectors.masks) expect(maskIdNumber(v.input)).toBe(v.masked);
  });

  it('when the vectors are read, then they include X check digits and every refusal code', () => {
    expect(vectors.valid.filter((v) => v.checkDigit === 'X').length).toBeGreaterThanOrEqual(4);
    const codes = new Set(vectors.invalid.map((v) => v.code));
    expect([...codes].sort()).toEqual([
      'ID_NUMBER_BAD_BIRTH_DATE',
      'ID_NUMBER_BAD_CHECK_DIGIT',
      'ID_NUMBER_BAD_REGION',
      'ID_NUMBER_INVALID_FORMAT',
      'ID_NUMBER_LEGACY_15',
    ]);
  });
});

describe('ID-number rules', () => {
  it('when checkDigit gets anything but 17 digits, then it throws ID_NUMBER_INVALID_FORMAT', () => {
    for (const bad of ['1101051949123100', '110105194912310021', '1101051949123100X']) {
      expect(() => checkDigit(bad)).toThrow(expect.objectContaining({ code: 'ID_NUMBER_INVALID_FORMAT' }));
    }
  });

  it('when makeIdNumber gets a bad part, then it throws the matching code', () => {
    const codeOf = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return e instanceof AppError ? e.code : 'not an AppError';
      }
      return 'no error';
    };
    expect(codeOf(() => makeIdNumber('000000', '1990-01-01', 1))).toBe('ID_NUMBER_BAD_REGION');
    expect(codeOf(() => makeIdNumber('110105', '1990-02-30', 1))).toBe('ID_NUMBER_BAD_BIRTH_DATE');
    expect(codeOf(() => makeIdNumber('110105', '1899-12-31', 1))).toBe('ID_NUMBER_BAD_BIRTH_DATE');
    expect(codeOf(() => makeIdNumber('110105', '19900101', 1000))).toBe('ID_NUMBER_INVALID_FORMAT');
    expect(makeIdNumber('110105', '19491231', 2)).toBe('11010519491231002X');
  });

  it('when the province table is read, then it holds the 34 province-level codes from 11 to 82', () => {
    const codes = Object.keys(PROVINCES);
    expect(codes).toHaveLength(34);
    expect(codes.every((c) => Number(c) >= 11 && Number(c) <= 82)).toBe(true);
  });

  it('when a Date is given as now, then it is treated like epoch milliseconds', () => {
    const id = makeIdNumber('110101', '2026-11-24', 3);
    expect(isValidIdNumber(id, { now: new Date(NOW) })).toBe(false);
    expect(isValidIdNumber(id, { now: new Date(Date.parse('2026-11-23T16:00:00Z')) })).toBe(true);
  });
});

describe('ID-number properties', () => {
  it('when a number is generated from valid parts, then it parses back to those parts', () => {
    fc.assert(
      fc.property(validIds, ({ region, birthDate, seq, id }) => {
        const result = parseIdNumber(id, { now: NOW });
        expect(result).toEqual({
          ok: true,
          value: expect.objectContaining({ regionCode: region, birthDate, sex: seq % 2 === 1 ? 'M' : 'F' }),
        });
        expect(parseIdNumber(id.toLowerCase(), { now: NOW }).ok).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('when any one of the first 17 digits changes, then the check digit no longer matches', () => {
    fc.assert(
      fc.property(
        validIds,
        fc.integer({ min: 0, max: 16 }),
        fc.integer({ min: 1, max: 9 }),
        ({ id }, position, delta) => {
          const digit = (Number(id[position]) + delta) % 10;
          const first17 = id.slice(0, position) + digit + id.slice(position + 1, 17);
          expect(checkDigit(first17)).not.toBe(id[17]);
          expect(parseIdNumber(first17 + id[17], { now: NOW }).ok).toBe(false);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('when the check digit itself changes, then parsing fails with ID_NUMBER_BAD_CHECK_DIGIT', () => {
    fc.assert(
      fc.property(validIds, fc.constantFrom(...'0123456789X'), ({ id }, replacement) => {
        fc.pre(replacement !== id[17]);
        expect(parseIdNumber(id.slice(0, 17) + replacement, { now: NOW })).toMatchObject({
          ok: false,
          code: 'ID_NUMBER_BAD_CHECK_DIGIT',
        });
      }),
      { numRuns: 300 },
    );
  });

  it('when a number is masked, then exactly 8 characters are kept and the rest are stars', () => {
    fc.assert(
      fc.property(validIds, ({ id }) => {
        const masked = maskIdNumber(id);
        expect(masked).toHaveLength(18);
        expect(masked.replace(/\*/g, '')).toHaveLength(8);
        expect(masked.slice(0, 4) + masked.slice(-4)).toBe(id.slice(0, 4) + id.slice(-4));
        expect(masked.slice(4, 14)).toBe('*'.repeat(10));
      }),
      { numRuns: 300 },
    );
  });
});
