import fc from 'fast-check';
import {
  base64urlEncode,
  formatConsentCode,
  formatSignInCode,
  newSignInCode,
  parseConsentCode,
  parseSignInCode,
  SIGNIN_CODE_PREFIX,
} from '@eid/shared';

const sixteen = fc.uint8Array({ minLength: 16, maxLength: 16 });
const part = sixteen.map(base64urlEncode);

describe('sign-in request codes (EIDS1)', () => {
  it('when any two 16-byte values are formatted, then the code is EIDS1:<id>.<secret> and parses back', () => {
    expect(SIGNIN_CODE_PREFIX).toBe('EIDS1:');
    fc.assert(
      fc.property(part, part, (id, secret) => {
        const code = formatSignInCode(id, secret);
        expect(code).toBe(`EIDS1:${id}.${secret}`);
        expect(code).toHaveLength(51);
        expect(parseSignInCode(code)).toEqual({ id, secret });
      }),
    );
  });

  it('when a code of one kind is read as the other, then it is refused (sign-in and consent codes never mix)', () => {
    fc.assert(
      fc.property(part, part, (id, secret) => {
        expect(parseConsentCode(formatSignInCode(id, secret))).toBeUndefined();
        expect(parseSignInCode(formatConsentCode(id, secret))).toBeUndefined();
      }),
    );
  });

  it('when a whitespace character is put anywhere in a valid code, then it is refused', () => {
    fc.assert(
      fc.property(
        part,
        part,
        fc.nat(),
        fc.constantFrom(' ', '\n', '\r', '\t', '\u3000', '\u00a0', '\u200b', '\ufeff'),
        (id, secret, at, ws) => {
          const code = formatSignInCode(id, secret);
          const i = at % (code.length + 1);
          expect(parseSignInCode(code.slice(0, i) + ws + code.slice(i))).toBeUndefined();
        },
      ),
    );
  });

  it('when any one character of a valid code is replaced, then it is refused or names other parts', () => {
    fc.assert(
      fc.property(part, part, fc.nat(), fc.string({ minLength: 1, maxLength: 1 }), (id, secret, at, ch) => {
        const code = formatSignInCode(id, secret);
        const i = at % code.length;
        fc.pre(ch !== code[i]);
        const parsed = parseSignInCode(code.slice(0, i) + ch + code.slice(i + 1));
        if (parsed) {
          expect(parsed).not.toEqual({ id, secret });
          // Only a part's character can change and still parse: prefix and dot are fixed.
          expect(i).toBeGreaterThanOrEqual(SIGNIN_CODE_PREFIX.length);
          expect(i).not.toBe(SIGNIN_CODE_PREFIX.length + 22);
        }
      }),
    );
  });

  it('when the prefix is spelt in any other case, then the code is refused', () => {
    const { id, secret } = newSignInCode();
    for (const prefix of ['eids1:', 'Eids1:', 'EIdS1:', 'eIDS1:'])
      expect(parseSignInCode(`${prefix}${id}.${secret}`)).toBeUndefined();
  });

  it('when a part has 21 or 23 characters, then the code is refused, also when the total length is right', () => {
    const { id, secret } = newSignInCode();
    for (const text of [
      `EIDS1:${id.slice(1)}.${secret}`,
      `EIDS1:${id}A.${secret}`,
      `EIDS1:${id}.${secret.slice(1)}`,
      `EIDS1:${id}.${secret}A`,
      `EIDS1:${id.slice(1)}.${secret}A`,
      `EIDS1:${id}A.${secret.slice(1)}`,
    ])
      expect({ text, parsed: parseSignInCode(text) }).toEqual({ text, parsed: undefined });
  });

  it('when the last character of a part has an unused bit set, then the code is refused (one spelling per code)', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const { id, secret } = newSignInCode();
    const canonicalLast: string[] = [];
    for (const ch of alphabet) {
      const asId = parseSignInCode(`EIDS1:${id.slice(0, 21)}${ch}.${secret}`);
      const asSecret = parseSignInCode(`EIDS1:${id}.${secret.slice(0, 21)}${ch}`);
      expect(asId === undefined).toBe(asSecret === undefined);
      if (asId) canonicalLast.push(ch);
    }
    expect(canonicalLast).toEqual(['A', 'Q', 'g', 'w']);
  });

  it('when a part is not 22 canonical base64url characters, then formatting throws TypeError', () => {
    const good = base64urlEncode(new Uint8Array(16));
    for (const [id, secret] of [
      [good.slice(1), good],
      [good, `${good}A`],
      [good, `${good.slice(0, 21)}B`],
      [`${good.slice(0, 21)}+`, good],
      [`${good.slice(0, 20)}==`, good],
      ['', good],
    ])
      expect(() => formatSignInCode(id!, secret!)).toThrow(TypeError);
  });

  it('when the input is not a string, then parsing answers undefined', () => {
    const { code } = newSignInCode();
    for (const bad of [undefined, null, 42, {}, [code], new String(code), { code }])
      expect(parseSignInCode(bad)).toBeUndefined();
  });

  it('when a new code is made with a given random source, then it takes 16 bytes for each part', () => {
    const lengths: number[] = [];
    const made = newSignInCode((n) => {
      lengths.push(n);
      return new Uint8Array(n).fill(lengths.length);
    });
    const one = base64urlEncode(new Uint8Array(16).fill(1));
    const two = base64urlEncode(new Uint8Array(16).fill(2));
    expect(lengths).toEqual([16, 16]);
    expect(made).toEqual({ id: one, secret: two, code: `EIDS1:${one}.${two}` });
  });

  it('when new codes are made with the default random source, then they parse and never repeat', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 500; i++) {
      const made = newSignInCode();
      expect(parseSignInCode(made.code)).toEqual({ id: made.id, secret: made.secret });
      expect(made.id).not.toBe(made.secret);
      seen.add(made.id).add(made.secret);
    }
    expect(seen.size).toBe(1000);
  });
});
