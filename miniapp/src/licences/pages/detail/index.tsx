import { Text, View } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import type { WalletDocument } from '@eid/shared';
import { useMemo } from 'react';
import { Btn, Loading, Notice, Panel, Row, Screen } from '../../../components/ui';
import { formatDateTime } from '../../../lib/format';
import { useAsync } from '../../../lib/hooks';
import { replace, ROUTES } from '../../../lib/nav';
import { getWallet } from '../../../services/licences';
import { DocumentCode } from '../../components/DocumentCode';
import { DocumentFace } from '../../components/DocumentFace';
import { StatusBadge } from '../../components/StatusBadge';
import { useI18n, useTitle } from '../../i18n';
import { cachedDocument, cacheWallet } from '../../lib/cache';
import { describeError } from '../../../lib/errors';
import { faceModel, typeName } from '../../lib/face';
import { documentFields } from '../../lib/fields';

/** One document: its face in full, every field on it, its licence identifier and status. */
export default function Detail() {
  const { t, lang } = useI18n();
  useTitle('doc.title');
  const id = useRouter().params?.id ?? '';
  const saved = useMemo(() => cachedDocument(id), [id]);
  const fresh = useAsync(async (): Promise<WalletDocument | null> => {
    if (saved) return saved;
    const wallet = await getWallet();
    cacheWallet(wallet);
    return wallet.documents.find((d) => d.id === id) ?? null;
  }, [id]);
  const words = { longTerm: t('licences.longTerm'), yes: t('licences.yes'), no: t('licences.no') };

  const doc = saved ?? fresh.data;
  if (doc === undefined) {
    return (
      <Screen title={t('doc.title')}>
        {fresh.loading ? (
          <Loading />
        ) : (
          <>
            <Notice tone="error">{describeError(fresh.error, t, lang)}</Notice>
            <Btn tone="secondary" label={t('common.retry')} onClick={fresh.reload} />
          </>
        )}
      </Screen>
    );
  }
  if (doc === null) {
    return (
      <Screen title={t('doc.title')}>
        <Notice tone="info">{t('doc.notFound')}</Notice>
        <Btn label={t('doc.back')} onClick={() => replace(ROUTES.licences)} />
      </Screen>
    );
  }

  const name = typeName(doc.type, lang);
  return (
    <Screen title={name} className="doc">
      {doc.status !== 'valid' && (
        <Notice tone={doc.status === 'revoked' ? 'error' : 'warn'}>
          {t(`licence.status.${doc.status}.hint`)}
        </Notice>
      )}
      <DocumentFace model={faceModel(doc, lang, words)} />
      <Panel title={t('code.title')}>
        {doc.status === 'valid' ? (
          <DocumentCode doc={doc} />
        ) : (
          <Notice tone="info">{t('code.notValid')}</Notice>
        )}
      </Panel>
      <Panel title={t('doc.fields')}>
        <View data-testid="document-fields">
          {documentFields(doc, lang, words).map((f) => (
            <Row key={f.key} label={f.label} value={f.value} />
          ))}
        </View>
      </Panel>
      <Panel title={t('doc.about')}>
        <Row label={t('doc.status')} value={<StatusBadge status={doc.status} />} />
        <Row label={t('doc.identifier')} value={<Text className="doc__identifier">{doc.identifier}</Text>} />
        <Row label={t('doc.updatedAt')} value={formatDateTime(doc.updatedAt, lang)} />
      </Panel>
    </Screen>
  );
}
