import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import {
  base64urlEncode,
  CONSENT_CODE_PREFIX,
  formatConsentCode,
  newConsentCode,
  parseConsentCode,
} from '@eid/shared';
import type { partyRegistrationVectors } from '../../../scripts/vectors/party-registration';

const vectors: ReturnType<typeof partyRegistrationVectors> = JSON.parse(
  readFileSync(path.join(__dirname, '../../../docs/formats/vectors/party-registration.json'), 'utf8'),
);
const sixteen = fc.uint8Array({ minLength: 16, maxLength: 16 });

describe('consent request codes', () => {
  it.each(vectors.consentCodes.map((c) => [c.note, c] as const))(
    'when the vector text is %s, then it parses as published',
    (_, c) => {
      expect(parseConsentCode(c.text) ?? null).toEqual(c.parsed);
    },
  );

  it('when any two 16-byte values are formatted, then the code parses back to them', () => {
    fc.assert(
      fc.property(sixteen, sixteen, (a, b) => {
        const id = base64urlEncode(a);
        const secret = base64urlEncode(b);
        const code = formatConsentCode(id, secret);
        expect(code).toBe(`${CONSENT_CODE_PREFIX}${id}.${secret}`);
        expect(parseConsentCode(code)).toEqual({ id, secret });
      }),
    );
  });

  it('when a whitespace character is put anywhere in a valid code, then it is refused', () => {
    const { code } = newConsentCode();
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: code.length }),
        fc.constantFrom(' ', '\n', '\t', '\u3000', '\u00a0'),
        (at, ws) => {
          expect(parseConsentCode(code.slice(0, at) + ws + code.slice(at))).toBeUndefined();
        },
      ),
    );
  });

  it('when any one character of a valid code is replaced, then it is refused or names other parts', () => {
    const { code, id, secret } = newConsentCode();
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: code.length - 1 }),
        fc.string({ minLength: 1, maxLength: 1 }),
        (at, ch) => {
          fc.pre(ch !== code[at]);
          const parsed = parseConsentCode(code.slice(0, at) + ch + code.slice(at + 1));
          if (parsed) expect(parsed).not.toEqual({ id, secret });
        },
      ),
    );
  });

  it('when a part is not 22 canonical base64url characters, then formatting throws TypeError', () => {
    const good = base64urlEncode(new Uint8Array(16));
    for (const [id, secret] of [
      [good.slice(1), good],
      [good, `${good}A`],
      [good, `${good.slice(0, 21)}B`],
      [`${good.slice(0, 21)}+`, good],
    ])
      expect(() => formatConsentCode(id!, secret!)).toThrow(TypeError);
  });

  it('when the input is not a string, then parsing answers undefined', () => {
    for (const bad of [undefined, null, 42, {}, ['EIDC1:']]) expect(parseConsentCode(bad)).toBeUndefined();
  });

  it('when a new code is made with a given random source, then it uses 16 bytes for each part', () => {
    const lengths: number[] = [];
    const made = newConsentCode((n) => {
      lengths.push(n);
      return new Uint8Array(n).fill(lengths.length);
    });
    expect(lengths).toEqual([16, 16]);
    expect(made).toEqual({
      id: base64urlEncode(new Uint8Array(16).fill(1)),
      secret: base64urlEncode(new Uint8Array(16).fill(2)),
      code: `EIDC1:${base64urlEncode(new Uint8Array(16).fill(1))}.${base64urlEncode(new Uint8Array(16).fill(2))}`,
    });
  });
});
