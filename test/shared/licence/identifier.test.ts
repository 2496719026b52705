import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import {
  AppError,
  LICENCE_ID_ROOT,
  MOD_37_36_ALPHABET,
  PROVINCES,
  USCC_ALPHABET,
  formatLicenceIdentifier,
  isValidLicenceIdentifier,
  isValidMod3736,
  licenceTypeCode,
  makeUscc,
  mod3736CheckCharacter,
  parseLicenceIdentifier,
  requireLicenceIdentifier,
  type LicenceIdentifierInput,
  type LicenceIdentifierParts,
  type LicenceIdentifierReason,
  type UsccReason,
} from '@eid/shared';

interface Vectors {
  mod3736: { input: string; check: string; note: string }[];
  identifiers: {
    root: string;
    valid: { text: string; note: string; parts: LicenceIdentifierParts }[];
    invalid: { text: unknown; reason: LicenceIdentifierReason; uscc?: UsccReason; note: string }[];
  };
}

const vectors: Vectors = JSON.parse(
  readFileSync(path.join(__dirname, '../../../docs/formats/vectors/licence-identifier.json'), 'utf8'),
);

/**
 * ISO/IEC 7064 MOD 37,36 written again from the standard's recurrence, independently of the implementation:
 * the running value P after `text` (P_1 = 36, S = ||P + a||_36, P' = 2S mod 37).
 */
function referenceP(text: string): number {
  let p = 36;
  for (const c of text) {
    const s = (p + MOD_37_36_ALPHABET.indexOf(c)) % 36 || 36;
    p = (2 * s) % 37;
  }
  return p;
}
const sOf = (p: number, c: string) => (p + MOD_37_36_ALPHABET.indexOf(c)) % 36 || 36;
/** The documented blind spot: `ab -> ba` after running value p leaves the same P. */
const blindSpot = (p: number, a: string, b: string) => {
  const pair = [sOf(p, a), sOf(p, b)].sort((x, y) => x - y);
  return pair[0] === 18 && pair[1] === 19;
};

const usccChar = fc.constantFrom(...USCC_ALPHABET);
const idChar = fc.constantFrom(...MOD_37_36_ALPHABET);
const usccs = fc
  .record({
    registrationAuthority: usccChar,
    category: usccChar,
    regionCode: fc
      .tuple(fc.constantFrom('10', ...Object.keys(PROVINCES)), fc.integer({ min: 0, max: 9999 }))
      .map(([p, n]) => p + String(n).padStart(4, '0')),
    organisationBody: fc.array(usccChar, { minLength: 8, maxLength: 8 }).map((cs) => cs.join('')),
  })
  .map(makeUscc);
const inputs = fc.record({
  typeCode: fc.tuple(usccs, fc.integer({ min: 0, max: 999 })).map(([u, n]) => licenceTypeCode(u, n)),
  issuerCode: usccs,
  serial: fc.array(idChar, { minLength: 20, maxLength: 20 }).map((cs) => cs.join('')),
  version: fc.integer({ min: 0, max: 999 }),
});
const identifiers = inputs.map(formatLicenceIdentifier);

const swap = (s: string, i: number) => s.slice(0, i) + s[i + 1] + s[i] + s.slice(i + 2);

/**
 * Whether transposing characters `i` and `i + 1` of a valid identifier should still be valid: only inside the
 * fields that nothing but MOD 37,36 protects (type number, serial, version), and only in its blind spot.
 */
function transpositionShouldPass(id: string, i: number): boolean {
  if (id[i] === '.' || id[i + 1] === '.') return false;
  const fields = id.split('.');
  let start = 0;
  for (let f = 0; f < fields.length; f++) {
    const end = start + fields[f]!.length;
    if (i >= start && i < end) {
      const offset = i - start;
      const unprotected = (f === 5 && offset >= 18) || f === 7 || f === 8;
      if (!unprotected) return false;
      const before = fields.slice(5, f).join('') + fields[f]!.slice(0, offset);
      return blindSpot(referenceP(before), id[i]!, id[i + 1]!);
    }
    start = end + 1;
  }
  return false;
}

