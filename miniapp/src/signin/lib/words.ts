import type { Lang, Params } from '../../i18n';
import { asAppError, describeError } from '../../lib/errors';
import type { MessageKey } from '../i18n';

type Translate = (key: MessageKey, params?: Params) => string;

/**
 * The sentence for a failure to open, approve or decline a sign-in (docs/api.md, "Remote sign-in"): the
 * main package's sentence for its code (with the tries left, the end of a pause, the missing factor), said
 * with the party's verified `name` or the sign-in in view where the general wording would be vague.
 */
export function describeSignInError(err: unknown, name: string, t: Translate, lang: Lang): string {
  const e = asAppError(err);
  switch (e.code) {
    case 'NOT_FOUND':
      return t('signin.notFound');
    case 'CARD_SUSPENDED':
      return t('signin.err.cardSuspended');
    case 'CARD_NOT_FOUND':
      return t('signin.err.noCard');
    case 'PARTY_SUSPENDED':
      return name ? t('signin.err.partySuspended', { name }) : describeError(e, t, lang);
    default:
      return describeError(e, t, lang);
  }
}
