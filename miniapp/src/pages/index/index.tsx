import { Text, View } from '@tarojs/components';
import { ConsentForm } from '../../components/ConsentForm';
import { NoticeView } from '../../components/NoticeView';
import { ProvinceSwitch } from '../../components/ProvinceSwitch';
import { Btn, Loading, Notice, Panel, Screen } from '../../components/ui';
import { useI18n, useTitle, type MessageKey } from '../../i18n';
import { describeError } from '../../lib/errors';
import { useAsync } from '../../lib/hooks';
import { go, ROUTES } from '../../lib/nav';
import { useStore } from '../../lib/store';
import { useResume } from '../../lib/useResume';
import { getPrivacyNotice } from '../../services/enrollment';
import { sessionStore } from '../../services/session';
import './index.scss';

/** Welcome and consent: what the service does, the privacy notice, and the explicit agreement. */
export default function Welcome() {
  const { t, lang } = useI18n();
  useTitle('app.name');
  const session = useStore(sessionStore);
  const notice = useAsync(getPrivacyNotice);
  const resuming = useResume(Boolean(session.tokens));
  const reason = session.signOutReason;

  if (resuming) {
    return (
      <Screen showBack={false} title={t('welcome.title')}>
        <Loading label={t('welcome.signingIn')} />
      </Screen>
    );
  }

  return (
    <Screen showBack={false} title={t('welcome.title')} className="welcome">
      <ProvinceSwitch />
      {reason && (
        <Notice tone={reason === 'signed_out' ? 'info' : 'warn'}>
          {t(`signout.${reason}` as MessageKey)}
        </Notice>
      )}
      <View className="welcome__hero">
        <View className="welcome__emblem" aria-hidden="true">
          <Text className="welcome__emblem-text">ID</Text>
        </View>
        <Text className="lead">{t('welcome.lead')}</Text>
      </View>
      <View className="bullets" role="list">
        {(['welcome.point1', 'welcome.point2', 'welcome.point3'] as const).map((key) => (
          <View key={key} className="bullet" role="listitem">
            <Text>{t(key)}</Text>
          </View>
        ))}
      </View>
      <Panel title={t('consent.heading')}>
        {notice.loading && <Loading label={t('consent.loadingNotice')} />}
        {notice.error !== undefined && (
          <>
            <Notice tone="error">{describeError(notice.error, t, lang)}</Notice>
            <Btn tone="secondary" label={t('common.retry')} onClick={notice.reload} />
          </>
        )}
        {notice.data && <NoticeView notice={notice.data} />}
      </Panel>
      {notice.data && <ConsentForm version={notice.data.version} />}
      {process.env.TARO_ENV === 'h5' && (
        <Btn
          tone="link"
          className="welcome__staff"
          label={t('welcome.staffEntry')}
          onClick={() => go(ROUTES.staff)}
        />
      )}
    </Screen>
  );
}
