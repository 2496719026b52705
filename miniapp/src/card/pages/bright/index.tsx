import { Text, View } from '@tarojs/components';
import Taro, { useDidHide, useDidShow, useRouter } from '@tarojs/taro';
import { useEffect, useMemo, useRef, useState } from 'react';
import { Btn, Loading, Notice, Panel, Screen } from '../../../components/ui';
import { useI18n, useTitle } from '../../i18n';
import { clock } from '../../../lib/clock';
import { fieldLabel, fieldValueText } from '../../../lib/labels';
import { replace, ROUTES } from '../../../lib/nav';
import { raiseBrightness } from '../../../platform/brightness';
import { getCard } from '../../../services/card';
import { loadWallet, rememberCard } from '../../../wallet';
import { holderOf, holderSecretsOf, makeCode } from '../../../wallet/code';
import { preparePlatformRandom } from '../../../wallet/random';
import { BrightCode } from '../../components/BrightCode';
import { DisclosureSummary, PurposeList, purposeName } from '../../components/Disclosure';
import { planDisclosure } from '../../lib/disclosure';
import { useDisclosureChoice } from '../../lib/useDisclosureChoice';
import './index.scss';

/**
 * The bright card: works with the network off, since the code is made on the device. While it is
 * shown the screen is as bright as the platform allows. With a v2 credential the resident first picks
 * the purpose (or it comes as `?purpose=<code>`, from a request code) and sees exactly what the code
 * will tell the staff member; the code then carries only that.
 */
export default function Bright() {
  const { t, lang } = useI18n();
  useTitle('bright.title');
  const [random, setRandom] = useState<'preparing' | 'ready' | 'failed'>('preparing');
  const [wallet, setWallet] = useState(loadWallet);
  const secrets = useMemo(() => holderSecretsOf(wallet), [wallet]);
  const holder = useMemo(() => (secrets ? undefined : holderOf(wallet)), [secrets, wallet]);
  const choice = useDisclosureChoice(useRouter().params?.purpose);
  const plan = useMemo(
    () => (secrets && choice.purpose ? planDisclosure(choice.purpose, secrets.values) : undefined),
    [secrets, choice.purpose],
  );
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
  const body = () => {
    if (random === 'preparing') return <Loading />;
    if (random === 'failed') return <Notice tone="error">{t('error.generic')}</Notice>;
    if (!secrets) {
      // A credential from before selective disclosure: its code carries every claim, as it always did.
      return (
        <>
          <BrightCode build={(now) => makeCode(now)} holder={holder} size={size} />
          <Notice tone="info">{t('disclose.legacy')}</Notice>
        </>
      );
    }
    if (choice.step === 'choose' || !plan) {
      return (
        <>
          {choice.unknownRequest && <Notice tone="warn">{t('disclose.unknownRequest')}</Notice>}
          <Panel>
            <PurposeList onChoose={choice.choose} />
          </Panel>
        </>
      );
    }
    const name = purposeName(plan.purpose, t, lang);
    const change = <Btn tone="link" label={t('disclose.change')} onClick={choice.change} />;
    if (choice.step === 'confirm') {
      return (
        <Panel className="disclosure-panel">
          {choice.requested && <Text className="disclosure__requested">{t('disclose.requested')}</Text>}
          <Text className="disclosure__purpose" data-testid="disclosure-purpose">
            {t('bright.purpose', { purpose: name })}
          </Text>
          <DisclosureSummary plan={plan} />
          <Btn label={t('disclose.show')} onClick={choice.confirm} />
          {change}
        </Panel>
      );
    }
    const claims = plan.shown.length
      ? plan.shown.map(({ field, value }) =>
          t('disclose.row', { label: fieldLabel(field, t), value: fieldValueText(field, value, t, lang) }),
        )
      : [t('disclose.nothing')];
    return (
      <>
        <BrightCode
          key={plan.purpose.code}
          build={(now) => makeCode(now, plan.purpose.code)}
          purpose={name}
          claims={claims}
          size={size}
        />
        {change}
      </>
    );
  };
  return (
    <Screen title={t('bright.title')} className="bright-page">
      {wallet.status === 'suspended' && <Notice tone="warn">{t('bright.suspended')}</Notice>}
      {wallet.status === 'revoked' && <Notice tone="error">{t('card.revokedHint')}</Notice>}
      {expired && <Notice tone="warn">{t('bright.expired')}</Notice>}
      {body()}
      <View className="bright-page__offline">
        <Notice tone="info">{t('bright.offline')}</Notice>
      </View>
    </Screen>
  );
}
