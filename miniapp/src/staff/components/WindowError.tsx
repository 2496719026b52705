import { describeError } from '../../lib/errors';
import { Notice } from '../../components/ui';
import { useI18n } from '../i18n';

/** A failure at the window in words, chosen by its code. */
export function WindowError({ error }: { error: unknown }) {
  const { t, lang } = useI18n();
  return <Notice tone="error">{describeError(error, t, lang)}</Notice>;
}
