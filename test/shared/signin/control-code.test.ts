import { createHash, randomInt } from 'node:crypto';
import fc from 'fast-check';
import {
  base64urlEncode,
  CONTROL_CODE,
  controlCodeChoices,
  controlCodeOf,
  newSignInCode,
  type SignInCodeParts,
} from '@eid/shared';

const part = fc.uint8Array({ minLength: 16, maxLength: 16 }).map(base64urlEncode);
const partsArb = fc.record({ id: part, secret: part });
const code4 = fc.integer({ min: 0, max: 9999 }).map((n) => String(n).padStart(4, '0'));

/** mulberry32: a small seeded generator, so the statistical tests below see the same numbers on every run. */
function seeded(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    int: (n: number) => Math.floor(next() * n),
    bytes: (length: number) => Uint8Array.from({ length }, () => Math.floor(next() * 256)),
  };
}

/** Pearson's chi-square of `counts` against equal expected counts. */
function chiSquare(counts: number[]): number {
  const total = counts.reduce((s, c) => s + c, 0);
  const expected = total / counts.length;
  return counts.reduce((s, c) => s + (c - expected) ** 2 / expected, 0);
}

// 99 degrees of freedom: mean 99, standard deviation 14; 150 is beyond the 0.1 % tail.
const CHI2_BOUND_99 = 150;
const SAMPLES = 40_000;

function codesOf(n: number, random: ReturnType<typeof seeded>): SignInCodeParts[] {
  return Array.from({ length: n }, () => newSignInCode(random.bytes));
}

// Made once: the two distribution tests look at the same request codes.
let manyParts: SignInCodeParts[] | undefined;
const many = () => (manyParts ??= codesOf(SAMPLES, seeded(2026)));

describe('control code', () => {
  it('when node:crypto computes the documented formula for any parts, then it is the control code', () => {
    fc.assert(
      fc.property(partsArb, (parts) => {
        const digest = createHash('sha256')
          .update(`eid-signin-control-v1\u0000${parts.id}\u0000${parts.secret}`)
          .digest();
        const expected = String(digest.readUInt32BE(0) % 10000).padStart(4, '0');
        expect(controlCodeOf(parts)).toBe(expected);
        expect(controlCodeOf(parts)).toMatch(CONTROL_CODE);
      }),
    );
  });

  it('when the id or the secret changes, then the control code is computed from the new parts', () => {
    const random = seeded(17);
    let changed = 0;
    for (const parts of codesOf(200, random)) {
      const [other] = codesOf(1, random);
      if (controlCodeOf({ id: parts.id, secret: other!.secret }) !== controlCodeOf(parts)) changed++;
      if (controlCodeOf({ id: other!.id, secret: parts.secret }) !== controlCodeOf(parts)) changed++;
    }
    // A collision is one in 10000 per pair: a code that ignored a part would change in none of these.
    expect(changed).toBeGreaterThanOrEqual(398);
  });

  it('when the parts are swapped, then the control code differs (the order of id and secret counts)', () => {
    let same = 0;
    for (const parts of codesOf(500, seeded(5)))
      if (controlCodeOf({ id: parts.secret, secret: parts.id }) === controlCodeOf(parts)) same++;
    expect(same).toBeLessThanOrEqual(2);
  });

  it('when many random request codes are made, then their control codes spread evenly over 0000-9999', () => {
    const codes = many().map(controlCodeOf);
    const byTwoDigits = new Array<number>(100).fill(0);
    const byPosition = Array.from({ length: 4 }, () => new Array<number>(10).fill(0));
    for (const c of codes) {
      byTwoDigits[Number(c.slice(0, 2))]!++;
      for (let p = 0; p < 4; p++) byPosition[p]![Number(c[p])]!++;
    }
    expect(chiSquare(byTwoDigits)).toBeLessThan(CHI2_BOUND_99);
    // Each digit at each position within 6 % of a tenth (the standard deviation is about 1.5 %).
    for (const counts of byPosition)
      for (const count of counts) expect(Math.abs(count - SAMPLES / 10)).toBeLessThan(0.06 * (SAMPLES / 10));
    expect(new Set(codes).size).toBeGreaterThan(9_000);
  });

  it('when the same statistic is taken of a two-byte control code, then it fails the bound (the test can tell)', () => {
    // Smart-ID's (first two bytes) mod 10000: 0000-5535 come up 7/6 as often as the rest.
    const twoByte = (parts: SignInCodeParts) => {
      const d = createHash('sha256')
        .update(`eid-signin-control-v1\u0000${parts.id}\u0000${parts.secret}`)
        .digest();
      return String(d.readUInt16BE(0) % 10000).padStart(4, '0');
    };
    const byTwoDigits = new Array<number>(100).fill(0);
    for (const parts of many()) byTwoDigits[Number(twoByte(parts).slice(0, 2))]!++;
    expect(chiSquare(byTwoDigits)).toBeGreaterThan(CHI2_BOUND_99);
  });
});

describe('control-code choices', () => {
  it('when choices are drawn for any code and any seeded random, then there are 3 distinct four-digit codes incl. the code', () => {
    fc.assert(
      fc.property(code4, fc.integer(), (code, seed) => {
        const random = seeded(seed);
        const choices = controlCodeChoices(code, random.int);
        expect(choices).toHaveLength(3);
        expect(new Set(choices).size).toBe(3);
        expect(choices).toContain(code);
        for (const c of choices) expect(c).toMatch(CONTROL_CODE);
      }),
      { numRuns: 2000 },
    );
  });

  it('when the random source repeats a value or gives the code itself, then another decoy is drawn', () => {
    const values = [1234, 1234, 1234, 1234, 0, 0, 5, 0, 0];
    const asked: number[] = [];
    const choices = controlCodeChoices('1234', (n) => {
      asked.push(n);
      return values.shift()!;
    });
    expect(asked).toEqual([10000, 10000, 10000, 10000, 10000, 10000, 10000, 3, 2]);
    expect(choices).toEqual(['0000', '0005', '1234']);
  });

  it('when the random source is node:crypto randomInt, then the choices still hold the code and two decoys', () => {
    for (let i = 0; i < 200; i++) {
      const code = String(randomInt(10000)).padStart(4, '0');
      const choices = controlCodeChoices(code, (n) => randomInt(n));
      expect(new Set(choices).size).toBe(3);
      expect(choices).toContain(code);
    }
  });

  it('when choices are drawn many times, then the code is at each of the three places about equally often', () => {
    const random = seeded(33);
    const places = [0, 0, 0];
    const n = 30_000;
    for (let i = 0; i < n; i++) {
      const code = String(random.int(10000)).padStart(4, '0');
      places[controlCodeChoices(code, random.int).indexOf(code)]!++;
    }
    // Standard deviation about 82 per place; 3 % of n is more than 10 of them.
    for (const count of places) expect(Math.abs(count - n / 3)).toBeLessThan(0.03 * n);
  });

  it('when choices are drawn many times, then the decoys spread evenly like the codes do', () => {
    const random = seeded(44);
    const byTwoDigits = new Array<number>(100).fill(0);
    for (let i = 0; i < SAMPLES / 2; i++) {
      const code = String(random.int(10000)).padStart(4, '0');
      for (const c of controlCodeChoices(code, random.int))
        if (c !== code) byTwoDigits[Number(c.slice(0, 2))]!++;
    }
    expect(chiSquare(byTwoDigits)).toBeLessThan(CHI2_BOUND_99);
  });
});
