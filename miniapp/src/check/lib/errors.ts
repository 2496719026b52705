import type { Lang } from '../../i18n';
import { asAppError, describeError } from '../../lib/errors';
import { CHECK_MESSAGES, type MessageKey } from '../i18n';

type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

/**
 * The sentence for a failed check, by its code: this subpackage's own (under `check.error.`, so they never
 * replace the main package's `error.` sentences other pages show) where the main package's would mislead
 * here (a too-large body is a file, not a photo), the main package's for every other code.
 */
export function describeCheckError(err: unknown, t: Translate, lang: Lang): string {
  const key = `check.error.${asAppError(err).code}`;
  return key in CHECK_MESSAGES ? t(key as MessageKey) : describeError(err, t, lang);
}
