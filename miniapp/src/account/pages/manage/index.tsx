import { Text, View } from '@tarojs/components';
import { Btn, Loading, Notice, Panel, Screen } from '../../../components/ui';
import { describeError } from '../../../lib/errors';
import { go, ROUTES } from '../../../lib/nav';
import { resumeCard } from '../../../services/card';
import { holdsCard, issueToThisDevice } from '../../../wallet';
import { AskFirst } from '../../components/Confirm';
import { DangerZone } from '../../components/DangerZone';
import { ReauthStep } from '../../components/ReauthStep';
import { useI18n, useTitle, type MessageKey } from '../../i18n';
import { PasscodeLink } from '../passcode/PasscodeLink';
import { useManage } from '../../lib/useManage';
import './index.scss';

/** Card management: suspend after a lost phone, resume, move to a new phone, withdraw, close. */
export default function Manage() {
  const { t, lang } = useI18n();
  useTitle('manage.title');
  const m = useManage();
  const { card, loadError, flow } = m;

  if (card === undefined && loadError === undefined) {
    return (
      <Screen title={t('manage.title')}>
        <Loading />
      </Screen>
    );
  }

  const onThisDevice = card ? holdsCard(card.cardId) : false;
  return (
    <Screen title={t('manage.title')}>
      {loadError !== undefined && (
        <>
          <Notice tone="error">{describeError(loadError, t, lang)}</Notice>
          <Btn tone="secondary" label={t('common.retry')} onClick={() => void m.load()} />
        </>
      )}
      {m.done && <Notice tone="success">{t(m.done)}</Notice>}
      {m.actionError !== undefined && <Notice tone="error">{describeError(m.actionError, t, lang)}</Notice>}
      {card === null && <Notice tone="info">{t('manage.noCard')}</Notice>}
      {card && (
        <Panel>
          <View className="manage__status">
            <Text>{t('manage.status')}</Text>
            <Text className={`badge badge--${card.status}`}>{t(`status.${card.status}` as MessageKey)}</Text>
          </View>
        </Panel>
      )}
      {card?.status === 'active' && (
        <Panel title={t('manage.suspend')}>
          <Text>{t('manage.suspendExplain')}</Text>
          <AskFirst
            asking={flow === 'confirm-suspend'}
            label={t('manage.suspend')}
            sentence={t('manage.suspendConfirm')}
            action={m.suspend}
            onAsk={() => m.ask('confirm-suspend')}
            onCancel={m.cancel}
          />
        </Panel>
      )}
      {card?.status === 'suspended' && (
        <Panel title={t('manage.resume')}>
          <Text>{t('manage.resumeExplain')}</Text>
          <ReauthStep
            open={flow === 'resume'}
            label={t('manage.resume')}
            run={resumeCard}
            onAsk={() => m.ask('resume')}
            onPassed={(c) => m.updated(c, 'manage.resumed')}
          />
        </Panel>
      )}
      {card && card.status !== 'revoked' && (
        <Panel title={t('manage.move')}>
          {onThisDevice ? (
            <Text>{t('manage.onThisDevice')}</Text>
          ) : (
            <>
              <Text>{t('manage.moveExplain')}</Text>
              <ReauthStep
                open={flow === 'move'}
                label={t('manage.move')}
                run={issueToThisDevice}
                onAsk={() => m.ask('move')}
                onPassed={(c) => m.updated(c, 'card.moved')}
              />
            </>
          )}
        </Panel>
      )}
      {card && card.status !== 'revoked' && <PasscodeLink />}
      <Btn tone="secondary" label={t('home.privacy')} onClick={() => go(ROUTES.privacy)} />
      <DangerZone flow={flow} withdraw={m.withdraw} close={m.close} ask={m.ask} cancel={m.cancel} />
    </Screen>
  );
}
