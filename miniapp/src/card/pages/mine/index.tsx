import { Text, View } from '@tarojs/components';
import { useUnload } from '@tarojs/taro';
import { AppError, type Card } from '@eid/shared';
import { useEffect, useRef, useState } from 'react';
import { FaceCheck } from '../../../components/FaceCheck';
import { Btn, Loading, Notice, Panel, Screen } from '../../../components/ui';
import { useI18n, useTitle } from '../../i18n';
import { toBase64 } from '../../../lib/base64';
import { clock } from '../../../lib/clock';
import { describeError } from '../../../lib/errors';
import { useAction } from '../../../lib/hooks';
import { go, ROUTES } from '../../../lib/nav';
import { getCard, getPortrait, revealIdNumber } from '../../../services/card';
import { completeReauth, getEnrollment, startReauth } from '../../../services/enrollment';
import { holdsCard, issueToThisDevice, loadWallet, rememberCard } from '../../../wallet';
import { CardFace } from '../../components/CardFace';
import './index.scss';

// The full number stays on screen only briefly; it was shown for one look, not to be left open.
const REVEAL_MS = 60_000;
// Credentials live about a month; renewing a week ahead keeps the card usable offline for that week.
const RENEW_BEFORE_MS = 7 * 24 * 3600 * 1000;

type PageState =
  | { kind: 'loading'; issuing?: boolean }
  | { kind: 'error'; error: unknown }
  | { kind: 'not-eligible' }
  | { kind: 'elsewhere'; card: Card }
  | { kind: 'card'; card: Card };

/** My card: the card face, the back, a reveal of the full number after a face check. */
export default function MyCard() {
  const { t, lang } = useI18n();
  useTitle('card.title');
  const [view, setView] = useState<PageState>({ kind: 'loading' });
  const [side, setSide] = useState<'front' | 'back'>('front');
  const [portrait, setPortrait] = useState<string | null | undefined>(undefined);
  const [revealing, setRevealing] = useState(false);
  const [revealed, setRevealed] = useState<string | null>(null);
  const [moving, setMoving] = useState(false);
  const hideTimer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const loadPortrait = () => {
    getPortrait().then(
      ({ bytes, contentType }) => setPortrait(`data:${contentType};base64,${toBase64(bytes)}`),
      () => setPortrait(null),
    );
  };

  const load = async () => {
    setView({ kind: 'loading' });
    try {
      let card: Card;
      try {
        card = await getCard();
      } catch (err) {
        if (!(err instanceof AppError && err.code === 'CARD_NOT_FOUND')) throw err;
        if ((await getEnrollment()).state !== 'eligible') {
          setView({ kind: 'not-eligible' });
          return;
        }
        setView({ kind: 'loading', issuing: true });
        card = await issueToThisDevice();
      }
      if (card.status !== 'revoked' && !holdsCard(card.cardId)) {
        setView({ kind: 'elsewhere', card });
        return;
      }
      const expiresAt = loadWallet()?.expiresAt;
      if (card.status === 'active' && expiresAt !== undefined && expiresAt - clock.now() < RENEW_BEFORE_MS) {
        // Same device key: the BFF renews without a face check. Offline, the current credential stands.
        card = await issueToThisDevice().catch(() => card);
      }
      rememberCard(card);
      setView({ kind: 'card', card });
      loadPortrait();
    } catch (error) {
      setView({ kind: 'error', error });
    }
  };

  useEffect(() => {
    void load();
  }, []);

  const hide = () => {
    setRevealed(null);
    if (hideTimer.current) clearTimeout(hideTimer.current);
  };
  useUnload(hide);

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
        <Panel title={t('card.moveHere')}>
          <Text>{t('card.otherDevice')}</Text>
          {moving ? (
            <FaceCheck
              start={startReauth}
              complete={async (verifyId) => issueToThisDevice((await completeReauth(verifyId)).reauthToken)}
              onPassed={() => void load()}
            />
          ) : (
            <Btn label={t('card.moveHere')} onClick={() => setMoving(true)} />
          )}
        </Panel>
      </Screen>
    );
  }

  const { card } = view;
  return (
    <Screen title={t('card.title')} className="mine">
      {card.status === 'suspended' && <Notice tone="warn">{t('card.suspendedHint')}</Notice>}
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
        idNumber={revealed ?? card.face.idNumberMasked}
      />
      <View className="mine__sides" role="group">
        <Btn
          tone={side === 'front' ? 'primary' : 'secondary'}
          label={t('card.front')}
          accessibleName={t('card.showFront')}
          onClick={() => setSide('front')}
        />
        <Btn
          tone={side === 'back' ? 'primary' : 'secondary'}
          label={t('card.back')}
          accessibleName={t('card.showBack')}
          onClick={() => setSide('back')}
        />
      </View>
      {card.status === 'active' && <Btn label={t('card.showBright')} onClick={() => go(ROUTES.bright)} />}
      {card.status !== 'revoked' && (
        <Panel>
          {revealed ? (
            <Btn tone="secondary" label={t('card.hide')} onClick={hide} />
          ) : revealing ? (
            <>
              <Text>{t('face.reauthLead')}</Text>
              <FaceCheck
                start={startReauth}
                complete={async (verifyId) =>
                  (await revealIdNumber((await completeReauth(verifyId)).reauthToken)).idNumber
                }
                onPassed={(idNumber) => {
                  setRevealing(false);
                  setSide('front');
                  setRevealed(idNumber);
                  hideTimer.current = setTimeout(() => setRevealed(null), REVEAL_MS);
                }}
              />
              <Btn tone="link" label={t('common.cancel')} onClick={() => setRevealing(false)} />
            </>
          ) : (
            <>
              <Text className="muted">{t('card.revealHint')}</Text>
              <Btn tone="secondary" label={t('card.reveal')} onClick={() => setRevealing(true)} />
            </>
          )}
        </Panel>
      )}
    </Screen>
  );
}