describe('licence identifier vectors (docs/formats/vectors/licence-identifier.json)', () => {
  it.each(vectors.mod3736.map((v) => [v.note, v] as const))(
    "when MOD 37,36 runs over %s, then the check is the vector's",
    (_n, v) => {
      expect(mod3736CheckCharacter(v.input)).toBe(v.check);
      expect(isValidMod3736(v.input + v.check)).toBe(true);
      expect(MOD_37_36_ALPHABET[(((1 - referenceP(v.input)) % 36) + 36) % 36]).toBe(v.check);
    },
  );

  it.each(vectors.identifiers.valid.map((v) => [v.note, v] as const))(
    'when %s, then it parses into its parts',
    (_n, v) => {
      expect(parseLicenceIdentifier(v.text)).toEqual({ ok: true, value: v.parts });
      expect(isValidLicenceIdentifier(v.text)).toBe(true);
      expect(requireLicenceIdentifier(v.text)).toEqual(v.parts);
      const { typeCode, issuerCode, serial, version } = v.parts;
      expect(formatLicenceIdentifier({ typeCode, issuerCode, serial, version })).toBe(v.text);
      expect(v.parts.definingBody + v.parts.typeNumber).toBe(typeCode);
    },
  );

  it.each(vectors.identifiers.invalid.map((v) => [v.note, v] as const))(
    "when %s, then the reason is the vector's",
    (_n, v) => {
      const parsed = parseLicenceIdentifier(v.text);
      expect(parsed).toEqual({
        ok: false,
        reason: v.reason,
        message: expect.any(String),
        ...(v.uscc ? { uscc: v.uscc } : {}),
      });
      expect(() => requireLicenceIdentifier(v.text)).toThrow(
        expect.objectContaining({
          code: 'LICENCE_ID_INVALID',
          status: 400,
          details: { reason: v.reason, ...(v.uscc ? { uscc: v.uscc } : {}) },
        }),
      );
    },
  );

  it("when the root is read, then it is the vectors' and every identifier vector starts with it", () => {
    expect(LICENCE_ID_ROOT).toBe(vectors.identifiers.root);
    for (const v of vectors.identifiers.valid) expect(v.text.startsWith(`${LICENCE_ID_ROOT}.`)).toBe(true);
  });
});

