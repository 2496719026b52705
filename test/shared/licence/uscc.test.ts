import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import {
  AppError,
  PROVINCES,
  USCC_ALPHABET,
  USCC_REGISTRATION_AUTHORITIES,
  isValidUscc,
  makeUscc,
  organisationCodeCheckCharacter,
  parseUscc,
  requireUscc,
  usccCheckCharacter,
  type UsccParts,
  type UsccReason,
} from '@eid/shared';

interface Vectors {
  uscc: {
    alphabet: string;
    weights: number[];
    checkCharacters: { first17: string; check: string }[];
    organisationCodes: { body: string; check: string }[];
    valid: { text: string; note: string; parts: UsccParts }[];
    invalid: { text: unknown; reason: UsccReason; note: string }[];
  };
}

const { uscc: vectors }: Vectors = JSON.parse(
  readFileSync(path.join(__dirname, '../../../docs/formats/vectors/licence-identifier.json'), 'utf8'),
);

const usccChar = fc.constantFrom(...USCC_ALPHABET);
const regionPrefix = fc.constantFrom('10', ...Object.keys(PROVINCES));
/** Random valid codes over the whole alphabet, every province and the central prefix. */
const usccs = fc
  .record({
    registrationAuthority: usccChar,
    category: usccChar,
    regionCode: fc
      .tuple(regionPrefix, fc.integer({ min: 0, max: 9999 }))
      .map(([p, n]) => p + String(n).padStart(4, '0')),
    organisationBody: fc.array(usccChar, { minLength: 8, maxLength: 8 }).map((cs) => cs.join('')),
  })
  .map((parts) => ({ parts, uscc: makeUscc(parts) }));

const swap = (s: string, i: number, j: number) => {
  const cs = [...s];
  [cs[i], cs[j]] = [cs[j]!, cs[i]!];
  return cs.join('');
};
// Every character a slip of the hand or an OCR could give: the alphabet, the five excluded letters, lower case.
const SUBSTITUTES = [...`${USCC_ALPHABET}IOZSVlx -`];

describe('USCC vectors (docs/formats/vectors/licence-identifier.json)', () => {
  it.each(vectors.valid.map((v) => [v.note, v] as const))(
    'when %s, then it parses into its parts',
    (_n, v) => {
      expect(parseUscc(v.text)).toEqual({ ok: true, value: v.parts });
      expect(isValidUscc(v.text)).toBe(true);
      expect(requireUscc(v.text)).toEqual(v.parts);
    },
  );

  it.each(vectors.invalid.map((v) => [v.note, v] as const))(
    "when %s, then the reason is the vector's",
    (_n, v) => {
      const parsed = parseUscc(v.text);
      expect(parsed).toEqual({ ok: false, reason: v.reason, message: expect.any(String) });
      expect(isValidUscc(v.text)).toBe(false);
      expect(() => requireUscc(v.text)).toThrow(
        expect.objectContaining({ code: 'USCC_INVALID', status: 400, details: { reason: v.reason } }),
      );
    },
  );

  it('when the check characters and organisation codes of the vectors are computed, then they match', () => {
    for (const v of vectors.checkCharacters)
      expect([v.first17, usccCheckCharacter(v.first17)]).toEqual([v.first17, v.check]);
    for (const v of vectors.organisationCodes) {
      expect([v.body, organisationCodeCheckCharacter(v.body)]).toEqual([v.body, v.check]);
    }
  });

  it("when the alphabet and weights are read, then they are GB 32100's: 31 characters without I O Z S V, 3^(i-1) mod 31", () => {
    expect(USCC_ALPHABET).toBe(vectors.alphabet);
    expect(USCC_ALPHABET).toHaveLength(31);
    expect([...'IOZSV'].filter((c) => USCC_ALPHABET.includes(c))).toEqual([]);
    expect(vectors.weights).toEqual([1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]);
    // The weights are the ones the implementation uses: a 1 at position i alone gives check (31 - w_i) mod 31.
    vectors.weights.forEach((w, i) => {
      const first17 = '0'.repeat(i) + '1' + '0'.repeat(16 - i);
      expect(usccCheckCharacter(first17)).toBe(USCC_ALPHABET[(31 - w) % 31]);
    });
  });
});

