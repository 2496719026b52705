import { AppError } from '../errors';
import { parseUscc, type UsccReason } from './uscc';

/**
 * The national electronic licence identifier (电子证照标识, GB/T 36904-2018). Format page:
 * docs/formats/licence-identifier.md.
 *
 * ```
 * 1.2.156.3005.2 . 11100000EXAMPLE11P001 . 11370100EXAMPLE2XY . EXAMPLE0000000000001 . 001 . F
 * root OID       . type code (USCC + 3)  . issuer (USCC)      . serial (20)          . ver . check
 * ```
 */

/** The root OID of every electronic licence identifier. */
export const LICENCE_ID_ROOT = '1.2.156.3005.2';

/** The alphabet of ISO/IEC 7064 MOD 37,36, in value order. */
export const MOD_37_36_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

const M = 36;
const MOD_37_36_VALUES = new Map([...MOD_37_36_ALPHABET].map((c, i) => [c, i]));

/** Why a text is not an electronic licence identifier. */
export type LicenceIdentifierReason =
  'format' | 'prefix' | 'type_code' | 'issuer_code' | 'serial' | 'version' | 'check_character';

/** The parts of a valid identifier. */
export interface LicenceIdentifierParts {
  identifier: string;
  /** 21 characters: the defining body's USCC and a 3-digit number it gives the licence type. */
  typeCode: string;
  /** The USCC inside the type code: the body that defines the licence type. */
  definingBody: string;
  /** The last 3 digits of the type code. */
  typeNumber: string;
  /** The issuing body's USCC. */
  issuerCode: string;
  /** 20 digits or upper-case letters, chosen by the issuer. */
  serial: string;
  /** 3 digits. */
  version: string;
  /** ISO/IEC 7064 MOD 37,36 over type code + issuer + serial + version, without the dots. */
  checkCharacter: string;
}

export type LicenceIdentifierParseResult =
  | { ok: true; value: LicenceIdentifierParts }
  | {
      ok: false;
      reason: LicenceIdentifierReason;
      message: string;
      /** For `type_code` and `issuer_code` when the embedded USCC is the problem: its own reason. */
      uscc?: UsccReason;
    };

/** What `formatLicenceIdentifier` builds an identifier from. */
export interface LicenceIdentifierInput {
  typeCode: string;
  issuerCode: string;
  serial: string;
  /** `'001'`, or a number 0-999 that is zero-padded. */
  version: string | number;
}

/** The running value after `text`, and where a character outside the alphabet was met (-1: none). */
function mod3736Run(text: string): { p: number; bad: number } {
  let p = M;
  for (let i = 0; i < text.length; i++) {
    const a = MOD_37_36_VALUES.get(text[i]!);
    if (a === undefined) return { p, bad: i };
    const s = (p + a) % M || M;
    p = (s * 2) % (M + 1);
  }
  return { p, bad: -1 };
}

/**
 * The ISO/IEC 7064 MOD 37,36 (hybrid system) check character of `text` (digits and upper-case letters).
 *
 * @example mod3736CheckCharacter('A12425GABC1234002') // 'M'
 */
export function mod3736CheckCharacter(text: string): string {
  const { p, bad } = mod3736Run(text);
  if (bad >= 0) {
    throw new AppError('LICENCE_ID_INVALID', `character ${bad + 1} is not 0-9 or A-Z`, { reason: 'format' });
  }
  return MOD_37_36_ALPHABET[(((1 - p) % M) + M) % M]!;
}

/** True when the last character of `text` is the MOD 37,36 check character of the rest. */
export function isValidMod3736(text: string): boolean {
  return (
    text.length > 0 && /^[0-9A-Z]+$/.test(text) && mod3736CheckCharacter(text.slice(0, -1)) === text.slice(-1)
  );
}

type Fail = Extract<LicenceIdentifierParseResult, { ok: false }>;
const fail = (reason: LicenceIdentifierReason, message: string, uscc?: UsccReason): Fail =>
  uscc ? { ok: false, reason, message, uscc } : { ok: false, reason, message };

/** The first problem of the four fields the check character covers, or undefined. */
function fieldProblem(
  typeCode: string,
  issuerCode: string,
  serial: string,
  version: string,
): Fail | undefined {
  if (!/^[0-9A-Z]{18}[0-9]{3}$/.test(typeCode)) {
    return fail('type_code', 'the type code is an 18-character USCC followed by 3 digits');
  }
  const definer = parseUscc(typeCode.slice(0, 18));
  if (!definer.ok)
    return fail('type_code', `the type code's USCC is invalid: ${definer.message}`, definer.reason);
  const issuer = parseUscc(issuerCode);
  if (!issuer.ok)
    return fail('issuer_code', `the issuer code is not a valid USCC: ${issuer.message}`, issuer.reason);
  if (!/^[0-9A-Z]{20}$/.test(serial)) return fail('serial', 'the serial is 20 digits or upper-case letters');
  if (!/^[0-9]{3}$/.test(version)) return fail('version', 'the version is 3 digits');
  return undefined;
}

