import { useState } from 'react';
import { Btn, Loading, Notice, Screen } from '../../../components/ui';
import { describeError } from '../../../lib/errors';
import { useAction } from '../../../lib/hooks';
import { go, ROUTES } from '../../../lib/nav';
import { issueToThisDevice } from '../../../wallet';
import { CardFace } from '../../components/CardFace';
import { MoveHere } from '../../components/MoveHere';
import { RevealPanel } from '../../components/RevealPanel';
import { SideSwitch, type CardSide } from '../../components/SideSwitch';
import { useI18n, useTitle } from '../../i18n';
import { useMyCard } from '../../lib/useMyCard';
import { useReveal } from '../../lib/useReveal';
import './index.scss';

/** My card: the card face, the back, a reveal of the full number after a face check. */
export default function MyCard() {
  const { t, lang } = useI18n();
  useTitle('card.title');
  const { view, portrait, load } = useMyCard();
  const [side, setSide] = useState<CardSide>('front');
  const reveal = useReveal();

  const reissue = useAction(async () => {
    await issueToThisDevice();
    await load();
  });

  if (view.kind === 'loading') {
    return (
      <Screen title={t('card.title')}>
        <Loading label={view.issuing ? t('card.issuing') : undefined} />
      </Screen>
    );
  }
  if (view.kind === 'error') {
    return (
      <Screen title={t('card.title')}>
        <Notice tone="error">{describeError(view.error, t, lang)}</Notice>
        <Btn tone="secondary" label={t('common.retry')} onClick={() => void load()} />
      </Screen>
    );
  }
  if (view.kind === 'not-eligible') {
    return (
      <Screen title={t('card.title')}>
        <Notice tone="info">{t('error.CARD_NOT_ELIGIBLE')}</Notice>
        <Btn label={t('home.continueEnroll')} onClick={() => go(ROUTES.welcome)} />
      </Screen>
    );
  }
  if (view.kind === 'elsewhere') {
    return (
      <Screen title={t('card.title')}>
        <MoveHere onMoved={() => void load()} />
      </Screen>
    );
  }

  const { card } = view;
  return (
    <Screen title={t('card.title')} className="mine">
      {card.status === 'suspended' && (
        <Notice tone="warn">
          {t(card.suspendedBy === 'staff' ? 'card.suspendedByStaffHint' : 'card.suspendedHint')}
        </Notice>
      )}
      {card.status === 'revoked' && (
        <>
          <Notice tone="error">{t('card.revokedHint')}</Notice>
          {reissue.error !== undefined && (
            <Notice tone="error">{describeError(reissue.error, t, lang)}</Notice>
          )}
          <Btn label={t('bright.getCard')} onClick={() => void reissue.run()} busy={reissue.busy} />
        </>
      )}
      <CardFace
        face={card.face}
        side={side}
        portrait={portrait}
        idNumber={reveal.revealed ?? card.face.idNumberMasked}
      />
      <SideSwitch side={side} onChange={setSide} />
      {card.status === 'active' && <Btn label={t('card.showBright')} onClick={() => go(ROUTES.bright)} />}
      {card.status !== 'revoked' && (
        <RevealPanel
          revealed={reveal.revealed}
          onRevealed={(idNumber) => {
            setSide('front');
            reveal.show(idNumber);
          }}
          onHide={reveal.hide}
        />
      )}
    </Screen>
  );
}
