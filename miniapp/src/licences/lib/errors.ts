import { asAppError, describeError } from '../../lib/errors';
import type { Lang } from '../../i18n';
import { LICENCE_MESSAGES, type MessageKey } from '../i18n';

type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

/**
 * The sentence a resident reads for a failure in the wallet: this subpackage's own for the licence codes
 * (the licence system down reads "try again later"), the main package's for every other code.
 */
export function describeLicenceError(err: unknown, t: Translate, lang: Lang): string {
  const key = `error.${asAppError(err).code}`;
  return key in LICENCE_MESSAGES ? t(key as MessageKey) : describeError(err, t, lang);
}
