import { Text, View } from '@tarojs/components';
import Taro, { usePullDownRefresh } from '@tarojs/taro';
import type { WalletDocument } from '@eid/shared';
import { Btn, Loading, Notice, Panel, Screen } from '../../../components/ui';
import { formatDateTime } from '../../../lib/format';
import { go, ROUTES } from '../../../lib/nav';
import { DocumentFace } from '../../components/DocumentFace';
import { StatusBadge } from '../../components/StatusBadge';
import { useI18n, useTitle } from '../../i18n';
import { describeError } from '../../../lib/errors';
import { faceModel, faceValueText, typeName } from '../../lib/face';
import { useWallet } from '../../lib/useWallet';
import './index.scss';

// Documents of the registry's types in its order (the order the wallet lists them), then the others.
function byType(a: WalletDocument, b: WalletDocument, order: string[]): number {
  const rank = (d: WalletDocument) => {
    const i = order.indexOf(d.type);
    return i < 0 ? order.length : i;
  };
  return rank(a) - rank(b);
}

/**
 * The licence wallet: each document with its own face, its status in words and colour, refreshed from the
 * licence system by pulling the page down or with the button, the progress shown while it pulls.
 */
export default function Wallet() {
  const { t, lang } = useI18n();
  useTitle('licences.title');
  const w = useWallet();
  usePullDownRefresh(() => {
    void w.refresh().finally(() => Taro.stopPullDownRefresh());
  });
  const words = { longTerm: t('licences.longTerm'), yes: t('licences.yes'), no: t('licences.no') };

  const { wallet } = w;
  if (!wallet) {
    return (
      <Screen title={t('licences.title')}>
        {w.loading && <Loading />}
        {w.error !== undefined && (
          <>
            <Notice tone="error">{describeError(w.error, t, lang)}</Notice>
            <Btn tone="secondary" label={t('common.retry')} onClick={() => void w.load()} />
          </>
        )}
      </Screen>
    );
  }

  if (wallet.links.length === 0) {
    return (
      <Screen title={t('licences.title')} className="wallet">
        <Panel>
          <Text>{t('licences.empty')}</Text>
          <Btn label={t('licences.link')} onClick={() => go(ROUTES.licenceLink, { from: 'wallet' })} />
        </Panel>
      </Screen>
    );
  }

  const order = wallet.links.map((l) => l.type);
  const documents = [...wallet.documents].sort((a, b) => byType(a, b, order));
  return (
    <Screen title={t('licences.title')} className="wallet">
      <Text className="lead">{t('licences.lead')}</Text>
      <View className="wallet__bar">
        <Text className="muted" data-testid="pulled-at">
          {wallet.pulledAt === null
            ? t('licences.neverPulled')
            : t('licences.pulledAt', { time: formatDateTime(wallet.pulledAt, lang) })}
        </Text>
        <Btn
          tone="secondary"
          className="wallet__refresh"
          label={t('licences.refresh')}
          busy={w.refreshing}
          onClick={() => void w.refresh()}
        />
      </View>
      {w.refreshing && (
        <View className="wallet__progress" data-testid="pull-progress">
          <Loading label={t('licences.refreshing')} />
        </View>
      )}
      {w.refreshed === 'changed' && <Notice tone="success">{t('licences.changed')}</Notice>}
      {w.refreshed === 'unchanged' && <Notice tone="info">{t('licences.unchanged')}</Notice>}
      {w.refreshError !== undefined && <Notice tone="error">{describeError(w.refreshError, t, lang)}</Notice>}
      {w.stale && <Notice tone="warn">{t('licences.cached')}</Notice>}
      {documents.length === 0 ? (
        <Notice tone="info">{t('licences.noDocuments')}</Notice>
      ) : (
        <Text className="muted">{t('licences.count', { n: documents.length })}</Text>
      )}
      <View className="wallet__list" role="list">
        {documents.map((doc) => {
          const name = typeName(doc.type, lang);
          const open = () => go(ROUTES.licenceDetail, { id: doc.id });
          return (
            <View key={doc.id} className="wallet__item" role="listitem" data-testid="wallet-document">
              <View onClick={open}>
                <DocumentFace model={faceModel(doc, lang, words)} compact />
              </View>
              <View className="wallet__meta">
                <StatusBadge status={doc.status} />
                <Text className="muted">
                  {t('licences.validUntil', {
                    date: faceValueText('validUntil', doc.validUntil ?? undefined, lang, words) ?? '',
                  })}
                </Text>
                <Btn
                  tone="link"
                  label={t('licences.details')}
                  accessibleName={t('licences.open', { name })}
                  className="wallet__open"
                  onClick={open}
                />
              </View>
              {doc.status !== 'valid' && (
                <Notice tone={doc.status === 'revoked' ? 'error' : 'warn'}>
                  {t(`licence.status.${doc.status}.hint`)}
                </Notice>
              )}
            </View>
          );
        })}
      </View>
      <Text className="muted">{t('licences.refreshHint')}</Text>
      <Btn
        tone="link"
        label={t('licences.linkMore')}
        onClick={() => go(ROUTES.licenceLink, { from: 'wallet' })}
      />
    </Screen>
  );
}
