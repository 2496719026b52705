import { Text, View } from '@tarojs/components';
import { AppError, type Card } from '@eid/shared';
import { useEffect, useState } from 'react';
import { FaceCheck } from '../../../components/FaceCheck';
import { Btn, Loading, Notice, Panel, Screen } from '../../../components/ui';
import { useI18n, useTitle, type MessageKey } from '../../i18n';
import { describeError } from '../../../lib/errors';
import { useAction, type Action } from '../../../lib/hooks';
import { go, ROUTES } from '../../../lib/nav';
import { logout } from '../../../services/auth';
import { getCard, resumeCard, suspendCard } from '../../../services/card';
import { completeReauth, deleteAccount, startReauth, withdrawConsent } from '../../../services/enrollment';
import { endSession } from '../../../services/session';
import { clearWallet, holdsCard, issueToThisDevice, rememberCard } from '../../../wallet';
import './index.scss';

type Flow = 'none' | 'resume' | 'move' | 'confirm-suspend' | 'confirm-withdraw' | 'confirm-close';

/**
 * A destructive step asks again in place, in words, with the safe choice first: an inline panel is
 * reachable by keyboard and screen reader on every platform, which a platform modal is not on the web.
 */
function Confirm({
  sentence,
  action,
  confirmLabel,
  onCancel,
}: {
  sentence: string;
  action: Action<[]>;
  confirmLabel: string;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  return (
    <View className="manage__confirm" role="group" aria-label={sentence}>
      <Notice tone="warn">{sentence}</Notice>
      <Btn tone="secondary" label={t('common.cancel')} onClick={onCancel} disabled={action.busy} />
      <Btn tone="danger" label={confirmLabel} onClick={() => void action.run()} busy={action.busy} />
    </View>
  );
}

/** Card management: suspend after a lost phone, resume, move to a new phone, withdraw, close. */
export default function Manage() {
  const { t, lang } = useI18n();
  useTitle('manage.title');
  const [card, setCard] = useState<Card | null | undefined>(undefined);
  const [loadError, setLoadError] = useState<unknown>(undefined);
  const [flow, setFlow] = useState<Flow>('none');
  const [done, setDone] = useState<MessageKey | null>(null);

  const load = async () => {
    setLoadError(undefined);
    try {
      const c = await getCard();
      rememberCard(c);
      setCard(c);
    } catch (err) {
      if (err instanceof AppError && err.code === 'CARD_NOT_FOUND') setCard(null);
      else setLoadError(err);
    }
  };
  useEffect(() => {
    void load();
  }, []);

  const updated = (c: Card, message: MessageKey) => {
    rememberCard(c);
    setCard(c);
    setFlow('none');
    setDone(message);
  };

  const suspend = useAction(async () => {
    updated(await suspendCard(), 'manage.suspended');
  });
  const withdraw = useAction(async () => {
    await withdrawConsent();
    clearWallet();
    await logout('withdrawn');
  });
  const close = useAction(async () => {
    await deleteAccount();
    clearWallet();
    // The BFF erased every session with the account: nothing to log out of.
    endSession('closed');
  });
  const actionError = suspend.error ?? withdraw.error ?? close.error;
  const ask = (next: Flow) => {
    setDone(null);
    setFlow(next);
  };

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
          <Btn tone="secondary" label={t('common.retry')} onClick={() => void load()} />
        </>
      )}
      {done && <Notice tone="success">{t(done)}</Notice>}
      {actionError !== undefined && <Notice tone="error">{describeError(actionError, t, lang)}</Notice>}
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
          {flow === 'confirm-suspend' ? (
            <Confirm
              sentence={t('manage.suspendConfirm')}
              action={suspend}
              confirmLabel={t('manage.suspend')}
              onCancel={() => setFlow('none')}
            />
          ) : (
            <Btn tone="danger" label={t('manage.suspend')} onClick={() => ask('confirm-suspend')} />
          )}
        </Panel>
      )}
      {card?.status === 'suspended' && (
        <Panel title={t('manage.resume')}>
          <Text>{t('manage.resumeExplain')}</Text>
          {flow === 'resume' ? (
            <FaceCheck
              start={startReauth}
              complete={async (id) => resumeCard((await completeReauth(id)).reauthToken)}
              onPassed={(c) => updated(c, 'manage.resumed')}
            />
          ) : (
            <Btn label={t('manage.resume')} onClick={() => ask('resume')} />
          )}
        </Panel>
      )}
      {card && card.status !== 'revoked' && (
        <Panel title={t('manage.move')}>
          {onThisDevice ? (
            <Text>{t('manage.onThisDevice')}</Text>
          ) : (
            <>
              <Text>{t('manage.moveExplain')}</Text>
              {flow === 'move' ? (
                <FaceCheck
                  start={startReauth}
                  complete={async (id) => issueToThisDevice((await completeReauth(id)).reauthToken)}
                  onPassed={(c) => updated(c, 'card.moved')}
                />
              ) : (
                <Btn label={t('manage.move')} onClick={() => ask('move')} />
              )}
            </>
          )}
        </Panel>
      )}
      <Btn tone="secondary" label={t('home.privacy')} onClick={() => go(ROUTES.privacy)} />
      <Panel title={t('manage.danger')} className="manage__danger">
        <Text className="manage__subtitle">{t('manage.withdraw')}</Text>
        <Text>{t('manage.withdrawExplain')}</Text>
        {flow === 'confirm-withdraw' ? (
          <Confirm
            sentence={t('manage.withdrawConfirm')}
            action={withdraw}
            confirmLabel={t('manage.withdraw')}
            onCancel={() => setFlow('none')}
          />
        ) : (
          <Btn tone="danger" label={t('manage.withdraw')} onClick={() => ask('confirm-withdraw')} />
        )}
        <Text className="manage__subtitle">{t('manage.close')}</Text>
        <Text>{t('manage.closeExplain')}</Text>
        {flow === 'confirm-close' ? (
          <Confirm
            sentence={t('manage.closeConfirm')}
            action={close}
            confirmLabel={t('manage.close')}
            onCancel={() => setFlow('none')}
          />
        ) : (
          <Btn tone="danger" label={t('manage.close')} onClick={() => ask('confirm-close')} />
        )}
      </Panel>
    </Screen>
  );
}
