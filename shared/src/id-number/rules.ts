import { AppError, type ErrorCode } from '../errors';
import { beijingDate } from '../time';
import { isValidRegionCode } from './regions';

/** What an 18-character resident ID number (GB 11643-1999) says about its holder. */
export interface IdNumberInfo {
  /** The number with a lower-case `x` normalised to `X`. */
  idNumber: string;
  /** Digits 1-6: the county-level division where the number was issued. */
  regionCode: string;
  /** Digits 1-2. */
  provinceCode: string;
  /** `YYYY-MM-DD`. */
  birthDate: string;
  /** From the parity of the sequence code (digits 15-17): odd is male. */
  sex: 'M' | 'F';
  /** `0`-`9` or `X`. */
  checkDigit: string;
}

export type IdNumberParseResult =
  { ok: true; value: IdNumberInfo } | { ok: false; code: ErrorCode; message: string };

export interface IdNumberOptions {
  /** The present, for the "born in the future" check: epoch milliseconds or a Date. */
  now: number | Date;
}

// Weight i is 2^(17-i) mod 11 (ISO 7064 MOD 11-2 with the check digit at position 18).
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
// Indexed by the weighted sum mod 11.
const CHECK_CHARS = '10X98765432';
const EARLIEST_BIRTH_DATE = '1900-01-01';

/** The ISO 7064 MOD 11-2 check character (`0`-`9` or `X`) for the first 17 digits. */
export function checkDigit(first17: string): string {
  if (!/^[0-9]{17}$/.test(first17)) {
    throw new AppError('ID_NUMBER_INVALID_FORMAT', 'checkDigit needs exactly 17 digits');
  }
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * WEIGHTS[i]!;
  return CHECK_CHARS[sum % 11]!;
}

function fail(code: ErrorCode, message: string): IdNumberParseResult {
  return { ok: false, code, message };
}

// Birth dates are Beijing calendar dates, so "today" is the Beijing date whatever the caller's zone.
const chinaToday = (now: number | Date): string => beijingDate(typeof now === 'number' ? now : now.getTime());

/** `YYYYMMDD` to `YYYY-MM-DD` when it names a real calendar day, else undefined. */
function calendarDate(yyyymmdd: string): string | undefined {
  const year = Number(yyyymmdd.slice(0, 4));
  const month = Number(yyyymmdd.slice(4, 6));
  const day = Number(yyyymmdd.slice(6, 8));
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return undefined;
  }
  return `${yyyymmdd.slice(0, 4)}-${yyyymmdd.slice(4, 6)}-${yyyymmdd.slice(6, 8)}`;
}

/**
 * Checks an ID number against GB 11643-1999 and says what it encodes. Never throws on bad input; the
 * failure carries one of the `ID_NUMBER_*` codes, checked in the order legacy, format, region, birth
 * date, check digit. Surrounding whitespace is not trimmed: it is a format error.
 *
 * @example parseIdNumber('11010519491231002x', { now: Date.now() }) // { ok: true, value: { idNumber: '11010519491231002X', sex: 'F', ... } }
 */
export function parseIdNumber(input: unknown, options: IdNumberOptions): IdNumberParseResult {
  if (typeof input !== 'string') return fail('ID_NUMBER_INVALID_FORMAT', 'ID number must be a string');
  if (/^[0-9]{15}$/.test(input)) {
    return fail('ID_NUMBER_LEGACY_15', '15-digit ID numbers are no longer accepted');
  }
  if (!/^[0-9]{17}[0-9Xx]$/.test(input)) {
    return fail('ID_NUMBER_INVALID_FORMAT', 'ID number must be 17 digits followed by a digit or X');
  }
  const idNumber = input.toUpperCase();
  const regionCode = idNumber.slice(0, 6);
  if (!isValidRegionCode(regionCode)) return fail('ID_NUMBER_BAD_REGION', 'unknown region code');
  const birthDate = calendarDate(idNumber.slice(6, 14));
  if (!birthDate) return fail('ID_NUMBER_BAD_BIRTH_DATE', 'birth date is not a calendar date');
  if (birthDate < EARLIEST_BIRTH_DATE) return fail('ID_NUMBER_BAD_BIRTH_DATE', 'birth date before 1900');
  if (birthDate > chinaToday(options.now)) {
    return fail('ID_NUMBER_BAD_BIRTH_DATE', 'birth date in the future');
  }
  const expected = checkDigit(idNumber.slice(0, 17));
  if (idNumber[17] !== expected) return fail('ID_NUMBER_BAD_CHECK_DIGIT', 'check digit does not match');
  return {
    ok: true,
    value: {
      idNumber,
      regionCode,
      provinceCode: idNumber.slice(0, 2),
      birthDate,
      sex: (idNumber.charCodeAt(16) - 48) % 2 === 1 ? 'M' : 'F',
      checkDigit: expected,
    },
  };
}

/** True when `input` is a valid 18-character ID number on the day `options.now`. */
export function isValidIdNumber(input: unknown, options: IdNumberOptions): boolean {
  return parseIdNumber(input, options).ok;
}

/**
 * Hides the middle of an ID number for display and logs-that-must-mention-one: the first 4 and last 4
 * characters stay, every other character becomes `*`, so an 18-character number stays 18 long.
 * Inputs of 8 characters or fewer are masked entirely.
 *
 * @example maskIdNumber('11010519491231002x') // '1101**********002X'
 */
export function maskIdNumber(id: string): string {
  const upper = id.toUpperCase();
  if (upper.length <= 8) return '*'.repeat(upper.length);
  return upper.slice(0, 4) + '*'.repeat(upper.length - 8) + upper.slice(-4);
}

/**
 * Builds a valid ID number from its parts, computing the check digit; for seed data and generators.
 * Throws AppError with the matching `ID_NUMBER_*` code when a part is out of range.
 *
 * @example makeIdNumber('110105', '1949-12-31', 2) // '11010519491231002X'
 */
export function makeIdNumber(region: string, birthDate: string, seq: number): string {
  if (!isValidRegionCode(region)) throw new AppError('ID_NUMBER_BAD_REGION', 'unknown region code');
  const compact = birthDate.replace(/^([0-9]{4})-([0-9]{2})-([0-9]{2})$/, '$1$2$3');
  if (!/^[0-9]{8}$/.test(compact) || !calendarDate(compact) || calendarDate(compact)! < EARLIEST_BIRTH_DATE) {
    throw new AppError('ID_NUMBER_BAD_BIRTH_DATE', 'birth date must be a calendar date from 1900');
  }
  if (!Number.isInteger(seq) || seq < 0 || seq > 999) {
    throw new AppError('ID_NUMBER_INVALID_FORMAT', 'sequence must be an integer 0-999');
  }
  const first17 = region + compact + String(seq).padStart(3, '0');
  return first17 + checkDigit(first17);
}
