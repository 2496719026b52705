import { asAppError, describeError } from '../../lib/errors';
import { Notice } from '../../components/ui';
import { STAFF_MESSAGES, useI18n, type MessageKey } from '../i18n';

/**
 * A failure at the window in words, chosen by its code: this subpackage's sentences for the document-call
 * codes (an overreach, an ended access), the main package's for every other code.
 */
export function WindowError({ error }: { error: unknown }) {
  const { t, lang } = useI18n();
  const code = asAppError(error).code;
  const key = `error.${code}`;
  const text = key in STAFF_MESSAGES ? t(key as MessageKey) : describeError(error, t, lang);
  return <Notice tone="error">{text}</Notice>;
}
