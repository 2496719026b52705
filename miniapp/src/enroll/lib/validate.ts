import { parseIdNumber } from '@eid/shared';
import type { MessageKey } from '../i18n';

/** The registry writes the middle dot of transliterated names as U+00B7; phones offer look-alikes. */
const DOT_LOOKALIKES = /[\u30FB\u2022\u2027\uFF0E\u2219.]/g;
const NAME_CHARS = /^[\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF\u{20000}-\u{2FA1F}A-Za-z\u00B7 ]+$/u;
const MAX_NAME_CHARS = 64;

/** The name as the registry spells it: trimmed, single spaces, the standard middle dot. */
export function normalizeName(raw: string): string {
  return raw.normalize('NFC').trim().replace(DOT_LOOKALIKES, '·').replace(/\s+/g, ' ');
}

/** The ID number as typed, without spaces and with an upper-case X. */
export function normalizeIdNumber(raw: string): string {
  return raw.replace(/\s+/g, '').toUpperCase();
}

/** What is wrong with a name, or undefined. */
export function nameProblem(raw: string): MessageKey | undefined {
  const name = normalizeName(raw);
  if (name === '') return 'validation.nameRequired';
  if ([...name].length > MAX_NAME_CHARS) return 'validation.nameTooLong';
  if (!NAME_CHARS.test(name)) return 'validation.nameInvalid';
  return undefined;
}

/**
 * What is wrong with an ID number, or undefined. `complete` is false while the resident is still
 * typing: only a problem that more typing cannot fix is reported then.
 */
export function idNumberProblem(raw: string, now: number, complete: boolean): MessageKey | undefined {
  const id = normalizeIdNumber(raw);
  if (id === '') return complete ? 'validation.idRequired' : undefined;
  if (!complete && id.length < 18) {
    // Only the 18th character may be X, so a non-digit before it is wrong however the number goes on.
    return /^[0-9]*$/.test(id) ? undefined : 'error.ID_NUMBER_INVALID_FORMAT';
  }
  const parsed = parseIdNumber(id, { now });
  return parsed.ok ? undefined : (`error.${parsed.code}` as MessageKey);
}