describe('USCC rules', () => {
  it('when the check value would be 31, then it is written 0', () => {
    // Seventeen zeros sum to 0, and 31 - 0 = 31.
    expect(usccCheckCharacter('0'.repeat(17))).toBe('0');
  });

  it('when the GB 11714 value would be 10 or 11, then the organisation check is X or 0', () => {
    // Weight 2 at position 8: S = 12 leaves 1 (11 - 1 = 10 -> X); S = 0 leaves 0 (11 -> 0).
    expect(organisationCodeCheckCharacter('00000006')).toBe('X');
    expect(organisationCodeCheckCharacter('00000000')).toBe('0');
  });

  it('when letters are in the organisation code, then GB 11714 counts them 10-35 in full alphabet order', () => {
    // J is the 10th letter: 19 in GB 11714 (18 in the USCC alphabet). Weight 2 at position 8: S = 38, 11 - 5 = 6.
    expect(organisationCodeCheckCharacter('0000000J')).toBe('6');
  });

  it('when a builder is given a malformed part, then it throws USCC_INVALID with the reason', () => {
    const base = {
      registrationAuthority: '9',
      category: '1',
      regionCode: '110000',
      organisationBody: '60003734',
    };
    expect(makeUscc(base)).toBe('91110000600037341L');
    const cases: [Partial<typeof base>, UsccReason][] = [
      [{ registrationAuthority: 'I' }, 'format'],
      [{ category: '12' }, 'format'],
      [{ organisationBody: '6000373' }, 'format'],
      [{ organisationBody: '6000373O' }, 'format'],
      [{ regionCode: '11000' }, 'region'],
      [{ regionCode: '990000' }, 'region'],
    ];
    for (const [change, reason] of cases) {
      expect(() => makeUscc({ ...base, ...change })).toThrow(
        expect.objectContaining({ code: 'USCC_INVALID', details: { reason } }),
      );
    }
    expect(() => usccCheckCharacter('9111000060003734')).toThrow(AppError);
    expect(() => usccCheckCharacter('9111000060003734I')).toThrow(AppError);
    expect(() => organisationCodeCheckCharacter('6000373a')).toThrow(AppError);
  });

  it('when the authority table is read, then every entry has names and categories of the alphabet', () => {
    for (const [code, entry] of Object.entries(USCC_REGISTRATION_AUTHORITIES)) {
      expect([code, USCC_ALPHABET.includes(code), entry.zh.length > 0, entry.en.length > 0]).toEqual([
        code,
        true,
        true,
        true,
      ]);
      for (const c of Object.keys(entry.categories))
        expect([code, c, USCC_ALPHABET.includes(c)]).toEqual([code, c, true]);
    }
    expect(USCC_REGISTRATION_AUTHORITIES['9']!.categories['2']).toBe('个体工商户');
  });
});

describe('USCC properties', () => {
  it('when a code is made from random parts, then it parses back into them', () => {
    fc.assert(
      fc.property(usccs, ({ parts, uscc }) => {
        const parsed = parseUscc(uscc);
        expect(parsed.ok && parsed.value).toEqual({
          uscc,
          registrationAuthority: parts.registrationAuthority,
          category: parts.category,
          regionCode: parts.regionCode,
          organisationCode: parts.organisationBody + organisationCodeCheckCharacter(parts.organisationBody),
          checkCharacter: uscc[17],
        });
      }),
    );
  });

  it('when any one character of a valid code is replaced by any other, then it is refused', () => {
    fc.assert(
      fc.property(usccs, ({ uscc }) => {
        for (let i = 0; i < 18; i++) {
          for (const c of SUBSTITUTES) {
            if (c === uscc[i]) continue;
            const typo = uscc.slice(0, i) + c + uscc.slice(i + 1);
            if (isValidUscc(typo)) throw new Error(`${uscc} -> ${typo} passes`);
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it('when two different adjacent characters, or two around a third, are transposed, then it is refused', () => {
    fc.assert(
      fc.property(usccs, ({ uscc }) => {
        for (const gap of [1, 2]) {
          for (let i = 0; i + gap < 18; i++) {
            if (uscc[i] === uscc[i + gap]) continue;
            const twisted = swap(uscc, i, i + gap);
            if (isValidUscc(twisted)) throw new Error(`${uscc} -> ${twisted} passes`);
          }
        }
      }),
      { numRuns: 500 },
    );
  });
});
