import { Text, View } from '@tarojs/components';
import { ProvinceSwitch } from '../../components/ProvinceSwitch';
import { ReviewStatus } from '../../components/ReviewStatus';
import { Tile } from '../../components/Tile';
import { Btn, Loading, Notice, Panel, Screen } from '../../components/ui';
import { useI18n, useTitle, type MessageKey } from '../../i18n';
import { describeError } from '../../lib/errors';
import { go, routeForState, ROUTES } from '../../lib/nav';
import { useHomeCard } from '../../lib/useHomeCard';
import { useStore } from '../../lib/store';
import { logout } from '../../services/auth';
import { sessionStore } from '../../services/session';
import './index.scss';

/** The resident's home: card status at a glance and the way to every feature. */
export default function Home() {
  const { t, lang } = useI18n();
  useTitle('home.title');
  const session = useStore(sessionStore);
  const { card, refresh } = useHomeCard();

  const enrollment = session.enrollment;
  const eligible = enrollment?.state === 'eligible';
  // A review is news while it is pending, once rejected, and once approved until the card is issued.
  const review = enrollment?.review;
  const shownReview =
    review && (enrollment.state === 'in_review' || review.status === 'rejected') ? review : undefined;

  return (
    <Screen showBack={false} title={t('home.title')}>
      <ProvinceSwitch />
      {card.kind === 'loading' && <Loading />}
      {card.kind === 'error' && (
        <>
          <Notice tone="error">{describeError(card.error, t, lang)}</Notice>
          <Btn tone="secondary" label={t('common.retry')} onClick={() => void refresh()} />
        </>
      )}
      {enrollment && !eligible && (
        <Panel title={t('home.enrollTitle')}>
          {shownReview ? <ReviewStatus review={shownReview} /> : <Text>{t('home.enrollHint')}</Text>}
          {/* While staff review the enrolment there is nothing for the resident to do. */}
          {enrollment.state !== 'in_review' && (
            <Btn
              label={t(enrollment.review?.status === 'rejected' ? 'review.retry' : 'home.continueEnroll')}
              onClick={() => go(routeForState(enrollment.state))}
            />
          )}
        </Panel>
      )}
      {eligible && card.kind !== 'loading' && (
        <View className="home__status">
          <Text className="home__hello">{t('home.greeting')}</Text>
          {card.kind === 'card' ? (
            <Text className={`badge badge--${card.card.status}`}>
              {t('home.cardStatus', { status: t(`status.${card.card.status}` as MessageKey) })}
            </Text>
          ) : (
            card.kind === 'none' && <Text className="badge badge--suspended">{t('home.noCard')}</Text>
          )}
        </View>
      )}
      {eligible && card.kind === 'none' && review?.status === 'approved' && <ReviewStatus review={review} />}
      {eligible && (
        <View className="tiles">
          <Tile title={t('home.myCard')} hint={t('home.myCardHint')} route={ROUTES.card} />
          <Tile title={t('home.bright')} hint={t('home.brightHint')} route={ROUTES.bright} />
          <Tile title={t('home.licences')} hint={t('home.licencesHint')} route={ROUTES.licences} />
          <Tile title={t('home.calls')} hint={t('home.callsHint')} route={ROUTES.calls} />
          <Tile title={t('home.parties')} hint={t('home.partiesHint')} route={ROUTES.consentParties} />
          <Tile title={t('home.usage')} hint={t('home.usageHint')} route={ROUTES.usage} />
          <Tile title={t('home.manage')} hint={t('home.manageHint')} route={ROUTES.manage} />
        </View>
      )}
      <View className="tiles">
        {!eligible && <Tile title={t('home.usage')} hint={t('home.usageHint')} route={ROUTES.usage} />}
        <Tile title={t('home.privacy')} hint={t('home.privacyHint')} route={ROUTES.privacy} />
      </View>
      <Btn tone="link" className="home__signout" label={t('common.signOut')} onClick={() => void logout()} />
    </Screen>
  );
}
