import { View } from '@tarojs/components';
import Taro, { useDidHide, useDidShow } from '@tarojs/taro';
import { base64urlDecode, decodeCredential } from '@eid/shared';
import { useEffect, useMemo, useRef, useState } from 'react';
import { Btn, Loading, Notice, Screen } from '../../../components/ui';
import { useI18n, useTitle } from '../../i18n';
import { clock } from '../../../lib/clock';
import { replace, ROUTES } from '../../../lib/nav';
import { raiseBrightness } from '../../../platform/brightness';
import { getCard } from '../../../services/card';
import { loadWallet, makeCode, rememberCard, type WalletRecord } from '../../../wallet';
import { preparePlatformRandom } from '../../../wallet/random';
import { BrightCode } from '../../components/BrightCode';
import './index.scss';

function holderOf(wallet: WalletRecord | undefined) {
  if (!wallet?.credential) return undefined;
  try {
    const { name, idNumberMasked } = decodeCredential(base64urlDecode(wallet.credential)).claims.holder;
    return { name, idNumberMasked };
  } catch {
    return undefined;
  }
}

/**
 * The bright card: works with the network off, since the code is made on the device. While it is
 * shown the screen is as bright as the platform allows.
 */
export default function Bright() {
  const { t } = useI18n();
  useTitle('bright.title');
  const [random, setRandom] = useState<'preparing' | 'ready' | 'failed'>('preparing');
  const [wallet, setWallet] = useState(loadWallet);
  const holder = useMemo(() => holderOf(wallet), [wallet]);
  const restore = useRef<(() => void) | null>(null);

  useEffect(() => {
    preparePlatformRandom().then(
      () => setRandom('ready'),
      () => setRandom('failed'),
    );
    // Refresh the card's status when online; offline the last known status stands.
    getCard()
      .then((card) => {
        rememberCard(card);
        setWallet(loadWallet());
      })
      .catch(() => undefined);
  }, []);

  const brighten = () => {
    if (restore.current) return;
    void raiseBrightness().then((undo) => {
      restore.current = undo;
    });
  };
  const dim = () => {
    restore.current?.();
    restore.current = null;
  };
  useDidShow(brighten);
  useDidHide(dim);
  useEffect(() => dim, []);

  const size =
    process.env.TARO_ENV === 'weapp' ? Math.min(340, Taro.getSystemInfoSync().windowWidth - 64) : 340;

  if (!wallet?.credential) {
    return (
      <Screen title={t('bright.title')}>
        <Notice tone="info">{t('bright.noCard')}</Notice>
        <Btn label={t('bright.getCard')} onClick={() => replace(ROUTES.card)} />
      </Screen>
    );
  }
  const expired = wallet.expiresAt !== undefined && wallet.expiresAt < clock.now();
  return (
    <Screen title={t('bright.title')} className="bright-page">
      {wallet.status === 'suspended' && <Notice tone="warn">{t('bright.suspended')}</Notice>}
      {wallet.status === 'revoked' && <Notice tone="error">{t('card.revokedHint')}</Notice>}
      {expired && <Notice tone="warn">{t('bright.expired')}</Notice>}
      {random === 'ready' && <BrightCode build={makeCode} holder={holder} size={size} />}
      {random === 'preparing' && <Loading />}
      {random === 'failed' && <Notice tone="error">{t('error.generic')}</Notice>}
      <View className="bright-page__offline">
        <Notice tone="info">{t('bright.offline')}</Notice>
      </View>
    </Screen>
  );
}
