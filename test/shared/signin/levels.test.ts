import fc from 'fast-check';
import { ACR_VALUES, acrOfLevel, amrOfLevel, isSignInLevel, levelOfAcr, SIGNIN_LEVELS } from '@eid/shared';

// RFC 8176 section 2: the registered Authentication Method Reference values.
const RFC8176 = [
  'face',
  'fpt',
  'geo',
  'hwk',
  'iris',
  'kba',
  'mca',
  'mfa',
  'otp',
  'pin',
  'pop',
  'pwd',
  'rba',
  'retina',
  'sc',
  'sms',
  'swk',
  'tel',
  'user',
  'vbm',
  'wia',
];

describe('assurance levels', () => {
  it('when each level is written as acr and read back, then it is the same level', () => {
    expect(SIGNIN_LEVELS).toEqual([1, 2, 3]);
    for (const level of SIGNIN_LEVELS) {
      expect(acrOfLevel(level)).toBe(`urn:cn:eid:loa:${level}`);
      expect(levelOfAcr(acrOfLevel(level))).toBe(level);
    }
    expect(ACR_VALUES).toEqual(['urn:cn:eid:loa:1', 'urn:cn:eid:loa:2', 'urn:cn:eid:loa:3']);
  });

  it('when a string differs from the three values in any way, then it names no level', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.string().map((s) => `urn:cn:eid:loa:${s}`),
        ),
        (acr) => {
          const level = levelOfAcr(acr);
          if (ACR_VALUES.includes(acr)) expect(level).toBe(ACR_VALUES.indexOf(acr) + 1);
          else expect(level).toBeUndefined();
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('when one character of an acr value changes case, then it names no level (exact spelling only)', () => {
    for (const acr of ACR_VALUES)
      for (let i = 0; i < acr.length; i++) {
        const ch = acr[i]!;
        const other = ch.toUpperCase() === ch ? ch.toLowerCase() : ch.toUpperCase();
        if (other !== ch) expect(levelOfAcr(acr.slice(0, i) + other + acr.slice(i + 1))).toBeUndefined();
      }
  });

  it('when the value is not a string, then it names no level', () => {
    for (const bad of [1, 2, null, undefined, {}, ['urn:cn:eid:loa:2'], new String('urn:cn:eid:loa:2'), 2n])
      expect(levelOfAcr(bad)).toBeUndefined();
  });

  it('when the methods of each level are listed, then they are RFC 8176 values, swk first and mfa from two factors', () => {
    expect(amrOfLevel(1)).toEqual(['swk']);
    expect(amrOfLevel(2)).toEqual(['swk', 'pin', 'mfa']);
    expect(amrOfLevel(3)).toEqual(['swk', 'pin', 'face', 'mfa']);
    for (const level of SIGNIN_LEVELS) {
      const amr = amrOfLevel(level);
      for (const m of amr) expect(RFC8176).toContain(m);
      expect(new Set(amr).size).toBe(amr.length);
      expect(amr.includes('mfa')).toBe(amr.filter((m) => m !== 'mfa').length >= 2);
    }
  });

  it('when a caller changes the methods it was given, then the next caller gets them unchanged', () => {
    amrOfLevel(2).push('otp');
    amrOfLevel(3).length = 0;
    expect(amrOfLevel(2)).toEqual(['swk', 'pin', 'mfa']);
    expect(amrOfLevel(3)).toEqual(['swk', 'pin', 'face', 'mfa']);
  });

  it('when values are checked for being a level, then only the numbers 1, 2 and 3 are', () => {
    for (const level of [1, 2, 3]) expect(isSignInLevel(level)).toBe(true);
    for (const bad of [0, 4, -1, 2.5, NaN, Infinity, '1', '2', null, undefined, [2], { level: 2 }, 2n])
      expect(isSignInLevel(bad)).toBe(false);
  });
});