describe('ISO/IEC 7064 MOD 37,36', () => {
  it('when every adjacent transposition after every running value is tried, then exactly the documented 72 of 45 360 go undetected', () => {
    // A first character x reaches every running value P (x -> S is onto 1..36, S -> 2S mod 37 is a bijection).
    const reached = new Set([...MOD_37_36_ALPHABET].map((x) => referenceP(x)));
    expect(reached.size).toBe(36);
    let undetected = 0;
    let cases = 0;
    const disagreements: string[] = [];
    const notNeighbours: string[] = [];
    for (const x of MOD_37_36_ALPHABET) {
      for (const a of MOD_37_36_ALPHABET) {
        for (const b of MOD_37_36_ALPHABET) {
          if (a === b) continue;
          cases++;
          const missed = mod3736CheckCharacter(x + a + b) === mod3736CheckCharacter(x + b + a);
          if (missed !== blindSpot(referenceP(x), a, b)) disagreements.push(x + a + b);
          if (missed) {
            undetected++;
            const gap = (MOD_37_36_ALPHABET.indexOf(a) - MOD_37_36_ALPHABET.indexOf(b) + 36) % 36;
            if (gap !== 1 && gap !== 35) notNeighbours.push(a + b);
          }
        }
      }
    }
    expect({ disagreements, notNeighbours }).toEqual({ disagreements: [], notNeighbours: [] });
    expect([undetected, cases]).toEqual([72, 45_360]);
  });

  it('when the check character itself is transposed with the last character, then only the same blind spot passes', () => {
    let missed = 0;
    for (const x of MOD_37_36_ALPHABET) {
      for (const a of MOD_37_36_ALPHABET) {
        const check = mod3736CheckCharacter(x + a);
        if (check !== a && isValidMod3736(x + check + a)) {
          missed++;
          expect(blindSpot(referenceP(x), a, check)).toBe(true);
        }
      }
    }
    expect(missed).toBe(2);
  });

  it('when any one character of a checked string is replaced by any other, then it fails', () => {
    fc.assert(
      fc.property(fc.array(idChar, { minLength: 1, maxLength: 70 }), (cs) => {
        const text = cs.join('');
        const checked = text + mod3736CheckCharacter(text);
        expect(isValidMod3736(checked)).toBe(true);
        for (let i = 0; i < checked.length; i++) {
          for (const c of MOD_37_36_ALPHABET) {
            if (c === checked[i]) continue;
            const typo = checked.slice(0, i) + c + checked.slice(i + 1);
            if (isValidMod3736(typo)) throw new Error(`${checked} -> ${typo} passes`);
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it('when a character outside 0-9A-Z is given, then it throws LICENCE_ID_INVALID, and validation says false', () => {
    expect(() => mod3736CheckCharacter('12a')).toThrow(
      expect.objectContaining({ code: 'LICENCE_ID_INVALID', details: { reason: 'format' } }),
    );
    expect(() => mod3736CheckCharacter('1.2')).toThrow(AppError);
    expect(isValidMod3736('')).toBe(false);
    expect(isValidMod3736('A12425GABC1234002m')).toBe(false);
    expect(mod3736CheckCharacter('')).toBe('1');
  });
});

describe('licence identifier builders', () => {
  const valid = vectors.identifiers.valid[0]!.parts;
  const input = {
    typeCode: valid.typeCode,
    issuerCode: valid.issuerCode,
    serial: valid.serial,
    version: valid.version,
  };

  it('when the version is a number, then it is zero-padded to 3 digits', () => {
    expect(formatLicenceIdentifier({ ...input, version: 1 })).toBe(
      formatLicenceIdentifier({ ...input, version: '001' }),
    );
    expect(parseLicenceIdentifier(formatLicenceIdentifier({ ...input, version: 42 }))).toMatchObject({
      ok: true,
      value: { version: '042' },
    });
  });

  it('when a part is malformed, then formatting throws LICENCE_ID_INVALID with its reason', () => {
    const cases: [Partial<LicenceIdentifierInput>, LicenceIdentifierReason, UsccReason?][] = [
      [{ typeCode: valid.typeCode.slice(0, 20) }, 'type_code'],
      [{ typeCode: 'X' + valid.typeCode.slice(1) }, 'type_code', 'check_character'],
      [{ issuerCode: valid.issuerCode.toLowerCase() }, 'issuer_code', 'format'],
      [{ serial: `${valid.serial}0` }, 'serial'],
      [{ serial: valid.serial.replace(/[A-Z]/, '-') }, 'serial'],
      [{ version: '1' }, 'version'],
      [{ version: 1000 }, 'version'],
      [{ version: 1.5 }, 'version'],
      [{ version: -1 }, 'version'],
    ];
    for (const [change, reason, uscc] of cases) {
      expect(() => formatLicenceIdentifier({ ...input, ...change })).toThrow(
        expect.objectContaining({
          code: 'LICENCE_ID_INVALID',
          details: { reason, ...(uscc ? { uscc } : {}) },
        }),
      );
    }
    expect(() => licenceTypeCode(valid.definingBody, 1000)).toThrow(
      expect.objectContaining({ code: 'LICENCE_ID_INVALID', details: { reason: 'type_code' } }),
    );
    expect(licenceTypeCode(valid.definingBody, 7)).toBe(`${valid.definingBody}007`);
  });
});

describe('licence identifier properties', () => {
  it('when an identifier is formatted from random valid parts, then it parses back into them', () => {
    fc.assert(
      fc.property(inputs, (parts) => {
        const id = formatLicenceIdentifier(parts);
        const parsed = parseLicenceIdentifier(id);
        expect(parsed.ok && parsed.value).toEqual({
          identifier: id,
          typeCode: parts.typeCode,
          definingBody: parts.typeCode.slice(0, 18),
          typeNumber: parts.typeCode.slice(18),
          issuerCode: parts.issuerCode,
          serial: parts.serial,
          version: String(parts.version).padStart(3, '0'),
          checkCharacter: id.slice(-1),
        });
      }),
    );
  });

  it('when any one character of a valid identifier is replaced by any other, then it is refused', () => {
    const substitutes = [...`${MOD_37_36_ALPHABET}.a -`];
    fc.assert(
      fc.property(identifiers, (id) => {
        for (let i = 0; i < id.length; i++) {
          for (const c of substitutes) {
            if (c === id[i]) continue;
            const typo = id.slice(0, i) + c + id.slice(i + 1);
            if (isValidLicenceIdentifier(typo)) throw new Error(`${id} -> ${typo} passes`);
          }
        }
      }),
      { numRuns: 40 },
    );
  });

  it('when two different adjacent characters are transposed, then it is refused except in the documented blind spot', () => {
    const check = (id: string) => {
      const wrong: string[] = [];
      for (let i = 0; i + 1 < id.length; i++) {
        if (id[i] === id[i + 1]) continue;
        const twisted = swap(id, i);
        if (isValidLicenceIdentifier(twisted) !== transpositionShouldPass(id, i)) wrong.push(twisted);
      }
      expect(wrong).toEqual([]);
    };
    fc.assert(fc.property(identifiers, check), { numRuns: 300 });
    // The vectors' example makes sure the model's "passes" side is exercised, not only its "refused" side.
    const [, , , spot, twin] = vectors.identifiers.valid;
    check(spot!.text);
    expect(
      [...spot!.text].some(
        (_, i) =>
          i + 1 < spot!.text.length &&
          transpositionShouldPass(spot!.text, i) &&
          swap(spot!.text, i) === twin!.text,
      ),
    ).toBe(true);
  });
});