/**
 * Checks an electronic licence identifier and splits it into its parts. Never throws; checks run in the
 * order format (ten dot-separated fields), prefix, type code, issuer code, serial, version, check character,
 * and the first failure is the reason. Nothing is trimmed or upper-cased.
 *
 * @example parseLicenceIdentifier(id) // { ok: false, reason: 'check_character', message: '...' }
 */
export function parseLicenceIdentifier(text: unknown): LicenceIdentifierParseResult {
  if (typeof text !== 'string') return fail('format', 'an identifier must be a string');
  const fields = text.split('.');
  if (fields.length !== 10 || fields.some((f) => f === '')) {
    return fail('format', 'an identifier is ten non-empty dot-separated fields');
  }
  if (fields.slice(0, 5).join('.') !== LICENCE_ID_ROOT) {
    return fail('prefix', `an identifier starts with ${LICENCE_ID_ROOT}`);
  }
  const [typeCode, issuerCode, serial, version, checkCharacter] = fields.slice(5) as [
    string,
    string,
    string,
    string,
    string,
  ];
  const problem = fieldProblem(typeCode, issuerCode, serial, version);
  if (problem) return problem;
  if (checkCharacter !== mod3736CheckCharacter(typeCode + issuerCode + serial + version)) {
    return fail('check_character', 'the check character (ISO/IEC 7064 MOD 37,36) does not match');
  }
  return {
    ok: true,
    value: {
      identifier: text,
      typeCode,
      definingBody: typeCode.slice(0, 18),
      typeNumber: typeCode.slice(18),
      issuerCode,
      serial,
      version,
      checkCharacter,
    },
  };
}

/** True when `text` is a valid electronic licence identifier. */
export function isValidLicenceIdentifier(text: unknown): text is string {
  return parseLicenceIdentifier(text).ok;
}

/**
 * The parts of a valid identifier, or AppError `LICENCE_ID_INVALID` with `details.reason` (and
 * `details.uscc` when an embedded USCC failed); for callers that refuse.
 */
export function requireLicenceIdentifier(text: unknown): LicenceIdentifierParts {
  const parsed = parseLicenceIdentifier(text);
  if (!parsed.ok) {
    throw new AppError('LICENCE_ID_INVALID', parsed.message, {
      reason: parsed.reason,
      ...(parsed.uscc ? { uscc: parsed.uscc } : {}),
    });
  }
  return parsed.value;
}

/**
 * A licence type code: the defining body's USCC and the number it gives the type (0-999, zero-padded).
 *
 * @example licenceTypeCode('11100000000013338W', 11) // '11100000000013338W011'
 */
export function licenceTypeCode(definingBody: string, typeNumber: number): string {
  if (!Number.isInteger(typeNumber) || typeNumber < 0 || typeNumber > 999) {
    throw new AppError('LICENCE_ID_INVALID', 'a type number is an integer 0-999', { reason: 'type_code' });
  }
  return definingBody + String(typeNumber).padStart(3, '0');
}

/**
 * Builds an identifier from its parts, computing the check character. Throws AppError `LICENCE_ID_INVALID`
 * with the reason of the first bad part.
 *
 * @example formatLicenceIdentifier({ typeCode, issuerCode, serial: '0123456789ABCDEFGHJK', version: 1 })
 */
export function formatLicenceIdentifier(parts: LicenceIdentifierInput): string {
  const version =
    typeof parts.version === 'number' &&
    Number.isInteger(parts.version) &&
    parts.version >= 0 &&
    parts.version <= 999
      ? String(parts.version).padStart(3, '0')
      : String(parts.version);
  const problem = fieldProblem(parts.typeCode, parts.issuerCode, parts.serial, version);
  if (problem) {
    throw new AppError('LICENCE_ID_INVALID', problem.message, {
      reason: problem.reason,
      ...(problem.uscc ? { uscc: problem.uscc } : {}),
    });
  }
  const body = parts.typeCode + parts.issuerCode + parts.serial + version;
  return [
    LICENCE_ID_ROOT,
    parts.typeCode,
    parts.issuerCode,
    parts.serial,
    version,
    mod3736CheckCharacter(body),
  ].join('.');
}
