import fc from 'fast-check';
import {
  AppError,
  ERROR_CODES,
  formatLicenceIdentifier,
  isValidRegionCode,
  makeIdNumber,
  makeUscc,
  parseConsentCode,
  parseIdNumber,
  parseLicenceIdentifier,
  parseSignInCode,
  parseUscc,
  parseWebhookPublicKey,
  parseWebhookSecret,
  passcodeProblem,
  requireLicenceIdentifier,
  requireUscc,
  USCC_ALPHABET,
  MOD_37_36_ALPHABET,
  formatConsentCode,
  base64urlEncode,
} from '@eid/shared';
import idVectors from '../../docs/formats/vectors/id-number.json';
import licenceVectors from '../../docs/formats/vectors/licence-identifier.json';
import { anyInput, mutatedText, RUNS, same, valueOrRefusal } from './refusal';

const USCC_REASONS = new Set(['format', 'region', 'organisation_code', 'check_character']);

const NOW = Date.parse('2026-12-01T00:00:00Z');
const digits = (n: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: n, maxLength: n });

describe('ID numbers (GB 11643) under fuzzing', () => {
  it('when parseIdNumber is given anything, then it answers ok or an ID_NUMBER_* code, never throws', () => {
    const idLike = fc.oneof(
      anyInput,
      digits(18),
      digits(17).map((s) => `${s}X`),
      digits(15),
      fc.string({ unit: fc.constantFrom(...'0123456789Xx \u00a0\uff10'), maxLength: 20 }),
    );
    fc.assert(
      fc.property(idLike, (input) => {
        const r = parseIdNumber(input, { now: NOW });
        return r.ok ? /^[0-9]{17}[0-9X]$/.test(r.value.idNumber) : r.code.startsWith('ID_NUMBER_');
      }),
      { numRuns: RUNS },
    );
  });

  it('when a valid ID number is made from region, birth date and sequence, then parsing gives the same back', () => {
    const regions = idVectors.valid.map((v) => v.regionCode);
    expect(regions.every(isValidRegionCode)).toBe(true);
    fc.assert(
      fc.property(
        fc.constantFrom(...regions),
        fc.date({
          min: new Date('1900-01-01T00:00:00Z'),
          max: new Date('2020-12-31T00:00:00Z'),
          noInvalidDate: true,
        }),
        fc.integer({ min: 0, max: 999 }),
        (region, date, seq) => {
          const birthDate = date.toISOString().slice(0, 10);
          const id = makeIdNumber(region, birthDate, seq);
          const r = parseIdNumber(id, { now: NOW });
          return r.ok && r.value.idNumber === id && r.value.birthDate === birthDate;
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('when one digit of a valid ID number is changed, then it is refused (the check digit catches it)', () => {
    const valid = idVectors.valid[0]!.idNumber;
    fc.assert(
      fc.property(fc.nat({ max: 17 }), fc.integer({ min: 1, max: 9 }), (at, delta) => {
        const ch = valid[at]!;
        const next = ch === 'X' ? String(delta) : String((Number(ch) + delta) % 10);
        const changed = valid.slice(0, at) + next + valid.slice(at + 1);
        return !parseIdNumber(changed, { now: NOW }).ok;
      }),
      { numRuns: RUNS },
    );
  });
});

describe('unified social credit codes and licence identifiers under fuzzing', () => {
  const usccLike = fc.oneof(
    anyInput,
    fc.string({ unit: fc.constantFrom(...USCC_ALPHABET.split('')), minLength: 18, maxLength: 18 }),
    fc.string({ unit: fc.constantFrom(...`${USCC_ALPHABET}IOSVZ-a`.split('')), maxLength: 20 }),
  );

  it('when parseUscc is given anything, then it answers a value or a typed reason; requireUscc throws only USCC_INVALID', () => {
    fc.assert(
      fc.property(usccLike, (input) => {
        const r = parseUscc(input);
        if (r.ok ? r.value.uscc !== input : !USCC_REASONS.has(r.reason)) return false;
        const thrown = valueOrRefusal(() => requireUscc(input), AppError);
        return !(thrown instanceof AppError) || thrown.code === 'USCC_INVALID';
      }),
      { numRuns: RUNS },
    );
  });

  it('when a USCC is made from its parts, then it parses back to them', () => {
    const valid = licenceVectors.uscc.valid.map((v) => v.text);
    const parts = valid.map((u) => parseUscc(u)).flatMap((r) => (r.ok ? [r.value] : []));
    expect(parts.length).toBeGreaterThan(0);
    fc.assert(
      fc.property(
        fc.constantFrom(...parts),
        fc.string({
          unit: fc.constantFrom(...'0123456789ABCDEFGHJKLMNPQRTUWXY'.split('')),
          minLength: 8,
          maxLength: 8,
        }),
        (p, body) => {
          const made = valueOrRefusal(
            () =>
              makeUscc({
                registrationAuthority: p.registrationAuthority,
                category: p.category,
                regionCode: p.regionCode,
                organisationBody: body,
              }),
            AppError,
          );
          // An organisation body whose own check would be a character outside the alphabet is refused.
          if (made instanceof Error) return (made as AppError).code === 'USCC_INVALID';
          const r = parseUscc(made);
          return r.ok && r.value.regionCode === p.regionCode && r.value.organisationCode.startsWith(body);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('when parseLicenceIdentifier is given anything, then a value or a typed reason; requireLicenceIdentifier throws only LICENCE_ID_INVALID', () => {
    const valid = licenceVectors.identifiers.valid.map((v) => v.text);
    const input = fc.oneof(
      anyInput,
      fc.constantFrom(...valid).chain((v) => mutatedText(v, `${MOD_37_36_ALPHABET}.-a `)),
      fc.string({ unit: fc.constantFrom(...`${MOD_37_36_ALPHABET}.`.split('')), maxLength: 80 }),
    );
    fc.assert(
      fc.property(input, (text) => {
        const r = parseLicenceIdentifier(text);
        if (r.ok ? r.value.identifier !== text : typeof r.reason !== 'string') return false;
        const thrown = valueOrRefusal(() => requireLicenceIdentifier(text), AppError);
        return !(thrown instanceof AppError) || thrown.code === 'LICENCE_ID_INVALID';
      }),
      { numRuns: RUNS },
    );
  });

  it('when a valid identifier is taken apart and formatted again, then it is the same text', () => {
    const valid = licenceVectors.identifiers.valid.map((v) => v.text);
    const parsed = valid.map((v) => requireLicenceIdentifier(v));
    fc.assert(
      fc.property(
        fc.constantFrom(...parsed),
        fc.string({
          unit: fc.constantFrom(...'0123456789ABCDEFGHJKLMNPQRTUWXY'.split('')),
          minLength: 20,
          maxLength: 20,
        }),
        fc.integer({ min: 0, max: 999 }),
        (p, serial, version) => {
          const text = formatLicenceIdentifier({
            typeCode: p.typeCode,
            issuerCode: p.issuerCode,
            serial,
            version,
          });
          const back = requireLicenceIdentifier(text);
          return (
            back.serial === serial && Number(back.version) === version && back.issuerCode === p.issuerCode
          );
        },
      ),
      { numRuns: RUNS },
    );
  });
});

describe('two-part codes, passcodes and webhook keys under fuzzing', () => {
  it('when consent and sign-in codes, passcodes and whsec_/whpk_ texts are anything, then undefined or a value, never a throw', () => {
    const input = fc.oneof(
      anyInput,
      fc
        .string({ unit: fc.constantFrom(...'ABCxyz019-_.='.split('')), maxLength: 60 })
        .map((s) => `EIDC1:${s}`),
      fc.string({ maxLength: 60 }).map((s) => `EIDS1:${s}`),
      fc.string({ maxLength: 100 }).map((s) => `whsec_${s}`),
      fc.string({ maxLength: 60 }).map((s) => `whpk_${s}`),
    );
    fc.assert(
      fc.property(input, (text) => {
        for (const parse of [parseConsentCode, parseSignInCode]) {
          const r = parse(text);
          if (r !== undefined && r.id.length !== 22) return false;
        }
        const problem = passcodeProblem(text);
        return (
          [undefined, 'format', 'repeated', 'sequence'].includes(problem) &&
          ['undefined', 'object'].includes(typeof parseWebhookSecret(text)) &&
          ['undefined', 'object'].includes(typeof parseWebhookPublicKey(text))
        );
      }),
      { numRuns: RUNS },
    );
  });

  it('when a consent code is formatted from random parts, then parsing gives them back', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        (a, b) => {
          const id = base64urlEncode(a);
          const secret = base64urlEncode(b);
          return same(parseConsentCode(formatConsentCode(id, secret)), { id, secret });
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('every code a refusal here can carry is one of errors.ts', () => {
    for (const code of ['ID_NUMBER_INVALID_FORMAT', 'USCC_INVALID', 'LICENCE_ID_INVALID'])
      expect(ERROR_CODES).toHaveProperty(code);
  });
});
