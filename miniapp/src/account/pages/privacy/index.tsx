import { Text } from '@tarojs/components';
import { useState } from 'react';
import { NoticeView } from '../../../components/NoticeView';
import { Btn, Loading, Notice, Panel, Screen } from '../../../components/ui';
import { useI18n, useTitle } from '../../i18n';
import { describeError } from '../../../lib/errors';
import { formatDate } from '../../../lib/format';
import { useAction, useAsync } from '../../../lib/hooks';
import { go, ROUTES } from '../../../lib/nav';
import { getEnrollment, getPrivacyNotice, giveConsent } from '../../../services/enrollment';
import type { Enrollment } from '@eid/shared';

/** Privacy and consent: the notice in force, what the resident agreed to and when, and the way out. */
export default function Privacy() {
  const { t, lang } = useI18n();
  useTitle('privacy.title');
  const notice = useAsync(getPrivacyNotice);
  const enrollment = useAsync(getEnrollment);
  const [updated, setUpdated] = useState<Enrollment | null>(null);
  const current = updated ?? enrollment.data;
  const consent = current?.consent ?? null;
  const outdated = Boolean(notice.data && consent && consent.version !== notice.data.version);

  const reconsent = useAction(async () => {
    setUpdated(await giveConsent(notice.data!.version));
  });

  const error = notice.error ?? enrollment.error;
  return (
    <Screen title={t('privacy.title')}>
      {(notice.loading || enrollment.loading) && <Loading />}
      {error !== undefined && <Notice tone="error">{describeError(error, t, lang)}</Notice>}
      {current && (
        <Panel>
          <Text>
            {consent
              ? t('privacy.consentGiven', { version: consent.version, date: formatDate(consent.at, lang) })
              : t('privacy.noConsent')}
          </Text>
          {outdated && (
            <>
              <Notice tone="warn">{t('privacy.newVersion', { version: notice.data!.version })}</Notice>
              {reconsent.error !== undefined && (
                <Notice tone="error">{describeError(reconsent.error, t, lang)}</Notice>
              )}
              <Btn
                label={t('privacy.reconsent')}
                onClick={() => void reconsent.run()}
                busy={reconsent.busy}
              />
            </>
          )}
        </Panel>
      )}
      {notice.data && (
        <Panel>
          <NoticeView notice={notice.data} expanded />
        </Panel>
      )}
      {consent && (
        <Panel title={t('manage.withdraw')}>
          <Text>{t('manage.withdrawExplain')}</Text>
          <Btn tone="danger" label={t('manage.withdraw')} onClick={() => go(ROUTES.manage)} />
        </Panel>
      )}
    </Screen>
  );
}
