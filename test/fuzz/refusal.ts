import fc from 'fast-check';

/** Cases per in-process target (issue 21 §4: at least 10,000). */
export const RUNS = 10_000;

type ErrorClass = abstract new (...args: never[]) => Error;

/**
 * Runs `f`: its value, or the error when it is one of `allowed` (the parser's documented refusal). Any other
 * exception (a TypeError from reading a property of undefined, a RangeError from a stack overflow) is the
 * defect the fuzzing looks for and is rethrown, so fast-check reports and shrinks the input.
 */
export function valueOrRefusal<T>(f: () => T, ...allowed: ErrorClass[]): T | Error {
  try {
    return f();
  } catch (err) {
    if (allowed.some((c) => err instanceof c)) return err as Error;
    throw err;
  }
}

/** A string that looks like the text of `prefix` half of the time: the parser gets past its first check. */
export const prefixed = (prefix: string, alphabet?: string) =>
  fc.oneof(
    fc.string({ unit: 'binary', maxLength: 300 }),
    (alphabet
      ? fc.string({ unit: fc.constantFrom(...alphabet.split('')), maxLength: 600 })
      : fc.string({ maxLength: 600 })
    ).map((s) => prefix + s),
  );

/** Anything a caller could pass where a string is expected: strings, numbers, objects, arrays, bytes. */
export const anyInput = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.anything({ maxDepth: 3 }),
  fc.uint8Array({ maxLength: 64 }),
);

/**
 * `text` with one to four characters replaced, inserted or deleted, never `text` itself. The new characters
 * come from `alphabet`: the characters of a string, or any arbitrary of one-character strings.
 */
export const mutatedText = (text: string, alphabet: string | fc.Arbitrary<string>) =>
  fc
    .array(
      fc.record({
        at: fc.nat({ max: Math.max(0, text.length - 1) }),
        op: fc.constantFrom('replace', 'insert', 'delete'),
        ch: typeof alphabet === 'string' ? fc.constantFrom(...alphabet.split('')) : alphabet,
      }),
      { minLength: 1, maxLength: 4 },
    )
    .map((edits) => {
      let s = text;
      for (const { at, op, ch } of edits) {
        const i = Math.min(at, s.length);
        s =
          op === 'insert'
            ? s.slice(0, i) + ch + s.slice(i)
            : s.slice(0, i) + (op === 'replace' ? ch : '') + s.slice(i + 1);
      }
      return s;
    })
    .filter((s) => s !== text);

/** `bytes` with one byte XORed by a non-zero mask: every position of a signed object, one at a time. */
export const flippedByte = (bytes: Uint8Array) =>
  fc
    .record({ at: fc.nat({ max: bytes.length - 1 }), mask: fc.integer({ min: 1, max: 255 }) })
    .map(({ at, mask }) => {
      const copy = bytes.slice();
      copy[at] ^= mask;
      return copy;
    });

/**
 * True when `f` throws one of `allowed`, false when it returns; any other exception is rethrown. Properties
 * return booleans instead of calling jest's `expect`, which costs about half a millisecond a call: at 10,000
 * cases per target that alone was most of the folder's time.
 */
export function refuses(f: () => unknown, ...allowed: ErrorClass[]): boolean {
  return valueOrRefusal(f, ...allowed) instanceof Error;
}

export { isDeepStrictEqual as same } from 'node:util';
