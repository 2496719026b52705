import { Text, View } from '@tarojs/components';
import { useEffect, useState } from 'react';
import { NoticeView } from '../../components/NoticeView';
import { Btn, Check, Loading, Notice, Panel, Screen } from '../../components/ui';
import { useI18n, useTitle, type MessageKey } from '../../i18n';
import { describeError } from '../../lib/errors';
import { useAction, useAsync } from '../../lib/hooks';
import { go, replace, routeForState, ROUTES } from '../../lib/nav';
import { useStore } from '../../lib/store';
import { getLoginCode } from '../../platform/login';
import { login } from '../../services/auth';
import { getEnrollment, getPrivacyNotice, giveConsent } from '../../services/enrollment';
import { clearSignOutReason, sessionStore } from '../../services/session';
import './index.scss';

/** Welcome and consent: what the service does, the privacy notice, and the explicit agreement. */
export default function Welcome() {
  const { t, lang } = useI18n();
  useTitle('app.name');
  const session = useStore(sessionStore);
  const notice = useAsync(getPrivacyNotice);
  const [agreed, setAgreed] = useState(false);
  const [mustAgree, setMustAgree] = useState(false);
  const [resuming, setResuming] = useState(Boolean(session.tokens));
  const reason = session.signOutReason;

  // A resident who is already signed in and past consent continues where they left off.
  useEffect(() => {
    if (!session.tokens) {
      setResuming(false);
      return;
    }
    let live = true;
    getEnrollment().then(
      (enrollment) => {
        if (!live) return;
        if (enrollment.state === 'new') setResuming(false);
        else replace(routeForState(enrollment.state));
      },
      () => live && setResuming(false),
    );
    return () => {
      live = false;
    };
    // Only on arrival: later changes come from this page's own actions.
  }, []);

  const agree = useAction(async () => {
    if (!agreed) {
      setMustAgree(true);
      return;
    }
    clearSignOutReason();
    const version = notice.data!.version;
    let enrollment = session.enrollment;
    if (!sessionStore.get().tokens) enrollment = (await login(await getLoginCode())).resident.enrollment;
    else enrollment ??= await getEnrollment();
    if (enrollment.state === 'new') {
      enrollment = await giveConsent(version);
    }
    replace(routeForState(enrollment.state));
  });

  if (resuming) {
    return (
      <Screen showBack={false} title={t('welcome.title')}>
        <Loading label={t('welcome.signingIn')} />
      </Screen>
    );
  }

  return (
    <Screen showBack={false} title={t('welcome.title')} className="welcome">
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
      {notice.data && (
        <View className="actions">
          <Check
            id="consent"
            checked={agreed}
            onChange={(v) => {
              setAgreed(v);
              setMustAgree(false);
            }}
            label={t('consent.checkbox')}
          />
          {mustAgree && <Notice tone="warn">{t('consent.mustAgree')}</Notice>}
          {agree.error !== undefined && <Notice tone="error">{describeError(agree.error, t, lang)}</Notice>}
          <Btn label={t('consent.agree')} onClick={() => void agree.run()} busy={agree.busy} />
        </View>
      )}
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
