import fc from 'fast-check';
import { PASSCODE_PATTERN, passcodeProblem } from '@eid/shared';

const digitString = (min: number, max: number) =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: min, maxLength: max }).map((d) => d.join(''));

/** The runs the rule refuses: every 6-8 digit string going up or down by one. */
function runs(): string[] {
  const out: string[] = [];
  for (let length = 6; length <= 8; length++)
    for (let start = 0; start + length <= 10; start++) {
      const up = Array.from({ length }, (_, i) => start + i).join('');
      out.push(up, [...up].reverse().join(''));
    }
  return out;
}

describe('passcode rules', () => {
  it('when every six-digit passcode is checked, then exactly the 10 repeated and 10 runs are refused', () => {
    const refused: Record<string, string[]> = { repeated: [], sequence: [], format: [] };
    for (let n = 0; n < 1_000_000; n++) {
      const passcode = String(n).padStart(6, '0');
      const problem = passcodeProblem(passcode);
      if (problem) refused[problem]!.push(passcode);
    }
    expect(refused.format).toEqual([]);
    expect(refused.repeated).toEqual([
      '000000',
      '111111',
      '222222',
      '333333',
      '444444',
      '555555',
      '666666',
      '777777',
      '888888',
      '999999',
    ]);
    expect(refused.sequence!.sort()).toEqual(
      runs()
        .filter((r) => r.length === 6)
        .sort(),
    );
  });

  it('when a run of 6 to 8 digits goes up or down by one, then it is a sequence', () => {
    const all = runs();
    expect(all).toHaveLength(2 * (5 + 4 + 3));
    for (const r of all) expect({ r, problem: passcodeProblem(r) }).toEqual({ r, problem: 'sequence' });
  });

  it('when one digit is repeated 6 to 8 times, then it is repeated', () => {
    for (let d = 0; d <= 9; d++)
      for (let length = 6; length <= 8; length++)
        expect(passcodeProblem(String(d).repeat(length))).toBe('repeated');
  });

  it('when any 6-8 digit passcode is neither repeated nor a run, then it can be chosen', () => {
    const sequences = new Set(runs());
    const repeated = new Set(Array.from({ length: 30 }, (_, i) => String(i % 10).repeat(6 + (i % 3))));
    fc.assert(
      fc.property(fc.oneof(digitString(6, 8), fc.constantFrom(...sequences, ...repeated)), (passcode) => {
        const expected = repeated.has(passcode)
          ? 'repeated'
          : sequences.has(passcode)
            ? 'sequence'
            : undefined;
        expect(passcodeProblem(passcode)).toBe(expected);
      }),
      { numRuns: 5000 },
    );
  });

  it('when a run wraps round 9 to 0 or changes direction, then it is not a run', () => {
    for (const passcode of ['890123', '901234', '109876', '12345654', '123321', '13579135', '246802'])
      expect(passcodeProblem(passcode)).toBeUndefined();
  });

  it('when the length is not 6 to 8, then it is a format problem', () => {
    fc.assert(
      fc.property(fc.oneof(digitString(0, 5), digitString(9, 20)), (passcode) => {
        expect(passcodeProblem(passcode)).toBe('format');
      }),
    );
  });

  it('when any character is not an ASCII digit, then it is a format problem', () => {
    fc.assert(
      fc.property(
        digitString(6, 8),
        fc.nat(),
        fc.string({ minLength: 1, maxLength: 1 }).filter((c) => !/[0-9]/.test(c)),
        (passcode, at, ch) => {
          const i = at % passcode.length;
          expect(passcodeProblem(passcode.slice(0, i) + ch + passcode.slice(i + 1))).toBe('format');
          expect(passcodeProblem(passcode.slice(0, i) + ch + passcode.slice(i))).toBe('format');
        },
      ),
    );
    for (const passcode of ['135790\n', '\n135790', '１３５７９０', '٣٥٧٩٠١', '13579０', '+135790', '1e5790'])
      expect(passcodeProblem(passcode)).toBe('format');
  });

  it('when the value is not a string, then it is a format problem', () => {
    for (const bad of [135790, null, undefined, ['135790'], { passcode: '135790' }, new String('135790')])
      expect(passcodeProblem(bad)).toBe('format');
  });

  it('when the pattern is used alone, then it takes 6-8 ASCII digits and nothing after them', () => {
    expect(PASSCODE_PATTERN.test('135790')).toBe(true);
    expect(PASSCODE_PATTERN.test('13579024')).toBe(true);
    expect(PASSCODE_PATTERN.test('135790\n')).toBe(false);
    expect(PASSCODE_PATTERN.test('135790246')).toBe(false);
  });
});
