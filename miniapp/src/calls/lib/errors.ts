import { asAppError, describeError } from '../../lib/errors';
import type { Lang } from '../../i18n';
import { CALL_MESSAGES, type MessageKey } from '../i18n';

type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

/**
 * The sentence a resident reads for a failure of a document call: this subpackage's own for the licence
 * and document-call codes (the licence system down reads "try again later"), the main package's otherwise.
 */
export function describeCallError(err: unknown, t: Translate, lang: Lang): string {
  const key = `error.${asAppError(err).code}`;
  return key in CALL_MESSAGES ? t(key as MessageKey) : describeError(err, t, lang);
}

/**
 * The stable code of a failure as text, for the codes this page knows before this build's list of codes
 * does (a newer BFF); undefined for a failure without one.
 */
export function codeOf(err: unknown): string | undefined {
  return err === undefined ? undefined : asAppError(err).code;
}
