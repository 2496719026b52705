import { Text } from '@tarojs/components';
import { Btn, Panel } from '../../../components/ui';
import { go, ROUTES } from '../../../lib/nav';
import { useI18n } from './i18n';

/** The card-management page's way to the e-ID passcode page. */
export function PasscodeLink() {
  const { t } = useI18n();
  return (
    <Panel title={t('passcodePage.link')}>
      <Text>{t('passcodePage.linkHint')}</Text>
      <Btn
        testId="manage-passcode"
        tone="secondary"
        label={t('passcodePage.link')}
        onClick={() => go(ROUTES.passcode)}
      />
    </Panel>
  );
}
